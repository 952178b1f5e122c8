import CTCore

/// Syntax rule `invalid-escape`; findings are produced by `CTJSON.JSONParser`.
package enum InvalidEscapeRule {
    package static let metadata = RuleMetadata(
        id: .invalidEscape,
        category: .syntax,
        summary: "A backslash escape JSON does not define",
        rationale: "Only the escapes of RFC 8259 are allowed. Regex and Windows-path samples often carry others.",
        defaultSeverity: .error,
        fixability: .sometimes,
        fixNote: "A backslash before an apostrophe is removed safely (same value); doubling the backslash of another escape is unsafe (it guesses a literal backslash was meant).",
        valid: [
            RuleExample(#"{"a": "C:\\dir"}"#)
        ],
        invalid: [
            RuleExample(#"{"a": "C:↓\dir", "b": "it↓\'s"}"#)
        ],
        fixes: [
            RuleExample(#"{"a": "it\'s"}"#, fixed: #"{"a": "it's"}"#)
        ]
    )
}
