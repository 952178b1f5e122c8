import CTCore

/// Integrity rule `signature-missing`; findings are produced by `verify` (`CTIntegrity`).
package enum SignatureMissingRule {
    package static let metadata = RuleMetadata(
        id: .signatureMissing,
        category: .integrity,
        summary: "A digest with no signature in `--signatures` or a `.sig` file beside it",
        rationale: "A digest's signature is S3 object metadata, not part of the file; an `aws s3 sync` copy does not keep it. Without it the digest is checked for consistency but not authenticated.",
        defaultSeverity: .info)
}
