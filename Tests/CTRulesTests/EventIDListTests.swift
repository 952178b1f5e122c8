import CTCore
import Foundation
import CTTestSupport
import Testing
@testable import CTRules

/// The packed eventIDs of a run (`EventIDList`), its table of first places (`FirstUUIDTable`) and the findings
/// built from them: what is unpacked is what was packed, and a repeat's first place is the first in input order.
@Suite struct EventIDListTests {
    typealias Occurrence = DuplicateEventIDRule.Occurrence

    static func uuid(_ n: UInt64, upper: Bool = false) -> String {
        let s = String(format: "%08x-%04x-4%03x-8%03x-%012llx", UInt32(truncatingIfNeeded: n >> 32), UInt16(truncatingIfNeeded: n >> 16),
                       UInt16(truncatingIfNeeded: n) & 0xFFF, UInt16(truncatingIfNeeded: n >> 8) & 0xFFF, n & 0xFFFF_FFFF_FFFF)
        return upper ? s.uppercased() : s
    }

    /// An occurrence as `collect` and `place` give it.
    static func occurrence(id: String, start: Int, length: Int = 38, pointer: String = "/Records", index: Int,
                           at position: LineColumn, end: LineColumn? = nil, prefix: String? = nil) -> Occurrence {
        let key = UUIDKey(id.utf8)
        var o = Occurrence(key: key, text: key == nil ? id : nil, range: TextRange(start: start, end: start + length),
                           arrayPointer: pointer, index: index)
        if let prefix { o.pointer = prefix + (o.pointer ?? "") }
        o.start = PackedPosition(position)
        o.end = PackedPosition(end ?? LineColumn(line: position.line, column: position.column + length))
        return o
    }

    static func described(_ o: Occurrence) -> String {
        "\(o.id) \(String(describing: o.key)) \(o.range.start)-\(o.range.end) \(o.pointer ?? "-") \(o.start.lineColumn) \(o.end.lineColumn)"
    }

    /// Occurrences of every shape, in a document of `count` records: mostly plain UUIDs (one line, or a line each),
    /// with upper-case ids, ids that are not UUIDs, escaped UUIDs, other pointers, offsets going back and past 4 GiB.
    static func mixed(count: Int, seed: UInt64) -> [Occurrence] {
        var g = SplitMix(seed: seed)
        var out: [Occurrence] = []
        var offset = 10, line = 1, column = 11, index = 0
        for n in 0..<count {
            let jump = Int.random(in: 100...3000, using: &g)
            let roll = Int.random(in: 0..<100, using: &g)
            if roll < 40 {
                offset += jump; column += jump                        // the same line, ASCII between
            } else if roll < 70 {
                offset += jump; line += 1; column = Int.random(in: 1...2000, using: &g)   // the next line (JSON Lines)
            } else if roll < 78 {
                offset += jump; column += jump / 2                   // multibyte text between
            } else if roll < 82 {
                offset += jump; line += Int.random(in: 2...100_000, using: &g); column = Int.random(in: 1...80, using: &g)
            } else if roll < 84 {
                offset = max(0, offset - jump * 3); line = max(1, line - 2); column = Int.random(in: 1...500, using: &g)   // back
            } else if roll < 86 {
                offset += (5 << 30) + jump; line += 70_000_000; column = 1_000_000_007           // past 4 GiB
            } else {
                offset += jump; column += jump
            }
            let id: String
            var length = 38, pointer = "/Records", prefix: String? = nil
            var end: LineColumn? = nil
            index = roll % 13 == 0 ? Int.random(in: -1...1_000_000, using: &g) : index + 1
            switch Int.random(in: 0..<40, using: &g) {
            case 0: id = "not-a-uuid-\(n % 7)"; length = 20
            case 1: id = Self.uuid(UInt64(n)); length = 43                                     // written with an escape
            case 2: id = Self.uuid(UInt64(n)); prefix = "/Events/\(n)/CloudTrailEvent"; length = 40
            case 3: id = Self.uuid(UInt64(n)); pointer = "/1/detail"; index = -1
            case 4: id = Self.uuid(UInt64(n)); end = LineColumn(line: line + 1, column: 3)      // across a line
            case 5: id = Self.uuid(UInt64(n)).uppercased()
            case 6: id = ""
            case 7: id = Self.uuid(UInt64(n)); pointer = ""
            default: id = Self.uuid(g.next())
            }
            out.append(occurrence(id: id, start: offset, length: length, pointer: pointer, index: index,
                                  at: LineColumn(line: line, column: column), end: end, prefix: prefix))
        }
        return out
    }

