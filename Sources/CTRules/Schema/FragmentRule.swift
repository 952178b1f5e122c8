import CTCore

/// Schema rule `fragment`: a record in a Markdown block that lacks most of its required fields. Produced by
/// `CTLint` from the record's `missing-field` findings, which it replaces.
package enum FragmentRule {
    package static let metadata = RuleMetadata(
        id: .fragment,
        category: .schema,
        summary: "A record in a Markdown block that shows only part of a record (a sample)",
        rationale: "Documentation samples often show only the fields they talk about. In a Markdown page's JSON block, a record that lacks more than half of the required fields of its eventVersion and event type is taken for such a fragment: instead of one `missing-field` error per absent field, it gets one finding at the record that lists them. The default severity is `info`; a page or project can set another level (or `off`) in the configuration's `severity`. The schema's other checks (types, values) still run on the fields that are there, and a record missing only a few fields still gets `missing-field`. Log files (`.json`, `.jsonl`) are never judged as fragments: a delivered record lacking fields is an error there.",
        defaultSeverity: .info,
        markdownOnly: true,
        valid: [
            RuleExample(SampleRecord.base),
            // Two fields absent of fourteen: `missing-field`, not a fragment.
            RuleExample(SampleRecord.with(("\"eventTime\":\"2024-03-01T12:00:00Z\",", ""), ("\"awsRegion\":\"us-east-1\",", ""))),
        ],
        invalid: [
            RuleExample(#"↓{"eventVersion":"1.08","eventSource":"s3.amazonaws.com","eventName":"ListBuckets","userIdentity":{"type":"IAMUser","accountId":"123456789012"},"eventTime":"2024-03-01T12:00:00Z"}"#),
            RuleExample(#"{"Records":[↓{"eventVersion":"1.08","eventSource":"s3.amazonaws.com","eventName":"ListBuckets"},"# + SampleRecord.base + "]}"),
        ]
    )
}
