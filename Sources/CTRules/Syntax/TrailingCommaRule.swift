import CTCore

/// Syntax rule `trailing-comma`; findings are produced by `CTJSON.JSONParser`.
package enum TrailingCommaRule {
    package static let metadata = RuleMetadata(
        id: .trailingComma,
        category: .syntax,
        summary: "A comma after the last member or element",
        rationale: "JSON forbids a comma before `}` or `]`. JavaScript and many editors accept it, so it slips into hand-written samples; strict parsers (jq, Python's json, CloudTrail consumers) reject the whole file.",
        defaultSeverity: .error,
        fixability: .always,
        fixNote: "Safe: removing the comma changes no value.",
        valid: [
            RuleExample(#"{"a": [1, 2]}"#)
        ],
        invalid: [
            RuleExample(#"{"a": 1↓,}"#),
            RuleExample(#"[1, 2↓,]"#)
        ],
        fixes: [
            RuleExample(#"{"a": [1, 2,],}"#, fixed: #"{"a": [1, 2]}"#)
        ]
    )
}
