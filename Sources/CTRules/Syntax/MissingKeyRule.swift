import CTCore

/// Syntax rule `missing-key`; findings are produced by `CTJSON.JSONParser`.
package enum MissingKeyRule {
    package static let metadata = RuleMetadata(
        id: .missingKey,
        category: .syntax,
        summary: "A member with no name",
        rationale: "An object member must start with a quoted name.",
        defaultSeverity: .error,
        fixability: .none,
        fixNote: nil,
        valid: [
            RuleExample(#"{"a": 1}"#)
        ],
        invalid: [
            RuleExample(#"{↓: 1}"#)
        ],
        fixes: [
            
        ]
    )
}
