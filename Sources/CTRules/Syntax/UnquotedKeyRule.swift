import CTCore

/// Syntax rule `unquoted-key`; findings are produced by `CTJSON.JSONParser`.
package enum UnquotedKeyRule {
    package static let metadata = RuleMetadata(
        id: .unquotedKey,
        category: .syntax,
        summary: "An object key without quotes",
        rationale: "JavaScript object literals allow bare keys; JSON does not.",
        defaultSeverity: .error,
        fixability: .always,
        fixNote: "Safe: quoting an identifier keeps its name.",
        valid: [
            RuleExample(#"{"a": 1}"#)
        ],
        invalid: [
            RuleExample(#"{↓a: 1, ↓b_c: 2}"#)
        ],
        fixes: [
            RuleExample(#"{eventName: "x"}"#, fixed: #"{"eventName": "x"}"#)
        ]
    )
}
