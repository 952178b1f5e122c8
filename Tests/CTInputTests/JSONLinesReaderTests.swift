import CTCore
import Testing
import CTInput

struct JSONLinesReaderTests {
    private func text(_ line: JSONLine) -> String { String(decoding: line.bytes, as: UTF8.self) }

    @Test func offsetsNumbersCRLFAndBlankLines() {
        let input = Array("{\"a\":1}\r\n\n  \r\n{\"b\":2}\n\t\n{\"c\":3}".utf8)
        let lines = Array(JSONLinesReader(bytes: input))
        #expect(lines.map(text) == ["{\"a\":1}", "{\"b\":2}", "{\"c\":3}"])
        #expect(lines.map(\.number) == [1, 4, 6])
        #expect(lines.map(\.offset) == [0, 14, 24])
        for line in lines {
            #expect(Array(input[line.range.start..<line.range.end]) == line.bytes)
        }
        let spans = JSONLinesReader.lineSpans(in: input)
        #expect(spans.map(\.number) == [1, 4, 6])
        #expect(spans.map(\.range) == lines.map(\.range))
    }

    @Test func loneCarriageReturnIsNotABreak() {
        let lines = Array(JSONLinesReader(bytes: Array("{\"a\":\r1}\n{}\r\n".utf8)))
        #expect(lines.map(text) == ["{\"a\":\r1}", "{}"])
        #expect(lines.map(\.number) == [1, 2])
    }

    @Test func emptyAndBlankInputsHaveNoLines() {
        #expect(Array(JSONLinesReader(bytes: [])).isEmpty)
        #expect(Array(JSONLinesReader(bytes: Array("\n\r\n  \n".utf8))).isEmpty)
        #expect(JSONLinesReader.lineSpans(in: Array("\n\n".utf8)).isEmpty)
    }

    @Test func streamsFilesAcrossChunkBoundaries() throws {
        let tree = try TemporaryDirectory()
        defer { tree.remove() }
        var content: [UInt8] = []
        for i in 0..<3000 {
            let padding = String(repeating: "x", count: (i * 37) % 900)
            content += Array("{\"i\":\(i),\"p\":\"\(padding)\"}".utf8)
            content += i % 3 == 0 ? [0x0D, 0x0A] : [0x0A]
            if i % 10 == 0 { content += [0x0A] }
        }
        content += Array("{\"last\":true}".utf8)  // no final newline
        let path = try tree.write("big.jsonl", content)
        let source = InputSource(displayName: "big.jsonl", location: .file(absolutePath: path), kind: .jsonLines)
        let reader = JSONLinesReader(source: source, chunkSize: 4096)
        let streamed = Array(reader)
        #expect(reader.failure == nil)
        #expect(!reader.wasCompressed)
        let expected = JSONLinesReader.lineSpans(in: content)
        #expect(streamed.count == 3001)
        #expect(streamed.map(\.range) == expected.map(\.range))
        #expect(streamed.map(\.number) == expected.map(\.number))
        #expect(streamed.allSatisfy { Array(content[$0.range.start..<$0.range.end]) == $0.bytes })
        #expect(text(streamed.last!) == "{\"last\":true}")
    }

    @Test(.enabled(if: GzipTool.isAvailable, "needs /bin/gzip"))
    func streamsGzippedMultiMemberFiles() throws {
        let tree = try TemporaryDirectory()
        defer { tree.remove() }
        let first = sampleText(lines: 20_000)
        let second = Array("\r\n{\"z\":1}\r\n".utf8)
        let path = try tree.write("x.jsonl.gz", try GzipTool.compress(first) + GzipTool.compress(second))
        let source = InputSource(displayName: "x.jsonl.gz", location: .file(absolutePath: path),
                                 kind: InputKind(format: .jsonLines, isGzipped: true))
        let reader = JSONLinesReader(source: source, chunkSize: 4096)
        let lines = Array(reader)
        #expect(reader.failure == nil)
        #expect(reader.wasCompressed)
        let expected = JSONLinesReader.lineSpans(in: first + second)
        #expect(lines.map(\.range) == expected.map(\.range))
        #expect(lines.last.map(text) == "{\"z\":1}")
        #expect(lines.last?.number == 20_002)
    }

    @Test(.enabled(if: GzipTool.isAvailable, "needs /bin/gzip"))
    func truncatedGzipKeepsCompleteLinesAndReportsFailure() throws {
        let tree = try TemporaryDirectory()
        defer { tree.remove() }
        let original = sampleText(lines: 20_000)
        let compressed = try GzipTool.compress(original)
        let path = try tree.write("cut.jsonl.gz", Array(compressed.prefix(compressed.count / 2)))
        let source = InputSource(displayName: "cut.jsonl.gz", location: .file(absolutePath: path), kind: .jsonLines)
        let reader = JSONLinesReader(source: source, chunkSize: 4096)
        let lines = Array(reader)
        #expect(reader.failure?.ruleID == .gzipCorrupt)
        #expect(reader.failure?.gzipError?.kind == .truncated)
        #expect(!lines.isEmpty && lines.count < 20_000)
        let expected = JSONLinesReader.lineSpans(in: original).prefix(lines.count)
        #expect(lines.map(\.range) == expected.map(\.range))
        // Every returned line is complete: it ends right before a newline in the original.
        #expect(lines.allSatisfy { original[$0.range.end] == 0x0A })
    }

    @Test func missingFileFailsWithoutLines() {
        let source = InputSource(displayName: "gone.jsonl", location: .file(absolutePath: "/nonexistent/gone.jsonl"),
                                 kind: .jsonLines)
        let reader = JSONLinesReader(source: source)
        #expect(reader.next() == nil)
        #expect(reader.failure?.reason == .notFound)
        #expect(reader.failure?.path == "gone.jsonl")
    }
}
