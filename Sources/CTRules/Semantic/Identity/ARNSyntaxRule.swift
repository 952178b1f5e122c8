import CTCore
import CTJSON

/// `arn-syntax`: ARNs in identity and resource fields follow `arn:partition:service:region:account:resource`.
package struct ARNSyntaxRule: RecordRule {
    package static let metadata = RuleMetadata(
        id: .arnSyntax,
        category: .semantic,
        summary: "An ARN that does not follow `arn:partition:service:region:account:resource`",
        rationale: "Principal and resource ARNs are what detections and access reviews key on. An ARN with an unknown partition, a region from another partition, a region on an IAM or STS ARN, or an account that is not 12 digits cannot name a real principal, so the record was hand-edited or corrupted. ARNs under `…Arn` keys of requestParameters and responseElements (percent-decoded when they arrive URL-encoded) are checked too, at warning level, because payloads carry user input and documentation samples.",
        defaultSeverity: .error,
        fixability: .sometimes,
        fixNote: "Unsafe: whitespace between the first five parts is removed only when that leaves a valid ARN; the resource part is never touched.",
        valid: [
            RuleExample(#"{"eventVersion": "1.09", "userIdentity": {"type": "IAMUser", "arn": "arn:aws:iam::210987654321:user/ops/maria"}}"#),
            RuleExample(#"{"eventVersion": "1.09", "resources": [{"ARN": "arn:aws:s3:::holiday-photos"}, {"ARN": "arn:aws:iam::aws:policy/ReadOnlyAccess"}, {"ARNPrefix": "arn:aws:s3:::holiday-photos/2024/"}]}"#),
            RuleExample(#"{"eventVersion": "1.09", "userIdentity": {"arn": "arn:aws-cn:sts::210987654321:assumed-role/builder/ci"}, "requestParameters": {"roleArn": "arn%3Aaws%3Aiam%3A%3A210987654321%3Arole%2Fbuilder", "bucketName": "not-an-arn"}}"#),
            RuleExample(#"{"eventVersion": "1.09", "userIdentity": {"type": "AWSService", "arn": ""}, "responseElements": {"topicArn": "arn:aws-us-gov:sns:us-gov-west-1:210987654321:alerts"}}"#),
        ],
        invalid: [
            RuleExample(#"{"eventVersion": "1.09", "userIdentity": {"arn": "arn:↓amazon:iam::210987654321:user/maria"}}"#),
            RuleExample(#"{"eventVersion": "1.09", "userIdentity": {"arn": "arn:aws:iam::↓21098765432:user/maria"}}"#),
            RuleExample(#"{"eventVersion": "1.09", "userIdentity": {"sessionContext": {"sessionIssuer": {"arn": "arn:aws:iam:↓us-east-1:210987654321:role/builder"}}}}"#),
            RuleExample(#"{"eventVersion": "1.09", "resources": [{"ARN": "arn:aws-cn:kms:↓eu-west-1:210987654321:key/9d1c"}, {"ARN": ↓"kms-key-9d1c"}]}"#),
            RuleExample(#"{"eventVersion": "1.09", "userIdentity": {"arn": "arn:aws:sts::210987654321:assumed-role/builder/ci"}, "requestParameters": {"functionArn": ↓"arn%3Aaws%3Alambda%3Aus-east-1%3A2109%3Afunction%3Aresize", "policyArns": ["arn%3Aaws%3Aiam%3A%3Aaws%3Apolicy%2Fx↓%4"]}}"#),
        ],
        fixes: [
            RuleExample(#"{"eventVersion": "1.09", "userIdentity": {"arn": "arn: aws: sts: : 210987654321:assumed-role/builder/ci"}}"#,
                        fixed: #"{"eventVersion": "1.09", "userIdentity": {"arn": "arn:aws:sts::210987654321:assumed-role/builder/ci"}}"#),
        ]
    )

    package init() {}

    package func check(_ context: RecordContext) -> [Diagnostic] {
        var out: [Diagnostic] = []
        let tree = context.tree
        SourceBytes.with(tree) { b in
            // Identity fields that must hold an ARN (an empty string is tolerated: service samples leave them blank).
            for field in principalARNFields {
                if let node = context.stringNode(field.node(context.fields)) { check(node, b, context, payload: false, into: &out) }
            }
            if let resources = context.fields.resources, tree.kind(resources) == .array {
                let nodes = tree.nodes
                var element = resources + 1
                let end = Int(nodes[resources].subtreeEnd)
                while element < end {
                    tree.forEachMember(of: element) { k, v in
                        if nodes[v].kind == .string, tree.keyIs(k, "ARN") || tree.keyIs(k, "ARNPrefix") {
                            check(v, b, context, payload: false, into: &out)
                        }
                    }
                    element = Int(nodes[element].subtreeEnd)
                }
            }
            // Two optionals, not an array literal (an allocation per record).
            if let root = context.fields.requestParameters, tree.kind(root) == .object { scanPayload(root, b, context, into: &out) }
            if let root = context.fields.responseElements, tree.kind(root) == .object { scanPayload(root, b, context, into: &out) }
        }
        return out
    }

    /// Checks an ARN field: on the bytes when they are a clean ARN (the common case), otherwise in full.
    @inline(__always)
    private func check(_ node: Int, _ b: SourceBytes, _ context: RecordContext, payload: Bool, into out: inout [Diagnostic]) {
        if let r = b.plain(node), r.isEmpty || context.principalARNs.isClean(node, r, b) { return }
        checkField(node, context, payload: payload, into: &out)
    }

    /// Checks ARN-looking strings under `…Arn`/`…ARN` keys (and `…Arns` lists) anywhere below `root`.
    private func scanPayload(_ root: Int, _ b: SourceBytes, _ context: RecordContext, into out: inout [Diagnostic]) {
        let tree = context.tree
        let nodes = tree.nodes
        var i = root
        let end = Int(nodes[root].subtreeEnd)
        while i < end {
            if nodes[i].kind == .object {
                tree.forEachMember(of: i) { k, v in
                    guard Self.isARNKey(k, tree, b) else { return }
                    switch nodes[v].kind {
                    case .string:
                        if Self.looksLikeARN(v, tree) { check(v, b, context, payload: true, into: &out) }
                    case .array:
                        var e = v + 1
                        let arrayEnd = Int(nodes[v].subtreeEnd)
                        while e < arrayEnd {
                            if nodes[e].kind == .string && Self.looksLikeARN(e, tree) { check(e, b, context, payload: true, into: &out) }
                            e = Int(nodes[e].subtreeEnd)
                        }
                    default: break
                    }
                }
            }
            i += 1
        }
    }

    /// A key `arn`, or one ending in `Arn`, `ARN`, `Arns` or `ARNs` (raw bytes).
    @inline(__always)
    static func isARNKey(_ key: Int, _ tree: SyntaxTree, _ b: SourceBytes) -> Bool {
        guard tree.nodes[key].kind == .string else { return false }
        let r: Range<Int>
        if let plain = tree.plainContent(key) { r = plain } else { let c = tree.contentRange(key); r = c.start..<c.end }
        let s = b.src
        var n = r.upperBound
        if n - r.lowerBound >= 1, s[n - 1] == UInt8(ascii: "s") { n -= 1 }
        guard n - r.lowerBound >= 3 else { return false }
        let a = s[n - 3], c2 = s[n - 2], c = s[n - 1]
        if n - r.lowerBound == 3, a == UInt8(ascii: "a"), c2 == UInt8(ascii: "r"), c == UInt8(ascii: "n") { return n == r.upperBound }
        return (a == UInt8(ascii: "A") && c2 == UInt8(ascii: "r") && c == UInt8(ascii: "n"))
            || (a == UInt8(ascii: "A") && c2 == UInt8(ascii: "R") && c == UInt8(ascii: "N"))
    }

    /// The value starts with `arn:` or `arn%3`, checked on the source bytes.
    static func looksLikeARN(_ node: Int, _ tree: SyntaxTree) -> Bool {
        let r = tree.plainContent(node).map { TextRange(start: $0.lowerBound, end: $0.upperBound) } ?? tree.contentRange(node)
        guard r.length >= 4 else { return false }
        let s = tree.source
        return s[r.start] == UInt8(ascii: "a") && s[r.start + 1] == UInt8(ascii: "r") && s[r.start + 2] == UInt8(ascii: "n")
            && (s[r.start + 3] == UInt8(ascii: ":") || s[r.start + 3] == UInt8(ascii: "%"))
    }

    private func checkField(_ node: Int, _ context: RecordContext, payload: Bool, into out: inout [Diagnostic]) {
        guard let raw = context.tree.string(node), !raw.isEmpty else { return }
        let meta = Self.metadata
        var text = raw
        var decoded = false
        if payload, PercentEncoding.isEncodedARN(raw) {
            switch PercentEncoding.decode(raw) {
            case .text(let t):
                text = t
                decoded = true
            case .broken(let offset):
                let len = min(3, raw.utf8.count - offset)
                let escape = String(decoding: Array(raw.utf8)[offset..<(offset + len)], as: UTF8.self)
                let detail = len == 3 && escape.utf8.dropFirst().allSatisfy({ PercentEncoding.hexValue($0) != nil })
                    ? "`\(escape)` decodes to a control character (a damaged `%3A`?)"
                    : "`\(escape)` is not a `%XX` escape"
                out.append(context.diagnostic(meta, "broken percent-encoding in ARN `\(raw)`: \(detail)",
                                              range: context.range(in: node, offset..<(offset + len)), node: node,
                                              severity: .warning))
                return
            }
        } else if payload, raw.utf8.contains(UInt8(ascii: "%")), !raw.hasPrefix("arn:") {
            return
        }
        let (arn, issues) = ARNSyntax.check(text)
        guard !issues.isEmpty else { return }
        for issue in issues {
            let severity: Severity = payload || issue.isSoft ? .warning : .error
            var range = context.tree.range(node)
            if !decoded, let arn, let component = issue.component {
                range = context.range(of: component, of: arn, in: node)
            }
            let message = decoded ? "percent-decoded " + issue.message : issue.message
            var fix: Fix?
            if issue.kind == .whitespace, !decoded, context.isVerbatim(node),
               let spaces = ARNSyntax.removableWhitespace(in: text) {
                let base = context.tree.contentRange(node).start
                fix = Fix(title: "Remove the whitespace inside the ARN",
                          edits: spaces.map { TextEdit.delete(TextRange(start: base + $0, end: base + $0 + 1)) },
                          applicability: .unsafe)
            }
            out.append(context.diagnostic(meta, message, range: range, node: node, severity: severity, fix: fix))
        }
    }
}
