import CTCore

/// Syntax rule `missing-colon`; findings are produced by `CTJSON.JSONParser`.
package enum MissingColonRule {
    package static let metadata = RuleMetadata(
        id: .missingColon,
        category: .syntax,
        summary: "A member name and value with no `:` between them",
        rationale: "A missing colon after a member name.",
        defaultSeverity: .error,
        fixability: .always,
        fixNote: "Safe: inserting `:` keeps the name and the value.",
        valid: [
            RuleExample(#"{"a": 1}"#)
        ],
        invalid: [
            RuleExample(#"{"a"↓ 1}"#)
        ],
        fixes: [
            RuleExample(#"{"a" 1}"#, fixed: #"{"a": 1}"#)
        ]
    )
}
