import CTCore

/// Syntax rule `filter-pattern`; findings are produced by `CTJSON.JSONParser`.
package enum FilterPatternRule {
    package static let metadata = RuleMetadata(
        id: .filterPattern,
        category: .syntax,
        summary: "A CloudWatch Logs filter pattern (`{ $.eventName = ... }`), not JSON",
        rationale: "Metric and subscription filter patterns for CloudTrail logs are written in braces and are often "
            + "fenced as JSON, but they are a query language: `{ ($.eventName = \"ConsoleLogin\") && ... }`. The block "
            + "is named for what it is, once, instead of a cascade of syntax errors, and it is never repaired. Fence "
            + "it as `text` (or disable the block) to silence this.",
        defaultSeverity: .warning,
        fixability: .none,
        fixNote: nil,
        valid: [
            RuleExample(#"{"filterPattern": "{ $.eventName = \"ConsoleLogin\" }"}"#)
        ],
        invalid: [
            RuleExample(#"↓{ ($.eventName = "ConsoleLogin") && ($.errorMessage = "Failed authentication") }"#),
            RuleExample(#"↓{ $.errorCode = "*UnauthorizedOperation" || $.errorCode = "AccessDenied*" }"#),
            RuleExample(#"↓{ ($.userIdentity.userName = "José Müller") && ($.sourceIPAddress != 192.0.2.*) }"#)
        ],
        fixes: [
        ]
    )
}
