import CTCore

/// Syntax rule `unexpected-character`; findings are produced by `CTJSON.JSONParser`.
package enum UnexpectedCharacterRule {
    package static let metadata = RuleMetadata(
        id: .unexpectedCharacter,
        category: .syntax,
        summary: "A character that cannot appear at this place in JSON",
        rationale: "Stray characters such as `=` or `;`, and non-breaking spaces pasted from web pages, stop strict parsers.",
        defaultSeverity: .error,
        fixability: .sometimes,
        fixNote: "A non-ASCII space outside strings is replaced by a plain space (safe); other characters have no fix.",
        valid: [
            RuleExample(#"{"a": 1}"#)
        ],
        invalid: [
            RuleExample(#"{"a": 1 ↓= 2}"#),
            RuleExample(#"{"a":↓\#u{00A0}1}"#)
        ],
        fixes: [
            RuleExample(#"{"a":\#u{00A0}1}"#, fixed: #"{"a": 1}"#)
        ]
    )
}
