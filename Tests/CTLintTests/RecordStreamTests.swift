import CTCore
import CTInput
import CTRules
import CTTestSupport
import Foundation
import Testing
@testable import CTLint

/// Record-by-record checking of `{"Records": [...]}` files (`RecordStream`) gives exactly what checking the
/// whole document as one tree gives, in memory and through the reading window.
extension Optional where Wrapped == RunFacts {
    /// The eventIDs collected for `duplicate-event-id`.
    var eventIDs: [DuplicateEventIDRule.Occurrence] {
        self?.collectors.compactMap { $0 as? DuplicateEventIDRule.Collector }.first?.occurrences ?? []
    }
}

@Suite struct RecordStreamTests {
    typealias Log = ExportedLogsTests

    /// The eventIDs as comparable values.
    static func ids(_ facts: RunFacts?) -> [String] { ids(facts.eventIDs) }

    /// The eventIDs as comparable values.
    static func ids(_ list: [DuplicateEventIDRule.Occurrence]) -> [String] {
        list.map { "\($0.id) \($0.range.start)-\($0.range.end) \($0.pointer ?? "-")" }
    }

    /// Asserts that the record-by-record result equals the whole-tree result; returns whether the document took
    /// the record-by-record path at all.
    @discardableResult
    static func expectSamePaths(_ text: String, fileName: String? = nil, select: [String] = [],
                                sourceLocation: SourceLocation = #_sourceLocation) -> Bool {
        let linter = Linter(selection: RuleSelection(select: select))
        let bytes = Array(text.utf8)
        let wholeFacts = linter.newFacts(), streamedFacts = linter.newFacts()
        let whole = linter.lintDocument(bytes, fileName: fileName, facts: wholeFacts)
        guard let streamed = RecordStream.check(bytes, fileName: fileName, linter: linter, facts: streamedFacts) else { return false }
        #expect(streamed.sorted() == whole.diagnostics.sorted(), sourceLocation: sourceLocation)
        #expect(ids(streamedFacts.eventIDs) == ids(wholeFacts.eventIDs), sourceLocation: sourceLocation)
        return true
    }

    static func records(_ items: [String], separator: String = ",") -> String {
        #"{"Records":["# + items.joined(separator: separator) + "]}"
    }

    static let logName = "/logs/AWSLogs/029141777631/CloudTrail/ap-southeast-2/2024/03/14/029141777631_CloudTrail_ap-southeast-2_20240314T2135Z_abcdEFGH12345678.json"

    @Test func findingsMatchTheWholeTree() {
        let bad = Log.record(arn: Log.badARN)
        let other = Log.record(eventID: "00000000-0000-4000-8000-000000000009")
        let insight = Log.record.replacingOccurrences(of: #""eventType":"AwsApiCall""#, with: #""eventType":"AwsCloudTrailInsight""#)
        let wrongAccount = Log.record.replacingOccurrences(of: #""recipientAccountId":"029141777631""#, with: #""recipientAccountId":"111122223333""#)
        let missing = Log.record.replacingOccurrences(of: #""eventTime":"2024-03-14T21:32:02Z","#, with: "")
        let documents = [
            Self.records([Log.record]),
            Self.records([Log.record, bad, other, Log.record]),
            Self.records([insight, Log.record, insight]),
            Self.records([wrongAccount, missing, bad]),
            "\n  {\n  \"Records\" : [\n" + [Log.record, bad].joined(separator: " ,\n") + "\n ]\n}\n",
        ]
        for text in documents {
            for name in [nil, Self.logName, Self.logName.replacingOccurrences(of: "CloudTrail_", with: "CloudTrail-Insight_")] {
                #expect(Self.expectSamePaths(text, fileName: name), "not taken record by record: \(text.prefix(80))")
            }
            Self.expectSamePaths(text, fileName: Self.logName, select: ["schema"])
            Self.expectSamePaths(text, fileName: Self.logName, select: ["arn-syntax", "duplicate-event-id"])
        }
    }

    @Test func findingsKeepTheirPlaceAfterMultibyteText() {
        let accented = Log.record.replacingOccurrences(of: #""tableName":"orders""#, with: #""tableName":"commandes-été-🍁""#)
        let text = Self.records([accented, Log.record(arn: Log.badARN)])
        #expect(Self.expectSamePaths(text, fileName: Self.logName))
        let found = Log.lint(text)
        #expect(found.first { $0.rule == .arnSyntax }.map { Log.text(text, $0.range) } == "awz")
    }

    @Test func otherShapesTakeTheWholeTreePath() {
        let r = Log.record
        let shapes = [
            "{\"Records\":[\(r),]}",                       // trailing comma
            "{\"Records\":[\(r) \(r)]}",                   // missing comma
            "{\"Records\":[\(r)],\"extra\":1}",            // another member
            "\u{FEFF}{\"Records\":[\(r)]}",                // byte-order mark
            "{\"Records\":[]}",                            // nothing to stream
            "{\"Records\":[\(r),42]}",                     // a record that is not an object
            "{\"Records\":[\(r)]",                         // truncated
            "{\"Records\":[\(r)]} x",                      // trailing content
            "{\"Rec\\u006frds\":[\(r)]}",                  // escaped key
            "[\(r)]",                                      // a bare array
            "{\"Records\":[\(r.replacingOccurrences(of: "\"readOnly\":true", with: "\"readOnly\":true,\"readOnly\":true"))]}",
        ]
        for text in shapes {
            let bytes = Array(text.utf8)
            #expect(RecordStream.check(bytes, fileName: nil, linter: Linter(), facts: nil) == nil, "\(text.prefix(40))")
        }
        // A digest file by name is never a `Records` file.
        let digest = "/logs/AWSLogs/029141777631/CloudTrail-Digest/ap-southeast-2/2024/03/14/029141777631_CloudTrail-Digest_ap-southeast-2_20240314T213500Z.json"
        #expect(DocumentChecker.deliveryKind(of: digest) == .digest)
        #expect(RecordStream.check(Array(Self.records([r]).utf8), fileName: digest, linter: Linter(), facts: nil) == nil)
    }

