import CTCore

/// Syntax rule `byte-order-mark`; findings are produced by `CTJSON.JSONParser`.
package enum ByteOrderMarkRule {
    package static let metadata = RuleMetadata(
        id: .byteOrderMark,
        category: .syntax,
        summary: "A UTF-8 byte-order mark at the start of the file",
        rationale: "RFC 8259 forbids adding a BOM; some parsers reject it. Windows editors add it silently.",
        defaultSeverity: .warning,
        fixability: .always,
        fixNote: "Safe: the mark carries no data.",
        valid: [
            RuleExample(#"{"a": 1}"#)
        ],
        invalid: [
            RuleExample(#"↓\#u{FEFF}{"a": 1}"#)
        ],
        fixes: [
            RuleExample(#"\#u{FEFF}{"a": 1}"#, fixed: #"{"a": 1}"#)
        ]
    )
}
