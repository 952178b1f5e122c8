import CTCore

/// Integrity rule `digest-moved`; findings are produced by `verify` (`CTIntegrity`).
package enum DigestMovedRule {
    package static let metadata = RuleMetadata(
        id: .digestMoved,
        category: .integrity,
        summary: "A digest file that is not where its own `digestS3Object` says it was delivered",
        rationale: "Each digest records its own key. A digest found at another place in the copy was moved (validate-logs reports it as moved), which breaks the chain that references it by key.",
        defaultSeverity: .error)
}
