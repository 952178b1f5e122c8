import CTCore

/// Syntax rule `markup`; findings are produced by `CTJSON.JSONParser`.
package enum MarkupRule {
    package static let metadata = RuleMetadata(
        id: .markup,
        category: .syntax,
        summary: "Markdown or HTML left inside a JSON block: an image callout, an emphasis tag, a numbered callout",
        rationale: "Pages converted from HTML keep their callout images (`![1](images/callout1.png)`), emphasis tags "
            + "(`<b>`…`</b>`) and numbered callouts (`(1)`, `<1>`) inside code samples. They are page furniture, not "
            + "data, and a strict reader stops at the first one.",
        defaultSeverity: .error,
        fixability: .always,
        fixNote: "Safe: the markup is removed and no value is touched (a line that held only markup goes with it).",
        valid: [
            RuleExample(#"{"a": "<b>kept inside a string</b>", "b": "(1)"}"#)
        ],
        invalid: [
            RuleExample(#"{\#n  "a": "x", ↓![1](images/callout1.png)\#n  "b": ↓<b>"y"↓</b> ↓(2)\#n}"#)
        ],
        fixes: [
            RuleExample(#"{\#n  "a": "x", ![1](images/callout1.png)\#n  "b": <b>"y"</b> <2>\#n}"#,
                        fixed: #"{\#n  "a": "x",\#n  "b": "y"\#n}"#)
        ]
    )
}
