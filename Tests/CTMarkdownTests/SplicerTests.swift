import CTCore
import CTTestSupport
import Testing
import CTMarkdown

@Suite("Splicer")
struct SplicerTests {
    private let listPage = "1. Step\n\n   ```\n   {\n     \"a\": 1\n   }\n   ```\n\nAfter\n"

    private func block(_ host: [UInt8], _ index: Int = 0) -> CodeBlock { FenceScanner.blocks(in: host)[index] }

    @Test func splicingUnchangedContentIsIdentity() {
        let page = bytes("""
            # Page
            ```
            {}
            ```
            1. Step

                ```json
                 {
                  "a": 1

                }
                ```
            > - ```
            >   [1,
            >
            >    2]
            >   ```
            ~~~~
            ```
            ~~~~
            \t```
            ```
            [unclosed
            """)
        let blocks = FenceScanner.blocks(in: page)
        #expect(blocks.count == 5)
        for b in blocks { checkInvariants(b, in: page) }
    }

    @Test func insertingLinesInAListItemKeepsIndentation() {
        let host = bytes(listPage)
        let expected = "1. Step\n\n   ```\n   {\n     \"a\": 1,\n     \"b\": 2\n   }\n   ```\n\nAfter\n"
        let b = block(host)
        let spliced = Splicer.splice(bytes("{\n  \"a\": 1,\n  \"b\": 2\n}\n"), into: b, of: host)
        #expect(string(spliced) == expected)
        // The same change as an edit.
        let afterOne = b.content.firstIndex(of: UInt8(ascii: "1"))! + 1
        let edit = TextEdit.insert(",\n  \"b\": 2", at: afterOne)
        let edited = applyAndRescan(host, block: 0, edits: [edit])
        #expect(string(edited) == expected)
        #expect(string(Splicer.apply([edit], to: b, of: host)!) == expected)
    }

    @Test func editsWithoutLineBreaksMapOneToOne() {
        let host = bytes(listPage)
        let b = block(host)
        let one = b.content.firstIndex(of: UInt8(ascii: "1"))!
        let edit = TextEdit(range: TextRange(start: one, end: one + 1), replacement: "true")
        let mapped = b.hostEdits([edit])!
        #expect(mapped.count == 1)
        #expect(string(host[mapped[0].range.start..<mapped[0].range.end]) == "1")
        #expect(mapped[0].replacement == edit.replacement)
        applyAndRescan(host, block: 0, edits: [edit])
    }

    @Test func deletingAndJoiningLines() {
        let host = bytes("- ```\n  {\n    \"a\": 1,\n    \"b\": 2\n  }\n  ```\n")
        let b = block(host)
        let content = contentString(b)
        // Delete the whole `"a"` line.
        let aLine = content.utf8.distance(from: content.startIndex, to: content.range(of: "  \"a\"")!.lowerBound)
        let bLine = content.utf8.distance(from: content.startIndex, to: content.range(of: "  \"b\"")!.lowerBound)
        let deleted = applyAndRescan(host, block: 0, edits: [.delete(TextRange(start: aLine, end: bLine))])
        #expect(string(deleted) == "- ```\n  {\n    \"b\": 2\n  }\n  ```\n")
        // Join `{` and the `"a"` line.
        let joined = applyAndRescan(host, block: 0, edits: [.delete(TextRange(start: 1, end: aLine + 2))])
        #expect(string(joined) == "- ```\n  {\"a\": 1,\n    \"b\": 2\n  }\n  ```\n")
    }

    @Test func blockQuotePrefixes() {
        let host = bytes("> ```\n> {\n>\n> }\n> ```\n")
        let b = block(host)
        let spliced = Splicer.splice(bytes("{\n  \"a\": [\n\n    1\n  ]\n}\n"), into: b, of: host)
        #expect(string(spliced) == "> ```\n> {\n>   \"a\": [\n>\n>     1\n>   ]\n> }\n> ```\n")
        #expect(FenceScanner.blocks(in: spliced).count == 1)
    }

    @Test func textOnABlankLineGetsTheFullPrefix() {
        let host = bytes("1. Step\n\n   ```\n   {\n\n   }\n   ```\n")
        let b = block(host)
        #expect(b.lines[1].prefix.isEmpty)
        let edited = applyAndRescan(host, block: 0, edits: [.insert("  \"a\": 1", at: 2)])
        #expect(string(edited) == "1. Step\n\n   ```\n   {\n     \"a\": 1\n   }\n   ```\n")
        let spliced = Splicer.splice(bytes("{\n  \"a\": 1\n}\n"), into: b, of: host)
        #expect(string(spliced) == string(edited))
    }

    @Test func appendingAfterTheLastLine() {
        let host = bytes("> 1. x\n>    ```\n>    [1]\n>    ```\n")
        let b = block(host)
        let edited = applyAndRescan(host, block: 0, edits: [.insert("[2]\n", at: b.content.count)])
        #expect(string(edited) == "> 1. x\n>    ```\n>    [1]\n>    [2]\n>    ```\n")
    }

    @Test func removingTheFinalLineBreakKeepsTheClosingFence() {
        let host = bytes("  ```\n  {}\n  ```\n")
        let b = block(host)
        let edited = applyAndRescan(host, block: 0, edits: [.delete(TextRange(start: 2, end: 3))])
        #expect(string(edited) == host.withUnsafeBufferPointer { string($0) })
        let spliced = Splicer.splice(bytes("[]"), into: b, of: host)
        #expect(string(spliced) == "  ```\n  []\n  ```\n")
    }

