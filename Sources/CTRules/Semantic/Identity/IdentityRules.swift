/// Rules about principals, ARNs, accounts and partitions, in catalog order.
public enum IdentityRules {
    public static let all: [any RecordRule] = [
        ARNSyntaxRule(),
        ARNIdentityMismatchRule(),
        AccountMismatchRule(),
        ResourceAccountRule(),
        PartitionMismatchRule(),
        RegionRule(),
        AccessKeyIDRule(),
        PrincipalIDRule(),
        IdentityFieldsRule(),
    ]
}