    /// A file of `count` records, pretty-printed around the separators, with one record of about 100 KB
    /// (larger than the window's first size) in the middle.
    static func largeFile(count: Int, largeRecordBytes: Int = 100_000) -> String {
        var items: [String] = []
        for i in 0..<count {
            var r = Log.record(eventID: String(format: "00000000-0000-4000-8000-%012d", i))
            if i == count / 2 {
                let long = String(repeating: "x", count: largeRecordBytes)
                r = r.replacingOccurrences(of: #""tableName":"orders""#, with: #""tableName":"\#(long)""#)
            }
            items.append(r)
        }
        return "{\n  \"Records\": [\n    " + items.joined(separator: "\n  ,\n    ") + "\n  ]\n}\n"
    }

    /// The findings and facts of a file read through the window are those of the file read whole: the same
    /// positions, code-frame excerpts and eventID places, whatever the size of the reads.
    @Test func theWindowReadsAcrossItsEdge() throws {
        let dir = Repo.tempDirectory()
        defer { Repo.remove(dir) }
        var text = Self.largeFile(count: 120)
        // Findings in a few records, one of them right after the large record (across the window's edge).
        for i in [3, 61, 119] {
            let id = String(format: "00000000-0000-4000-8000-%012d", i)
            text = text.replacingOccurrences(of: Log.record(eventID: id), with: Log.record(eventID: id, arn: Log.badARN))
        }
        let file = dir.appendingPathComponent("AWSLogs/029141777631/CloudTrail/ap-southeast-2/2024/03/14/029141777631_CloudTrail_ap-southeast-2_20240314T2135Z_abcdEFGH12345678.json")
        try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: file)
        try Log.shell("gzip -c '\(file.path)' > '\(file.path).gz'")

        let linter = Linter()
        let bytes = Array(text.utf8)
        let facts = linter.newFacts()
        let inMemory = try #require(RecordStream.check(bytes, fileName: file.path, linter: linter, facts: facts))
        #expect(inMemory.count >= 3, "\(inMemory.map(\.message))")
        #expect(facts.eventIDs.count == 120)
        let whole = FileReport(displayName: file.path, source: bytes, diagnostics: inMemory, keepSourceLines: true)
        bytes.withUnsafeBufferPointer { facts?.locate(from: PositionCursor(), in: $0, windowBase: 0) }
        for path in [file.path, file.path + ".gz"] {
            let source = InputSource(displayName: file.path, location: .file(absolutePath: path), kind: .json)
            for chunk in [4096, 5000, 1 << 20] {
                let windowed = try #require(RecordStream.check(source, linter: linter, keepSourceLines: true, chunkSize: chunk))
                #expect(Self.ids(windowed.facts.eventIDs) == Self.ids(facts.eventIDs), "\(path), chunks of \(chunk)")
                #expect(windowed.facts.eventIDs.map(\.start) == facts.eventIDs.map(\.start), "\(path), chunks of \(chunk)")
                #expect(Self.described(windowed.report) == Self.described(whole), "\(path), chunks of \(chunk)")
            }
        }
    }

