import CTCore

/// Syntax rule `missing-value`; findings are produced by `CTJSON.JSONParser`.
package enum MissingValueRule {
    package static let metadata = RuleMetadata(
        id: .missingValue,
        category: .syntax,
        summary: "A member with no value",
        rationale: "A member such as `\"a\": ,` or `\"a\"}` has no value.",
        defaultSeverity: .error,
        fixability: .sometimes,
        fixNote: "Braces that hold one bare value and no member (`{ \"arn:aws:s3:::bucket\" }`, `{object}`) are removed "
            + "around it (unsafe: it guesses the shape; a bare word is then quoted by `unquoted-key`). Other members without "
            + "a value have no fix.",
        valid: [
            RuleExample(#"{"a": null}"#)
        ],
        invalid: [
            RuleExample(#"{"a":↓ , "b": 2}"#),
            RuleExample(#"{"resources": [{ ↓"arn:aws:s3:::bucket" }]}"#)
        ],
        fixes: [
            RuleExample(#"{"resources": [{ "arn:aws:s3:::bucket" }]}"#,
                        fixed: #"{"resources": ["arn:aws:s3:::bucket"]}"#)
        ]
    )
}
