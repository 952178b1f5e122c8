import CTCore
import CTInput
import CTRules
import CTTestSupport
import Foundation
import Testing
@testable import CTLint

/// One large log checked on several threads (`RecordStream.checkInParallel`) gives exactly the one-thread outcome:
/// the same findings in the same order, positions and code frames, the same facts for the run-level rules; and a
/// file whose cuts do not hold goes back to one thread.
@Suite struct ParallelCheckTests {
    typealias Log = ExportedLogsTests

    /// The one-thread outcome and the parallel one of `path`, as comparable text.
    static func compare(_ path: String, jobs: Int, batchSize: Int, chunkSize: Int, maxFindings: Int = 10_000,
                        linter: Linter = Linter()) throws -> Bool {
        let source = InputSource(displayName: path, location: .file(absolutePath: path), kind: InputKind.detect(fileName: path))
        let one = try #require(RecordStream.check(source, linter: linter, keepSourceLines: true, maxFindings: maxFindings))
        let split = RecordStream.checkInParallel(source, linter: linter, jobs: jobs, keepSourceLines: true, maxFindings: maxFindings,
                                                 chunkSize: chunkSize, batchSize: batchSize)
        guard case .done(let outcome) = split else { return false }
        let many = try #require(outcome)
        #expect(RecordStreamTests.described(many.report) == RecordStreamTests.described(one.report), "\(path) in batches of \(batchSize)")
        #expect(many.report.omitted == one.report.omitted)
        #expect(RecordStreamTests.ids(many.facts) == RecordStreamTests.ids(one.facts))
        #expect(many.facts.eventIDs.map(\.start) == one.facts.eventIDs.map(\.start))
        #expect(many.facts.eventIDs.map(\.end) == one.facts.eventIDs.map(\.end))
        return true
    }

