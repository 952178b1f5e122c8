import CTCore
import CTInput
import CTJSON
import CTRules

/// Lints a JSON Lines input line by line while reading it (gunzipping on the fly), so memory stays bounded
/// by the longest line plus the findings: the whole file is never held. Positions are resolved per line
/// (the line number is the JSON Lines line number, the column counted within the line), giving the same
/// report as linting the file in memory.
enum StreamedLines {
    static func check(_ source: InputSource, linter: Linter, keepSourceLines: Bool,
                      maxFindings: Int = FileReport.defaultMaxFindings, maxLineBytes: Int = .max) -> FileOutcome {
        let reader = JSONLinesReader(source: source, maxLineBytes: maxLineBytes)
        var findings = FileFindings(maxFindings: maxFindings)
        let collectIDs = linter.collectsRunFacts
        var facts = RunFacts()
        var sawLine = false
        var lastEnd = 0
        var lastNumber = 0
        var scratch = ParseScratch()
        for line in reader {
            sawLine = true
            let result = linter.lintLine(line.bytes, fileName: source.absolutePath, collectIDs: collectIDs, scratch: &scratch)
            let mark = facts.mark
            facts.append(result.facts, range: { $0.shifted(by: line.offset) })
            let cursor = PositionCursor(offset: line.offset, line: line.number)
            line.bytes.withUnsafeBufferPointer { window in
                if !result.diagnostics.isEmpty {
                    findings.add(result.diagnostics.map { $0.shifted(by: line.offset) }, from: cursor, in: window,
                                 windowBase: line.offset, keepSourceLines: keepSourceLines)
                }
                facts.locate(since: mark, from: cursor, in: window, windowBase: line.offset)
            }
            lastEnd = line.offset + line.bytes.count
            lastNumber = line.number
        }
        var unreadable = false
        if let failure = reader.failure {
            // Nothing read: the same outcome as an unreadable file. Otherwise keep what was checked and add the
            // failure where reading stopped.
            guard sawLine else { return Runner.unreadable(failure) }
            unreadable = true
            let d = Diagnostic(rule: failure.ruleID, severity: .error, message: failure.message, range: TextRange(empty: lastEnd))
            let at = LineColumn(line: lastNumber + 1, column: 1)
            findings.located.append(LocatedDiagnostic(diagnostic: d, start: at, end: at, noteStarts: [], sourceLine: nil))
        }
        return FileOutcome(report: findings.report(displayName: source.displayName), unreadable: unreadable, facts: facts)
    }
}

/// What the run-level rules keep of one input once it is checked: its name, its facts with their positions, and how
/// many findings it has shown (its own, before the run-level ones, for `--max-findings-per-file`).
struct RunDocument: Sendable {
    var displayName: String
    var facts: RunFacts
    var shown = 0
}

extension DuplicateEventIDRule {
    /// The run-level findings, per document (parallel to `documents`): every eventID after its first use, placed
    /// with the positions its facts carry.
    static func findings(_ documents: [RunDocument]) -> [[LocatedDiagnostic]] {
        var found = [[LocatedDiagnostic]](repeating: [], count: documents.count)
        // First occurrence of each id, as (file, index into that file's eventIDs): canonical UUIDs keyed by
        // their 128 bits (no heap per entry), other ids by their text. Large runs hold one entry per record.
        // Sized once for every id of the run (growing by rehashing was 1.6% of a full check of a 125,300-record
        // file, perf).
        var firstByUUID = FirstUUIDTable(capacity: documents.reduce(0) { $0 + $1.facts.eventIDs.count })
        var firstByText: [String: (file: Int32, index: Int32)] = [:]
        for f in documents.indices {
            var added: [LocatedDiagnostic] = []
            for i in documents[f].facts.eventIDs.indices {
                let place = (file: Int32(truncatingIfNeeded: f), index: Int32(truncatingIfNeeded: i))
                let seenAt: (file: Int32, index: Int32)
                if let key = documents[f].facts.eventIDs[i].key {
                    // The common case, a first occurrence: one probe, no copy of the occurrence (and its strings).
                    guard let earlier = firstByUUID.insertFirst(key, at: place) else { continue }
                    seenAt = earlier
                } else {
                    let id = documents[f].facts.eventIDs[i].id
                    guard let earlier = firstByText[id] else { firstByText[id] = place; continue }
                    seenAt = earlier
                }
                let occ = documents[f].facts.eventIDs[i]
                let seenFile = Int(seenAt.file)
                let seen = documents[seenFile].facts.eventIDs[Int(seenAt.index)]
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
}

/// The first place (file, index into its eventIDs) of each UUID key of a run: open addressing with linear
/// probing over one flat array. A `Dictionary` hashed every key with SipHash, twice per id, on the main thread
/// after the workers had finished (about 5% of the wall time of a day of 2,000 files on two cores).
struct FirstUUIDTable {
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
    init(capacity: Int) {
        var bits: UInt64 = 4
        while (1 << bits) * 3 < capacity * 4 { bits += 1 }
        slots = Array(repeating: Slot(), count: 1 << Int(bits))
        shift = 64 - bits
    }

    /// Records `place` for `key` when the key is new (nil); otherwise the earlier place, unchanged.
    mutating func insertFirst(_ key: UUIDKey, at place: (file: Int32, index: Int32)) -> (file: Int32, index: Int32)? {
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
struct UUIDKey: Hashable {
    var high: UInt64
    var low: UInt64
    var upper: Bool

    /// One word into the hasher instead of three fields: the bits of a random UUID are already well mixed.
    func hash(into hasher: inout Hasher) {
        hasher.combine(high ^ (low &* 0x9E37_79B9_7F4A_7C15) ^ (upper ? 1 : 0))
    }

    init?(_ bytes: some Sequence<UInt8>) {
        guard let key = Array(bytes).withUnsafeBufferPointer({ UUIDKey(canonical: $0) }) else { return nil }
        self = key
    }

    /// The key of the bytes in memory, without copying them (a generic iteration was a quarter of the cost of
    /// collecting eventIDs, callgrind).
    init?(canonical b: UnsafeBufferPointer<UInt8>) {
        guard let digits = HexDigits.uuid(b), !(digits.upper && digits.lower) else { return nil }
        high = digits.high
        low = digits.low
        upper = digits.upper
    }

    /// The canonical text: `8-4-4-4-12` hex digits in the case they were written.
    var text: String {
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
