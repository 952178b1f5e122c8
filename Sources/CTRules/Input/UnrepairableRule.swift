import CTCore

/// Input rule `unrepairable`: `fix` or `format` left a file as it was, because the result would not be right.
package enum UnrepairableRule {
    package static let metadata = RuleMetadata(
        id: .unrepairable,
        category: .input,
        summary: "A file that fix or format left untouched, because the result would not be right",
        rationale: "`fix` rewrites a file only when the result parses as strict JSON and no repair made two keys of one object equal (a JSON reader would keep one of them); `format` lays out only a strict document, and a pretty layout only up to a nesting depth of 256 (past it the indentation grows with the square of the depth; `--compact` still formats). Otherwise the file is left byte for byte as it was, and this finding says why; the findings that have no safe fix are reported by `check`.",
        defaultSeverity: .error)
}
