import CTCore

/// Schema rule `missing-field`; findings are produced by `CTSchema.CloudTrailSchemaChecker`.
package enum MissingFieldRule {
    package static let metadata = RuleMetadata(
        id: .missingField,
        category: .schema,
        summary: "A field the record's event type requires is absent",
        rationale: "Each eventVersion and event type has required fields (eventTime, eventSource, userIdentity, …). A record without them is not what CloudTrail delivers, and tools that index on them drop or mis-file it. The finding points at the object that lacks the member.",
        defaultSeverity: .error,
        valid: [
            RuleExample(SampleRecord.base),
            // A console sign-in carries no requestID.
            RuleExample(SampleRecord.with(("\"requestID\":\"3f7c2a1b9d8e7f60\",", ""), ("s3.amazonaws.com", "signin.amazonaws.com"),
                                          ("ListBuckets", "ConsoleLogin"), ("AwsApiCall", "AwsConsoleSignIn")))
        ],
        invalid: [
            RuleExample("↓" + SampleRecord.with(("\"eventTime\":\"2024-03-01T12:00:00Z\",", "")))
        ]
    )
}
