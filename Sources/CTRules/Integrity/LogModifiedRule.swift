import CTCore

/// Integrity rule `log-modified`; findings are produced by `verify` (`CTIntegrity`).
package enum LogModifiedRule {
    package static let metadata = RuleMetadata(
        id: .logModified,
        category: .integrity,
        summary: "A log file whose SHA-256 differs from the one its digest records",
        rationale: "The digest records the SHA-256 of each log file's uncompressed bytes. A different hash means the file's content changed after delivery: one edited byte is enough. Reported on the log, naming the digest and both hashes.",
        defaultSeverity: .error)
}