    @Test func crlfBlocksKeepTheirLineEndings() {
        let host = bytes("1. Step\r\n\r\n   ```\r\n   {\r\n   }\r\n   ```\r\nEnd\r\n")
        let b = block(host)
        let spliced = Splicer.splice(bytes("{\n  \"a\": 1\n}\n"), into: b, of: host)
        #expect(string(spliced) == "1. Step\r\n\r\n   ```\r\n   {\r\n     \"a\": 1\r\n   }\r\n   ```\r\nEnd\r\n")
        let edited = applyAndRescan(host, block: 0, edits: [.insert("\n  \"a\": 1", at: 1)])
        #expect(string(edited) == string(spliced))
    }

    @Test func emptyAndUnterminatedBlocks() {
        let empty = bytes("- ```\n  ```\n")
        #expect(string(Splicer.splice(bytes("{}\n"), into: block(empty), of: empty)) == "- ```\n  {}\n  ```\n")
        applyAndRescan(empty, block: 0, edits: [.insert("{\n}", at: 0)])
        let fenceOnly = bytes("```")
        #expect(string(Splicer.splice(bytes("{}\n"), into: block(fenceOnly), of: fenceOnly)) == "```\n{}\n")
        let unterminated = bytes("```\n[1]")
        #expect(string(Splicer.splice(bytes("[1,\n 2]"), into: block(unterminated), of: unterminated))
                == "```\n[1,\n 2]")
        applyAndRescan(unterminated, block: 0, edits: [.insert(",\n 2", at: 2)])
    }

    @Test func editsOnOneLineMergeIntoOneRewrite() {
        let host = bytes(listPage)
        let b = block(host)
        let content = contentString(b)
        let quote = content.utf8.distance(from: content.startIndex, to: content.firstIndex(of: "\"")!)
        let edits: [TextEdit] = [
            TextEdit(range: TextRange(start: quote + 1, end: quote + 2), replacement: "A"),
            .insert(",\n  \"b\": 2", at: quote + 6),
        ]
        let mapped = b.hostEdits(edits)!
        #expect(mapped.count == 1)
        let edited = applyAndRescan(host, block: 0, edits: edits)
        #expect(string(edited) == "1. Step\n\n   ```\n   {\n     \"A\": 1,\n     \"b\": 2\n   }\n   ```\n\nAfter\n")
    }

    @Test func invalidEditsGiveNil() {
        let host = bytes(listPage)
        let b = block(host)
        #expect(b.hostEdits([.delete(TextRange(start: 0, end: b.content.count + 1))]) == nil)
        #expect(b.hostEdits([.delete(TextRange(start: 0, end: 3)), .delete(TextRange(start: 2, end: 4))]) == nil)
        #expect(Splicer.apply([.delete(TextRange(start: 0, end: 99))], to: b, of: host) == nil)
    }

    /// Random edits (seeded) on blocks in every kind of container survive the round trip.
    @Test(arguments: [
        "```\n{\n  \"a\": [1, 2],\n\n  \"b\": null\n}\n```\n",
        "1. Step\n\n   ```\n   {\n\n     \"a\": 1\n  \n   }\n   ```\n\n1. Next\n",
        "> - ```json\n>   [\n>\n>     {}\n>   ]\n>   ```\n",
        "  ~~~\n  {\n \"x\": 1\n  }\n  ~~~\n",
        "- Item\r\n\r\n  ```\r\n  {\r\n\r\n    \"a\": 1\r\n  }\r\n  ```\r\n",
        "```\n[1,\n 2",
        ">```\n>{\n>}\nafter\n",
        "-\tItem\n\n\t```\n\t{\n\t\t\"a\": 1\n\n\t}\n\t```\n",
        "> 1. x\n>\n>     ```\n>     {\n>\n>    }\n>       1\n>     ```\n",
        "```\n```\n",
        "- ```\n  ```\n",
        "> ```\nafter\n",
        "```",
        "1. a\r\n   ```\r\n   [\r\n   ]",
        "   ```\n {\n   \n  }\n```\n",
    ])
    func randomEditsRoundTrip(page: String) {
        let host = bytes(page)
        let original = block(host)
        var rng = SplitMix(seed: UInt64(page.utf8.count))
        let pieces = ["", "x", " ", "\n", "\r\n", "\n\n", "  \"k\": 1,\n", "\n  ", "{}", "\r", "\t", "\n\t- ", "> ", "\n<!--"]
        for _ in 0..<300 {
            let n = original.content.count
            var points = (0..<2).map { _ in rng.next(n + 1) }
            points.sort()
            var edits = [TextEdit(range: TextRange(start: points[0], end: points[1]),
                                  replacement: pieces[rng.next(pieces.count)])]
            if rng.next(2) == 0 && points[1] < n {
                let p = points[1] + rng.next(n - points[1] + 1)
                edits.append(.insert(pieces[rng.next(pieces.count)], at: p))
            }
            applyAndRescan(host, block: 0, edits: edits)
        }
    }
}

/// A small deterministic generator for reproducible random edits.
