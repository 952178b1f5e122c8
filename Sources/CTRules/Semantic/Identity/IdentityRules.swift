/// Rules about principals, ARNs, accounts and partitions, in catalog order.
package enum IdentityRules {
    package static let all: [any RecordRule] = [
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
