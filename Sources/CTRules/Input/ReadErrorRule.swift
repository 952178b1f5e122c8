import CTCore

/// Input rule `read-error`: a path that could not be read. Reported by the runner; exit status 2.
package enum ReadErrorRule {
    package static let metadata = RuleMetadata(
        id: .readError,
        category: .input,
        summary: "An input that could not be read",
        rationale: "A missing path, a permission problem or a directory without lintable files is reported, and the other inputs are still checked. The run exits with status 2.",
        defaultSeverity: .error)
}
