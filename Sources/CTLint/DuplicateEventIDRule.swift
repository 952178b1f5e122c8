import CTCore
import CTInput
import CTJSON
import CTRules
import CTSchema

/// How `duplicate-event-id` is applied across a run (its metadata lives in CTRules with the other rules).
extension DuplicateEventIDRule {
    /// One `eventID` value seen in a file.
    struct Occurrence: Sendable {
        /// A canonical UUID as its 128 bits (no string per record: a 125,300-record file spent 3% of a full check
        /// allocating the eventID strings and parsing them again for the run-wide table), else nil.
        var key: UUIDKey?
        /// Any other id, as written.
        private var text: String?
        var range: TextRange
        /// Where `range` starts and ends, resolved while the document's bytes were at hand (`RunFacts.locate`), so
        /// a repeat found at the end of the run is placed without reading the file again.
        var start = PackedPosition()
        var end = PackedPosition()
        /// The pointer is built only when a repeat is reported: a 125,000-record file spent 1.3% of a full
        /// check building one pointer string per record (perf, release, 200 MB).
        private var pointerBase: String
        private var recordIndex: Int32
        private var isComplete: Bool

        /// The id's text.
        var id: String { text ?? key?.text ?? "" }

        init(id: String, range: TextRange, pointer: String?) {
            key = UUIDKey(id.utf8)
            text = key == nil ? id : nil
            self.range = range
            pointerBase = pointer ?? ""
            recordIndex = -1
            isComplete = true
        }

        /// The eventID of element `index` of the records array at `arrayPointer` (or of the root record when -1).
        init(key: UUIDKey?, text: String?, range: TextRange, arrayPointer: String, index: Int) {
            self.key = key
            self.text = text
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
    /// `eventID`: the record's `eventID` value node when already found (`.some(nil)`: the record has none).
    static func occurrence(in tree: SyntaxTree, record: Int, eventID: Int?? = nil, arrayPointer: String, index: Int) -> Occurrence? {
        guard tree.kind(record) == .object, let v = eventID ?? tree.member("eventID", of: record), tree.kind(v) == .string else { return nil }
        if tree.stringFlags(v).isEmpty {
            let r = tree.contentRange(v)
            let key = tree.source.withUnsafeBufferPointer { UUIDKey(canonical: UnsafeBufferPointer(rebasing: $0[r.start..<r.end])) }
            if let key { return Occurrence(key: key, text: nil, range: tree.range(v), arrayPointer: arrayPointer, index: index) }
        }
        guard let s = tree.string(v), !s.isEmpty else { return nil }
        let key = UUIDKey(s.utf8)
        return Occurrence(key: key, text: key == nil ? s : nil, range: tree.range(v), arrayPointer: arrayPointer, index: index)
    }
}
