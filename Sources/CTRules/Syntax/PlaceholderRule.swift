import CTCore

/// Syntax rule `placeholder`; findings are produced by `CTJSON.JSONParser`.
package enum PlaceholderRule {
    package static let metadata = RuleMetadata(
        id: .placeholder,
        category: .syntax,
        summary: "An ellipsis standing for omitted members, elements or a value",
        rationale: "Samples elide content with `...`, an ellipsis character or `..additional entries`. The shortened document is no longer JSON.",
        defaultSeverity: .error,
        fixability: .sometimes,
        fixNote: "Unsafe: a placeholder for members or elements is removed with one adjacent comma; a placeholder for a value becomes `null`, so its key survives. The document parses, but what the placeholder stood for is not restored.",
        valid: [
            RuleExample(#"{"a": "..."}"#)
        ],
        invalid: [
            RuleExample(#"[1, 2, ↓...]"#),
            RuleExample(#"{\#n  "a": 1,\#n  ↓..additional entries\#n}"#),
            RuleExample(#"{"a": ↓…}"#)
        ],
        fixes: [
            RuleExample(#"{\#n  "a": 1,\#n  ...\#n}"#, fixed: #"{\#n  "a": 1\#n}"#),
            RuleExample(#"[\#n  1,\#n  ...,\#n  2\#n]"#, fixed: #"[\#n  1,\#n  2\#n]"#),
            RuleExample(#"{"a": 1, "b": …}"#, fixed: #"{"a": 1, "b": null}"#)
        ]
    )
}
