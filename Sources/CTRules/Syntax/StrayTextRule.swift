import CTCore

/// Syntax rule `stray-text`; findings are produced by `CTJSON.JSONParser`.
package enum StrayTextRule {
    package static let metadata = RuleMetadata(
        id: .strayText,
        category: .syntax,
        summary: "Words where a member should be: prose or a note left between the members of a sample",
        rationale: "Writers annotate samples in place (`\"a\": 1, and \"b\": 2`, a line `(other fields omitted)`, "
            + "`<-- note this`). Text that is neither a quoted member nor a key followed by `:` is prose, not data.",
        defaultSeverity: .error,
        fixability: .always,
        fixNote: "Unsafe: the words are dropped (they are not quoted, so they hold no value of the sample).",
        valid: [
            RuleExample(#"{"a": 1, "b": "and so on"}"#)
        ],
        invalid: [
            RuleExample(#"{"a": 1, ↓and "b": 2}"#),
            RuleExample(#"{\#n  "a": 1,\#n  ↓(other fields omitted)\#n  "b": 2\#n}"#)
        ],
        fixes: [
            RuleExample(#"{\#n  "a": 1, and "b": 2,\#n  (other fields omitted)\#n  "c": 3\#n}"#,
                        fixed: #"{\#n  "a": 1, "b": 2,\#n  "c": 3\#n}"#)
        ]
    )
}
