import CTCore

/// Syntax rule `invalid-utf8`; findings are produced by `CTJSON.JSONParser`.
package enum InvalidUTF8Rule {
    package static let metadata = RuleMetadata(
        id: .invalidUTF8,
        category: .syntax,
        summary: "Bytes that are not valid UTF-8",
        rationale: "JSON text must be UTF-8. Latin-1 or truncated multibyte sequences make strict readers fail.",
        defaultSeverity: .error,
        fixability: .sometimes,
        fixNote: "Unsafe: inside strings the bytes become U+FFFD; the original bytes are lost.",
        valid: [
            RuleExample(#"{"a": "é"}"#)
        ],
        invalid: [
            
        ],
        fixes: [
            
        ]
    )
}
