import CTCore

/// Syntax rule `unbalanced`; findings are produced by `CTJSON.JSONParser`.
package enum UnbalancedRule {
    package static let metadata = RuleMetadata(
        id: .unbalanced,
        category: .syntax,
        summary: "A missing or extra bracket, or a truncated document",
        rationale: "Every opening bracket needs its closer. The finding says which closer is missing, and a note marks the bracket left open.",
        defaultSeverity: .error,
        fixability: .sometimes,
        fixNote: "Unsafe: where a closer belongs is inferred from the structure.",
        valid: [
            RuleExample(#"{"a": [1]}"#)
        ],
        invalid: [
            RuleExample(#"{"a": [1, 2↓}"#),
            RuleExample(#"[1]↓]"#)
        ],
        fixes: [
            RuleExample(#"{"a": [1, 2"#, fixed: #"{"a": [1, 2]}"#)
        ]
    )
}
