import CTCore

/// Syntax rule `duplicate-key`; findings are produced by `CTJSON.JSONParser`.
package enum DuplicateKeyRule {
    package static let metadata = RuleMetadata(
        id: .duplicateKey,
        category: .syntax,
        summary: "The same key twice in one object",
        rationale: "RFC 8259 says names should be unique; parsers disagree on which value wins, so a duplicate hides data. A note marks the first occurrence.",
        defaultSeverity: .warning,
        fixability: .sometimes,
        fixNote: "Safe when both values are equal: the second member is removed and nothing is lost. No fix otherwise.",
        valid: [
            RuleExample(#"{"a": 1, "b": {"a": 2}}"#)
        ],
        invalid: [
            RuleExample(#"{"a": 1, ↓"a": 2}"#)
        ],
        fixes: [
            RuleExample(#"{"a": 1, "a": 1}"#, fixed: #"{"a": 1}"#)
        ]
    )
}
