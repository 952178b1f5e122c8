import CTCore

/// Schema rule `field-too-new`; findings are produced by `CTSchema.CloudTrailSchemaChecker`.
package enum FieldTooNewRule {
    package static let metadata = RuleMetadata(
        id: .fieldTooNew,
        category: .schema,
        summary: "A field introduced after the record's own eventVersion",
        rationale: "Each field arrived in a given eventVersion (tlsDetails in 1.08, sessionCredentialFromConsole in 1.08, …). A 1.05 record carrying a 1.08 field has a wrong eventVersion or was assembled by hand.",
        defaultSeverity: .warning,
        valid: [
            RuleExample(SampleRecord.base)
        ],
        invalid: [
            RuleExample(SampleRecord.with(("\"1.08\"", "\"1.05\""), ("\"managementEvent\":true,", ""), ("\"eventCategory\":\"Management\"", "↓\"tlsDetails\":{\"tlsVersion\":\"TLSv1.2\"}")))
        ]
    )
}
