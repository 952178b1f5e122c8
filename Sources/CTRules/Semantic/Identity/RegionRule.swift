import CTCore
import CTJSON

/// `region`: `awsRegion` is a region code of some partition.
package struct RegionRule: RecordRule {
    package static let metadata = RuleMetadata(
        id: .region,
        category: .semantic,
        summary: "An awsRegion that is not a region code of any partition",
        rationale: "`awsRegion` is always a region code such as `us-east-1`, `cn-north-1` or `us-gov-west-1`; consumers route, partition and filter records by it. Values are checked against each partition's region pattern rather than a closed list, so new regions pass. A value that cannot be a region code at all (empty, upper case, placeholder text) is an error; a region-shaped code that fits no partition (anonymised logs write codes such as `us-north-2r`), `global`, or a code whose middle word is not a compass direction is a warning.",
        defaultSeverity: .error,
        valid: [
            RuleExample(#"{"eventVersion": "1.09", "awsRegion": "eu-central-1"}"#),
            RuleExample(#"{"eventVersion": "1.09", "awsRegion": "us-isof-south-1"}"#),
            RuleExample(#"{"eventVersion": "1.09", "awsRegion": "ap-southeast-9"}"#),
        ],
        invalid: [
            RuleExample(#"{"eventVersion": "1.09", "awsRegion": ↓"US-EAST-1"}"#),
            RuleExample(#"{"eventVersion": "1.09", "awsRegion": ↓""}"#),
            RuleExample(#"{"eventVersion": "1.09", "awsRegion": ↓"us-north-2r"}"#),
            RuleExample(#"{"eventVersion": "1.09", "awsRegion": ↓"global"}"#),
            RuleExample(#"{"eventVersion": "1.09", "awsRegion": ↓"eu-wset-1"}"#),
        ]
    )

    package init() {}

    /// Pseudo-regions of the SDKs' endpoint data; never CloudTrail values, but not garbage either.
    static let pseudoRegions: Set<String> = ["global", "aws-global", "aws-cn-global", "aws-us-gov-global",
                                             "aws-iso-global", "aws-iso-b-global", "aws-iso-e-global", "aws-iso-f-global"]

    package func check(_ context: RecordContext) -> [Diagnostic] {
        guard let node = context.stringNode(context.fields.awsRegion) else { return [] }
        if SourceBytes.with(context.tree, { b in b.plain(node).map { Partitions.isKnownRegion(b, $0) } ?? false }) { return [] }
        guard let region = context.text(node) else { return [] }
        let meta = Self.metadata
        let status = RegionStatus(region)
        if case .known = status { return [] }
        let hint = Partitions.closestKnownRegion(to: region).map { "; did you mean `\($0)`?" } ?? ""
        switch status {
        case .known:
            return []
        case .unlisted(let partition):
            guard let word = Self.middleWord(region, partition), !Partitions.directionWords.contains(word) else { return [] }
            return [context.diagnostic(
                meta, "awsRegion `\(region)` is not a known region and `\(word)` is not a direction used in region codes\(hint)",
                at: node, severity: .warning)]
        case .unknownPartition:
            return [context.diagnostic(meta, "awsRegion `\(region)` fits no partition's region pattern\(hint)",
                                       at: node, severity: .warning)]
        case .malformed:
            if Self.pseudoRegions.contains(region) {
                return [context.diagnostic(
                    meta, "awsRegion `\(region)` is an endpoint alias, not a region; global services log in a real region such as `us-east-1`",
                    at: node, severity: .warning)]
            }
            let shown = region.isEmpty ? "awsRegion is empty" : "awsRegion `\(region)` is not a region code"
            return [context.diagnostic(meta, shown + hint, at: node)]
        }
    }

    /// The word between the partition prefix and the number: `east` in `us-east-1`.
    static func middleWord(_ region: String, _ partition: Partition) -> String? {
        for prefix in partition.regionPrefixes where region.hasPrefix(prefix + "-") {
            let rest = region.dropFirst(prefix.count + 1)
            guard let dash = rest.lastIndex(of: "-") else { continue }
            let word = rest[..<dash]
            if !word.contains("-") { return String(word) }
        }
        return nil
    }
}
