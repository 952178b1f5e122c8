import CTCore

/// Integrity rule `public-key-not-found`; findings are produced by `verify` (`CTIntegrity`).
package enum PublicKeyNotFoundRule {
    package static let metadata = RuleMetadata(
        id: .publicKeyNotFound,
        category: .integrity,
        summary: "No public key with the digest's fingerprint is valid at the digest's time",
        rationale: "The digest names the key that signed it by fingerprint. `--public-keys` (the output of `aws cloudtrail list-public-keys`) has no key with that fingerprint whose validity covers the digest's end time.",
        defaultSeverity: .error)
}
