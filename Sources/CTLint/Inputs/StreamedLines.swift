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
                      maxFindings: Int = FileReport.defaultMaxFindings, maxLineBytes: Int = .max) -> Runner.FileOutcome {
        let reader = JSONLinesReader(source: source, maxLineBytes: maxLineBytes)
        var omitted = SeverityCounts()
        let collectIDs = linter.collectsRunFacts
        var located: [LocatedDiagnostic] = []
        var facts = RunFacts()
        var sawLine = false
        var lastEnd = 0
        var lastNumber = 0
        var scratch = ParseScratch()
        for line in reader {
            sawLine = true
            let result = linter.lintLine(line.bytes, fileName: source.absolutePath, collectIDs: collectIDs, scratch: &scratch)
            if !result.diagnostics.isEmpty {
                // Past the limit, findings are counted only: memory stays bounded whatever the file holds.
                var sorted = result.diagnostics.sorted()
                if maxFindings > 0 && located.count >= maxFindings {
                    for d in sorted { omitted.add(d.severity) }
                    sorted = []
                } else {
                    omitted.cap(&sorted, keeping: maxFindings > 0 ? maxFindings - located.count : 0)
                }
                if !sorted.isEmpty { located += locate(sorted, line: line, keepSourceLines: keepSourceLines) }
            }
            facts.append(result.facts, range: { $0.shifted(by: line.offset) })
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
            located.append(LocatedDiagnostic(diagnostic: d, start: at, end: at, noteStarts: [], sourceLine: nil))
        }
        return Runner.FileOutcome(report: FileReport(displayName: source.displayName, diagnostics: located, omitted: omitted),
                                  unreadable: unreadable, facts: facts, input: source, streamed: true)
    }

    /// Resolves positions of `diagnostics` (sorted, in the line's own coordinates) and moves them into file
    /// coordinates. Mirrors `FileReport.init(displayName:source:diagnostics:keepSourceLines:)` for one line.
    static func locate(_ diagnostics: [Diagnostic], line: JSONLine, keepSourceLines: Bool) -> [LocatedDiagnostic] {
        let bytes = line.bytes
        let index = LineIndex(bytes)
        var offsets: [Int] = []
        offsets.reserveCapacity(diagnostics.count * 2)
        for d in diagnostics {
            offsets.append(d.range.start)
            offsets.append(d.range.end)
            for n in d.notes { offsets.append(n.range.start) }
        }
        // A JSON Lines line holds no `\n`; a stray `\r` inside it still starts a new LineIndex line.
        let lineBase = line.number - 1
        let located = index.locations(of: offsets).map { LineColumn(line: $0.line + lineBase, column: $0.column) }
        var k = 0
        return diagnostics.map { d in
            let start = located[k], end = located[k + 1]
            let notes = Array(located[(k + 2)..<(k + 2 + d.notes.count)])
            k += 2 + d.notes.count
            let shifted = d.shifted(by: line.offset)
            guard keepSourceLines else {
                return LocatedDiagnostic(diagnostic: shifted, start: start, end: end, noteStarts: notes, sourceLine: nil)
            }
            let r = index.lineRange(start.line - lineBase - 1)
            let from = r.length > 400 ? max(r.start, min(d.range.start - 100, r.end - 200)) : r.start
            let to = r.length > 400 ? min(r.end, from + 200) : r.end
            let text = String(decoding: bytes[from..<to], as: UTF8.self)
            if from > r.start {
                let skipped = bytes[from..<max(from, d.range.start)].filter { $0 & 0xC0 != 0x80 }.count
                return LocatedDiagnostic(diagnostic: shifted, start: start, end: end, noteStarts: notes,
                                         sourceLine: text, sourceLineColumn: start.column - skipped)
            }
            return LocatedDiagnostic(diagnostic: shifted, start: start, end: end, noteStarts: notes, sourceLine: text)
        }
    }

    /// Places findings added after the run (file coordinates, sorted) by reading the input again, line by line.
    static func relocate(_ added: [Diagnostic], in source: InputSource, keepSourceLines: Bool) -> [LocatedDiagnostic] {
        var out: [LocatedDiagnostic] = []
        var next = 0
        for line in JSONLinesReader(source: source) {
            guard next < added.count else { break }
            let end = line.offset + line.bytes.count
            var here: [Diagnostic] = []
            while next < added.count, added[next].range.start <= end {
                if added[next].range.start >= line.offset { here.append(added[next].shifted(by: -line.offset)) }
                next += 1
            }
            if !here.isEmpty { out += locate(here, line: line, keepSourceLines: keepSourceLines) }
        }
        return out
    }
}

