import CTCore

/// Schema rule `unknown-field`; findings are produced by `CTSchema.CloudTrailSchemaChecker`.
package enum UnknownFieldRule {
    package static let metadata = RuleMetadata(
        id: .unknownField,
        category: .schema,
        summary: "A member the schema does not list",
        rationale: "CloudTrail adds fields in minor versions, so an unknown member is information, not an error; it is often a misspelling of a real field (`eventSorce`) or a field from a newer version.",
        defaultSeverity: .info,
        valid: [
            RuleExample(SampleRecord.base)
        ],
        invalid: [
            RuleExample(SampleRecord.with(("\"eventCategory\"", "↓\"eventColour\":\"x\",\"eventCategory\"")))
        ]
    )
}
