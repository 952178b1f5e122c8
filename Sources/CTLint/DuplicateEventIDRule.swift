import CTCore
import CTInput
import CTJSON
import CTRules
import CTSchema

/// Rule `duplicate-event-id`: the same `eventID` twice in one run, across all files.
public enum DuplicateEventIDRule {
    public static let metadata = RuleMetadata(
        id: "duplicate-event-id",
        category: .semantic,
        summary: "The same eventID appears twice in one run",
        rationale: "CloudTrail gives every event a unique eventID. A repeat within a run means a record was copied, a file was delivered or exported twice, or a sample reused an ID. Checked across every file of the run.",
        defaultSeverity: .warning,
        valid: [RuleExample(#"{"Records":[{"eventID":"0b0a4d6c-31c4-4f44-9c6e-8f2a3b1c2d3e"},{"eventID":"5f4e3d2c-1b0a-4f9e-8d7c-6b5a4f3e2d1c"}]}"#)],
        invalid: [RuleExample(#"{"Records":[{"eventID":"0b0a4d6c-31c4-4f44-9c6e-8f2a3b1c2d3e"},{"eventID":↓"0b0a4d6c-31c4-4f44-9c6e-8f2a3b1c2d3e"}]}"#)])

    /// One `eventID` value seen in a file.
    struct Occurrence: Sendable {
        var id: String
        var range: TextRange
        var pointer: String?
    }

    static func collect(tree: SyntaxTree, shift: Int) -> [Occurrence] {
        guard let records = CloudTrailSchemaChecker.records(in: tree) else { return [] }
        var out: [Occurrence] = []
        for r in records where tree.kind(r) == .object {
            guard let v = tree.member("eventID", of: r), let s = tree.string(v), !s.isEmpty else { continue }
            out.append(Occurrence(id: s, range: tree.range(v).shifted(by: shift), pointer: tree.pointer(of: v)))
        }
        return out
    }

    /// Adds a warning to every repeat, in input order; the first occurrence is named in the message or a note.
    static func apply(to outcomes: inout [Runner.FileOutcome], keepSourceLines: Bool) {
        var first: [String: (file: Int, occurrence: Occurrence)] = [:]
        for f in outcomes.indices {
            var added: [Diagnostic] = []
            for occ in outcomes[f].eventIDs {
                if let seen = first[occ.id] {
                    var notes: [Note] = []
                    var message = "eventID `\(occ.id)` is used by an earlier record"
                    if seen.file == f {
                        notes.append(Note(message: "first used here", range: seen.occurrence.range))
                    } else {
                        message += " in `\(outcomes[seen.file].report.displayName)` at `\(seen.occurrence.pointer ?? "")`"
                    }
                    added.append(Diagnostic(rule: metadata.id, severity: metadata.defaultSeverity, message: message,
                                            range: occ.range, notes: notes, pointer: occ.pointer))
                } else {
                    first[occ.id] = (f, occ)
                }
            }
            // Rare: re-read the file to place the new findings (sources are not kept for the whole run).
            guard !added.isEmpty, let input = outcomes[f].input,
                  case .success(let loaded) = InputReader.load(input) else { continue }
            let all = outcomes[f].report.diagnostics.map(\.diagnostic) + added
            let keep = outcomes[f].report.diagnostics.first?.sourceLine != nil || keepSourceLines
            outcomes[f].report = FileReport(displayName: outcomes[f].report.displayName, source: loaded.bytes,
                                            diagnostics: all, keepSourceLines: keep)
        }
    }
}