extension StreamedLines {
    /// Line and column of each file offset (bytes), found by reading the input again line by line. Offsets
    /// outside every line resolve to 1:1.
    static func positions(of offsets: [Int], in source: InputSource) -> [LineColumn] {
        var out = [LineColumn](repeating: LineColumn(line: 1, column: 1), count: offsets.count)
        let order = offsets.indices.sorted { offsets[$0] < offsets[$1] }
        var next = 0
        for line in JSONLinesReader(source: source) {
            guard next < order.count else { break }
            let end = line.offset + line.bytes.count
            var here: [Int] = []
            while next < order.count, offsets[order[next]] <= end {
                if offsets[order[next]] >= line.offset { here.append(order[next]) }
                next += 1
            }
            guard !here.isEmpty else { continue }
            let found = LineIndex(line.bytes).locations(of: here.map { offsets[$0] - line.offset })
            for (i, at) in zip(here, found) { out[i] = LineColumn(line: at.line + line.number - 1, column: at.column) }
        }
        return out
    }
}

extension DuplicateEventIDRule {
    /// Adds a warning to every repeated eventID, in input order (see `apply(to:keepSourceLines:)`); files that
    /// were streamed are read again line by line to place the new findings, so they are never held whole.
    /// The run-level findings, per file (parallel to `outcomes`): every eventID after its first use.
    static func findings(_ outcomes: [Runner.FileOutcome]) -> [[Diagnostic]] {
        var found = [[Diagnostic]](repeating: [], count: outcomes.count)
        // First occurrence of each id, as (file, index into that file's eventIDs): canonical UUIDs keyed by
        // their 128 bits (no heap per entry), other ids by their text. Large runs hold one entry per record.
        // Sized once for every id of the run (growing by rehashing was 1.6% of a full check of a 125,300-record
        // file, perf).
        var firstByUUID = FirstUUIDTable(capacity: outcomes.reduce(0) { $0 + $1.facts.eventIDs.count })
        var firstByText: [String: (file: Int32, index: Int32)] = [:]
        for f in outcomes.indices {
            var added: [Diagnostic] = []
            for i in outcomes[f].facts.eventIDs.indices {
                let place = (file: Int32(truncatingIfNeeded: f), index: Int32(truncatingIfNeeded: i))
                let seenAt: (file: Int32, index: Int32)
                if let key = outcomes[f].facts.eventIDs[i].key {
                    // The common case, a first occurrence: one probe, no copy of the occurrence (and its strings).
                    guard let earlier = firstByUUID.insertFirst(key, at: place) else { continue }
                    seenAt = earlier
                } else {
                    let id = outcomes[f].facts.eventIDs[i].id
                    guard let earlier = firstByText[id] else { firstByText[id] = place; continue }
                    seenAt = earlier
                }
                let occ = outcomes[f].facts.eventIDs[i]
                let seenFile = Int(seenAt.file)
                let seen = outcomes[seenFile].facts.eventIDs[Int(seenAt.index)]
                var notes: [Note] = []
                var message = "eventID `\(occ.id)` is used by an earlier record"
                if seenFile == f {
                    notes.append(Note(message: "first used here", range: seen.range))
                } else {
                    message += " in `\(outcomes[seenFile].report.displayName)` at `\(seen.pointer ?? "")`"
                }
                added.append(Diagnostic(rule: metadata.id, severity: metadata.defaultSeverity, message: message,
                                        range: occ.range, notes: notes, pointer: occ.pointer))
            }
            found[f] = added
        }
        return found
    }
}

/// Places the findings of the run-level rules in their files (after every file is checked): a file read whole is
/// read again to place them, a streamed (JSON Lines) one line by line.
enum RunLevelFindings {
    /// `found[f]`: the new findings of `outcomes[f]`, in its byte coordinates.
    static func place(_ found: [[Diagnostic]], in outcomes: inout [Runner.FileOutcome], keepSourceLines: Bool,
                      maxFindings: Int = FileReport.defaultMaxFindings) {
        for f in outcomes.indices {
            let added = found[f]
            guard !added.isEmpty, let input = outcomes[f].input else { continue }
            let keep = outcomes[f].report.diagnostics.first?.sourceLine != nil || keepSourceLines
            if outcomes[f].streamed {
                var placed = StreamedLines.relocate(added.sorted(), in: input, keepSourceLines: keep)
                // A note ("first used here") may lie on an earlier line than its finding.
                let noteOffsets = placed.flatMap { $0.diagnostic.notes.map(\.range.start) }
                if !noteOffsets.isEmpty {
                    var positions = StreamedLines.positions(of: noteOffsets, in: input)[...]
                    for i in placed.indices {
                        placed[i].noteStarts = placed[i].diagnostic.notes.map { _ in positions.removeFirst() }
                    }
                }
                outcomes[f].report.diagnostics = (outcomes[f].report.diagnostics + placed)
                    .sorted { $0.diagnostic < $1.diagnostic }
            } else if case .success(let loaded) = InputReader.load(input) {
                let all = outcomes[f].report.diagnostics.map(\.diagnostic) + added
                let earlier = outcomes[f].report.omitted
                outcomes[f].report = FileReport(displayName: outcomes[f].report.displayName, source: loaded.bytes,
                                                diagnostics: all, keepSourceLines: keep, maxFindings: maxFindings)
                outcomes[f].report.omitted += earlier
            }
        }
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
