/// A rule's stable kebab-case id, e.g. `trailing-comma` (never reused). Every id of the tool is declared once, below,
/// in catalog order; findings, metadata and the rule selection all use these constants. Users name rules by text
/// (`--select`, `explain`), matched against `rawValue`.
package struct RuleID: Hashable, Comparable, Sendable, CustomStringConvertible {
    package let rawValue: String

    private init(_ rawValue: String) { self.rawValue = rawValue }

    /// The declared id spelled `rawValue`, or nil when the tool has no such rule.
    package init?(rawValue: String) {
        guard let id = Self.byRawValue[rawValue] else { return nil }
        self = id
    }

    package var description: String { rawValue }

    package static func < (lhs: RuleID, rhs: RuleID) -> Bool { lhs.rawValue < rhs.rawValue }

    /// Every declared id, in catalog order: syntax, schema, semantic (record, then run-level), input.
    package static let all: [RuleID] = syntax + schema + semantic + input

    private static let byRawValue: [String: RuleID] = Dictionary(all.map { ($0.rawValue, $0) }, uniquingKeysWith: { a, _ in a })
}

// MARK: Syntax (produced by `CTJSON.JSONParser`)

extension RuleID {
    package static let byteOrderMark = RuleID("byte-order-mark")
    package static let emptyInput = RuleID("empty-input")
    package static let invalidUTF8 = RuleID("invalid-utf8")
    package static let trailingComma = RuleID("trailing-comma")
    package static let missingComma = RuleID("missing-comma")
    package static let extraComma = RuleID("extra-comma")
    package static let comment = RuleID("comment")
    package static let singleQuotedString = RuleID("single-quoted-string")
    package static let smartQuotes = RuleID("smart-quotes")
    package static let unquotedKey = RuleID("unquoted-key")
    package static let bareWord = RuleID("bare-word")
    package static let placeholder = RuleID("placeholder")
    package static let unterminatedString = RuleID("unterminated-string")
    package static let controlCharacter = RuleID("control-character")
    package static let invalidEscape = RuleID("invalid-escape")
    package static let invalidNumber = RuleID("invalid-number")
    package static let duplicateKey = RuleID("duplicate-key")
    package static let trailingContent = RuleID("trailing-content")
    package static let unbalanced = RuleID("unbalanced")
    package static let missingColon = RuleID("missing-colon")
    package static let missingValue = RuleID("missing-value")
    package static let missingKey = RuleID("missing-key")
    package static let unexpectedCharacter = RuleID("unexpected-character")

    /// The syntax rules, in catalog order.
    package static let syntax: [RuleID] = [
        .byteOrderMark, .emptyInput, .invalidUTF8, .trailingComma, .missingComma, .extraComma, .comment,
        .singleQuotedString, .smartQuotes, .unquotedKey, .bareWord, .placeholder, .unterminatedString,
        .controlCharacter, .invalidEscape, .invalidNumber, .duplicateKey, .trailingContent, .unbalanced,
        .missingColon, .missingValue, .missingKey, .unexpectedCharacter,
    ]
}

// MARK: Schema (produced by `CTSchema.CloudTrailSchemaChecker`)

extension RuleID {
    /// error: a required field is absent.
    package static let missingField = RuleID("missing-field")
    /// error: a field has the wrong JSON type.
    package static let wrongType = RuleID("wrong-type")
    /// error: a value fails `enum`, `const`, `pattern`, `format` or another value keyword.
    package static let invalidValue = RuleID("invalid-value")
    /// info: a member the schema does not list (record level, userIdentity, sessionContext).
    package static let unknownField = RuleID("unknown-field")
    /// warning: a field introduced after the record's own eventVersion.
    package static let fieldTooNew = RuleID("field-too-new")
    /// warning: an eventVersion newer than the newest known schema.
    package static let unknownEventVersion = RuleID("unknown-event-version")
    /// error: an eventVersion that is not a `major.minor` string.
    package static let invalidEventVersion = RuleID("invalid-event-version")
    /// info: the document is JSON but not a CloudTrail record, log file, array of records or digest.
    package static let notCloudTrail = RuleID("not-cloudtrail")

    /// The schema rules, in catalog order.
    package static let schema: [RuleID] = [
        .missingField, .wrongType, .invalidValue, .unknownField, .fieldTooNew, .unknownEventVersion,
        .invalidEventVersion, .notCloudTrail,
    ]
}

// MARK: Semantic (the record rules of `CTRules`, then the run-level rules)

extension RuleID {
    package static let arnSyntax = RuleID("arn-syntax")
    package static let arnIdentityMismatch = RuleID("arn-identity-mismatch")
    package static let accountMismatch = RuleID("account-mismatch")
    package static let resourceAccount = RuleID("resource-account")
    package static let partitionMismatch = RuleID("partition-mismatch")
    package static let region = RuleID("region")
    package static let accessKeyID = RuleID("access-key-id")
    package static let principalID = RuleID("principal-id")
    package static let identityFields = RuleID("identity-fields")
    package static let eventTime = RuleID("event-time")
    package static let eventID = RuleID("event-id")
    package static let ipAddress = RuleID("ip-address")
    package static let eventSource = RuleID("event-source")
    package static let fileLocation = RuleID("file-location")
    /// Run-level: one eventID on several records of a run.
    package static let duplicateEventID = RuleID("duplicate-event-id")
    /// Run-level: one S3 bucket with several owner accounts in a run.
    package static let bucketOwner = RuleID("bucket-owner")

    /// The semantic rules, in catalog order.
    package static let semantic: [RuleID] = [
        .arnSyntax, .arnIdentityMismatch, .accountMismatch, .resourceAccount, .partitionMismatch, .region,
        .accessKeyID, .principalID, .identityFields, .eventTime, .eventID, .ipAddress, .eventSource, .fileLocation,
        .duplicateEventID, .bucketOwner,
    ]
}

// MARK: Input (reading files, envelopes, the fixer)

extension RuleID {
    package static let readError = RuleID("read-error")
    package static let gzipCorrupt = RuleID("gzip-corrupt")
    package static let textEncoding = RuleID("text-encoding")
    package static let envelopeMismatch = RuleID("envelope-mismatch")
    package static let unrepairable = RuleID("unrepairable")
    package static let internalError = RuleID("internal-error")

    /// The input rules, in catalog order.
    package static let input: [RuleID] = [
        .readError, .gzipCorrupt, .textEncoding, .envelopeMismatch, .unrepairable, .internalError,
    ]
}
