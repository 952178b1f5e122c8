import CTCore

/// Integrity rule `log-unlisted`; findings are produced by `verify` (`CTIntegrity`).
package enum LogUnlistedRule {
    package static let metadata = RuleMetadata(
        id: .logUnlisted,
        category: .integrity,
        summary: "A log file in the time range the digests cover that no digest lists",
        rationale: "A log file that CloudTrail delivered is listed by the digest of its delivery hour. A file inside the covered range that no digest lists was added (or renamed). A file newer than the newest digest is reported at info level: its digest may not be delivered yet.",
        defaultSeverity: .error)
}
