import CTCore

/// Integrity rule `digest-gap`; findings are produced by `verify` (`CTIntegrity`).
package enum DigestGapRule {
    package static let metadata = RuleMetadata(
        id: .digestGap,
        category: .integrity,
        summary: "A digest whose start time is not the end time of the digest before it",
        rationale: "Digests cover consecutive hours: each one's `digestStartTime` is the previous one's `digestEndTime`. A gap means a stretch of delivery that no digest vouches for.",
        defaultSeverity: .error)
}
