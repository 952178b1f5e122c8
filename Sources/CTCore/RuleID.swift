/// A rule's stable kebab-case id, e.g. `trailing-comma` (never reused). Every id of the tool is declared once, below,
/// in catalog order; findings, metadata and the rule selection all use these constants. Users name rules by text
/// (`--select`, `explain`), matched against `rawValue`.
public struct RuleID: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let rawValue: String

    private init(_ rawValue: String) { self.rawValue = rawValue }

    /// The declared id spelled `rawValue`, or nil when the tool has no such rule.
    public init?(rawValue: String) {
        guard let id = Self.byRawValue[rawValue] else { return nil }
        self = id
    }

    public var description: String { rawValue }

    public static func < (lhs: RuleID, rhs: RuleID) -> Bool { lhs.rawValue < rhs.rawValue }

    /// Every declared id, in catalog order: syntax, schema, semantic (record, then run-level), input.
    public static let all: [RuleID] = syntax + schema + semantic + input + integrity

    private static let byRawValue: [String: RuleID] = Dictionary(all.map { ($0.rawValue, $0) }, uniquingKeysWith: { a, _ in a })
}

// MARK: Syntax (produced by `CTJSON.JSONParser`)

extension RuleID {
    public static let byteOrderMark = RuleID("byte-order-mark")
    public static let emptyInput = RuleID("empty-input")
    public static let invalidUTF8 = RuleID("invalid-utf8")
    public static let trailingComma = RuleID("trailing-comma")
    public static let missingComma = RuleID("missing-comma")
    public static let extraComma = RuleID("extra-comma")
    public static let comment = RuleID("comment")
    public static let singleQuotedString = RuleID("single-quoted-string")
    public static let smartQuotes = RuleID("smart-quotes")
    public static let unquotedKey = RuleID("unquoted-key")
    public static let bareWord = RuleID("bare-word")
    public static let placeholder = RuleID("placeholder")
    public static let unterminatedString = RuleID("unterminated-string")
    public static let controlCharacter = RuleID("control-character")
    public static let invalidEscape = RuleID("invalid-escape")
    public static let invalidNumber = RuleID("invalid-number")
    public static let duplicateKey = RuleID("duplicate-key")
    public static let trailingContent = RuleID("trailing-content")
    public static let unbalanced = RuleID("unbalanced")
    public static let missingColon = RuleID("missing-colon")
    public static let missingValue = RuleID("missing-value")
    public static let missingKey = RuleID("missing-key")
    public static let unexpectedCharacter = RuleID("unexpected-character")
    public static let markup = RuleID("markup")
    public static let strayText = RuleID("stray-text")
    public static let filterPattern = RuleID("filter-pattern")

    /// The syntax rules, in catalog order.
    public static let syntax: [RuleID] = [
        .byteOrderMark, .emptyInput, .invalidUTF8, .trailingComma, .missingComma, .extraComma, .comment,
        .singleQuotedString, .smartQuotes, .unquotedKey, .bareWord, .placeholder, .unterminatedString,
        .controlCharacter, .invalidEscape, .invalidNumber, .duplicateKey, .trailingContent, .unbalanced,
        .missingColon, .missingValue, .missingKey, .unexpectedCharacter, .markup, .strayText, .filterPattern,
    ]
}

// MARK: Schema (produced by `CTSchema.CloudTrailSchemaChecker`)

extension RuleID {
    /// error: a required field is absent.
    public static let missingField = RuleID("missing-field")
    /// info: a record in a Markdown block that lacks most of its required fields (a sample shown in part); replaces
    /// that record's `missing-field` findings.
    public static let fragment = RuleID("fragment")
    /// error: a field has the wrong JSON type.
    public static let wrongType = RuleID("wrong-type")
    /// error: a value fails `enum`, `const`, `pattern`, `format` or another value keyword.
    public static let invalidValue = RuleID("invalid-value")
    /// info: a member the schema does not list (record level, userIdentity, sessionContext).
    public static let unknownField = RuleID("unknown-field")
    /// warning: a field introduced after the record's own eventVersion.
    public static let fieldTooNew = RuleID("field-too-new")
    /// warning: an eventVersion newer than the newest known schema.
    public static let unknownEventVersion = RuleID("unknown-event-version")
    /// error: an eventVersion that is not a `major.minor` string.
    public static let invalidEventVersion = RuleID("invalid-event-version")
    /// info: the document is JSON but not a CloudTrail record, log file, array of records or digest.
    public static let notCloudTrail = RuleID("not-cloudtrail")

