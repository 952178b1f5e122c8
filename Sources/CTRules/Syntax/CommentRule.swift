import CTCore

/// Syntax rule `comment`; findings are produced by `CTJSON.JSONParser`.
package enum CommentRule {
    package static let metadata = RuleMetadata(
        id: .comment,
        category: .syntax,
        summary: "A `//`, `/* */` or `#` comment",
        rationale: "JSON has no comments. Samples often annotate fields with them; a strict reader fails on the first one.",
        defaultSeverity: .error,
        fixability: .sometimes,
        fixNote: "Unsafe: the comment's text is dropped.",
        valid: [
            RuleExample(#"{"note": "// not a comment"}"#)
        ],
        invalid: [
            RuleExample(#"{\#n  ↓// the caller\#n  "a": 1 ↓# trailing\#n}"#),
            RuleExample(#"{"a": ↓/* x */ 1}"#)
        ],
        fixes: [
            RuleExample(#"{\#n  // the caller\#n  "a": 1\#n}"#, fixed: #"{\#n  "a": 1\#n}"#)
        ]
    )
}
