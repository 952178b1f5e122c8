import CTCore

/// Syntax rule `missing-value`; findings are produced by `CTJSON.JSONParser`.
package enum MissingValueRule {
    package static let metadata = RuleMetadata(
        id: .missingValue,
        category: .syntax,
        summary: "A member with no value",
        rationale: "A member such as `\"a\": ,` or `\"a\"}` has no value.",
        defaultSeverity: .error,
        fixability: .none,
        fixNote: nil,
        valid: [
            RuleExample(#"{"a": null}"#)
        ],
        invalid: [
            RuleExample(#"{"a":↓ , "b": 2}"#)
        ],
        fixes: [
            
        ]
    )
}
