import CTCore

/// Rules about inputs rather than JSON content.
package enum InputRules {
    package static let all: [RuleMetadata] = [
        ReadErrorRule.metadata, GzipCorruptRule.metadata, TextEncodingRule.metadata, EnvelopeMismatchRule.metadata,
        UnrepairableRule.metadata, InternalErrorRule.metadata, UnusedSuppressionRule.metadata,
    ]
}
