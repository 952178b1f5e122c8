import CTCore

/// Syntax rule `trailing-content`; findings are produced by `CTJSON.JSONParser`.
package enum TrailingContentRule {
    package static let metadata = RuleMetadata(
        id: .trailingContent,
        category: .syntax,
        summary: "Text or a second value after the document",
        rationale: "A JSON document is one value. Concatenated records need JSON Lines (one per line) or an array.",
        defaultSeverity: .error,
        fixability: .none,
        fixNote: nil,
        valid: [
            RuleExample(#"{"a": 1}"#)
        ],
        invalid: [
            RuleExample(#"{"a": 1} ↓{"b": 2}"#),
            RuleExample(#"[1] ↓extra"#)
        ],
        fixes: [
            
        ]
    )
}
