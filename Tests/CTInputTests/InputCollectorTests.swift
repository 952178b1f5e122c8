import Foundation
#if canImport(Glibc)
import Glibc
#endif
import Testing
@testable import CTInput

struct InputKindTests {
    @Test func kindsFromFileNames() {
        #expect(InputKind(fileName: "a.json") == InputKind(format: .json))
        #expect(InputKind(fileName: "dir/x_CloudTrail_us-east-1_20150801T0210Z_abc.json.gz")
                == InputKind(format: .json, isGzipped: true))
        #expect(InputKind(fileName: "a.jsonl") == .jsonLines)
        #expect(InputKind(fileName: "a.ndjson") == .jsonLines)
        #expect(InputKind(fileName: "a.jsonl.gz") == InputKind(format: .jsonLines, isGzipped: true))
        #expect(InputKind(fileName: "README.md") == .markdown)
        #expect(InputKind(fileName: "page.markdown") == .markdown)
        #expect(InputKind(fileName: "LOG.JSON.GZ") == InputKind(format: .json, isGzipped: true))
        #expect(InputKind(fileName: "dump.gz") == InputKind(format: .json, isGzipped: true))
        #expect(InputKind(fileName: "notes.txt") == nil)
        #expect(InputKind(fileName: "json") == nil)
        #expect(InputKind(fileName: ".gz") == nil)
    }

    @Test func detectFallsBackToJSONAndHonoursOverride() {
        // JSON until the content says otherwise (`InputKind.refined(content:)`).
        #expect(InputKind.detect(fileName: "notes.txt") == InputKind(format: .json, formatFromContent: true))
        #expect(InputKind.detect(fileName: "notes.gz") == InputKind(format: .json, isGzipped: true, formatFromContent: true))
        #expect(InputKind.detect(fileName: "a.json") == .json)
        #expect(InputKind.detect(fileName: "notes.txt", override: .markdown) == .markdown)
        #expect(InputKind.detect(fileName: "a.json.gz", override: .jsonLines)
                == InputKind(format: .jsonLines, isGzipped: true))
    }

    @Test func contentDecidesCompression() {
        let plain = InputKind(format: .json, isGzipped: true).sniffed(content: Array("{}".utf8))
        #expect(plain == .json)
        let gzipped = InputKind.json.sniffed(content: [0x1F, 0x8B, 0x08, 0x00])
        #expect(gzipped.isGzipped)
        #expect(gzipped.description == "json+gzip")
    }

    @Test func formatArguments() {
        #expect(InputKind.Format(argument: "json") == .json)
        #expect(InputKind.Format(argument: "jsonl") == .jsonLines)
        #expect(InputKind.Format(argument: "NDJSON") == .jsonLines)
        #expect(InputKind.Format(argument: "markdown") == .markdown)
        #expect(InputKind.Format(argument: "md") == .markdown)
        #expect(InputKind.Format(argument: "yaml") == nil)
    }

    @Test func directoryWalkSelection() {
        for name in ["a.json", "a.json.gz", "a.jsonl", "a.jsonl.gz", "a.ndjson", "a.md", "a.markdown", "A.JSON"] {
            #expect(InputKind.isCollectedInDirectories(fileName: name), "\(name)")
        }
        for name in ["a.txt", "a.gz", "a.md.gz", "a.json.bak", "a.csv.gz"] {
            #expect(!InputKind.isCollectedInDirectories(fileName: name), "\(name)")
        }
    }
}

struct InputCollectorTests {
    /// A tree with nested folders, hidden entries, a symlink loop, a file link and a dangling link.
    private func makeTree() throws -> TemporaryDirectory {
        let tree = try TemporaryDirectory()
        try tree.write("root/b.json", "{}")
        try tree.write("root/a.json.gz", "{}")
        try tree.write("root/A.md", "# x")
        try tree.write("root/notes.txt", "skip")
        try tree.write("root/.hidden.json", "{}")
        try tree.write("root/.git/x.json", "{}")
        try tree.write("root/sub/d.ndjson", "{}")
        try tree.write("root/sub/c.jsonl", "{}")
        try tree.write("root/sub/.cache/e.json", "{}")
        try tree.write("root/sub.json", "{}")
        try tree.makeDirectory("root/empty")
        try tree.symlink("root/loop", to: tree.path + "/root")
        try tree.symlink("root/link.json", to: "b.json")
        try tree.symlink("root/dangling.json", to: "nowhere.json")
        return tree
    }

