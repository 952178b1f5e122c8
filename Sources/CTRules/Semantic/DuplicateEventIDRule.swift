import CTCore

/// Rule `duplicate-event-id`: the same `eventID` twice in one run, across all files. A run-level rule: the
/// runner applies it after every file is checked (`CTLint.Runner`).
public enum DuplicateEventIDRule {
    public static let metadata = RuleMetadata(
        id: .duplicateEventID,
        category: .semantic,
        summary: "The same eventID appears twice in one run",
        rationale: "CloudTrail gives every event a unique eventID. A repeat within a run means a record was copied, a file was delivered or exported twice, or a sample reused an ID. Checked across every file of the run.",
        defaultSeverity: .warning,
        valid: [RuleExample(#"{"Records":[{"eventVersion":"1.08","eventID":"0b0a4d6c-31c4-4f44-9c6e-8f2a3b1c2d3e"},{"eventVersion":"1.08","eventID":"5f4e3d2c-1b0a-4f9e-8d7c-6b5a4f3e2d1c"}]}"#)],
        invalid: [RuleExample(#"{"Records":[{"eventVersion":"1.08","eventID":"0b0a4d6c-31c4-4f44-9c6e-8f2a3b1c2d3e"},{"eventVersion":"1.08","eventID":↓"0b0a4d6c-31c4-4f44-9c6e-8f2a3b1c2d3e"}]}"#)])
}
