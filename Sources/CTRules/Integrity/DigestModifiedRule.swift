import CTCore

/// Integrity rule `digest-modified`; findings are produced by `verify` (`CTIntegrity`).
package enum DigestModifiedRule {
    package static let metadata = RuleMetadata(
        id: .digestModified,
        category: .integrity,
        summary: "A digest whose SHA-256 differs from the `previousDigestHashValue` the next digest records",
        rationale: "Each digest records the SHA-256 of the uncompressed digest before it. A mismatch means the earlier digest changed after delivery (or the later one's record of it did: its signature tells which). Reported on the changed digest, naming the one that records its hash.",
        defaultSeverity: .error)
}
