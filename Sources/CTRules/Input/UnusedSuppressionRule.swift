import CTCore

/// Input rule `unused-suppression`: a suppression that covered nothing in the run (ruff's RUF100). Reported by the
/// runner at the entry of the configuration file's `suppress`, and by the linter at a Markdown page's
/// `<!-- cloudtrail-lint-disable-next-block RULE -->` for each rule that found nothing in the next block.
package enum UnusedSuppressionRule {
    package static let metadata = RuleMetadata(
        id: .unusedSuppression,
        category: .input,
        summary: "A suppression that covered no finding",
        rationale: "A suppression outlives the finding it was written for: the record is fixed, the sample is replaced, the rule is renamed. Left in place it would silently hide the next, different mistake at the same place. A configuration entry is reported only when a file it covers was checked in the run, so a run over part of a repository does not flag the rest. Remove the entry, or narrow its `files` and `pointer`.",
        defaultSeverity: .warning)
}
