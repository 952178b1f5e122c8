import CTCore

/// Integrity rule `digest-missing`; findings are produced by `verify` (`CTIntegrity`).
package enum DigestMissingRule {
    package static let metadata = RuleMetadata(
        id: .digestMissing,
        category: .integrity,
        summary: "A previous digest that a digest references is absent from the copy",
        rationale: "Digests form a chain through `previousDigestS3Object`. A referenced digest that is not in the copy was deleted or moved; the logs it listed can then not be verified. Reported at the reference.",
        defaultSeverity: .error)
}