    /// A report as text: every finding with its positions and code-frame excerpt.
    static func described(_ report: FileReport) -> [String] {
        report.diagnostics.map { d in
            "\(d.start) \(d.end) \(d.noteStarts) \(d.diagnostic.rule) \(d.diagnostic.message) | \(d.sourceLine ?? "-") @\(d.sourceLineColumn)"
        }
    }

    @Test func aRecordLargerThanTheLimitIsNotHeld() throws {
        let dir = Repo.tempDirectory()
        defer { Repo.remove(dir) }
        let file = dir.appendingPathComponent("big-record.json")
        try Data(Self.largeFile(count: 20, largeRecordBytes: 2_000_000).utf8).write(to: file)
        let source = InputSource(displayName: file.path, location: .file(absolutePath: file.path), kind: .json)
        // The 2 MB record does not fit in 500 KB (the window may pass the limit by one read); with room for it,
        // the file is clean.
        #expect(RecordStream.check(source, linter: Linter(), keepSourceLines: false, chunkSize: 4096, maxRecordBytes: 500_000) == nil)
        #expect(RecordStream.check(source, linter: Linter(), keepSourceLines: false, chunkSize: 4096, maxRecordBytes: 8_000_000)?.facts.eventIDs.count == 20)
    }

    /// A strict log with findings keeps them through the window; anything else is left to the whole read.
    @Test func theWindowKeepsFindingsAndLeavesOtherShapes() throws {
        let dir = Repo.tempDirectory()
        defer { Repo.remove(dir) }
        let second = Log.record(eventID: "00000000-0000-4000-8000-000000000009")
        let cases = [
            Self.records([Log.record, Log.record(eventID: "00000000-0000-4000-8000-000000000009", arn: Log.badARN)]),
            Self.records([Log.record, second]) + ",",
            "{\"Records\":[\(Log.record)",
        ]
        for (i, text) in cases.enumerated() {
            let file = dir.appendingPathComponent("case\(i).json")
            try Data(text.utf8).write(to: file)
            let source = InputSource(displayName: file.path, location: .file(absolutePath: file.path), kind: .json)
            let windowed = RecordStream.check(source, linter: Linter(), keepSourceLines: false, chunkSize: 4096)
            #expect((windowed != nil) == (i == 0))
            // The run reports the findings, placed in the file, either way.
            let report = Runner(options: CheckOptions()).check(operands: [file.path]).reports[0]
            let expected = Linter().lint(Array(text.utf8), format: .json, fileName: file.path)
            #expect(report.diagnostics.map(\.diagnostic) == expected)
            #expect(!expected.isEmpty)
            if let windowed { #expect(windowed.report.diagnostics.map(\.diagnostic) == expected) }
        }
    }

    @Test func generatedLogsWithDefectsMatchTheWholeTree() throws {
        let dir = Repo.tempDirectory()
        defer { Repo.remove(dir) }
        guard Log.generate(["--files", "6", "--records", "60", "--inject-defects", "0.05", "--vary"], into: dir) else { return }
        let files = try FileManager.default.subpathsOfDirectory(atPath: dir.path).filter { $0.hasSuffix(".json") }.sorted()
        #expect(!files.isEmpty)
        var streamed = 0
        for name in files {
            let path = dir.appendingPathComponent(name).path
            let text = try String(contentsOfFile: path, encoding: .utf8)
            if Self.expectSamePaths(text, fileName: path) { streamed += 1 }
        }
        // Files with a syntax defect take the whole-tree path; the others must not.
        #expect(streamed > 0)
    }

    @Test func eventIDKeysRoundTrip() {
        let ids = ["55ae8fc2-a74e-4d61-9f63-f72ccba5e419", "55AE8FC2-A74E-4D61-9F63-F72CCBA5E419", "00000000-0000-4000-8000-000000000009",
                   "55ae8fc2-a74e-4d61-9f63-f72ccba5e41", "55ae8fc2a74e-4d61-9f63-f72ccba5e4190", "55AE8FC2-a74e-4d61-9f63-f72ccba5e419",
                   "55ae8fc2-a74e-4d61-9f63-f72ccba5e41g", "not-a-uuid", ""]
        for id in ids {
            let bytes = Array(id.utf8)
            let canonical = bytes.withUnsafeBufferPointer { UUIDKey(canonical: $0) }
            #expect(canonical == UUIDKey(id.utf8), "\(id)")
            if let key = canonical { #expect(key.text == id) }
        }
        #expect(UUIDKey(ids[0].utf8) != UUIDKey(ids[1].utf8))
        // Short, misplaced dash, mixed case, non-hex, not a UUID, empty.
        for bad in ids[3...] { #expect(UUIDKey(bad.utf8) == nil, "\(bad)") }
    }
}
