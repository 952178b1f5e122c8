import CTCore

/// Schema rule `not-cloudtrail`; findings are produced by `CTSchema.CloudTrailSchemaChecker`.
package enum NotCloudTrailRule {
    package static let metadata = RuleMetadata(
        id: .notCloudTrail,
        category: .schema,
        summary: "A JSON document that is not a CloudTrail record, log file or digest",
        rationale: "Only a single record, a `{\"Records\": [...]}` log file, an array of records or a digest file gets CloudTrail checks. Other JSON (policies, API responses) gets syntax checks only, and this finding says so.",
        defaultSeverity: .info,
        valid: [
            RuleExample(SampleRecord.base),
            RuleExample("{\"Records\":[]}")
        ],
        invalid: [
            RuleExample("↓{\"Version\":\"2012-10-17\",\"Statement\":[]}")
        ]
    )
}
