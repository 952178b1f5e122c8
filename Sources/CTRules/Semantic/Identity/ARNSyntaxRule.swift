import CTCore
import CTJSON

/// `arn-syntax`: ARNs in identity and resource fields follow `arn:partition:service:region:account:resource`.
public struct ARNSyntaxRule: RecordRule {
    public static let metadata = RuleMetadata(
        id: "arn-syntax",
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

    public init() {}

    public func check(_ context: RecordContext) -> [Diagnostic] {
        var out: [Diagnostic] = []
        let tree = context.tree
        // Identity fields that must hold an ARN (an empty string is tolerated: service samples leave them blank).
        for path in principalARNPaths {
            if let node = context.stringNode(path.parts) { checkField(node, context, payload: false, into: &out) }
        }
        if let resources = context.node("resources"), tree.kind(resources) == .array {
            for element in tree.children(of: resources) where tree.kind(element) == .object {
                for (k, v) in tree.members(of: element) where tree.kind(v) == .string {
                    if tree.stringEquals(k, "ARN") || tree.stringEquals(k, "ARNPrefix") {
                        checkField(v, context, payload: false, into: &out)
                    }
                }
            }
        }
        for payload in [context.node("requestParameters"), context.node("responseElements")] {
            guard let root = payload, tree.kind(root) == .object else { continue }
            scanPayload(root, context, into: &out)
        }
        return out
    }

    /// Checks ARN-looking strings under `…Arn`/`…ARN` keys (and `…Arns` lists) anywhere below `root`.
    private func scanPayload(_ root: Int, _ context: RecordContext, into out: inout [Diagnostic]) {
        let tree = context.tree
        var i = root
        let end = Int(tree.nodes[root].subtreeEnd)
        while i < end {
            if tree.kind(i) == .object {
                for (k, v) in tree.members(of: i) where Self.isARNKey(k, tree) {
                    switch tree.kind(v) {
                    case .string:
                        if Self.looksLikeARN(v, tree) { checkField(v, context, payload: true, into: &out) }
                    case .array:
                        for e in tree.children(of: v) where tree.kind(e) == .string && Self.looksLikeARN(e, tree) {
                            checkField(e, context, payload: true, into: &out)
                        }
                    default: break
                    }
                }
            }
            i += 1
        }
    }

    /// A key `arn`, or one ending in `Arn`, `ARN`, `Arns` or `ARNs`.
    static func isARNKey(_ key: Int, _ tree: SyntaxTree) -> Bool {
        guard tree.kind(key) == .string else { return false }
        let r = tree.contentRange(key)
        let s = tree.source
        var n = r.end
        if n - r.start >= 1, s[n - 1] == UInt8(ascii: "s") { n -= 1 }
        guard n - r.start >= 3 else { return false }
        let a = s[n - 3], b = s[n - 2], c = s[n - 1]
        if n - r.start == 3, a == UInt8(ascii: "a"), b == UInt8(ascii: "r"), c == UInt8(ascii: "n") { return n == r.end }
        return (a == UInt8(ascii: "A") && b == UInt8(ascii: "r") && c == UInt8(ascii: "n"))
            || (a == UInt8(ascii: "A") && b == UInt8(ascii: "R") && c == UInt8(ascii: "N"))
    }

    /// The value starts with `arn:` or `arn%3`, checked on the source bytes.
    static func looksLikeARN(_ node: Int, _ tree: SyntaxTree) -> Bool {
        let r = tree.contentRange(node)
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
                out.append(context.diagnostic(meta, "broken percent-encoding in ARN `\(raw)`",
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
