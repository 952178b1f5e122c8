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

    /// One `eventID` value seen in a file: kept for every record of a run, so it is packed into 64 bytes (the rare
    /// parts, an id that is not a UUID and an uncommon pointer, live in one optional reference).
    package struct Occurrence: Sendable {
        /// A canonical UUID as its 128 bits (no string per record: a 125,300-record file spent 3% of a full check
        /// allocating the eventID strings and parsing them again for the run-wide table), else nil.
        package var key: UUIDKey?
        /// How the pointer is built: `/Records/N/eventID`, `/N/eventID`, or from `rare`.
        private var base: Base
        private var recordIndex: Int32
        /// An id that is not a canonical UUID, and a pointer base other than `/Records` or the root.
        private var rare: Rare?
        package var range: TextRange
        /// Where `range` starts and ends, resolved while the document's bytes were at hand (`RunFacts.locate`), so
        /// a repeat found at the end of the run is placed without reading the file again.
        package var start = PackedPosition()
        package var end = PackedPosition()

        private enum Base: UInt8, Sendable { case records, root, rare, complete }

        private final class Rare: Sendable {
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
    }

    /// The eventIDs of one document, in document order.
    package final class Collector: RunRuleCollector, @unchecked Sendable {
        // One thread at a time: the worker linting the document, then the run (see `RunRuleCollector`).
        // Read and written on one thread only: no dynamic exclusivity check per access (they cost 3 M instructions
        // on 6,000 records, callgrind).
        @exclusivity(unchecked) package private(set) var occurrences: [Occurrence] = []
        @exclusivity(unchecked) private var placed = 0

        package func collect(_ record: RunRecord, in tree: SyntaxTree) {
            guard var o = DuplicateEventIDRule.occurrence(in: tree, record: record.record, eventID: record.eventID,
                                                         arrayPointer: record.arrayPointer, index: record.index) else { return }
            if record.shift != 0 { o.range = o.range.shifted(by: record.shift) }
            occurrences.append(o)
        }

        package func append(_ part: any RunRuleCollector, range map: (TextRange) -> TextRange, pointerPrefix: String?) {
            guard let part = part as? Collector else { return }
            for var o in part.occurrences {
                o.range = map(o.range)
                if let pointerPrefix { o.pointer = pointerPrefix + (o.pointer ?? "") }
                occurrences.append(o)
            }
        }

        package var isEmpty: Bool { occurrences.isEmpty }
        package var hasUnplaced: Bool { placed < occurrences.count }
        package func place(_ resolver: inout PositionResolver) {
            for i in placed..<occurrences.count {
                let r = occurrences[i].range
                occurrences[i].start = resolver.position(of: r.start)
                occurrences[i].end = resolver.position(of: r.end)
            }
            placed = occurrences.count
        }
    }

    /// Every eventID after its first use in the run, placed with the positions its facts carry.
    package func findings(in documents: [RunRuleDocument]) -> [[LocatedDiagnostic]] {
        let metadata = Self.metadata
        let ids = documents.map { ($0.facts as? Collector)?.occurrences ?? [] }
        var found = [[LocatedDiagnostic]](repeating: [], count: documents.count)
        // First occurrence of each id, as (file, index into that file's eventIDs): canonical UUIDs keyed by
        // their 128 bits (no heap per entry), other ids by their text. Large runs hold one entry per record.
        // Sized once for every id of the run (growing by rehashing was 1.6% of a full check of a 125,300-record
        // file, perf).
        var firstByUUID = FirstUUIDTable(capacity: ids.reduce(0) { $0 + $1.count })
        var firstByText: [String: (file: Int32, index: Int32)] = [:]
        for f in ids.indices {
            var added: [LocatedDiagnostic] = []
            for i in ids[f].indices {
                let place = (file: Int32(truncatingIfNeeded: f), index: Int32(truncatingIfNeeded: i))
                let seenAt: (file: Int32, index: Int32)
                if let key = ids[f][i].key {
                    // The common case, a first occurrence: one probe, no copy of the occurrence (and its strings).
                    guard let earlier = firstByUUID.insertFirst(key, at: place) else { continue }
                    seenAt = earlier
                } else {
                    let id = ids[f][i].id
                    guard let earlier = firstByText[id] else { firstByText[id] = place; continue }
                    seenAt = earlier
                }
                let occ = ids[f][i]
                let seenFile = Int(seenAt.file)
                let seen = ids[seenFile][Int(seenAt.index)]
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

/// The first place (file, index into its eventIDs) of each UUID key of a run: open addressing with linear
/// probing over one flat array. A `Dictionary` hashed every key with SipHash, twice per id, on the main thread
/// after the workers had finished (about 5% of the wall time of a day of 2,000 files on two cores).
package struct FirstUUIDTable {
    private struct Slot {
        var high: UInt64 = 0
        var low: UInt64 = 0
        /// Bit 63: occupied; bit 62: the key's `upper`; bits 32...61: file; bits 0...31: index.
        var place: UInt64 = 0
    }
    private var slots: [Slot]
    private let shift: UInt64

    /// A table for at most `capacity` keys, kept at most three quarters full (half full cost 17 MB more on a
    /// 1 GB JSON Lines file and was no faster on a day of logs).
    package init(capacity: Int) {
        var bits: UInt64 = 4
        while (1 << bits) * 3 < capacity * 4 { bits += 1 }
        slots = Array(repeating: Slot(), count: 1 << Int(bits))
        shift = 64 - bits
    }

    /// Records `place` for `key` when the key is new (nil); otherwise the earlier place, unchanged.
    package mutating func insertFirst(_ key: UUIDKey, at place: (file: Int32, index: Int32)) -> (file: Int32, index: Int32)? {
        let flag: UInt64 = key.upper ? 1 << 62 : 0
        // Fibonacci hashing of both halves: random UUIDs are uniform already, made-up ones get mixed.
        var i = Int(truncatingIfNeeded: ((key.high ^ (key.low &* 0xBF58_476D_1CE4_E5B9)) &* 0x9E37_79B9_7F4A_7C15) >> shift)
        let mask = slots.count - 1
        return slots.withUnsafeMutableBufferPointer { s in
            while true {
                let p = s[i].place
                if p == 0 {
                    s[i] = Slot(high: key.high, low: key.low,
                                place: 1 << 63 | flag | UInt64(UInt32(bitPattern: place.file)) << 32 | UInt64(UInt32(bitPattern: place.index)))
                    return nil
                }
                if s[i].high == key.high && s[i].low == key.low && p & (1 << 62) == flag {
                    return (Int32(truncatingIfNeeded: (p >> 32) & 0x3FFF_FFFF), Int32(bitPattern: UInt32(truncatingIfNeeded: p)))
                }
                i = (i + 1) & mask
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
