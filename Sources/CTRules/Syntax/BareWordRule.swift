import CTCore

/// Syntax rule `bare-word`; findings are produced by `CTJSON.JSONParser`.
package enum BareWordRule {
    package static let metadata = RuleMetadata(
        id: .bareWord,
        category: .syntax,
        summary: "Unquoted text where a value should be, such as `String` or `<id>`",
        rationale: "Documentation writes type names or angle-bracket placeholders where a sample value belongs. JSON needs a quoted string.",
        defaultSeverity: .error,
        fixability: .always,
        fixNote: "Unsafe: quoting keeps the text, but the text is a placeholder, not real data; misspelt literals such as `True` become `true`.",
        valid: [
            RuleExample(#"{"a": true, "b": null}"#)
        ],
        invalid: [
            RuleExample(#"{"a": ↓String, "b": ↓<account-id>, "c": ↓True}"#)
        ],
        fixes: [
            RuleExample(#"{"a": String, "c": None}"#, fixed: #"{"a": "String", "c": null}"#)
        ]
    )
}