    private func names(_ results: [Result<InputSource, InputError>]) -> [String] {
        results.map { result in
            switch result {
            case .success(let source): return source.displayName
            case .failure(let error): return "!" + error.path
            }
        }
    }

    /// Defect 8 of the hostile-input issue: by default a walk takes no symbolic link (to a file or a folder),
    /// and says so in `skipped`.
    @Test func walksSkipSymbolicLinksByDefault() throws {
        let tree = try makeTree()
        defer { tree.remove() }
        try tree.symlink("root/sub/up", to: "..")
        var skipped: [InputCollector.Skipped] = []
        let results = InputCollector(currentDirectory: tree.path).collect(["root"], skipped: &skipped)
        #expect(names(results) == ["root/A.md", "root/a.json.gz", "root/b.json", "root/sub/c.jsonl", "root/sub/d.ndjson", "root/sub.json"])
        #expect(Set(skipped.map(\.path)).isSuperset(of: ["root/dangling.json", "root/link.json", "root/sub/up"]))
        // An operand that is itself a link is followed.
        #expect(names(InputCollector(currentDirectory: tree.path).collect(["root/link.json"])) == ["root/link.json"])
    }

    /// Defect 9: a FIFO in a directory is skipped (reading it would block); named as an operand it is taken.
    @Test func walksSkipFIFOs() throws {
        let tree = try makeTree()
        defer { tree.remove() }
        #expect(mkfifo(tree.path + "/root/sub/pipe.json", 0o644) == 0)
        var skipped: [InputCollector.Skipped] = []
        let results = InputCollector(currentDirectory: tree.path).collect(["root/sub"], skipped: &skipped)
        #expect(names(results) == ["root/sub/c.jsonl", "root/sub/d.ndjson"])
        #expect(skipped.map(\.path) == ["root/sub/pipe.json"])
        #expect(names(InputCollector(currentDirectory: tree.path).collect(["root/sub/pipe.json"])) == ["root/sub/pipe.json"])
    }

