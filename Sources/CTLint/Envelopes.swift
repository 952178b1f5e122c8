import CTCore
import CTInput
import CTJSON
import CTRules
import CTSchema

/// What a parsed JSON document is, as far as exported CloudTrail data goes.
enum ExportShape: Equatable {
    /// EventBridge events (`detail-type` ending in "via CloudTrail", the record in `detail`): the root
    /// envelope, or the elements of a root array holding at least one envelope.
    case eventBridge(items: [Int])
    /// `aws cloudtrail lookup-events` output: the objects of `{"Events": [...]}` (or of a root array of such
    /// objects), each with the record serialised as a JSON string in `CloudTrailEvent`.
    case lookupEvents(events: [Int])
    /// Everything else: a delivered log file, a record, an array of records, a digest, other JSON.
    case standard

    /// Decides the shape from the top two levels of the tree only.
    static func of(_ tree: SyntaxTree) -> ExportShape {
        guard let root = tree.root else { return .standard }
        switch tree.kind(root) {
        case .object:
            if isEventBridgeEnvelope(tree, root) { return .eventBridge(items: [root]) }
            if tree.member("Records", of: root) == nil, let list = tree.member("Events", of: root), tree.kind(list) == .array {
                let events = tree.children(of: list).filter { tree.kind($0) == .object }
                if events.isEmpty || events.contains(where: { isLookupEvent(tree, $0) }) { return .lookupEvents(events: events) }
            }
        case .array:
            let items = Array(tree.children(of: root))
            if items.contains(where: { isEventBridgeEnvelope(tree, $0) }) { return .eventBridge(items: items) }
            if !items.isEmpty, items.allSatisfy({ tree.kind($0) == .object }), items.contains(where: { isLookupEvent(tree, $0) }) {
                return .lookupEvents(events: items)
            }
        default:
            break
        }
        return .standard
    }

    /// An object with a string `detail-type` ending in "via CloudTrail" and a `detail` member.
    static func isEventBridgeEnvelope(_ tree: SyntaxTree, _ i: Int) -> Bool {
        guard tree.kind(i) == .object, let type = tree.member("detail-type", of: i), tree.kind(type) == .string,
              tree.string(type)?.hasSuffix("via CloudTrail") == true else { return false }
        return tree.member("detail", of: i) != nil
    }

    /// An object with a `CloudTrailEvent` member (the record as a string).
    static func isLookupEvent(_ tree: SyntaxTree, _ i: Int) -> Bool {
        tree.kind(i) == .object && tree.member("CloudTrailEvent", of: i) != nil
    }
}

/// The CloudTrail checks of one parsed document, for every shape: delivered files (with their file-name
/// kind checked against the content), EventBridge envelopes and LookupEvents output.
struct DocumentChecker {
    let linter: Linter
    /// Where the records' facts for the run-level rules go (nil: none is collected), their ranges moved by `shift`.
    let facts: RunFacts?
    var shift = 0
    /// What the file name says, when the caller has it already (the lines of a JSON Lines file share it).
    var origin: DocumentOrigin?

    typealias Output = [Diagnostic]

    func check(_ tree: SyntaxTree, fileName: String?) -> Output {
        switch ExportShape.of(tree) {
        case .standard: return checkDelivered(tree, fileName: fileName)
        case .eventBridge(let items): return checkEventBridge(tree, items: items)
        case .lookupEvents(let events): return checkLookupEvents(tree, events: events)
        }
    }

    var mismatchEnabled: Bool { linter.runs(.envelopeMismatch) }

    // MARK: Delivered files

    /// The delivery kind a path announces (file name first, then the S3 folder), or nil.
    static func deliveryKind(of path: String) -> LogFileKind? {
        // The same parse of the path that gives the file-location facts (and is kept for the document's records).
        DocumentOrigin(fileName: path).deliveryKind
    }

    /// A log file, a record, an array of records or a digest. Files named as digests get the schema checks
    /// only (never the API-record rules); a name that disagrees with the content's kind is reported.
    func checkDelivered(_ tree: SyntaxTree, fileName: String?) -> Output {
        var out = Output()
        let origin = self.origin ?? DocumentOrigin(fileName: fileName)
        let named = origin.deliveryKind
        if named == .digest {
            out = CloudTrailSchemaChecker.shared.check(tree)
        } else {
            out = CloudTrailChecks.check(tree, origin: origin, checks: linter.checks ?? CloudTrailChecks(linter: linter))
            if let facts { collect(tree, into: facts) }
        }
        if let named, mismatchEnabled, let d = kindMismatch(tree, named: named) { out.append(d) }
        return out
    }

