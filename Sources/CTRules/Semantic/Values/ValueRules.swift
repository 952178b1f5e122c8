/// Rules about individual values: times, IDs, addresses, sources, file locations.
package enum ValueRules {
    package static let all: [any RecordRule] = [
        EventTimeRule(), EventIDRule(), IPAddressRule(), EventSourceRule(), FileLocationRule(), RealDataRule(),
    ]
}
