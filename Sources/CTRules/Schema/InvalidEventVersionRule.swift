import CTCore

/// Schema rule `invalid-event-version`; findings are produced by `CTSchema.CloudTrailSchemaChecker`.
package enum InvalidEventVersionRule {
    package static let metadata = RuleMetadata(
        id: .invalidEventVersion,
        category: .schema,
        summary: "An eventVersion that is not a `major.minor` string",
        rationale: "The version is parsed as integers: `1.10` is version one-ten, not `1.1`. A number (`1.08` without quotes) or text such as `1.x` cannot select a schema.",
        defaultSeverity: .error,
        valid: [
            RuleExample(SampleRecord.base)
        ],
        invalid: [
            RuleExample(SampleRecord.with(("\"1.08\"", "↓1.08"))),
            RuleExample(SampleRecord.with(("\"1.08\"", "↓\"v1\"")))
        ]
    )
}