    /// The run-level facts of every record object of a log file, a record or an array of records.
    func collect(_ tree: SyntaxTree, into facts: RunFacts) {
        guard let root = tree.root, CloudTrailSchemaChecker.records(in: tree) != nil else { return }
        if tree.kind(root) == .object, let list = tree.member("Records", of: root) {
            guard tree.kind(list) == .array else { return }
            for (i, r) in tree.children(of: list).enumerated() where tree.kind(r) == .object {
                facts.collect(RunRecord(record: r, shift: shift, arrayPointer: "/Records", index: i), in: tree)
            }
        } else if tree.kind(root) == .array {
            for (i, r) in tree.children(of: root).enumerated() where tree.kind(r) == .object {
                facts.collect(RunRecord(record: r, shift: shift, arrayPointer: "", index: i), in: tree)
            }
        } else if tree.kind(root) == .object {
            facts.collect(RunRecord(record: root, shift: shift, arrayPointer: "", index: -1), in: tree)
        }
    }

    /// Whether `needle` occurs in `haystack`: Boyer-Moore-Horspool, so most steps skip the needle's length
    /// (a byte loop keyed on the needle's leading `"` was 12% of a day's check, perf).
    static func contains(_ haystack: [UInt8], _ needle: StaticString) -> Bool {
        needle.withUTF8Buffer { n in
            let m = n.count
            guard m > 0, m <= haystack.count else { return false }
            var skip = [Int](repeating: m, count: 256)
            for j in 0..<(m - 1) { skip[Int(n[j])] = m - 1 - j }
            return haystack.withUnsafeBufferPointer { h in
                var i = 0
                let last = h.count - m
                while i <= last {
                    let c = h[i + m - 1]
                    if c == n[m - 1] {
                        var j = 0
                        while j < m - 1 && h[i + j] == n[j] { j += 1 }
                        if j == m - 1 { return true }
                    }
                    i += skip[Int(c)]
                }
                return false
            }
        }
    }

    static func isDigestShaped(_ tree: SyntaxTree, _ root: Int) -> Bool {
        guard tree.kind(root) == .object, tree.member("Records", of: root) == nil else { return false }
        return tree.member("digestStartTime", of: root) != nil || tree.member("digestEndTime", of: root) != nil
            || tree.member("logFiles", of: root) != nil || tree.member("digestS3Object", of: root) != nil
    }

    /// True when record `r` is an Insights event. `members`, the record's `eventType` and `eventCategory` value nodes
    /// when the rules have found them, saves two scans of the record's members (each as costly as the rest of the
    /// record's bookkeeping: 4.3% of a full check, callgrind).
    static func isInsightRecord(_ tree: SyntaxTree, _ r: Int, members: (eventType: Int?, eventCategory: Int?)? = nil) -> Bool {
        let eventType = members.map { $0.eventType } ?? tree.member("eventType", of: r)
        if let t = eventType, tree.stringEquals(t, "AwsCloudTrailInsight") { return true }
        let eventCategory = members.map { $0.eventCategory } ?? tree.member("eventCategory", of: r)
        if let c = eventCategory, tree.stringEquals(c, "Insight") { return true }
        return false
    }

    /// One finding per file when the name's kind (log, Insights, digest) is not what the content is.
    func kindMismatch(_ tree: SyntaxTree, named: LogFileKind) -> Diagnostic? {
        guard let root = tree.root else { return nil }
        let rule = EnvelopeMismatchRule.metadata
        func finding(_ message: String, at node: Int) -> Diagnostic {
            Diagnostic(rule: rule.id, severity: rule.defaultSeverity, message: message,
                       range: tree.headRange(node), pointer: tree.pointer(of: node))
        }
        let isDigest = Self.isDigestShaped(tree, root)
        if named == .digest {
            guard !isDigest else { return nil }
            let what = CloudTrailSchemaChecker.records(in: tree) != nil ? "holds CloudTrail records" : "is not a digest (no `digestStartTime` or `logFiles`)"
            return finding("the file name says `CloudTrail-Digest` but the content \(what)", at: root)
        }
        if isDigest {
            return finding("the content is a digest file but the file name says `\(named.token)`", at: root)
        }
        // A log file without the words Insights records carry holds none: skip the per-record scan (it was 5% of a
        // full check of a 200 MB log, perf).
        // (`Insight"` ends both `"AwsCloudTrailInsight"` and `"Insight"`.)
        if named == .log && !Self.contains(tree.source, "Insight\"") {
            return nil
        }
        guard let records = CloudTrailSchemaChecker.records(in: tree), !records.isEmpty else { return nil }
        let offending = records.filter { Self.isInsightRecord(tree, $0) != (named == .insight) }
        guard let first = offending.first else { return nil }
        return Self.insightMismatch(named: named, count: offending.count, range: tree.headRange(first),
                                    pointer: tree.pointer(of: first))
    }

