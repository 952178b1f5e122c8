import CTCore
import CTInput
import CTLint
import CTRules
import CTTestSupport
import Foundation
import Testing

/// The engine's one path: each input is read once, whatever it holds; `fix` reports as left what `check` then finds;
/// and a run's memory does not grow with the number of files that have findings.
@Suite struct OnePathTests {
    typealias Log = ExportedLogsTests

    /// A log large enough to be read through the window, with findings in it, and two small files that share an
    /// eventID with it (run-level findings): each is opened once, and every finding is placed where a whole read of
    /// the file places it.
    @Test func everyInputIsReadOnce() throws {
        let dir = Repo.tempDirectory()
        defer { Repo.remove(dir) }
        var text = RecordStreamTests.largeFile(count: 1_200, largeRecordBytes: 10_000)
        for i in [5, 600, 1_199] {
            let id = String(format: "00000000-0000-4000-8000-%012d", i)
            text = text.replacingOccurrences(of: Log.record(eventID: id), with: Log.record(eventID: id, arn: Log.badARN))
        }
        #expect(text.utf8.count >= 1 << 20, "the log must be large enough for the window")
        let large = dir.appendingPathComponent("large.json")
        try Data(text.utf8).write(to: large)
        let repeated = Log.record(eventID: "00000000-0000-4000-8000-000000000600")
        let small = dir.appendingPathComponent("small.json")
        try Data(RecordStreamTests.records([Log.record, repeated]).utf8).write(to: small)
        let lines = dir.appendingPathComponent("lines.jsonl")
        try Data((repeated + "\n" + Log.record(eventID: "00000000-0000-4000-8000-000000000005") + "\n").utf8).write(to: lines)

        OpenCounter.start()
        var options = CheckOptions()
        options.keepSourceLines = true
        let result = Runner(options: options).check(operands: [large.path, small.path, lines.path])
        for file in [large, small, lines] {
            #expect(OpenCounter.opens(of: file.path) == 1, "\(file.lastPathComponent) opened \(OpenCounter.opens(of: file.path)) times")
        }
        // The large file's own findings, as a whole read of it places them.
        let bytes = Array(text.utf8)
        let expected = FileReport(displayName: large.path, source: bytes, diagnostics: Linter().lint(bytes, format: .json, fileName: large.path),
                                  keepSourceLines: true)
        #expect(expected.diagnostics.count >= 3)
        #expect(RecordStreamTests.described(result.reports[0]) == RecordStreamTests.described(expected))
        // The run-level findings of the small files, placed from the facts: line, column and the note.
        let repeats = result.findings(in: small.path).filter { $0.diagnostic.rule == .duplicateEventID }
        #expect(repeats.count == 1 && repeats.first?.diagnostic.pointer == "/Records/1/eventID")
        let smallBytes = Array(RecordStreamTests.records([Log.record, repeated]).utf8)
        let at = LineIndex(smallBytes).location(of: try #require(repeats.first).diagnostic.range.start)
        #expect(repeats.first?.start == at)
        let inLines = result.findings(in: lines.path).filter { $0.diagnostic.rule == .duplicateEventID }
        #expect(inLines.map(\.start.line) == [1, 2])
    }

    /// An eventID's facts stay within 64 bytes, position included: a run holds one per record.
    @Test func anEventIDOccurrenceIsSmall() {
        #expect(MemoryLayout<DuplicateEventIDRule.Occurrence>.stride <= 64)
    }

    /// After `fix --unsafe-fixes`, `check` of the written file finds exactly the errors `fix` said were left, rule by
    /// rule: on every AWS documentation page of the corpus and every seed.
    @Test func fixReportsWhatCheckFinds() throws {
        var pages: [URL] = []
        for name in ["corpus/awsdocs", "seeds"] {
            guard let dir = SharedCorpus.directory(name) else {
                print("skipping \(name): \(SharedCorpus.root.appendingPathComponent(name).path) is absent")
                continue
            }
            pages += (try FileManager.default.contentsOfDirectory(at: dir, includingPropertiesForKeys: nil))
                .filter { !$0.lastPathComponent.hasPrefix(".") && !$0.hasDirectoryPath && $0.pathExtension != "tsv" }
        }
        guard !pages.isEmpty else { return }
        let work = Repo.tempDirectory()
        defer { Repo.remove(work) }
        var compared = 0
        for page in pages.sorted(by: { $0.path < $1.path }) {
            let copy = work.appendingPathComponent(page.lastPathComponent)
            try? FileManager.default.removeItem(at: copy)
            try FileManager.default.copyItem(at: page, to: copy)
            // The corpus is read-only, and so are its copies.
            try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: copy.path)
            let (_, fix) = TestConsole.run(["fix", "--unsafe-fixes", copy.path])
            var left: [String: Int] = [:]
            for line in fix.stderr.split(separator: "\n") where line.contains(": left unfixed: ") {
                let list = line.split(separator: ": left unfixed: ", maxSplits: 1)[1].split(separator: " (")[0]
                for part in list.split(separator: ", ") {
                    let pair = part.split(separator: " ×")
                    left[String(pair[0]), default: 0] += Int(pair[1]) ?? 0
                }
            }
            let refused = fix.stderr.contains("not rewritten")
            let (_, check) = TestConsole.run(["check", "--format", "json", copy.path])
            var found: [String: Int] = [:]
            for match in check.stdout.matches(of: /"severity":"error","rule":"([a-z0-9-]+)"/) { found[String(match.1), default: 0] += 1 }
            // A refused fix leaves the page as it was and says why instead of what is left.
            if refused { continue }
            #expect(left == found, "\(page.lastPathComponent): fix said \(left), check found \(found)")
            compared += 1
        }
        print("fix and check agree on \(compared) of \(pages.count) pages")
        #expect(compared > pages.count * 9 / 10)
    }

    /// 2,000 small files that each have a finding take no more than twice the memory of 20: reports are printed and
    /// dropped as they come.
    @Test func manyFilesWithFindingsInBoundedMemory() throws {
        guard let tool = ChildProcess.toolPath else {
            print("skipping: the debug build of cloudtrail-lint is absent")
            return
        }
        let dir = Repo.tempDirectory()
        defer { Repo.remove(dir) }
        func tree(_ name: String, files: Int) throws -> String {
            let root = dir.appendingPathComponent(name)
            for i in 0..<files {
                let sub = root.appendingPathComponent(String(format: "%03d", i / 100))
                try FileManager.default.createDirectory(at: sub, withIntermediateDirectories: true)
                let record = Log.record(eventID: String(format: "00000000-0000-4000-8000-%012d", i), arn: Log.badARN)
                try Data(RecordStreamTests.records([record]).utf8).write(to: sub.appendingPathComponent("f\(i).json"))
            }
            return root.path
        }
        let few = try tree("few", files: 20), many = try tree("many", files: 2_000)
        let a = try #require(ChildProcess.run(tool, ["check", "--format", "json", few]))
        let b = try #require(ChildProcess.run(tool, ["check", "--format", "json", many]))
        #expect(a.status == 1 && b.status == 1)
        #expect(b.peakRSS <= 2 * a.peakRSS, "2,000 files: \(b.peakRSS >> 20) MB; 20 files: \(a.peakRSS >> 20) MB")
        print("peak RSS: 20 files \(a.peakRSS >> 20) MB, 2,000 files \(b.peakRSS >> 20) MB")
    }
}
