import CTCore

/// Schema rule `unknown-event-version`; findings are produced by `CTSchema.CloudTrailSchemaChecker`.
package enum UnknownEventVersionRule {
    package static let metadata = RuleMetadata(
        id: .unknownEventVersion,
        category: .schema,
        summary: "An eventVersion newer than the newest known schema",
        rationale: "A record from a newer CloudTrail version is validated against the newest known schema; fields added since are reported as unknown.",
        defaultSeverity: .warning,
        valid: [
            RuleExample(SampleRecord.base)
        ],
        invalid: [
            RuleExample(SampleRecord.with(("\"1.08\"", "↓\"1.99\"")))
        ]
    )
}