    @Test func walksInByteOrderSkippingHiddenAndLoops() throws {
        let tree = try makeTree()
        defer { tree.remove() }
        let collector = InputCollector(currentDirectory: tree.path, followSymlinks: true)
        let results = collector.collect(["root"])
        #expect(names(results) == [
            "root/A.md", "root/a.json.gz", "root/b.json", "!root/dangling.json",
            "root/sub/c.jsonl", "root/sub/d.ndjson", "root/sub.json",
        ])
        let sources = results.compactMap { try? $0.get() }
        #expect(sources[0].kind == .markdown)
        #expect(sources[1].kind == InputKind(format: .json, isGzipped: true))
        #expect(sources[3].kind == .jsonLines)
        #expect(sources[0].absolutePath == tree.path + "/root/A.md")
        if case .failure(let error) = results[3] { #expect(error.reason == .notFound) }
    }

    @Test func symlinkToAnAncestorTerminatesAndVisitsEachFolderOnce() throws {
        let tree = try makeTree()
        defer { tree.remove() }
        try tree.symlink("root/sub/up", to: "..")
        let collector = InputCollector(currentDirectory: tree.path + "/root", followSymlinks: true)
        // From the root, `sub/up` leads back to a folder already walked.
        #expect(names(collector.collect(["."])) == [
            "A.md", "a.json.gz", "b.json", "!dangling.json", "sub/c.jsonl", "sub/d.ndjson", "sub.json",
        ])
        // From `sub`, the link climbs to the root once; `root/sub` and `root/loop` are not re-entered.
        #expect(names(collector.collect(["sub"])) == [
            "sub/c.jsonl", "sub/d.ndjson", "sub/up/A.md", "sub/up/a.json.gz", "sub/up/b.json",
            "!sub/up/dangling.json", "sub/up/sub.json",
        ])
    }

    @Test func displayNamesFollowTheOperand() throws {
        let tree = try makeTree()
        defer { tree.remove() }
        let inRoot = InputCollector(currentDirectory: tree.path + "/root")
        #expect(names(inRoot.collect(["sub/"])) == ["sub/c.jsonl", "sub/d.ndjson"])
        #expect(names(inRoot.collect(["./sub"])) == ["./sub/c.jsonl", "./sub/d.ndjson"])
        #expect(names(inRoot.collect(["."])).first == "A.md")
        let absolute = inRoot.collect([tree.path + "/root/sub"])
        #expect(names(absolute) == [tree.path + "/root/sub/c.jsonl", tree.path + "/root/sub/d.ndjson"])
        let viaDotDot = inRoot.collect(["sub/../b.json"])
        #expect(names(viaDotDot) == ["sub/../b.json"])
        #expect((try? viaDotDot[0].get())?.absolutePath == tree.path + "/root/sub/../b.json")
    }

    @Test func explicitFilesAreTakenWhateverTheirExtension() throws {
        let tree = try makeTree()
        defer { tree.remove() }
        let collector = InputCollector(currentDirectory: tree.path + "/root")
        let results = collector.collect(["notes.txt", ".hidden.json"])
        #expect(names(results) == ["notes.txt", ".hidden.json"])
        #expect((try? results[0].get())?.kind == InputKind(format: .json, formatFromContent: true))
        let overridden = InputCollector(formatOverride: .markdown, currentDirectory: tree.path + "/root")
        #expect((try? overridden.collect(["notes.txt"])[0].get())?.kind == .markdown)
        #expect((try? overridden.collect(["b.json"])[0].get())?.kind == .markdown)
    }

    @Test func missingPathsBecomeErrorsInPlace() throws {
        let tree = try makeTree()
        defer { tree.remove() }
        let collector = InputCollector(currentDirectory: tree.path + "/root")
        let results = collector.collect(["b.json", "missing.json", "sub", "missing-dir/x.json"])
        #expect(names(results) == ["b.json", "!missing.json", "sub/c.jsonl", "sub/d.ndjson", "!missing-dir/x.json"])
        guard case .failure(let error) = results[1] else { Issue.record("expected failure"); return }
        #expect(error.reason == .notFound)
        #expect(error.path == "missing.json")
        #expect(error.ruleID == .readError)
        #expect(error.description == "missing.json: no such file or directory")
    }

    @Test func dashIsStandardInput() {
        let results = InputCollector(formatOverride: .jsonLines, currentDirectory: "/").collect(["-"])
        let source = try? results[0].get()
        #expect(source?.displayName == "<stdin>")
        #expect(source?.location == .standardInput)
        #expect(source?.kind == .jsonLines)
        #expect(source?.absolutePath == nil)
    }

    @Test(.enabled(if: !isRunningAsRoot, "root can read anything"))
    func unreadableFileIsAnError() throws {
        let tree = try TemporaryDirectory()
        defer { tree.remove() }
        let path = try tree.write("secret.json", "{}")
        try FileManager.default.setAttributes([.posixPermissions: 0o000], ofItemAtPath: path)
        let results = InputCollector(currentDirectory: tree.path).collect(["secret.json", "."])
        #expect(names(results) == ["!secret.json", "!secret.json"])
        if case .failure(let error) = results[0] { #expect(error.reason == .permissionDenied) }
    }

    @Test func absolutePathsAreNormalised() {
        #expect(InputCollector.absolutePath("a/./b//c.json", relativeTo: "/work") == "/work/a/b/c.json")
        #expect(InputCollector.absolutePath("/x/y", relativeTo: "/work") == "/x/y")
        #expect(InputCollector.absolutePath(".", relativeTo: "/work/") == "/work")
        #expect(InputCollector.displayPrefix(for: "logs//") == "logs/")
        #expect(InputCollector.displayPrefix(for: "./") == "")
        #expect(InputCollector.displayPrefix(for: "/") == "/")
    }
}