    /// The schema rules, in catalog order.
    public static let schema: [RuleID] = [
        .missingField, .fragment, .wrongType, .invalidValue, .unknownField, .fieldTooNew, .unknownEventVersion,
        .invalidEventVersion, .notCloudTrail,
    ]
}

// MARK: Semantic (the record rules of `CTRules`, then the run-level rules)

extension RuleID {
    public static let arnSyntax = RuleID("arn-syntax")
    public static let arnIdentityMismatch = RuleID("arn-identity-mismatch")
    public static let accountMismatch = RuleID("account-mismatch")
    public static let resourceAccount = RuleID("resource-account")
    public static let partitionMismatch = RuleID("partition-mismatch")
    public static let region = RuleID("region")
    public static let accessKeyID = RuleID("access-key-id")
    public static let principalID = RuleID("principal-id")
    public static let identityFields = RuleID("identity-fields")
    public static let eventTime = RuleID("event-time")
    public static let eventID = RuleID("event-id")
    public static let ipAddress = RuleID("ip-address")
    public static let eventSource = RuleID("event-source")
    public static let fileLocation = RuleID("file-location")
    /// Run-level: one eventID on several records of a run.
    public static let duplicateEventID = RuleID("duplicate-event-id")
    /// Run-level: one S3 bucket with several owner accounts in a run.
    public static let bucketOwner = RuleID("bucket-owner")
    /// Markdown samples: a value that looks real rather than exemplary.
    public static let realData = RuleID("real-data")

    /// The semantic rules, in catalog order.
    public static let semantic: [RuleID] = [
        .arnSyntax, .arnIdentityMismatch, .accountMismatch, .resourceAccount, .partitionMismatch, .region,
        .accessKeyID, .principalID, .identityFields, .eventTime, .eventID, .ipAddress, .eventSource, .fileLocation,
        .realData, .duplicateEventID, .bucketOwner,
    ]
}

// MARK: Input (reading files, envelopes, the fixer)

extension RuleID {
    public static let readError = RuleID("read-error")
    public static let gzipCorrupt = RuleID("gzip-corrupt")
    public static let textEncoding = RuleID("text-encoding")
    public static let envelopeMismatch = RuleID("envelope-mismatch")
    public static let unrepairable = RuleID("unrepairable")
    public static let internalError = RuleID("internal-error")
    /// warning: a suppression (the configuration's `suppress`, a Markdown directive naming rules) that covered no
    /// finding in the run.
    public static let unusedSuppression = RuleID("unused-suppression")

    /// The input rules, in catalog order.
    public static let input: [RuleID] = [
        .readError, .gzipCorrupt, .textEncoding, .envelopeMismatch, .unrepairable, .internalError, .unusedSuppression,
    ]
}

// MARK: Integrity (produced by `verify`, from digest files)

extension RuleID {
    public static let logMissing = RuleID("log-missing")
    public static let logModified = RuleID("log-modified")
    public static let logUnlisted = RuleID("log-unlisted")
    public static let digestInvalid = RuleID("digest-invalid")
    public static let digestMoved = RuleID("digest-moved")
    public static let digestModified = RuleID("digest-modified")
    public static let digestMissing = RuleID("digest-missing")
    public static let digestGap = RuleID("digest-gap")
    public static let chainRestart = RuleID("chain-restart")
    public static let digestSignatureInvalid = RuleID("digest-signature-invalid")
    public static let publicKeyNotFound = RuleID("public-key-not-found")
    public static let signatureMissing = RuleID("signature-missing")

    /// The integrity rules, in catalog order.
    public static let integrity: [RuleID] = [
        .logMissing, .logModified, .logUnlisted, .digestInvalid, .digestMoved, .digestModified, .digestMissing,
        .digestGap, .chainRestart, .digestSignatureInvalid, .publicKeyNotFound, .signatureMissing,
    ]
}
