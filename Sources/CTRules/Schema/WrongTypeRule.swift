import CTCore

/// Schema rule `wrong-type`; findings are produced by `CTSchema.CloudTrailSchemaChecker`.
package enum WrongTypeRule {
    package static let metadata = RuleMetadata(
        id: .wrongType,
        category: .schema,
        summary: "A field holds the wrong JSON type",
        rationale: "CloudTrail's fields have fixed types: `readOnly` is a boolean, `userIdentity` an object, `resources` an array. A string `\"true\"` or a number where a string belongs breaks typed consumers such as Athena tables.",
        defaultSeverity: .error,
        valid: [
            RuleExample(SampleRecord.base)
        ],
        invalid: [
            RuleExample(SampleRecord.with(("\"readOnly\":true", "\"readOnly\":↓\"true\"")))
        ]
    )
}
