import CTCore

/// Syntax rule `control-character`; findings are produced by `CTJSON.JSONParser`.
package enum ControlCharacterRule {
    package static let metadata = RuleMetadata(
        id: .controlCharacter,
        category: .syntax,
        summary: "A raw tab, line break or other control character inside a string",
        rationale: "JSON strings must escape characters below U+0020. Raw tabs and line breaks come from pasted text.",
        defaultSeverity: .error,
        fixability: .always,
        fixNote: "Safe: the character is replaced by its escape, which decodes to the same value.",
        valid: [
            RuleExample(#"{"a": "tab\there"}"#)
        ],
        invalid: [
            RuleExample(#"{"a": "x↓\#ty"}"#)
        ],
        fixes: [
            RuleExample(#"{"a": "x\#ty"}"#, fixed: #"{"a": "x\ty"}"#)
        ]
    )
}
