import CTCore

/// Input rule `internal-error`: a check of the tool's own work failed, and nothing was written.
package enum InternalErrorRule {
    package static let metadata = RuleMetadata(
        id: .internalError,
        category: .input,
        summary: "A fix that would have lost a value, stopped before anything was written",
        rationale: "Before `fix` rewrites a file it checks that every key and scalar value of the original is still there, except those an applied fix says it removes or rewrites. A fix that breaks this is a bug in a rule: the file is left as it was, the run exits with status 1, and the message names the value. Please report it with the input.",
        defaultSeverity: .error)
}
