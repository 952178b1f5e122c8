import CTCore
import CTJSON

/// `resource-account`: a resource owned by another account than the recipient's, on a record that has no
/// `sharedEventID`, with nothing in the resource's ARN to confirm the owner.
package struct ResourceAccountRule: RecordRule {
    package static let metadata = RuleMetadata(
        id: .resourceAccount,
        category: .semantic,
        summary: "A resource in another account than the recipient's, on a record with no sharedEventID and no account in the resource ARN",
        rationale: "When an action touches a resource in another account, CloudTrail delivers a copy of the event to each account involved and links the copies with `sharedEventID`. A record whose `resources[].accountId` differs from `recipientAccountId` but carries no `sharedEventID` therefore describes a cross-account action without its link; when the resource ARN has no account of its own (S3 buckets and objects, for example) nothing else in the record backs the owner either, and the usual cause is an edited or mistyped account ID. Cross-account records that carry `sharedEventID`, resource ARNs whose account agrees with `accountId`, and redacted (`\"\"`) owners are not flagged. A warning: a record copied out of its log without `sharedEventID` looks the same.",
        defaultSeverity: .warning,
        valid: [
            RuleExample(#"{"eventVersion": "1.09", "recipientAccountId": "210987654321", "resources": [{"type": "AWS::S3::Bucket", "ARN": "arn:aws:s3:::holiday-photos", "accountId": "210987654321"}]}"#),
            RuleExample(#"{"eventVersion": "1.09", "recipientAccountId": "210987654321", "sharedEventID": "0c1d2e3f-4a5b-4c6d-8e7f-8091a2b3c4d5", "resources": [{"type": "AWS::S3::Bucket", "ARN": "arn:aws:s3:::holiday-photos", "accountId": "333344445555"}]}"#),
            RuleExample(#"{"eventVersion": "1.09", "recipientAccountId": "210987654321", "resources": [{"type": "AWS::KMS::Key", "ARN": "arn:aws:kms:us-east-1:333344445555:key/9d1c", "accountId": "333344445555"}, {"ARN": "arn:aws:s3:::holiday-photos", "accountId": ""}]}"#),
        ],
        invalid: [
            RuleExample(#"{"eventVersion": "1.09", "recipientAccountId": "210987654321", "resources": [{"type": "AWS::S3::Bucket", "ARN": "arn:aws:s3:::holiday-photos", "accountId": ↓"333344445555"}]}"#),
        ]
    )

    package init() {}

    package func check(_ context: RecordContext) -> [Diagnostic] {
        // Records that carry sharedEventID are linked to the other account's copy: nothing to question.
        guard context.fields.sharedEventID == nil, let recipient = context.fields.recipientAccountId,
              let resources = context.fields.resources, context.tree.kind(resources) == .array else { return [] }
        let tree = context.tree
        var out: [Diagnostic] = []
        SourceBytes.with(tree) { b in
            guard let recipientBytes = b.plain(recipient), b.isAccountID(recipientBytes) else { return }
            let nodes = tree.nodes
            var element = resources + 1
            let end = Int(nodes[resources].subtreeEnd)
            while element < end {
                defer { element = Int(nodes[element].subtreeEnd) }
                guard nodes[element].kind == .object else { continue }
                var arnNode: Int?, accountNode: Int?
                tree.forEachMember(of: element) { k, v in
                    if tree.keyIs(k, "ARN") { arnNode = v } else if tree.keyIs(k, "accountId") { accountNode = v }
                }
                // An owner that is 12 digits and not the recipient, and an ARN that parses with an empty account.
                guard let accountNode, let accountBytes = b.plain(accountNode), b.isAccountID(accountBytes),
                      !b.equals(accountBytes, recipientBytes),
                      let arnBytes = b.plain(arnNode), let span = ARNSpan(b, arnBytes), span.account.isEmpty,
                      let account = context.text(accountNode), let recipientText = context.text(recipient) else { continue }
                out.append(context.diagnostic(
                    Self.metadata,
                    "the resource's accountId `\(account)` is not the recipient's account `\(recipientText)`, yet the record has no sharedEventID and the resource ARN names no account",
                    at: accountNode,
                    notes: [Note(message: "recipientAccountId is here", range: tree.range(recipient))]))
            }
        }
        return out
    }
}
