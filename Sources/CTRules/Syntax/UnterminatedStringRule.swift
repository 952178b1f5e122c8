import CTCore

/// Syntax rule `unterminated-string`; findings are produced by `CTJSON.JSONParser`.
package enum UnterminatedStringRule {
    package static let metadata = RuleMetadata(
        id: .unterminatedString,
        category: .syntax,
        summary: "A string with no closing quote",
        rationale: "A lost closing quote swallows the rest of the line. The finding points at the opening quote; the fix closes the string at the end of the line's text.",
        defaultSeverity: .error,
        fixability: .sometimes,
        fixNote: "Unsafe: where the string was meant to end is a guess (before a trailing comma on the line).",
        valid: [
            RuleExample(#"{"a": "b"}"#)
        ],
        invalid: [
            RuleExample(#"{"a": ↓"b,\#n "c": 1}"#)
        ],
        fixes: [
            RuleExample(#"{"a": "b,\#n "c": 1}"#, fixed: #"{"a": "b",\#n "c": 1}"#)
        ]
    )
}
