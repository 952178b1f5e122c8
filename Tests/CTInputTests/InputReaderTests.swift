import Testing
import CTInput

@Suite(.enabled(if: GzipTool.isAvailable, "needs /bin/gzip"))
struct InputReaderTests {
    private func source(_ tree: TemporaryDirectory, _ name: String) -> InputSource {
        InputSource(displayName: name, location: .file(absolutePath: tree.path + "/" + name),
                    kind: InputKind.detect(fileName: name))
    }

    @Test func readsPlainFiles() throws {
        let tree = try TemporaryDirectory()
        defer { tree.remove() }
        let big = sampleText(lines: 60_000)
        try tree.write("big.json", big)
        try tree.write("empty.json", [])
        #expect(try InputReader.read(source(tree, "big.json")).get() == big)
        #expect(try InputReader.read(source(tree, "empty.json")).get() == [])
    }

    @Test func anUnannouncedFormatIsDecidedByTheContent() throws {
        let tree = try TemporaryDirectory()
        defer { tree.remove() }
        let page = Array("# A page\n\nText.\n\n   ```\n{\"a\": 1}\n   ```\n".utf8)
        try tree.write("page.txt", page)
        try tree.write("page-tilde", Array("\u{FEFF}Intro\n~~~json\n[]\n~~~\n".utf8))
        try tree.write("record.txt", Array("\n  {\"a\": \"```\"}\n```\n".utf8))
        try tree.write("prose.txt", Array("no fences here\n    ```indented four: code, not a fence\n".utf8))
        try tree.write("page.txt.gz", try GzipTool.compress(page))
        #expect(try InputReader.load(source(tree, "page.txt")).get().kind.format == .markdown)
        #expect(try InputReader.load(source(tree, "page-tilde")).get().kind.format == .markdown)
        #expect(try InputReader.load(source(tree, "record.txt")).get().kind.format == .json)
        #expect(try InputReader.load(source(tree, "prose.txt")).get().kind.format == .json)
        let gz = try InputReader.load(source(tree, "page.txt.gz")).get()
        #expect(gz.kind.format == .markdown && gz.kind.isGzipped)
        // A name or `--input-format` that announces a format is followed.
        try tree.write("page.json", page)
        #expect(try InputReader.load(source(tree, "page.json")).get().kind.format == .json)
        let forced = InputSource(displayName: "page.txt", location: .file(absolutePath: tree.path + "/page.txt"),
                                 kind: InputKind.detect(fileName: "page.txt", override: .json))
        #expect(try InputReader.load(forced).get().kind.format == .json)
    }

    @Test func gunzipsByContentWhateverTheName() throws {
        let tree = try TemporaryDirectory()
        defer { tree.remove() }
        let text = sampleText(lines: 100)
        let compressed = try GzipTool.compress(text)
        try tree.write("a.json.gz", compressed)
        try tree.write("renamed.json", compressed)
        try tree.write("inflated.json.gz", text)

        let loaded = try InputReader.load(source(tree, "a.json.gz")).get()
        #expect(loaded.bytes == text)
        #expect(loaded.wasCompressed)
        #expect(loaded.kind == InputKind(format: .json, isGzipped: true))

        let renamed = try InputReader.load(source(tree, "renamed.json")).get()
        #expect(renamed.bytes == text)
        #expect(renamed.wasCompressed)

        let inflated = try InputReader.load(source(tree, "inflated.json.gz")).get()
        #expect(inflated.bytes == text)
        #expect(!inflated.wasCompressed)
        #expect(try InputReader.readRaw(source(tree, "a.json.gz")).get() == compressed)
    }

    @Test func corruptGzipIsADistinctError() throws {
        let tree = try TemporaryDirectory()
        defer { tree.remove() }
        let compressed = try GzipTool.compress(sampleText(lines: 100))
        try tree.write("cut.json.gz", Array(compressed.dropLast(20)))
        let result = InputReader.read(source(tree, "cut.json.gz"))
        guard case .failure(let error) = result else { Issue.record("expected failure"); return }
        #expect(error.ruleID == .gzipCorrupt)
        #expect(error.gzipError?.kind == .truncated)
        #expect(error.gzipError?.offset == compressed.count - 20)
        #expect(error.path == "cut.json.gz")
    }

    @Test func missingFileAndDirectoryAreErrors() throws {
        let tree = try TemporaryDirectory()
        defer { tree.remove() }
        try tree.makeDirectory("folder.json")
        guard case .failure(let missing) = InputReader.read(source(tree, "gone.json")) else {
            Issue.record("expected failure"); return
        }
        #expect(missing.reason == .notFound)
        guard case .failure(let folder) = InputReader.read(source(tree, "folder.json")) else {
            Issue.record("expected failure"); return
        }
        #expect(folder.reason == .isDirectory)
    }

    @Test func decompressionLimitIsAGzipError() throws {
        let tree = try TemporaryDirectory()
        defer { tree.remove() }
        try tree.write("bomb.json.gz", try GzipTool.compress([UInt8](repeating: 0x20, count: 500_000)))
        let result = InputReader.read(source(tree, "bomb.json.gz"), maxDecompressedBytes: 1000)
        guard case .failure(let error) = result else { Issue.record("expected failure"); return }
        #expect(error.gzipError?.kind == .tooLarge)
    }
}
