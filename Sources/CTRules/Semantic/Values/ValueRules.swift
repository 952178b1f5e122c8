/// Rules about individual values: times, IDs, addresses, sources, file locations.
public enum ValueRules {
    public static let all: [any RecordRule] = [
        EventTimeRule(), EventIDRule(), IPAddressRule(), EventSourceRule(), FileLocationRule(),
    ]
}