    @Test func whatIsPackedIsUnpacked() {
        for seed in [1, 2, 3] as [UInt64] {
            let all = Self.mixed(count: 3000, seed: seed)
            var list = EventIDList()
            for o in all { list.append(o) }
            #expect(list.count == all.count)
            var wrong = 0
            for (i, o) in all.enumerated() {
                if Self.described(list[i]) != Self.described(o) || list.key(at: i) != o.key {
                    wrong += 1
                    if wrong < 5 { Issue.record("seed \(seed), #\(i): \(Self.described(list[i])) instead of \(Self.described(o))") }
                }
            }
            #expect(wrong == 0)
            // In any order (from the checkpoints).
            var g = SplitMix(seed: seed)
            for _ in 0..<200 {
                let i = Int.random(in: 0..<all.count, using: &g)
                #expect(Self.described(list[i]) == Self.described(all[i]))
            }
        }
    }

    @Test func offsetsPastFourGiBAndPositionsAfterManyRecords() {
        var list = EventIDList()
        var all: [Occurrence] = []
        // 100,000 records of a JSON Lines file of 500 GB: one a line, 5 MB apart.
        for i in 0..<100_000 {
            let o = Self.occurrence(id: Self.uuid(UInt64(i)), start: 5_000_000 * i + 17, pointer: "", index: -1,
                                    at: LineColumn(line: i + 1, column: 18 + i % 50))
            all.append(o)
            list.append(o)
        }
        for i in [0, 1, 63, 64, 65, 859, 99_998, 99_999] {
            #expect(Self.described(list[i]) == Self.described(all[i]))
        }
        #expect(list[99_999].range.start == 499_995_000_017)
        #expect(list[99_999].start.lineColumn == LineColumn(line: 100_000, column: 18 + 99_999 % 50))
        #expect(list[99_999].pointer == "/eventID")
    }

    /// The common forms take about 20 bytes an eventID: the key and a 32-bit delta, and a checkpoint every 64.
    /// (An `Occurrence` is 64.)
    @Test func plainEventIDsAreSmall() {
        var log = EventIDList(), lines = EventIDList()
        var g = SplitMix(seed: 9)
        var offset = 0, column = 1
        for i in 0..<20_000 {
            let d = Int.random(in: 1200...2200, using: &g)
            offset += d; column += d
            log.append(Self.occurrence(id: Self.uuid(g.next()), start: offset, index: i, at: LineColumn(line: 1, column: column)))
            lines.append(Self.occurrence(id: Self.uuid(g.next()), start: offset, pointer: "", index: -1,
                                         at: LineColumn(line: i + 1, column: Int.random(in: 700...900, using: &g))))
        }
        #expect(log.packedBytes <= 21 * 20_000)
        #expect(lines.packedBytes <= 21 * 20_000)
    }

