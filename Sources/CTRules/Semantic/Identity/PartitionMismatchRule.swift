import CTCore
import CTJSON

/// `partition-mismatch`: principal ARNs are in the partition of the record's `awsRegion`.
package struct PartitionMismatchRule: RecordRule {
    package static let metadata = RuleMetadata(
        id: .partitionMismatch,
        category: .semantic,
        summary: "A principal ARN in another partition than the record's awsRegion",
        rationale: "Partitions (`aws`, `aws-cn`, `aws-us-gov`, the ISO partitions, `aws-eusc`) are isolated: credentials and roles of one cannot act in another, so a principal ARN in `aws-cn` on a record from `us-east-1` means the record was assembled from pieces. Only principal ARNs are compared, and only when `awsRegion` fits a partition's region pattern.",
        defaultSeverity: .warning,
        valid: [
            RuleExample(#"{"eventVersion": "1.09", "awsRegion": "cn-northwest-1", "userIdentity": {"arn": "arn:aws-cn:iam::210987654321:user/li"}}"#),
            RuleExample(#"{"eventVersion": "1.09", "awsRegion": "us-gov-west-1", "userIdentity": {"arn": "arn:aws-us-gov:sts::210987654321:assumed-role/builder/ci", "sessionContext": {"sessionIssuer": {"arn": "arn:aws-us-gov:iam::210987654321:role/builder"}}}}"#),
            RuleExample(#"{"eventVersion": "1.09", "awsRegion": "us-north-2r", "userIdentity": {"arn": "arn:aws-cn:iam::210987654321:user/li"}}"#),
        ],
        invalid: [
            RuleExample(#"{"eventVersion": "1.09", "awsRegion": "us-east-1", "userIdentity": {"arn": "arn:↓aws-cn:iam::210987654321:user/li"}}"#),
            RuleExample(#"{"eventVersion": "1.09", "awsRegion": "cn-north-1", "userIdentity": {"arn": "arn:aws-cn:sts::210987654321:assumed-role/builder/ci", "sessionContext": {"sessionIssuer": {"arn": "arn:↓aws:iam::210987654321:role/builder"}}}}"#),
        ]
    )

    package init() {}

    package func check(_ context: RecordContext) -> [Diagnostic] {
        guard let regionNode = context.stringNode(context.fields.awsRegion) else { return [] }
        // On the bytes: the region's partition, and each principal ARN's partition against it.
        let quick: Bool = SourceBytes.with(context.tree) { b in
            guard let r = b.plain(regionNode) else { return false }
            guard let p = Partitions.index(forRegion: b, r) else { return true }
            for field in principalARNFields {
                let node = field.node(context.fields)
                switch b.field(node) {
                case .skip: continue
                case .undecided: return false
                case .plain(let a):
                    guard let arn = context.principalARNs.span(node, a, b), let q = Partitions.index(named: b, arn.partition) else { continue }
                    if q != p { return false }
                }
            }
            return true
        }
        if quick { return [] }
        guard let region = context.text(regionNode), let partition = RegionStatus(region).partition else { return [] }
        var out: [Diagnostic] = []
        for field in principalARNFields {
            guard let node = context.stringNode(field.node(context.fields)), let arn = context.arn(node),
                  let arnPartition = Partitions.named(arn.partition), arnPartition != partition else { continue }
            out.append(context.diagnostic(
                Self.metadata,
                "\(field.name) is in partition `\(arn.partition)`, but awsRegion `\(region)` is in partition `\(partition.id)`",
                range: context.range(of: .partition, of: arn, in: node), node: node,
                notes: [Note(message: "awsRegion is here", range: context.tree.range(regionNode))]))
        }
        return out
    }
}