    /// The finding for `count` records (the first at `range`) that are Insights events in a file not named
    /// `CloudTrail-Insight`, or the reverse.
    static func insightMismatch(named: LogFileKind, count: Int, range: TextRange, pointer: String?) -> Diagnostic {
        let rule = EnvelopeMismatchRule.metadata
        let some = count == 1 ? "a record is" : "\(count) records are"
        let message = named == .insight
            ? "the file name says `CloudTrail-Insight` but \(some) not Insights events"
            : "\(some) Insights event\(count == 1 ? "" : "s"), delivered under `CloudTrail-Insight/`, but the file name says `CloudTrail`"
        return Diagnostic(rule: rule.id, severity: rule.defaultSeverity, message: message, range: range, pointer: pointer)
    }

    // MARK: Records in place

    /// Schema checks and semantic rules for a record object of `tree` (an EventBridge `detail`).
    func checkRecordInPlace(_ tree: SyntaxTree, record: Int, into out: inout Output) {
        let checks = linter.checks ?? CloudTrailChecks(linter: linter)
        if checks.schema { out += CloudTrailSchemaChecker.shared.checkRecord(tree, record: record) }
        let context = RecordContext(tree: tree, record: record, fileName: nil)
        for rule in checks.rules { out += rule.check(context) }
        facts?.collect(RunRecord(record: record, shift: shift, arrayPointer: tree.pointer(of: record) ?? "", index: -1), in: tree)
    }

    // MARK: EventBridge

    /// Known `detail-type` values and the record `eventType` each carries.
    static let detailTypes: [String: String] = [
        "AWS API Call via CloudTrail": "AwsApiCall",
        "AWS Console Signin via CloudTrail": "AwsConsoleSignIn",
        "AWS Console Action via CloudTrail": "AwsConsoleAction",
        "AWS Service Event via CloudTrail": "AwsServiceEvent",
        "AWS Insight via CloudTrail": "AwsCloudTrailInsight",
    ]

    func checkEventBridge(_ tree: SyntaxTree, items: [Int]) -> Output {
        var out = Output()
        for item in items {
            switch tree.kind(item) {
            case .invalid, .missing:
                continue
            case .object where ExportShape.isEventBridgeEnvelope(tree, item):
                guard let detail = tree.member("detail", of: item) else { continue }
                guard tree.kind(detail) == .object else {
                    if tree.kind(detail) != .invalid && tree.kind(detail) != .missing {
                        out.append(Diagnostic(
                            rule: RuleID.wrongType, severity: .error,
                            message: "`detail` must be the CloudTrail record (an object), found `\(tree.typeName(detail))`",
                            range: tree.range(detail), pointer: tree.pointer(of: detail)))
                    }
                    continue
                }
                checkRecordInPlace(tree, record: detail, into: &out)
                guard mismatchEnabled else { continue }
                let view = RecordView(tree: tree, record: detail, map: { $0 })
                if let account = tree.member("account", of: item) {
                    let field = view.string("recipientAccountId") != nil ? "recipientAccountId" : "userIdentity.accountId"
                    out += mismatch(tree, account, "account", view, field).map { [$0] } ?? []
                }
                if let region = tree.member("region", of: item) {
                    out += mismatch(tree, region, "region", view, "awsRegion").map { [$0] } ?? []
                }
                if let type = tree.member("detail-type", of: item), let expected = tree.string(type).flatMap({ Self.detailTypes[$0] }),
                   let (actual, range) = view.string("eventType"), actual != expected {
                    out.append(Diagnostic(
                        rule: EnvelopeMismatchRule.metadata.id, severity: EnvelopeMismatchRule.metadata.defaultSeverity,
                        message: "`detail-type` `\(tree.string(type) ?? "")` carries `\(expected)` records, but the record's `eventType` is `\(actual)`",
                        range: tree.range(type), notes: [Note(message: "the record's `eventType`", range: range)],
                        pointer: tree.pointer(of: type)))
                }
            case .object where Self.looksLikeRecord(tree, item):
                checkRecordInPlace(tree, record: item, into: &out)
            default:
                do {
                    out.append(Diagnostic(
                        rule: RuleID.notCloudTrail, severity: .info,
                        message: "not a CloudTrail record or EventBridge event for a CloudTrail record",
                        range: tree.headRange(item), pointer: tree.pointer(of: item)))
                }
            }
        }
        return out
    }

