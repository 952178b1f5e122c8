import CTCore
import CTJSON

/// Rule `duplicate-event-id`: the same `eventID` twice in one run, across all files. A run-level rule: its facts
/// are every record's eventID (a 128-bit key for a canonical UUID), and a repeat is reported where it occurs.
package struct DuplicateEventIDRule: RunRule {
    package static let metadata = RuleMetadata(
        id: .duplicateEventID,
        category: .semantic,
        summary: "The same eventID appears twice in one run",
        rationale: "CloudTrail gives every event a unique eventID. A repeat within a run means a record was copied, a file was delivered or exported twice, or a sample reused an ID. Checked across every file of the run.",
        defaultSeverity: .warning,
        valid: [RuleExample(#"{"Records":[{"eventVersion":"1.08","eventID":"0b0a4d6c-31c4-4f44-9c6e-8f2a3b1c2d3e"},{"eventVersion":"1.08","eventID":"5f4e3d2c-1b0a-4f9e-8d7c-6b5a4f3e2d1c"}]}"#)],
        invalid: [RuleExample(#"{"Records":[{"eventVersion":"1.08","eventID":"0b0a4d6c-31c4-4f44-9c6e-8f2a3b1c2d3e"},{"eventVersion":"1.08","eventID":↓"0b0a4d6c-31c4-4f44-9c6e-8f2a3b1c2d3e"}]}"#)])

    package init() {}

    package func makeCollector() -> any RunRuleCollector { Collector() }

    /// One `eventID` value seen in a file, unpacked: what `collect` gives until the value is placed, what a rare
    /// value keeps (`EventIDList`), and what a finding is built from.
    package struct Occurrence: Sendable {
        /// A canonical UUID as its 128 bits (no string per record: a 125,300-record file spent 3% of a full check
        /// allocating the eventID strings and parsing them again for the run-wide table), else nil.
        package var key: UUIDKey?
        /// How the pointer is built: `/Records/N/eventID`, `/N/eventID`, or from `rare`.
        fileprivate var base: Base
        fileprivate var recordIndex: Int32
        /// An id that is not a canonical UUID, and a pointer base other than `/Records` or the root.
        fileprivate var rare: Rare?
        package var range: TextRange
        /// Where `range` starts and ends, resolved while the document's bytes were at hand (`RunFacts.locate`), so
        /// a repeat found at the end of the run is placed without reading the file again.
        package var start = PackedPosition()
        package var end = PackedPosition()

        fileprivate enum Base: UInt8, Sendable { case records, root, rare, complete }

        fileprivate final class Rare: Sendable {
            let text: String?
            let pointer: String
            init(text: String?, pointer: String) { self.text = text; self.pointer = pointer }
        }

        /// The id's text.
        package var id: String { rare?.text ?? key?.text ?? "" }

        /// The eventID of element `index` of the records array at `arrayPointer` (or of the root record when -1).
        init(key: UUIDKey?, text: String?, range: TextRange, arrayPointer: String, index: Int) {
            self.key = key
            self.range = range
            recordIndex = Int32(truncatingIfNeeded: index)
            if text == nil && arrayPointer == "/Records" {
                base = .records
            } else if text == nil && arrayPointer.isEmpty {
                base = .root
            } else {
                base = .rare
                rare = Rare(text: text, pointer: arrayPointer)
            }
        }

        /// A canonical UUID of a record of `/Records` or of the root, not yet placed.
        fileprivate init(key: UUIDKey, root: Bool, recordIndex: Int32, range: TextRange) {
            self.key = key
            base = root ? .root : .records
            self.recordIndex = recordIndex
            self.range = range
        }

        /// A canonical UUID of a record of `/Records` or of the root, as `EventIDList` stores it.
        fileprivate init(key: UUIDKey, root: Bool, recordIndex: Int32, start: Int, position: LineColumn) {
            self.key = key
            base = root ? .root : .records
            self.recordIndex = recordIndex
            range = TextRange(start: start, end: start + EventIDList.plainLength)
            self.start = PackedPosition(position)
            end = PackedPosition(LineColumn(line: position.line, column: position.column + EventIDList.plainLength))
        }

        /// RFC 6901 pointer of the eventID value. (Built only when a repeat is reported: a 125,000-record file spent
        /// 1.3% of a full check building one pointer string per record, perf.)
        package var pointer: String? {
            get {
                let prefix: String
                switch base {
                case .complete: return rare?.pointer ?? ""
                case .records: prefix = "/Records"
                case .root: prefix = ""
                case .rare: prefix = rare?.pointer ?? ""
                }
                return prefix + (recordIndex >= 0 ? "/\(recordIndex)" : "") + "/eventID"
            }
            set {
                rare = Rare(text: rare?.text, pointer: newValue ?? "")
                base = .complete
            }
        }

        /// Whether `EventIDList` stores it in its common form, placed at `start` ... `end`: a canonical UUID written
        /// plainly (38 bytes, quotes included, on one line) in a record of `/Records` or of the root.
        fileprivate func isPlain(start: PackedPosition, end: PackedPosition) -> Bool {
            key != nil && rare == nil && (base == .records || base == .root) && Self.isPlain(range: range, start: start, end: end)
        }

        /// Whether a canonical UUID's value at `range`, placed at `start` ... `end`, is written plainly.
        @inline(__always)
        fileprivate static func isPlain(range: TextRange, start: PackedPosition, end: PackedPosition) -> Bool {
            guard range.length == EventIDList.plainLength else { return false }
            let s = start.lineColumn
            return end.lineColumn == LineColumn(line: s.line, column: s.column + EventIDList.plainLength)
        }

        fileprivate var isAtRoot: Bool { base == .root }
    }

    /// The eventIDs of one document, in document order: collected unplaced, then packed once placed.
    package final class Collector: RunRuleCollector, @unchecked Sendable {
        // One thread at a time: the worker linting the document, then the run (see `RunRuleCollector`).
        // Read and written on one thread only: no dynamic exclusivity check per access (they cost 3 M instructions
        // on 6,000 records, callgrind).
        /// Collected since the last `place`: plain values (bits only: copying an `Occurrence`, a reference in it,
        /// in and out of a list cost 170 instructions an eventID, callgrind), and the others whole.
        @exclusivity(unchecked) private var pending: [Pending] = []
        @exclusivity(unchecked) private var pendingWhole: [Occurrence] = []
        /// Placed, packed.
        @exclusivity(unchecked) package private(set) var list = EventIDList()

        /// An eventID not yet placed: a canonical UUID of a record of `/Records` or of the root (`whole` -1), or the
        /// index of one kept whole.
        private struct Pending {
            var key: UUIDKey
            var range: TextRange
            var recordIndex: Int32
            var atRoot: Bool
            var whole: Int32 = -1
        }

        package init() {}
        init(list: EventIDList) { self.list = list }

        package func collect(_ record: RunRecord, in tree: SyntaxTree) {
            guard var o = DuplicateEventIDRule.occurrence(in: tree, record: record.record, eventID: record.eventID,
                                                         arrayPointer: record.arrayPointer, index: record.index) else { return }
            if record.shift != 0 { o.range = o.range.shifted(by: record.shift) }
            add(o)
        }

        private func add(_ o: Occurrence) {
            if let key = o.key, o.rare == nil, o.base == .records || o.base == .root {
                pending.append(Pending(key: key, range: o.range, recordIndex: o.recordIndex, atRoot: o.base == .root))
            } else {
                pending.append(Pending(key: UUIDKey(high: 0, low: 0, upper: false), range: o.range, recordIndex: o.recordIndex,
                                       atRoot: false, whole: Int32(pendingWhole.count)))
                pendingWhole.append(o)
            }
        }

        package func append(_ part: any RunRuleCollector, range map: (TextRange) -> TextRange, pointerPrefix: String?) {
            guard let part = part as? Collector else { return }
            for var o in part.occurrences {
                o.range = map(o.range)
                if let pointerPrefix { o.pointer = pointerPrefix + (o.pointer ?? "") }
                add(o)
            }
        }

        package var isEmpty: Bool { list.count == 0 && pending.isEmpty }
        package var hasUnplaced: Bool { !pending.isEmpty }
        package func place(_ resolver: inout PositionResolver) {
            for p in pending {
                let start = resolver.position(of: p.range.start), end = resolver.position(of: p.range.end)
                if p.whole < 0 && Occurrence.isPlain(range: p.range, start: start, end: end) {
                    list.appendPlain(p.key, offset: p.range.start, position: start.lineColumn, recordIndex: p.recordIndex, atRoot: p.atRoot)
                } else {
                    var o = occurrence(p)
                    o.start = start
                    o.end = end
                    list.append(o)
                }
            }
            // One record at a time (a window, a line) keeps its room; a whole document's list is let go.
            // (`removeAll(keepingCapacity:)` alone was a generic call of 65 instructions a record, callgrind.)
            if pending.count == 1 {
                pending.removeLast()
            } else {
                pending.removeAll(keepingCapacity: pending.count <= 64)
            }
            if !pendingWhole.isEmpty { pendingWhole.removeAll() }
        }

        private func occurrence(_ p: Pending) -> Occurrence {
            p.whole >= 0 ? pendingWhole[Int(p.whole)] : Occurrence(key: p.key, root: p.atRoot, recordIndex: p.recordIndex, range: p.range)
        }

        /// Every eventID, in document order (placed ones with their positions).
        package var occurrences: [Occurrence] { (0..<list.count).map { list[$0] } + pending.map(occurrence) }
    }

    /// Every eventID after its first use in the run, placed with the positions its facts carry.
    package func findings(in documents: [RunRuleDocument]) -> [[LocatedDiagnostic]] {
        let metadata = Self.metadata
        let lists = documents.map { ($0.facts as? Collector)?.list ?? EventIDList() }
        // Where each document's eventIDs start in the run's numbering (an ordinal: the n-th eventID of the run).
        var counted = [0]
        counted.reserveCapacity(lists.count + 1)
        for l in lists { counted.append(counted[counted.count - 1] + l.count) }
        let starts = counted
        /// The document and index of ordinal `n`.
        func place(of n: Int) -> (file: Int, index: Int) {
            var lo = 0, hi = lists.count - 1
            while lo < hi {
                let mid = (lo + hi + 1) / 2
                if starts[mid] <= n { lo = mid } else { hi = mid - 1 }
            }
            return (lo, n - starts[lo])
        }
        var found = [[LocatedDiagnostic]](repeating: [], count: documents.count)
        // First occurrence of each id, as its ordinal: canonical UUIDs in a table of ordinals whose keys stay in the
        // documents' lists, other ids (rare) by their text. Sized once for every id of the run (growing by
        // rehashing was 1.6% of a full check of a 125,300-record file, perf).
        var firstByUUID = FirstUUIDTable(capacity: starts[starts.count - 1])
        var firstByText: [String: Int] = [:]
        for f in lists.indices {
            var added: [LocatedDiagnostic] = []
            // The keys in order, block by block (`key(at:)` for each cost 90 instructions an eventID, callgrind).
            lists[f].forEachKey { i, key in
                let ordinal = starts[f] + i
                let seenAt: Int
                if let key {
                    // The common case, a first occurrence: one probe, nothing unpacked.
                    guard let earlier = firstByUUID.insertFirst(key, ordinal: ordinal, keyAt: { n in
                        let p = place(of: n)
                        return lists[p.file].key(at: p.index)
                    }) else { return }
                    seenAt = earlier
                } else {
                    let id = lists[f][i].id
                    guard let earlier = firstByText[id] else { firstByText[id] = ordinal; return }
                    seenAt = earlier
                }
                let occ = lists[f][i]
                let (seenFile, seenIndex) = place(of: seenAt)
                let seen = lists[seenFile][seenIndex]
                var notes: [Note] = []
                var noteStarts: [LineColumn] = []
                var message = "eventID `\(occ.id)` is used by an earlier record"
                if seenFile == f {
                    notes.append(Note(message: "first used here", range: seen.range))
                    noteStarts.append(seen.start.lineColumn)
                } else {
                    message += " in `\(documents[seenFile].displayName)` at `\(seen.pointer ?? "")`"
                }
                let d = Diagnostic(rule: metadata.id, severity: metadata.defaultSeverity, message: message,
                                   range: occ.range, notes: notes, pointer: occ.pointer)
                added.append(LocatedDiagnostic(diagnostic: d, start: occ.start.lineColumn, end: occ.end.lineColumn,
                                               noteStarts: noteStarts, sourceLine: nil))
            }
            found[f] = added
        }
        return found
    }

    /// The non-empty string `eventID` of `record` (element `index` of the array at `arrayPointer`, or the root
    /// record when -1), or nil.
    /// `eventID`: the record's `eventID` value node when already found (`.some(nil)`: the record has none).
    package static func occurrence(in tree: SyntaxTree, record: Int, eventID: Int?? = nil, arrayPointer: String, index: Int) -> Occurrence? {
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

/// The eventIDs of one document once placed, packed: a run holds every record's until its end (626,500 records
/// for 1 GB of JSON Lines). Each is its 128-bit key, two bits (the key's case; kept whole aside) and a 32-bit
/// delta from the eventID before: about 21 bytes where an `Occurrence` took 64. Peak of `check` on 1 GB of JSON
/// Lines (626,500 records): 93 MB before, 41 MB with this, 27 MB without the rule; the 200 MB log: 39 MB before,
/// 30 MB; a day of 2,000 gzip files: 42 MB before, 36 MB (`/usr/bin/time`).
///
/// A delta is one of the usual moves, the record being the next of its array (or the root again):
/// - the same line, the column moving with the offset (a compact log): the offset's delta, 29 bits;
/// - the next line (JSON Lines): the offset's delta, 17 bits, and the column, 12;
/// - a few lines on (an indented log): the offset's delta, 13 bits, the lines, 8, and the column, 8;
/// and anything else is an escape to the whole position, kept aside in 24 bytes (an eventID past column 4,095 of a
/// JSON Lines line, say: 44 bytes in all). A checkpoint every 64 eventIDs lets one be unpacked (only for a repeat)
/// from at most 64 deltas. (A first version wrote varints of each part: as little memory, 3 to 5 bytes an eventID,
/// and a byte loop and more branches for each.)
/// An eventID not in this form (an id that is not a canonical UUID, one written with escapes, under another
/// pointer) is kept whole aside, with a bit; it still takes its delta so the others go on.
///
/// A value: its storage is shared by copies and copied before a shared one is changed.
package struct EventIDList: Sendable {
    /// Bytes of a canonical UUID written plainly, quotes included.
    static let plainLength = 38
    fileprivate static let checkpointShift = 6

    /// The position of an eventID, and its record's index.
    fileprivate struct State: Sendable {
        var offset = 0
        var line = 1
        var column = 1
        var index = -1
    }

    /// The position and record index of an escaped delta.
    fileprivate struct Escape: Sendable {
        var offset: Int
        var line: UInt32
        var column: UInt32
        var index: Int32
    }

    /// An eventID's key and delta, in 32-bit words: 20 bytes (two 64-bit halves would pad it to 24).
    fileprivate struct Entry: Sendable, BitwiseCopyable {
        var words: (UInt32, UInt32, UInt32, UInt32)
        var delta: UInt32

        init(_ key: UUIDKey, delta: UInt32) {
            words = (UInt32(truncatingIfNeeded: key.high >> 32), UInt32(truncatingIfNeeded: key.high),
                     UInt32(truncatingIfNeeded: key.low >> 32), UInt32(truncatingIfNeeded: key.low))
            self.delta = delta
        }

        func key(upper: Bool) -> UUIDKey {
            UUIDKey(high: UInt64(words.0) << 32 | UInt64(words.1), low: UInt64(words.2) << 32 | UInt64(words.3), upper: upper)
        }
    }

    private var storage = Storage()

    package init() {}

    package var count: Int { storage.count }

    // A delta: bits 30-31 its form, bit 29 a record at the root.
    fileprivate static let sameLine: UInt32 = 0, nextLine: UInt32 = 1, fewLines: UInt32 = 2, escape: UInt32 = 3
    fileprivate static let atRoot: UInt32 = 1 << 29

    /// Adds a canonical UUID written plainly (see `Occurrence.isPlain`): its key, the offset where its value starts,
    /// the position there, and its record (element `recordIndex` of `/Records`, or of the root's array; -1: the root).
    @inline(__always)
    package mutating func appendPlain(_ key: UUIDKey, offset: Int, position: LineColumn, recordIndex: Int32, atRoot: Bool) {
        if !isKnownUniquelyReferenced(&storage) { storage = storage.copy() }
        storage.appendPlain(key, offset: offset, position: position, recordIndex: recordIndex, atRoot: atRoot)
    }

    /// Adds `o`, placed (with its positions).
    package mutating func append(_ o: DuplicateEventIDRule.Occurrence) {
        if !isKnownUniquelyReferenced(&storage) { storage = storage.copy() }
        storage.append(o)
    }

    /// The key of eventID `i`, nil when it is not a canonical UUID.
    @inline(__always)
    package func key(at i: Int) -> UUIDKey? { storage.key(at: i) }

    /// Calls `body` with each eventID's index and key (nil when it is not a canonical UUID), in order.
    @inline(__always)
    package func forEachKey(_ body: (Int, UUIDKey?) -> Void) { storage.forEachKey(body) }

    /// EventID `i`, unpacked.
    package subscript(i: Int) -> DuplicateEventIDRule.Occurrence { storage.occurrence(at: i) }

    /// Bytes held (tests, measurements), roughly.
    package var packedBytes: Int { storage.packedBytes }

    fileprivate final class Storage: @unchecked Sendable {
        // Changed only through a uniquely referenced list (see `append`), by one thread at a time (see
        // `RunRuleCollector`); read by any copy. No dynamic exclusivity check per access: one `swift_beginAccess`
        // is 76 instructions, and they made packing an eventID cost 720 (callgrind).
        @exclusivity(unchecked) var entries = Blocks<Entry>(shift: 12)
        /// Bit per eventID: its key is in upper case (words made only up to the last set: most logs have none).
        @exclusivity(unchecked) var upper: [UInt64] = []
        /// Bit per eventID: it is kept whole in `rare` (the same).
        @exclusivity(unchecked) var unusual: [UInt64] = []
        @exclusivity(unchecked) var rare: [Int: DuplicateEventIDRule.Occurrence] = [:]
        /// The positions of the escaped deltas, in order (a delta holds its index).
        @exclusivity(unchecked) var escapes: [Escape] = []
        /// The state before every 64th eventID.
        @exclusivity(unchecked) var checkpoints: [State] = []
        @exclusivity(unchecked) var last = State()
        @exclusivity(unchecked) var count = 0

        init() {}

        deinit { entries.deallocate() }

        @inline(__always)
        static func bit(_ i: Int, in words: [UInt64]) -> Bool {
            i >> 6 < words.count && words[i >> 6] & 1 << UInt64(i & 63) != 0
        }

        static func set(_ i: Int, in words: inout [UInt64]) {
            while words.count <= i >> 6 { words.append(0) }
            words[i >> 6] |= 1 << UInt64(i & 63)
        }

        func copy() -> Storage {
            let c = Storage()
            for i in 0..<count { c.append(occurrence(at: i)) }
            return c
        }

        func append(_ o: DuplicateEventIDRule.Occurrence) {
            if o.isPlain(start: o.start, end: o.end), let key = o.key {
                appendPlain(key, offset: o.range.start, position: o.start.lineColumn, recordIndex: o.recordIndex, atRoot: o.isAtRoot)
                return
            }
            let i = count
            appendPlain(o.key ?? UUIDKey(high: 0, low: 0, upper: false), offset: o.range.start, position: o.start.lineColumn,
                        recordIndex: o.recordIndex, atRoot: false)
            Self.set(i, in: &unusual)
            rare[i] = o
        }

        @inline(__always)
        func appendPlain(_ key: UUIDKey, offset: Int, position p: LineColumn, recordIndex: Int32, atRoot: Bool) {
            let i = count
            if i & ((1 << EventIDList.checkpointShift) - 1) == 0 { checkpoints.append(last) }
            if key.upper { Self.set(i, in: &upper) }
            let index = Int(recordIndex)
            let dOffset = offset &- last.offset, dLine = p.line &- last.line
            let expected = last.index < 0 ? last.index : last.index &+ 1
            var delta = EventIDList.escape << 30
            if index == expected && dOffset >= 0 {
                if dLine == 0 {
                    if p.column &- last.column == dOffset && dOffset < 1 << 29 { delta = EventIDList.sameLine << 30 | UInt32(dOffset) }
                } else if dLine == 1 {
                    if dOffset < 1 << 17 && p.column < 1 << 12 {
                        delta = EventIDList.nextLine << 30 | UInt32(p.column) << 17 | UInt32(dOffset)
                    }
                } else if dLine > 0 && dLine < 1 << 8 && dOffset < 1 << 13 && p.column < 1 << 8 {
                    delta = EventIDList.fewLines << 30 | UInt32(p.column) << 21 | UInt32(dLine) << 13 | UInt32(dOffset)
                }
            }
            last = State(offset: offset, line: p.line, column: p.column, index: index)
            if delta >> 30 == EventIDList.escape {
                precondition(escapes.count < 1 << 29, "too many eventIDs out of the usual layout in one document")
                delta |= UInt32(escapes.count)
                // A line and column fit in 32 bits (`PackedPosition`), a record index too (`Occurrence`).
                escapes.append(Escape(offset: offset, line: UInt32(truncatingIfNeeded: p.line), column: UInt32(truncatingIfNeeded: p.column),
                                      index: recordIndex))
            }
            if atRoot { delta |= EventIDList.atRoot }
            entries.append(Entry(key, delta: delta))
            count = i &+ 1
        }

        @inline(__always)
        func key(at i: Int) -> UUIDKey? {
            if !rare.isEmpty, Self.bit(i, in: unusual), rare[i]?.key == nil { return nil }
            return entries[i].key(upper: Self.bit(i, in: upper))
        }

        @inline(__always)
        func forEachKey(_ body: (Int, UUIDKey?) -> Void) {
            let plain = rare.isEmpty
            var i = 0
            entries.forEachBlock { block in
                var word: UInt64 = 0
                for e in block {
                    if i & 63 == 0 { word = i >> 6 < upper.count ? upper[i >> 6] : 0 }
                    let key = e.key(upper: word & (1 << UInt64(i & 63)) != 0)
                    body(i, plain ? key : self.key(at: i))
                    i &+= 1
                }
            }
        }

        func occurrence(at i: Int) -> DuplicateEventIDRule.Occurrence {
            if Self.bit(i, in: unusual), let o = rare[i] { return o }
            var s = checkpoints[i >> EventIDList.checkpointShift]
            var delta: UInt32 = 0
            for j in (i & ~((1 << EventIDList.checkpointShift) - 1))...i {
                delta = entries[j].delta
                let expected = s.index < 0 ? s.index : s.index &+ 1
                let d = Int(delta)
                switch delta >> 30 {
                case EventIDList.sameLine:
                    s = State(offset: s.offset + d & (1 << 29 - 1), line: s.line, column: s.column + d & (1 << 29 - 1), index: expected)
                case EventIDList.nextLine:
                    s = State(offset: s.offset + d & (1 << 17 - 1), line: s.line + 1, column: d >> 17 & (1 << 12 - 1), index: expected)
                case EventIDList.fewLines:
                    s = State(offset: s.offset + d & (1 << 13 - 1), line: s.line + d >> 13 & (1 << 8 - 1), column: d >> 21 & (1 << 8 - 1),
                              index: expected)
                default:
                    let e = escapes[d & (1 << 29 - 1)]
                    s = State(offset: e.offset, line: Int(e.line), column: Int(e.column), index: Int(e.index))
                }
            }
            return DuplicateEventIDRule.Occurrence(key: entries[i].key(upper: Self.bit(i, in: upper)),
                                                   root: delta & EventIDList.atRoot != 0, recordIndex: Int32(truncatingIfNeeded: s.index),
                                                   start: s.offset, position: LineColumn(line: s.line, column: s.column))
        }

        var packedBytes: Int {
            entries.count * MemoryLayout<Entry>.stride + (upper.count + unusual.count) * 8
                + checkpoints.count * MemoryLayout<State>.stride + escapes.count * MemoryLayout<Escape>.stride
                + rare.count * 2 * MemoryLayout<DuplicateEventIDRule.Occurrence>.stride
        }
    }
}

/// Elements appended in blocks of `1 << shift` that never move (a single array of keys doubled and copied 8 MB at
/// 524,288 eventIDs, on top of everything else the run held then); the first block grows by doubling, so a small
/// file's list stays small. Appending is a store through a pointer: nested arrays cost 440 instructions an eventID
/// to pack (callgrind). Not copied: its owner (`EventIDList`'s storage) holds it and deallocates it.
struct Blocks<Element: BitwiseCopyable> {
    private var blocks: [UnsafeMutablePointer<Element>] = []
    private var next: UnsafeMutablePointer<Element>?
    private var room = 0
    private var firstCapacity = 0
    private let shift: Int
    private(set) var count = 0

    init(shift: Int) { self.shift = shift }

    @inline(__always)
    mutating func append(_ e: Element) {
        if room == 0 { makeRoom() }
        next.unsafelyUnwrapped.initialize(to: e)
        next = next.unsafelyUnwrapped + 1
        room &-= 1
        count &+= 1
    }

    private mutating func makeRoom() {
        let size = 1 << shift
        if count < size {
            // The first block, grown.
            let capacity = Swift.min(size, Swift.max(64, firstCapacity * 2))
            let grown = UnsafeMutablePointer<Element>.allocate(capacity: capacity)
            if let old = blocks.first {
                grown.initialize(from: old, count: count)
                old.deallocate()
                blocks[0] = grown
            } else {
                blocks.append(grown)
            }
            firstCapacity = capacity
            next = grown + count
            room = capacity - count
        } else {
            let block = UnsafeMutablePointer<Element>.allocate(capacity: size)
            blocks.append(block)
            next = block
            room = size
        }
    }

    @inline(__always)
    subscript(i: Int) -> Element {
        precondition(i >= 0 && i < count, "index out of range")
        return blocks[i >> shift][i & ((1 << shift) - 1)]
    }

    /// Calls `body` with each block's elements, in order.
    @inline(__always)
    func forEachBlock(_ body: (UnsafeBufferPointer<Element>) -> Void) {
        for (k, block) in blocks.enumerated() {
            body(UnsafeBufferPointer(start: block, count: Swift.min(1 << shift, count - (k << shift))))
        }
    }

    mutating func deallocate() {
        for b in blocks { b.deallocate() }
        blocks = []
        next = nil
        room = 0
        count = 0
    }
}

/// The first place (its ordinal in the run) of each UUID key of a run: open addressing with linear probing over one
/// flat array of 32-bit slots, which hold the ordinal and a few bits of the key's hash; the keys themselves stay in
/// the documents' lists (`EventIDList`) and are looked at only when those bits agree. (Slots with the keys in them
/// took 24 bytes each, 24 MB on 1 GB of JSON Lines; these take 4.) A `Dictionary` hashed every key with SipHash,
/// twice per id, on the main thread after the workers had finished (about 5% of the wall time of a day of 2,000
/// files on two cores).
package struct FirstUUIDTable {
    private var slots: [UInt32]
    /// Bits of a slot for the ordinal (plus one; 0 is an empty slot); the others hold hash bits.
    private let ordinalBits: UInt32

    /// A table for the ordinals `0..<capacity` (fewer than 2^32 - 1), three quarters full at most (half full cost
    /// 17 MB more on a 1 GB JSON Lines file and was no faster on a day of logs). Its size is not a power of two
    /// (a hash is mapped onto it by a multiply): 3.3 MB for 626,500 eventIDs instead of 4.2.
    /// `ordinalBits`: more bits for the ordinal than it needs (tests: fewer bits of hash in a slot).
    package init(capacity: Int, ordinalBits: Int? = nil) {
        precondition(capacity < Int(UInt32.max), "more eventIDs in one run than a table of 32-bit ordinals holds")
        slots = Array(repeating: 0, count: Swift.max(16, capacity + capacity / 3 + 1))
        self.ordinalBits = UInt32(Swift.max(ordinalBits ?? 0, UInt32.bitWidth - UInt32(capacity + 1).leadingZeroBitCount))
    }

    /// Records `ordinal` for `key` when the key is new (nil); otherwise the earlier ordinal, unchanged. `keyAt`
    /// gives the key of an earlier ordinal.
    @inline(__always)
    package mutating func insertFirst(_ key: UUIDKey, ordinal: Int, keyAt: (Int) -> UUIDKey?) -> Int? {
        // Fibonacci hashing of both halves: random UUIDs are uniform already, made-up ones get mixed.
        let h = (key.high ^ (key.low &* 0xBF58_476D_1CE4_E5B9) ^ (key.upper ? 0x94D0_49BB_1331_11EB : 0)) &* 0x9E37_79B9_7F4A_7C15
        let n = slots.count
        var i = Int(truncatingIfNeeded: h.multipliedFullWidth(by: UInt64(n)).high)
        let ordinalMask: UInt32 = ordinalBits >= 32 ? .max : (1 << ordinalBits) - 1
        let tag = UInt32(truncatingIfNeeded: h >> 16) & ~ordinalMask
        return slots.withUnsafeMutableBufferPointer { s in
            while true {
                let p = s[i]
                if p == 0 {
                    s[i] = tag | UInt32(ordinal + 1)
                    return nil
                }
                if p & ~ordinalMask == tag {
                    let earlier = Int(p & ordinalMask) - 1
                    if keyAt(earlier) == key { return earlier }
                }
                i &+= 1
                if i == n { i = 0 }
            }
        }
    }
}

/// A canonical UUID (`8-4-4-4-12` hex digits, either case) as 128 bits, so a run-wide table of eventIDs needs
/// no heap allocation per entry. Case is kept apart (one bit) so `A` and `a` ids stay distinct, as strings are.
package struct UUIDKey: Hashable, Sendable {
    package var high: UInt64
    package var low: UInt64
    package var upper: Bool

    /// One word into the hasher instead of three fields: the bits of a random UUID are already well mixed.
    package func hash(into hasher: inout Hasher) {
        hasher.combine(high ^ (low &* 0x9E37_79B9_7F4A_7C15) ^ (upper ? 1 : 0))
    }

    package init(high: UInt64, low: UInt64, upper: Bool) {
        self.high = high
        self.low = low
        self.upper = upper
    }

    package init?(_ bytes: some Sequence<UInt8>) {
        guard let key = Array(bytes).withUnsafeBufferPointer({ UUIDKey(canonical: $0) }) else { return nil }
        self = key
    }

    /// The key of the bytes in memory, without copying them (a generic iteration was a quarter of the cost of
    /// collecting eventIDs, callgrind).
    package init?(canonical b: UnsafeBufferPointer<UInt8>) {
        guard let digits = HexDigits.uuid(b), !(digits.upper && digits.lower) else { return nil }
        high = digits.high
        low = digits.low
        upper = digits.upper
    }

    /// The canonical text: `8-4-4-4-12` hex digits in the case they were written.
    package var text: String {
        let digits = Array((upper ? "0123456789ABCDEF" : "0123456789abcdef").utf8)
        var out: [UInt8] = []
        out.reserveCapacity(36)
        for i in 0..<32 {
            if i == 8 || i == 12 || i == 16 || i == 20 { out.append(UInt8(ascii: "-")) }
            let word = i < 16 ? high : low
            out.append(digits[Int((word >> UInt64(60 - 4 * (i % 16))) & 0xF)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}
