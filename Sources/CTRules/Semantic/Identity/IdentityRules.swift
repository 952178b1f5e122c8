/// Rules about principals, ARNs, accounts and partitions.
public enum IdentityRules {
    public static let all: [any RecordRule] = []
}
