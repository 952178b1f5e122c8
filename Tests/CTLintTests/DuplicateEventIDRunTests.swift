import CTCore
import CTRules
import Foundation
import Testing
@testable import CTLint

/// `duplicate-event-id` over whole runs: a repeat is placed in its file (range, line and column, and a note at the
/// first use when that is in the same file) from the packed facts, and the first use is the first in input order,
/// whatever order the files are done in.
@Suite struct DuplicateEventIDRunTests {
    typealias Log = ExportedLogsTests

    static func id(_ file: Int, _ n: Int) -> String { String(format: "%08x-0000-4000-8000-%012x", 0xabc0 + file, 0xfeed0000 + n) }

    /// The offset of the `k`-th (0-based) quoted `id` in `bytes`.
    static func offset(of id: String, _ k: Int = 0, in bytes: [UInt8]) -> Int {
        let needle = Array("\"\(id)\"".utf8)
        var found = 0
        for i in 0...(bytes.count - needle.count) where bytes[i] == needle[0] && Array(bytes[i..<(i + needle.count)]) == needle {
            if found == k { return i }
            found += 1
        }
        Issue.record("\(id) #\(k) not found")
        return -1
    }

    struct Input {
        var path: String
        var bytes: [UInt8]
    }

    /// A log of 1,000 records (1.5 MB: read through the window) with text past ASCII before some eventIDs, in which
    /// records 900 and 950 repeat record 5; JSON Lines of 1,200 records, where line 1,101 repeats the log's record 7,
    /// line 1,151 its own line 11, and line 31 is the upper-case twin of line 32 (not a repeat); and a gzip array of
    /// two records repeating line 3 and the log's record 9.
    static func inputs(in dir: URL) throws -> (log: Input, lines: Input, array: Input) {
        var records: [String] = []
        for i in 0..<1000 {
            var r = Log.record(eventID: id(0, [900, 950].contains(i) ? 5 : i))
            if i % 3 == 0 { r = r.replacingOccurrences(of: #""tableName":"orders""#, with: #""tableName":"commandes-été-🍁""#) }
            records.append(r)
        }
        let logText = RecordStreamTests.records(records)
        var lines: [String] = []
        for i in 0..<1200 {
            var id = id(1, i)
            if i == 1100 { id = Self.id(0, 7) }
            if i == 1150 { id = Self.id(1, 10) }
            if i == 30 { id = Self.id(1, 31).uppercased() }
            var r = Log.record(eventID: id)
            if i % 7 == 0 { r = r.replacingOccurrences(of: #""tableName":"orders""#, with: #""tableName":"\#(String(repeating: "ü", count: 3 * i))""#) }
            lines.append(r)
        }
        let linesText = lines.joined(separator: "\n") + "\n"
        let arrayText = "[\n  " + Log.record(eventID: id(1, 2)) + ",\n  " + Log.record(eventID: id(0, 9)) + "\n]\n"
        let log = dir.appendingPathComponent("a.json"), jsonl = dir.appendingPathComponent("b.jsonl"), array = dir.appendingPathComponent("c.json")
        try Data(logText.utf8).write(to: log)
        try Data(linesText.utf8).write(to: jsonl)
        try Data(arrayText.utf8).write(to: array)
        try Log.shell("gzip '\(array.path)'")
        return (Input(path: log.path, bytes: Array(logText.utf8)), Input(path: jsonl.path, bytes: Array(linesText.utf8)),
                Input(path: array.path + ".gz", bytes: Array(arrayText.utf8)))
    }

    /// A repeat as the old engine reported it: message, range, positions, pointer, note.
    static func expected(_ input: Input, id: String, _ k: Int, pointer: String, firstIn other: (name: String, pointer: String)? = nil,
                         first: Int = 0) -> String {
        let index = LineIndex(input.bytes)
        let at = offset(of: id, k, in: input.bytes)
        var message = "eventID `\(id)` is used by an earlier record"
        var note = "-"
        if let other {
            message += " in `\(other.name)` at `\(other.pointer)`"
        } else {
            let f = offset(of: id, first, in: input.bytes)
            note = "\(f)-\(f + 38) \(index.location(of: f))"
        }
        return "\(message) \(at)-\(at + 38) \(index.location(of: at)) \(index.location(of: at + 38)) \(pointer) \(note)"
    }

    static func described(_ found: [LocatedDiagnostic]) -> [String] {
        found.filter { $0.diagnostic.rule == .duplicateEventID }.map { l in
            let d = l.diagnostic
            let note = d.notes.first.map { "\($0.range.start)-\($0.range.end) \(l.noteStarts[0])" } ?? "-"
            return "\(d.message) \(d.range.start)-\(d.range.end) \(l.start) \(l.end) \(d.pointer ?? "-") \(note)"
        }
    }

    @Test func repeatsArePlacedInTheirFilesInInputOrder() throws {
        let dir = Repo.tempDirectory()
        defer { Repo.remove(dir) }
        let (log, lines, array) = try Self.inputs(in: dir)
        for jobs in [1, 2, 4] {
            var options = CheckOptions()
            options.jobs = jobs
            let result = Runner(options: options).check(operands: [log.path, lines.path, array.path])
            #expect(Self.described(result.findings(in: log.path)) == [
                Self.expected(log, id: Self.id(0, 5), 1, pointer: "/Records/900/eventID"),
                Self.expected(log, id: Self.id(0, 5), 2, pointer: "/Records/950/eventID"),
            ], "jobs \(jobs)")
            #expect(Self.described(result.findings(in: lines.path)) == [
                Self.expected(lines, id: Self.id(0, 7), 0, pointer: "/eventID", firstIn: (log.path, "/Records/7/eventID")),
                Self.expected(lines, id: Self.id(1, 10), 1, pointer: "/eventID"),
            ], "jobs \(jobs)")
            #expect(Self.described(result.findings(in: array.path)) == [
                Self.expected(array, id: Self.id(1, 2), 0, pointer: "/0/eventID", firstIn: (lines.path, "/eventID")),
                Self.expected(array, id: Self.id(0, 9), 0, pointer: "/1/eventID", firstIn: (log.path, "/Records/9/eventID")),
            ], "jobs \(jobs)")

            // The other way round: the first uses are now in the array and the lines (line 3 repeats the array).
            let reversed = Runner(options: options).check(operands: [array.path, lines.path, log.path])
            #expect(Self.described(reversed.findings(in: array.path)).isEmpty)
            #expect(Self.described(reversed.findings(in: lines.path)) == [
                Self.expected(lines, id: Self.id(1, 2), 0, pointer: "/eventID", firstIn: (array.path, "/0/eventID")),
                Self.expected(lines, id: Self.id(1, 10), 1, pointer: "/eventID"),
            ], "jobs \(jobs)")
            #expect(Self.described(reversed.findings(in: log.path)) == [
                Self.expected(log, id: Self.id(0, 7), 0, pointer: "/Records/7/eventID", firstIn: (lines.path, "/eventID")),
                Self.expected(log, id: Self.id(0, 9), 0, pointer: "/Records/9/eventID", firstIn: (array.path, "/1/eventID")),
                Self.expected(log, id: Self.id(0, 5), 1, pointer: "/Records/900/eventID"),
                Self.expected(log, id: Self.id(0, 5), 2, pointer: "/Records/950/eventID"),
            ], "jobs \(jobs)")
        }
    }
}
