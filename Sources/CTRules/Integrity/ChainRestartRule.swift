import CTCore

/// Integrity rule `chain-restart`; findings are produced by `verify` (`CTIntegrity`).
package enum ChainRestartRule {
    package static let metadata = RuleMetadata(
        id: .chainRestart,
        category: .integrity,
        summary: "A starting digest (every `previous*` field null) inside the verified range",
        rationale: "A chain starts when log file validation is enabled. A new start after the first means validation or logging was turned off and on again, which is what an intruder who wants to hide activity does. Check the trail's history (`StopLogging`, `UpdateTrail`) for that time.",
        defaultSeverity: .warning)
}
