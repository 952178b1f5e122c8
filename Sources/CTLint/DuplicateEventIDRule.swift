import CTCore
import CTInput
import CTJSON
import CTRules
import CTSchema

/// How `duplicate-event-id` is applied across a run (its metadata lives in CTRules with the other rules).
extension DuplicateEventIDRule {
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
}
