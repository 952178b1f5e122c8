import CTCore

/// Syntax rule `invalid-number`; findings are produced by `CTJSON.JSONParser`.
package enum InvalidNumberRule {
    package static let metadata = RuleMetadata(
        id: .invalidNumber,
        category: .syntax,
        summary: "A number JSON cannot represent: leading zeros, `+`, hex, `NaN`, `Infinity`",
        rationale: "JSON numbers are decimal with no leading zeros or sign `+`, and have no NaN or infinities. A 12-digit account ID written without quotes loses its leading zero.",
        defaultSeverity: .error,
        fixability: .sometimes,
        fixNote: "A leading `+`, a missing digit before or after the point are fixed safely (same value); hex, leading zeros and NaN/Infinity fixes are unsafe (an account ID becomes a string; NaN becomes null).",
        valid: [
            RuleExample(#"[0, -1.5e3, 10]"#)
        ],
        invalid: [
            RuleExample(#"[↓012, ↓0x1F, ↓NaN, ↓+1]"#)
        ],
        fixes: [
            RuleExample(#"[+1, .5, 0x10]"#, fixed: #"[1, 0.5, 16]"#)
        ]
    )
}