    /// An `eventVersion`, or an `eventSource` with an `eventName` or `eventTime`.
    static func looksLikeRecord(_ tree: SyntaxTree, _ i: Int) -> Bool {
        guard tree.kind(i) == .object else { return false }
        if tree.member("eventVersion", of: i) != nil { return true }
        return tree.member("eventSource", of: i) != nil
            && (tree.member("eventName", of: i) != nil || tree.member("eventTime", of: i) != nil)
    }

    // MARK: LookupEvents

    func checkLookupEvents(_ tree: SyntaxTree, events: [Int]) -> Output {
        var out = Output()
        for event in events where tree.kind(event) == .object {
            guard let payload = tree.member("CloudTrailEvent", of: event) else { continue }
            let view: RecordView
            switch tree.kind(payload) {
            case .string:
                let decoded = EscapedString(source: tree.source, content: tree.contentRange(payload))
                let prefix = tree.pointer(of: payload) ?? ""
                let innerFacts = facts.map { _ in linter.newFacts() } ?? nil
                let inner = linter.lintDocument(decoded.bytes, fileName: nil, facts: innerFacts)
                for d in inner.diagnostics { out.append(Self.hosted(d, decoded, pointerPrefix: prefix)) }
                if let facts, let innerFacts {
                    facts.append(innerFacts, range: { decoded.sourceRange($0).shifted(by: shift) }, pointerPrefix: prefix)
                }
                guard let root = inner.tree.root, inner.tree.kind(root) == .object else { continue }
                view = RecordView(tree: inner.tree, record: root, map: decoded.sourceRange)
            case .object:
                // Some tools store the record already parsed: check it in place.
                checkRecordInPlace(tree, record: payload, into: &out)
                view = RecordView(tree: tree, record: payload, map: { $0 })
            case .invalid, .missing, .null:
                continue
            default:
                do {
                    out.append(Diagnostic(
                        rule: RuleID.wrongType, severity: .error,
                        message: "`CloudTrailEvent` must be the record serialised as a JSON string, found `\(tree.typeName(payload))`",
                        range: tree.range(payload), pointer: tree.pointer(of: payload)))
                }
                continue
            }
            guard mismatchEnabled else { continue }
            for (outer, field) in [("EventId", "eventID"), ("EventName", "eventName"), ("EventSource", "eventSource")] {
                guard let node = tree.member(named: outer, of: event) else { continue }
                if let d = mismatch(tree, node, outer, view, field) { out.append(d) }
            }
        }
        return out
    }

    /// A finding of a document embedded in a string, moved into the host file: ranges mapped through the
    /// escapes, the pointer continued from the string's own pointer, fixes dropped (an edit of the decoded
    /// text is not an edit of the escaped string).
    static func hosted(_ d: Diagnostic, _ decoded: EscapedString, pointerPrefix: String) -> Diagnostic {
        var h = d
        h.range = decoded.sourceRange(d.range)
        h.notes = d.notes.map { Note(message: $0.message, range: decoded.sourceRange($0.range)) }
        h.fix = nil
        h.pointer = pointerPrefix + (d.pointer ?? "")
        return h
    }

    // MARK: Helpers


    // MARK: Mismatch findings

    /// A record field's string value and its range in the host file.
    struct RecordView {
        let tree: SyntaxTree
        let record: Int
        let map: (TextRange) -> TextRange

        /// The decoded string at a dotted path under the record, with its range in the file.
        func string(_ path: String) -> (String, TextRange)? {
            guard let node = tree.value(atPath: path, under: record), tree.kind(node) == .string,
                  let s = tree.string(node) else { return nil }
            return (s, map(tree.range(node)))
        }
    }

    /// `envelope-mismatch` at the envelope's string `node` when it differs from the record's `field`.
    func mismatch(_ tree: SyntaxTree, _ node: Int, _ name: String, _ view: RecordView, _ field: String) -> Diagnostic? {
        guard tree.kind(node) == .string, let value = tree.string(node), let (actual, range) = view.string(field),
              value != actual else { return nil }
        let rule = EnvelopeMismatchRule.metadata
        return Diagnostic(rule: rule.id, severity: rule.defaultSeverity,
                          message: "`\(name)` is `\(value)` but the record's `\(field)` is `\(actual)`",
                          range: tree.range(node), notes: [Note(message: "the record's `\(field)`", range: range)],
                          pointer: tree.pointer(of: node))
    }
}
