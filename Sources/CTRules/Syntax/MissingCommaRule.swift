import CTCore

/// Syntax rule `missing-comma`; findings are produced by `CTJSON.JSONParser`.
package enum MissingCommaRule {
    package static let metadata = RuleMetadata(
        id: .missingComma,
        category: .syntax,
        summary: "Two members or elements with no comma between them",
        rationale: "A missing comma is the most common slip when a sample is edited by hand; a strict parser stops at it. The finding points at the end of the earlier value, where the comma belongs.",
        defaultSeverity: .error,
        fixability: .always,
        fixNote: "Safe: inserting the comma keeps every value.",
        valid: [
            RuleExample(#"{"a": 1, "b": 2}"#)
        ],
        invalid: [
            RuleExample(#"{"a": 1↓\#n "b": 2}"#),
            RuleExample(#"[1↓ 2]"#)
        ],
        fixes: [
            RuleExample(#"{"a": 1\#n "b": 2}"#, fixed: #"{"a": 1,\#n "b": 2}"#)
        ]
    )
}
