import CTCore
import CTInput
import CTJSON

/// Semantic rule `real-data`: in a Markdown page's CloudTrail samples, a value that looks like someone's real data
/// rather than a documentation example: a public address, an account ID AWS documentation does not use, an access
/// key without `EXAMPLE` in it, mail outside `example.com`. Its (unsafe) fix puts a documentation value in its
/// place, the same one for the same value everywhere on the page (`RealDataPage`).
///
/// Runs on Markdown blocks only, unless `--select real-data` names it: logs are real by nature.
package struct RealDataRule: RecordRule {
    package static let metadata = RuleMetadata(
        id: .realData,
        category: .semantic,
        summary: "A value in a documentation sample that looks real: a public IP address, a real-looking account ID or access key, a real e-mail address",
        rationale: "Samples in documentation, detection-rule fixtures and bug reports start as real records; a real account ID, a public IP address, a user's e-mail address or a live access key ID left in a public page is a leak, and the reader cannot tell it from an example. Documentation uses the address ranges reserved for it (192.0.2.0/24, 198.51.100.0/24, 203.0.113.0/24, 2001:db8::/32), account IDs such as 111122223333 and 123456789012 (the set AWS's own pages use, plus repeated and counting digit patterns), keys that hold `EXAMPLE` (AWS's end in it), and mail at example.com, example.org or example.net. Private, loopback and other non-public addresses are not flagged, nor are accounts AWS documents as its own. An account number is judged where it is an account (an account field, an ARN's account); a 12-digit number inside other text is not. The rule runs on the JSON blocks of Markdown pages; a log is real by nature, and `--select real-data` is needed to run it there. Its fix is unsafe: it replaces the value with a documentation value, the same replacement for the same value throughout the page, never one already on the page; `cloudtrail-lint redact` does the same for whole logs.",
        defaultSeverity: .warning,
        fixability: .always,
        fixNote: "Unsafe: the replacement changes what the sample says; it is consistent within the page, so relations between values (an ARN's account and accountId) are kept.",
        markdownOnly: true,
        valid: [
            RuleExample(SampleRecord.base),
            RuleExample(SampleRecord.with(("192.0.2.10", "10.1.2.3"))),
            RuleExample(SampleRecord.with(("123456789012:user", "111122223333:user"), ("\"123456789012\"", "\"111122223333\""))),
        ],
        invalid: [
            RuleExample(SampleRecord.with(("\"192.0.2.10\"", "\"↓8.8.8.8\""))),
            RuleExample(SampleRecord.with(("arn:aws:iam::123456789012:user", "arn:aws:iam::↓838185438692:user"),
                                          ("\"accountId\":\"123456789012\"", "\"accountId\":\"↓838185438692\""))),
            RuleExample(SampleRecord.with(("AKIAIOSFODNN7EXAMPLE", "↓AKIAYQ3KNO4QHX7TDPV2"))),
            RuleExample(SampleRecord.with(("\"userName\":\"Alice\"", "\"userName\":\"↓alice@corp.example.io\""))),
        ],
        fixes: [
            RuleExample(#"{"eventVersion":"1.08","sourceIPAddress":"8.8.8.8","userIdentity":{"type":"Root","arn":"arn:aws:iam::838185438692:root","accountId":"838185438692"},"requestParameters":{"ip":"8.8.8.8"}}"#,
                        fixed: #"{"eventVersion":"1.08","sourceIPAddress":"192.0.2.1","userIdentity":{"type":"Root","arn":"arn:aws:iam::111122223333:root","accountId":"111122223333"},"requestParameters":{"ip":"192.0.2.1"}}"#),
        ]
    )

    package init() {}

    package func check(_ context: RecordContext) -> [Diagnostic] {
        let tree = context.tree
        let found = RealData.findings(tree, from: context.record)
        guard !found.isEmpty else { return [] }
        // Without a page (a document checked alone), the replacements are this record's; a value the page did not
        // hold (its block changed since, by another fix) gets one beside the page's.
        var page = context.realDataPage ?? RealDataPage(trees: [tree], from: context.record)
        if found.contains(where: { page.replacement(for: $0.text, kind: $0.occurrence.kind) == nil }) {
            page = RealDataPage(trees: [tree], from: context.record, extending: page)
        }
        return found.map { hit in
            let o = hit.occurrence
            let text = hit.text
            var range = tree.range(o.node)
            var fix: Fix?
            if let content = tree.plainContent(o.node) ?? (tree.kind(o.node) == .number ? range.start..<range.end : nil) {
                range = TextRange(start: content.lowerBound + o.start, end: content.lowerBound + o.end)
                if let new = page.replacement(for: text, kind: o.kind) {
                    fix = Fix(title: "Replace with `\(new)`", edits: [TextEdit(range: range, replacement: Array(new.utf8))], applicability: .unsafe)
                }
            }
            return Diagnostic(rule: Self.metadata.id, severity: Self.metadata.defaultSeverity,
                              message: "`\(ValueText.string(ArraySlice(text.utf8).prefix(256)))` \(hit.reason)", range: range,
                              fix: fix, pointer: tree.pointer(of: o.node))
        }
    }
}

/// What `real-data` judges real.
enum RealData {
    struct Hit {
        var occurrence: Occurrence
        var text: String
        var reason: String
    }

    /// The real-looking identifiers under node `top` (the whole tree when nil), in document order.
    static func findings(_ tree: SyntaxTree, from top: Int?) -> [Hit] {
        var out: [Hit] = []
        for o in IdentifierScanner().scan(tree, from: top) where watched.contains(o.kind) && !o.onlyIfKnown {
            let text = value(tree, o)
            if let reason = reason(o, text) { out.append(Hit(occurrence: o, text: text, reason: reason)) }
        }
        return out
    }

    static let watched: Set<IdentifierKind> = [.account, .ipv4, .ipv6, .accessKey, .email]

    static func value(_ tree: SyntaxTree, _ o: Occurrence) -> String {
        if tree.kind(o.node) == .number {
            let r = tree.range(o.node)
            return String(decoding: tree.source[(r.start + o.start)..<(r.start + o.end)], as: UTF8.self)
        }
        return tree.withDecodedBytes(o.node) { String(decoding: UnsafeBufferPointer(rebasing: $0[o.start..<o.end]), as: UTF8.self) }
    }

    /// Why the value looks real, or nil.
    static func reason(_ o: Occurrence, _ text: String) -> String? {
        let s = Substring(text)
        switch o.kind {
        case .account:
            guard !o.inFreeText, LogFileName.isAccountID(s), !ExampleValues.isExampleAccount(s),
                  !ExampleValues.awsOwnedAccounts.contains(s) else { return nil }
            return "looks like a real account ID: documentation uses example IDs such as 111122223333 and 123456789012"
        case .ipv4:
            guard let parts = AddressParts.ipv4(s), ExampleValues.classify(ipv4: parts.octets) == .publicAddress else { return nil }
            return "is a public IPv4 address: documentation uses 192.0.2.0/24, 198.51.100.0/24 and 203.0.113.0/24 (RFC 5737)"
        case .ipv6:
            guard let groups = AddressParts.ipv6(s), ExampleValues.classify(ipv6: groups) == .publicAddress else { return nil }
            return "is a public IPv6 address: documentation uses 2001:db8::/32 (RFC 3849)"
        case .accessKey:
            guard IAMIdentifier.isWellFormed(s), let prefix = IAMIDPrefix(of: s), prefix.isAccessKeyPrefix, !ExampleValues.isExampleKey(s)
            else { return nil }
            return "looks like a real access key ID: documentation keys hold `EXAMPLE` (AKIAIOSFODNN7EXAMPLE)"
        case .email:
            guard !ExampleValues.isExampleEmail(s) else { return nil }
            return "looks like a real e-mail address: documentation uses example.com, example.org and example.net (RFC 2606)"
        default:
            return nil
        }
    }
}

/// The `real-data` replacements of one Markdown page, made once for the page in document order: the same value
/// gets the same replacement in every block, and no replacement is a value already on the page.
package final class RealDataPage: Sendable {
    private let table: Pseudonyms

    /// The page of the JSON blocks `blocks` (their text).
    package convenience init(blocks: [[UInt8]]) {
        self.init(trees: blocks.map { JSONParser.parse($0) }, from: nil)
    }

    init(trees: [SyntaxTree], from top: Int?, extending base: RealDataPage? = nil) {
        var table = base?.table ?? Pseudonyms()
        var real: [RealData.Hit] = []
        for tree in trees {
            for o in IdentifierScanner().scan(tree, from: top) where RealData.watched.contains(o.kind) {
                let text = RealData.value(tree, o)
                if table.existing(text, kind: o.kind) == nil { table.avoided.insert(text) }
                if let reason = RealData.reason(o, text) { real.append(RealData.Hit(occurrence: o, text: text, reason: reason)) }
            }
        }
        for hit in real { _ = table.replacement(for: hit.text, kind: hit.occurrence.kind) }
        self.table = table
    }

    func replacement(for text: String, kind: IdentifierKind) -> String? { table.existing(text, kind: kind) }
}
