import CTCore

/// The rules of `verify`: log files against digests, the digest chain, signatures.
package enum IntegrityRules {
    package static let all: [RuleMetadata] = [
        LogMissingRule.metadata,
        LogModifiedRule.metadata,
        LogUnlistedRule.metadata,
        DigestInvalidRule.metadata,
        DigestMovedRule.metadata,
        DigestModifiedRule.metadata,
        DigestMissingRule.metadata,
        DigestGapRule.metadata,
        ChainRestartRule.metadata,
        DigestSignatureInvalidRule.metadata,
        PublicKeyNotFoundRule.metadata,
        SignatureMissingRule.metadata,
    ]
}
