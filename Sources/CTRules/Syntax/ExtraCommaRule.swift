import CTCore

/// Syntax rule `extra-comma`; findings are produced by `CTJSON.JSONParser`.
package enum ExtraCommaRule {
    package static let metadata = RuleMetadata(
        id: .extraComma,
        category: .syntax,
        summary: "A comma with nothing before it: a leading or doubled comma",
        rationale: "`[,1]` and `[1,,2]` are not JSON. Some languages read a doubled comma as a hole; JSON has none.",
        defaultSeverity: .error,
        fixability: .always,
        fixNote: "Safe: the comma holds no value.",
        valid: [
            RuleExample(#"[1, 2]"#)
        ],
        invalid: [
            RuleExample(#"[↓,1]"#),
            RuleExample(#"{"a": 1,↓, "b": 2}"#)
        ],
        fixes: [
            RuleExample(#"[1,, 2]"#, fixed: #"[1, 2]"#)
        ]
    )
}
