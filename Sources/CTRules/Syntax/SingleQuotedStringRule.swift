import CTCore

/// Syntax rule `single-quoted-string`; findings are produced by `CTJSON.JSONParser`.
package enum SingleQuotedStringRule {
    package static let metadata = RuleMetadata(
        id: .singleQuotedString,
        category: .syntax,
        summary: "A string delimited by single quotes",
        rationale: "JSON strings use double quotes only. Python reprs and JavaScript literals pasted into documentation use single quotes.",
        defaultSeverity: .error,
        fixability: .sometimes,
        fixNote: "Safe: the text is re-quoted, inner double quotes are escaped and a backslash-escaped apostrophe becomes a plain one, so the value is unchanged.",
        valid: [
            RuleExample(#"{"a": "it's"}"#)
        ],
        invalid: [
            RuleExample(#"{↓'a': ↓'b'}"#)
        ],
        fixes: [
            RuleExample(#"{'a': 'say "hi"'}"#, fixed: #"{"a": "say \"hi\""}"#)
        ]
    )
}