    /// Generated logs with defects, compact, pretty-printed and gzipped, with eventIDs used twice, in batches from a
    /// few records to many: each batch size moves the cuts to other records.
    @Test func batchesGiveTheOneThreadOutcome() throws {
        let dir = Repo.tempDirectory()
        defer { Repo.remove(dir) }
        guard Log.generate(["--files", "1", "--records", "200", "--inject-defects", "0.06",
                            "--defect-kinds", "missing_field,bad_arn,account_mismatch"], into: dir.appendingPathComponent("compact")),
              Log.generate(["--files", "1", "--records", "120", "--pretty", "--seed", "7", "--inject-defects", "0.06",
                            "--defect-kinds", "missing_field,bad_arn,account_mismatch"], into: dir.appendingPathComponent("pretty")),
              Log.generate(["--files", "1", "--records", "150", "--gzip", "--seed", "9", "--inject-defects", "0.06",
                            "--defect-kinds", "missing_field,bad_arn,account_mismatch"], into: dir.appendingPathComponent("gzip"))
        else { return }
        var files = try FileManager.default.subpathsOfDirectory(atPath: dir.path)
            .filter { $0.contains("_CloudTrail_") }.sorted().map { dir.appendingPathComponent($0).path }
        #expect(files.count == 3)
        // The compact log again with some eventIDs repeated (a run-level finding with a note in the same file), and
        // with CR LF line breaks between its records.
        let compact = try #require(files.first { $0.contains("/compact/") })
        var text = try String(contentsOfFile: compact, encoding: .utf8)
        let ids = text.matches(of: /"eventID":"([0-9a-f-]{36})"/).map { String($0.output.1) }
        for i in stride(from: 10, to: ids.count - 50, by: 29) {
            text = text.replacingOccurrences(of: ids[i + 40], with: ids[i])
        }
        let repeated = compact.replacingOccurrences(of: "/compact/", with: "/repeated/")
        try FileManager.default.createDirectory(atPath: (repeated as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try Data(text.replacingOccurrences(of: "},{\"eventVersion\"", with: "},\r\n{\"eventVersion\"").utf8).write(to: URL(fileURLWithPath: repeated))
        files.append(repeated)
        var compared = 0
        for path in files {
            for (batch, chunk) in [(2_000, 1_000), (20_000, 4_096)] {
                if try Self.compare(path, jobs: 2, batchSize: batch, chunkSize: chunk) { compared += 1 }
            }
            // A findings limit is kept over the batches as over the records.
            if try Self.compare(path, jobs: 3, batchSize: 5_000, chunkSize: 2_048, maxFindings: 7) { compared += 1 }
        }
        #expect(compared == files.count * 3, "every generated file is split")
    }

    /// A log whose records hold nested objects that look like a record's start: a cut may fall inside a record,
    /// and the worker's parse finds it out. The outcome is then the one thread's, never a different one.
    @Test func cutsInsideARecordGoBackToOneThread() throws {
        let dir = Repo.tempDirectory()
        defer { Repo.remove(dir) }
        var items: [String] = []
        for i in 0..<60 {
            var r = Log.record(eventID: String(format: "00000000-0000-4000-8000-%012d", i))
            // `"additionalEventData"` holds objects that start as a record does, after `},`.
            r = String(r.dropLast()) + #","additionalEventData":{"list":[{"a":1},{"eventVersion":"1.08","n":\#(i)},{"eventVersion":"x"}]}}"#
            items.append(r)
        }
        let path = dir.appendingPathComponent("nested.json").path
        try Data(("{\"Records\":[" + items.joined(separator: ",") + "]}").utf8).write(to: URL(fileURLWithPath: path))
        let source = InputSource(displayName: path, location: .file(absolutePath: path), kind: .json)
        var fellBack = 0
        for batch in [700, 1_500, 3_000] {
            switch RecordStream.checkInParallel(source, linter: Linter(), jobs: 2, keepSourceLines: true, chunkSize: 512, batchSize: batch) {
            case .oneThread: fellBack += 1
            case .done: _ = try Self.compare(path, jobs: 2, batchSize: batch, chunkSize: 512)
            }
        }
        #expect(fellBack > 0)
        // The run gives the same report whatever the threads.
        let document = Document.open(source, streaming: true, windowedFrom: 0, maxDecompressedBytes: 1 << 30)
        let one = Linter().check(document, keepSourceLines: true, maxFindings: 100, maxDecompressedBytes: 1 << 30, jobs: 1)
        let two = Linter().check(document, keepSourceLines: true, maxFindings: 100, maxDecompressedBytes: 1 << 30, jobs: 2)
        #expect(RecordStreamTests.described(one.report) == RecordStreamTests.described(two.report))
    }

    /// Past a cut, a record that is not strict JSON, a missing `]}`, or a file that is not a log at all: the file
    /// goes back to one thread (which leaves it to the whole read), or is reported as the one thread reports it.
    @Test func filesThatAreNotStrictLogsAreLeftToOneThread() throws {
        let dir = Repo.tempDirectory()
        defer { Repo.remove(dir) }
        let records = (0..<60).map { Log.record(eventID: String(format: "00000000-0000-4000-8000-%012d", $0)) }
        let body = records.joined(separator: ",")
        let cases = [
            "{\"Records\":[" + body.replacingOccurrences(of: "\"eventName\"", with: "\"eventName\",") + "]}",
            "{\"Records\":[" + body + "]",
            "{\"Records\":[" + body + "]}, 3",
            "{\"Records\":[" + body + ",]}",
            "[" + body + "]",
        ]
        for (i, text) in cases.enumerated() {
            let path = dir.appendingPathComponent("case\(i).json").path
            try Data(text.utf8).write(to: URL(fileURLWithPath: path))
            let source = InputSource(displayName: path, location: .file(absolutePath: path), kind: .json)
            let split = RecordStream.checkInParallel(source, linter: Linter(), jobs: 2, keepSourceLines: false, chunkSize: 1_024,
                                                     batchSize: 2_000)
            if case .done(let outcome?) = split { Issue.record("case \(i) was checked in batches: \(outcome.report.diagnostics.count)") }
            let document = Document.open(source, streaming: true, windowedFrom: 0, maxDecompressedBytes: 1 << 30)
            let one = Linter().check(document, keepSourceLines: true, maxFindings: 100, maxDecompressedBytes: 1 << 30, jobs: 1)
            let two = Linter().check(document, keepSourceLines: true, maxFindings: 100, maxDecompressedBytes: 1 << 30, jobs: 2)
            #expect(RecordStreamTests.described(one.report) == RecordStreamTests.described(two.report), "case \(i)")
            // The last case is an array of records, which is fine, but not a delivered log.
            #expect(one.report.diagnostics.isEmpty == (i == 4), "case \(i)")
        }
    }
}

extension ParallelCheckTests {
    /// A run of one log large enough to be split reports the same with `--jobs 2` as with `--jobs 1`, the run-level
    /// findings included.
    @Test func aRunOfOneLargeLogIsTheSameOnTwoThreads() throws {
        let dir = Repo.tempDirectory()
        defer { Repo.remove(dir) }
        guard Log.generate(["--files", "1", "--records", "400", "--inject-defects", "0.03", "--seed", "11",
                            "--defect-kinds", "missing_field,bad_arn,account_mismatch"], into: dir) else { return }
        let name = try #require(FileManager.default.subpathsOfDirectory(atPath: dir.path).first { $0.contains("_CloudTrail_") })
        let path = dir.appendingPathComponent(name).path
        var text = try String(contentsOfFile: path, encoding: .utf8)
        let ids = text.matches(of: /"eventID":"([0-9a-f-]{36})"/).map { String($0.output.1) }
        text = text.replacingOccurrences(of: ids[300], with: ids[3])
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        let source = InputSource(displayName: path, location: .file(absolutePath: path), kind: .json)
        #expect(RecordStream.isWorthSplitting(source, from: 100_000))
        var reports: [[String]] = []
        for jobs in [1, 2] {
            var options = CheckOptions()
            options.jobs = jobs
            options.keepSourceLines = true
            options.minimumSplitFileSize = 100_000
            let result = Runner(options: options).check(operands: [path])
            reports.append(result.reports.flatMap(RecordStreamTests.described))
        }
        #expect(reports[0] == reports[1])
        #expect(reports[0].contains { $0.contains("duplicate-event-id") })
        #expect(reports[0].count > 8)
    }
}

extension ParallelCheckTests {
    /// A JSON Lines file checked in batches of lines on worker threads gives the one-thread outcome: findings, their
    /// order and positions, the facts of the run-level rules (repeated eventIDs, a lone CR inside a line, CR LF, blank
    /// and broken lines, a gzip stream).
    @Test func jsonLinesInBatchesGiveTheOneThreadOutcome() throws {
        let dir = Repo.tempDirectory()
        defer { Repo.remove(dir) }
        var lines: [String] = []
        for i in 0..<150 {
            let id = String(format: "00000000-0000-4000-8000-%012d", i % 130)
            var r = Log.record(eventID: id, arn: i % 17 == 0 ? Log.badARN : nil)
            if i % 23 == 0 { r = r.replacingOccurrences(of: "{", with: "{\r ", options: .anchored) }
            lines.append(r)
            if i % 31 == 0 { lines.append("") }
            if i % 41 == 0 { lines.append(#"{"eventVersion": "1.08", "eventID": 3,"#) }
        }
        let path = dir.appendingPathComponent("records.jsonl").path
        try Data(lines.joined(separator: "\r\n").utf8).write(to: URL(fileURLWithPath: path))
        try Log.shell("gzip -c '\(path)' > '\(path).gz'")
        for file in [path, path + ".gz"] {
            let source = InputSource(displayName: file, location: .file(absolutePath: file), kind: InputKind.detect(fileName: file))
            let one = StreamedLines.check(source, linter: Linter(), keepSourceLines: true)
            #expect(one.report.diagnostics.contains { $0.diagnostic.rule == .duplicateEventID } == false)
            #expect(RecordStreamTests.ids(one.facts).count > 100)
            for (jobs, batch, limit) in [(2, 1_500, 10_000), (3, 700, 10_000), (2, 4_000, 9)] {
                let many = StreamedLines.check(source, linter: Linter(), keepSourceLines: true, maxFindings: limit, jobs: jobs,
                                               batchSize: batch)
                let reference = limit == 10_000 ? one : StreamedLines.check(source, linter: Linter(), keepSourceLines: true, maxFindings: limit)
                #expect(RecordStreamTests.described(many.report) == RecordStreamTests.described(reference.report), "\(file) \(jobs) \(batch)")
                #expect(many.report.omitted == reference.report.omitted)
                #expect(RecordStreamTests.ids(many.facts) == RecordStreamTests.ids(reference.facts))
                #expect(many.facts.eventIDs.map(\.start) == reference.facts.eventIDs.map(\.start))
            }
            #expect(one.report.diagnostics.count > 10)
        }
    }
}

/// `fix` of a large log through the record window gives the bytes, the counts and the findings left that the fixer
/// gives on the whole file, and writes nothing when there is nothing to fix.
@Suite struct WindowedFixTests {
    typealias Log = ExportedLogsTests

    @Test func recordsFixedAloneGiveTheWholeFileFix() throws {
        let dir = Repo.tempDirectory()
        defer { Repo.remove(dir) }
        guard Log.generate(["--files", "1", "--records", "300", "--inject-defects", "0.05", "--seed", "13",
                            "--defect-kinds", "missing_field,bad_arn,account_mismatch"], into: dir) else { return }
        let name = try #require(FileManager.default.subpathsOfDirectory(atPath: dir.path).first { $0.contains("_CloudTrail_") })
        let path = dir.appendingPathComponent(name).path
        var text = try String(contentsOfFile: path, encoding: .utf8)
        // Fixable findings spread through the file: upper-case eventSource values (an unsafe fix) and an IPv4
        // address with a leading zero.
        var n = 0
        text = text.replacingOccurrences(of: #""eventSource":"s3.amazonaws.com""#, with: #""eventSource":"S3.amazonaws.com""#)
        for source in ["ec2", "iam", "sts"] where n < 3 {
            text = text.replacingOccurrences(of: "\"eventSource\":\"\(source).amazonaws.com\"", with: "\"eventSource\":\"\(source.uppercased()).amazonaws.com\"")
            n += 1
        }
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        try Log.shell("gzip -c '\(path)' > '\(path).gz'")
        for unsafe in [false, true] {
            let fixer = Fixer(linter: Linter(), includeUnsafe: unsafe)
            let whole = fixer.fix(Array(text.utf8), format: .json, fileName: path)
            for file in [path, path + ".gz"] {
                let source = InputSource(displayName: file, location: .file(absolutePath: file), kind: InputKind.detect(fileName: file))
                let (windowed, stamp) = try #require(RecordStream.fix(source, fixer: fixer, maxRecordBytes: 1 << 30))
                #expect(stamp != nil)
                #expect(windowed.applied == whole.applied, "\(file) unsafe: \(unsafe)")
                #expect(windowed.refusal == nil && whole.refusal == nil)
                if whole.applied.isEmpty {
                    #expect(windowed.output.isEmpty, "nothing copied when nothing is fixed")
                } else {
                    #expect(windowed.output == whole.output, "\(file) unsafe: \(unsafe)")
                }
                let counts = { (list: [Diagnostic]) in Dictionary(list.map { ($0.rule, 1) }, uniquingKeysWith: +) }
                #expect(counts(windowed.remaining) == counts(whole.remaining), "\(file) unsafe: \(unsafe)")
            }
            #expect(unsafe == !whole.applied.isEmpty)
        }
    }
}
