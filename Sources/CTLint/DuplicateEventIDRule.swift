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
        /// The pointer is built only when a repeat is reported: a 125,000-record file spent 1.3% of a full
        /// check building one pointer string per record (perf, release, 200 MB).
        private var pointerBase: String
        private var recordIndex: Int32
        private var isComplete: Bool

        init(id: String, range: TextRange, pointer: String?) {
            self.id = id
            self.range = range
            pointerBase = pointer ?? ""
            recordIndex = -1
            isComplete = true
        }

        /// The eventID of element `index` of the records array at `arrayPointer` (or of the root record when -1).
        init(id: String, range: TextRange, arrayPointer: String, index: Int) {
            self.id = id
            self.range = range
            pointerBase = arrayPointer
            recordIndex = Int32(truncatingIfNeeded: index)
            isComplete = false
        }

        /// RFC 6901 pointer of the eventID value.
        var pointer: String? {
            get { isComplete ? pointerBase : pointerBase + (recordIndex >= 0 ? "/\(recordIndex)" : "") + "/eventID" }
            set { pointerBase = newValue ?? ""; isComplete = true }
        }
    }

    static func collect(tree: SyntaxTree) -> [Occurrence] {
        guard let root = tree.root, CloudTrailSchemaChecker.records(in: tree) != nil else { return [] }
        var out: [Occurrence] = []
        func add(_ record: Int, _ arrayPointer: String, _ index: Int) {
            if let o = occurrence(in: tree, record: record, arrayPointer: arrayPointer, index: index) { out.append(o) }
        }
        if tree.kind(root) == .object, let list = tree.member("Records", of: root) {
            guard tree.kind(list) == .array else { return [] }
            for (i, r) in tree.children(of: list).enumerated() { add(r, "/Records", i) }
        } else if tree.kind(root) == .array {
            for (i, r) in tree.children(of: root).enumerated() { add(r, "", i) }
        } else {
            add(root, "", -1)
        }
        return out
    }

    /// The non-empty string `eventID` of `record` (element `index` of the array at `arrayPointer`, or the root
    /// record when -1), or nil.
    static func occurrence(in tree: SyntaxTree, record: Int, arrayPointer: String, index: Int) -> Occurrence? {
        guard tree.kind(record) == .object, let v = tree.member("eventID", of: record),
              let s = tree.string(v), !s.isEmpty else { return nil }
        return Occurrence(id: s, range: tree.range(v), arrayPointer: arrayPointer, index: index)
    }
}
