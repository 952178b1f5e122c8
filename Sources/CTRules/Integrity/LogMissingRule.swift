import CTCore

/// Integrity rule `log-missing`; findings are produced by `verify` (`CTIntegrity`).
package enum LogMissingRule {
    package static let metadata = RuleMetadata(
        id: .logMissing,
        category: .integrity,
        summary: "A log file that a digest lists is absent from the copy",
        rationale: "A digest lists every log file CloudTrail delivered in its hour, by key and SHA-256. A listed file that is not in the local copy was deleted, moved, or never copied (an incomplete `aws s3 sync`). Reported at the missing file's expected path, naming the digest that lists it.",
        defaultSeverity: .error)
}
