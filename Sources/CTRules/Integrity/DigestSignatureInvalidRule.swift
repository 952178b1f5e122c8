import CTCore

/// Integrity rule `digest-signature-invalid`; findings are produced by `verify` (`CTIntegrity`).
package enum DigestSignatureInvalidRule {
    package static let metadata = RuleMetadata(
        id: .digestSignatureInvalid,
        category: .integrity,
        summary: "A digest whose RSA signature does not verify with its public key",
        rationale: "CloudTrail signs each digest (RSA PKCS#1 v1.5, SHA-256) over its end time, its location, the SHA-256 of its content and the previous digest's signature. A signature that does not verify means the digest, its location or its predecessor's signature changed, or the signature belongs to another digest.",
        defaultSeverity: .error)
}