    /// The findings of documents given in input order: the first of each id is the first in that order, a repeat
    /// in the same document has a note, one in another names the document and the pointer. Compared with a plain
    /// dictionary of the ids' texts.
    @Test func findingsAgreeWithADictionaryInInputOrder() {
        var g = SplitMix(seed: 4)
        var pool: [String] = []
        for n in 0..<400 { pool.append(Self.uuid(UInt64(n) * 7919)) }
        pool += ["not-a-uuid", "x", Self.uuid(5).uppercased(), Self.uuid(5), "55AE8FC2-a74e-4d61-9f63-f72ccba5e419"]
        var documents: [[Occurrence]] = []
        for d in 0..<12 {
            var occurrences = Self.mixed(count: d == 3 ? 0 : Int.random(in: 1...700, using: &g), seed: UInt64(d) + 100)
            // Draw a third of the ids from a small pool: repeats within and across documents.
            for i in occurrences.indices where Int.random(in: 0..<3, using: &g) == 0 {
                let o = occurrences[i], id = pool.randomElement(using: &g)!
                occurrences[i] = Self.occurrence(id: id, start: o.range.start, length: UUIDKey(id.utf8) == nil ? id.utf8.count + 2 : 38,
                                                 pointer: "/Records", index: i, at: o.start.lineColumn)
            }
            documents.append(occurrences)
        }
        let rule = DuplicateEventIDRule()
        let runDocuments = documents.enumerated().map { d, occurrences in
            var list = EventIDList()
            for o in occurrences { list.append(o) }
            return RunRuleDocument(displayName: "file\(d).json", facts: DuplicateEventIDRule.Collector(list: list))
        }
        let found = rule.findings(in: runDocuments)
        #expect(found.count == documents.count)
        var first: [String: (file: Int, index: Int)] = [:]
        var expected = [[String]](repeating: [], count: documents.count)
        for (f, occurrences) in documents.enumerated() {
            for (i, o) in occurrences.enumerated() {
                guard let (sf, si) = first[o.id] else { first[o.id] = (f, i); continue }
                let seen = documents[sf][si]
                var message = "eventID `\(o.id)` is used by an earlier record"
                var note = "-"
                if sf == f {
                    note = "\(seen.range) \(seen.start.lineColumn)"
                } else {
                    message += " in `file\(sf).json` at `\(seen.pointer ?? "")`"
                }
                expected[f].append("\(message) \(o.range) \(o.pointer ?? "-") \(o.start.lineColumn) \(o.end.lineColumn) \(note)")
            }
        }
        let got = found.map { $0.map { l in
            let d = l.diagnostic
            let note = d.notes.first.map { "\($0.range) \(l.noteStarts[0])" } ?? "-"
            return "\(d.message) \(d.range) \(d.pointer ?? "-") \(l.start) \(l.end) \(note)"
        } }
        #expect(expected.map(\.count).reduce(0, +) > 200)
        #expect(expected.enumerated().filter { f, e in e.contains { $0.contains("in `file") } && f > 0 }.count > 3)
        for f in documents.indices { #expect(got[f] == expected[f], "file \(f)") }
    }

    @Test func firstUUIDTableAgreesWithADictionary() {
        // Random ids, made-up sequential ones (poorly mixed bits), case twins, and repeats; tables of every size of
        // ordinal (few bits of hash in a slot for a large run).
        var g = SplitMix(seed: 7)
        var keys: [UUIDKey] = []
        for _ in 0..<3000 { keys.append(UUIDKey(Self.uuid(g.next()).utf8)!) }
        for i in 0..<3000 { keys.append(UUIDKey(String(format: "00000000-0000-4000-8000-%012x", i).utf8)!) }
        keys.append(UUIDKey("55AE8FC2-A74E-4D61-9F63-F72CCBA5E419".utf8)!)
        keys.append(UUIDKey("55ae8fc2-a74e-4d61-9f63-f72ccba5e419".utf8)!)
        for _ in 0..<2000 { keys.append(keys[Int.random(in: 0..<keys.count, using: &g)]) }
        keys.shuffle(using: &g)
        // A table for this run; one for a run of a million ids (fewer hash bits in a slot); one with none at all.
        for (capacity, ordinalBits) in [(keys.count, nil), (1 << 20, nil), (keys.count, 32)] as [(Int, Int?)] {
            var table = FirstUUIDTable(capacity: capacity, ordinalBits: ordinalBits)
            var reference: [UUIDKey: Int] = [:]
            var lookups = 0
            for (n, key) in keys.enumerated() {
                let found = table.insertFirst(key, ordinal: n, keyAt: { lookups += 1; return keys[$0] })
                if let earlier = reference[key] {
                    #expect(found == earlier)
                } else {
                    #expect(found == nil)
                    reference[key] = n
                }
            }
            // The keys are looked at only for a repeat, or the odd hash collision.
            if ordinalBits == nil { #expect(lookups < 2000 + 300) }
        }
    }
}
