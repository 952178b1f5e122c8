import CTCore

/// Syntax rule `smart-quotes`; findings are produced by `CTJSON.JSONParser`.
package enum SmartQuotesRule {
    package static let metadata = RuleMetadata(
        id: .smartQuotes,
        category: .syntax,
        summary: "Typographic quotes used as string delimiters",
        rationale: "Word processors and some documentation pipelines turn straight quotes into typographic ones. Those are ordinary characters to a JSON parser, so the document no longer parses.",
        defaultSeverity: .error,
        fixability: .sometimes,
        fixNote: "Safe: the delimiters are replaced with straight double quotes; the text between them is kept.",
        valid: [
            RuleExample(#"{"a": "“quoted” text is fine inside a string"}"#)
        ],
        invalid: [
            RuleExample(#"{↓“a”: ↓“b”}"#)
        ],
        fixes: [
            RuleExample(#"{“a”: “b”}"#, fixed: #"{"a": "b"}"#)
        ]
    )
}
