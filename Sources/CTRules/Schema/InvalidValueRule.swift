import CTCore

/// Schema rule `invalid-value`; findings are produced by `CTSchema.CloudTrailSchemaChecker`.
package enum InvalidValueRule {
    package static let metadata = RuleMetadata(
        id: .invalidValue,
        category: .schema,
        summary: "A value outside its enumeration, pattern or format",
        rationale: "Enumerated fields (eventType, eventCategory, userIdentity type), patterned fields (account IDs, the exact eventTime shape) and formatted fields (UUIDs, IP addresses, date-times) accept only certain values. Misspellings such as `AwsApiCal` are caught here.",
        defaultSeverity: .error,
        valid: [
            RuleExample(SampleRecord.base)
        ],
        invalid: [
            RuleExample(SampleRecord.with(("\"eventType\":\"AwsApiCall\"", "\"eventType\":↓\"AwsApiCal\"")))
        ]
    )
}
