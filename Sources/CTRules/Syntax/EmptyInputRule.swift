import CTCore

/// Syntax rule `empty-input`; findings are produced by `CTJSON.JSONParser`.
package enum EmptyInputRule {
    package static let metadata = RuleMetadata(
        id: .emptyInput,
        category: .syntax,
        summary: "A document with no value",
        rationale: "An empty file or one holding only whitespace or comments is not JSON.",
        defaultSeverity: .error,
        fixability: .none,
        fixNote: nil,
        valid: [
            RuleExample(#"{}"#)
        ],
        invalid: [
            RuleExample(#"↓  \#n"#)
        ],
        fixes: [
            
        ]
    )
}
