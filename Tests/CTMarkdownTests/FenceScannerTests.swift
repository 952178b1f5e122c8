import CTCore
import Testing
import CTMarkdown

@Suite("Fence scanner")
struct FenceScannerTests {
    private func scan(_ s: String) -> ([UInt8], [CodeBlock]) {
        let host = bytes(s)
        let blocks = FenceScanner.blocks(in: host)
        for block in blocks { checkInvariants(block, in: host) }
        return (host, blocks)
    }

    @Test func bareBacktickFence() {
        let (host, blocks) = scan("Intro\n\n```\n{\"a\": 1}\n```\nAfter\n")
        #expect(blocks.count == 1)
        let b = blocks[0]
        #expect(contentString(b) == "{\"a\": 1}\n")
        #expect(b.fenceCharacter == UInt8(ascii: "`"))
        #expect(b.fenceLength == 3)
        #expect(b.info == "" && b.language == "")
        #expect(b.isClosed && b.isJSONLike && !b.isDisabled)
        #expect(string(host[b.openingFence.start..<b.openingFence.end]) == "```")
        #expect(string(host[b.contentRange.start..<b.contentRange.end]) == "{\"a\": 1}\n")
        #expect(b.closingFence.map { string(host[$0.start..<$0.end]) } == "```")
        #expect(string(host[b.range.start..<b.range.end]) == "```\n{\"a\": 1}\n```")
        #expect(b.lines.count == 1 && b.lines[0].prefix.isEmpty)
    }

    @Test func tildeFenceHoldsBackticks() {
        let (_, blocks) = scan("~~~\n```\n{}\n```\n~~~\n")
        #expect(blocks.count == 1)
        #expect(contentString(blocks[0]) == "```\n{}\n```\n")
        #expect(blocks[0].fenceCharacter == UInt8(ascii: "~"))
        #expect(!blocks[0].isJSONLike)
    }

    @Test func longerFenceHoldsShorterFence() {
        let (_, blocks) = scan("````json\n```\n{}\n```\n````\n")
        #expect(blocks.count == 1)
        #expect(blocks[0].fenceLength == 4)
        #expect(contentString(blocks[0]) == "```\n{}\n```\n")
        #expect(blocks[0].language == "json")
    }

    @Test func closingFenceMustBeAtLeastAsLong() {
        let (_, blocks) = scan("````\n{}\n```\n`````\nafter\n")
        #expect(blocks.count == 1)
        #expect(contentString(blocks[0]) == "{}\n```\n")
        #expect(blocks[0].isClosed)
    }

    @Test func closingFenceMayBeIndentedUpToThreeSpacesAndTrailedBySpaces() {
        let (_, blocks) = scan("```\n{}\n   ```  \n```\n[]\n    ```\n")
        #expect(blocks.count == 2)
        #expect(contentString(blocks[0]) == "{}\n")
        // Four spaces is not a closing fence: the second block runs to the end.
        #expect(contentString(blocks[1]) == "[]\n    ```\n")
        #expect(!blocks[1].isClosed)
    }

    @Test func infoStrings() {
        let (_, blocks) = scan("``` JSON  title=\"x\"\n{}\n```\n~~~ {.json5}\n{}\n~~~\n```Jsonc\n{}\n```\n")
        #expect(blocks.map(\.language) == ["json", "json5", "jsonc"])
        #expect(blocks[0].info == "JSON  title=\"x\"")
    }

    @Test func backtickInInfoStringIsNotAFence() {
        let (_, blocks) = scan("```a`b\n{}\n```\n")
        // The first line is inline code; the third line opens an unclosed, empty block.
        #expect(blocks.count == 1)
        #expect(blocks[0].content.isEmpty && !blocks[0].isClosed)
        #expect(blocks[0].contentRange.isEmpty)
    }

    @Test func fenceIndentationIsStripped() {
        let (_, blocks) = scan("  ```\n  {\n    \"a\": 1\n }\n}\n  ```\n")
        #expect(blocks.count == 1)
        #expect(blocks[0].fenceIndent == 2)
        #expect(contentString(blocks[0]) == "{\n  \"a\": 1\n}\n}\n")
        #expect(blocks[0].lines.map { string($0.prefix) } == ["  ", "  ", " ", ""])
    }

    @Test func listItemIndentedThreeSpaces() {
        let (_, blocks) = scan("1. Step one\n\n   ```\n   {\n     \"a\": 1\n   }\n   ```\n\n1. Step two\n")
        #expect(blocks.count == 1)
        #expect(contentString(blocks[0]) == "{\n  \"a\": 1\n}\n")
        #expect(string(blocks[0].continuationPrefix) == "   ")
        #expect(blocks[0].isClosed)
    }

    @Test func listItemIndentedFourSpaces() {
        // Under "1. " (width 3) a fence at four spaces is indented one column.
        let (_, a) = scan("1. Step\n\n    ```\n    {\n      \"a\": 1\n    }\n    ```\n")
        #expect(a.count == 1)
        #expect(a[0].fenceIndent == 1)
        #expect(contentString(a[0]) == "{\n  \"a\": 1\n}\n")
        // Under "-   " (width 4) it is not indented at all.
        let (_, b) = scan("-   Step\n\n    ```\n    [1,\n     2]\n    ```\n")
        #expect(b.count == 1)
        #expect(b[0].fenceIndent == 0)
        #expect(contentString(b[0]) == "[1,\n 2]\n")
    }

    @Test func bulletItemsAsInAWSDocs() {
        let (_, blocks) = scan("Pairs\\.\n+ **Key** – first\\.\n\n  ```\n  \"Key\": \"v\"\n  ```\n\n  Text\\.\n+ **Other**\n\n  ```\n  {}\n  ```\n")
        #expect(blocks.count == 2)
        #expect(contentString(blocks[0]) == "\"Key\": \"v\"\n")
        #expect(!blocks[0].isJSONLike)
        #expect(contentString(blocks[1]) == "{}\n")
    }

    @Test func fenceOnTheListMarkerLine() {
        let (_, blocks) = scan("- ```json\n  {\"a\": [\n    1]}\n  ```\n- next\n")
        #expect(blocks.count == 1)
        #expect(contentString(blocks[0]) == "{\"a\": [\n  1]}\n")
        #expect(string(blocks[0].continuationPrefix) == "  ")
    }

    @Test func underIndentedLineEndsTheListItemAndTheBlock() {
        let (host, blocks) = scan("1. Step\n   ```\n   {\n}\n")
        #expect(blocks.count == 1)
        #expect(contentString(blocks[0]) == "{\n")
        #expect(!blocks[0].isClosed)
        #expect(blocks[0].contentRange.end == host.count - 2)
    }

    @Test func blankLinesInsideAListItemBlock() {
        let (_, blocks) = scan("1. Step\n\n   ```\n   {\n\n  \n        \"a\": 1\n   }\n   ```\n")
        #expect(blocks.count == 1)
        #expect(contentString(blocks[0]) == "{\n\n\n     \"a\": 1\n}\n")
        #expect(blocks[0].isClosed)
    }

    @Test func blockQuote() {
        let (_, blocks) = scan("> Quote\n>\n> ```\n> {\n>   \"a\": 1\n> }\n> ```\n")
        #expect(blocks.count == 1)
        #expect(contentString(blocks[0]) == "{\n  \"a\": 1\n}\n")
        #expect(string(blocks[0].continuationPrefix) == "> ")
        let (_, tight) = scan(">```\n>{}\n>```\n")
        #expect(tight.count == 1 && contentString(tight[0]) == "{}\n")
    }

    @Test func nestedQuotesAndLists() {
        let (_, a) = scan("> 1. Step\n>\n>    ```json\n>    {\"a\": [1,\n>      2]}\n>    ```\n")
        #expect(a.count == 1)
        #expect(contentString(a[0]) == "{\"a\": [1,\n  2]}\n")
        #expect(string(a[0].continuationPrefix) == ">    ")
        let (_, b) = scan("> > ~~~\n> > [1]\n> > ~~~\n")
        #expect(b.count == 1 && contentString(b[0]) == "[1]\n")
        let (_, c) = scan("- > ```\n  > {}\n  > ```\n")
        #expect(c.count == 1 && contentString(c[0]) == "{}\n")
        #expect(string(c[0].continuationPrefix) == "  > ")
    }

    @Test func quoteEndsTheBlockWithoutLaziness() {
        let (_, blocks) = scan("> ```\n> {}\nafter\n```\n")
        #expect(blocks.count == 2)
        #expect(contentString(blocks[0]) == "{}\n")
        #expect(!blocks[0].isClosed)
        // The bare fence after the paragraph opens a new (unclosed) block.
        #expect(blocks[1].content.isEmpty)
    }

    @Test func unclosedFenceRunsToTheEnd() {
        let (host, blocks) = scan("Text\n\n```\n{\n  \"a\": 1\n")
        #expect(blocks.count == 1)
        #expect(!blocks[0].isClosed)
        #expect(blocks[0].closingFence == nil)
        #expect(contentString(blocks[0]) == "{\n  \"a\": 1\n")
        #expect(blocks[0].contentRange.end == host.count)
        #expect(blocks[0].range.end == host.count)
        let (noBreak, b) = scan("```\n[1]")
        #expect(b.count == 1 && contentString(b[0]) == "[1]" && b[0].contentRange.end == noBreak.count)
        let (_, onlyFence) = scan("```")
        #expect(onlyFence.count == 1 && onlyFence[0].content.isEmpty && !onlyFence[0].openingFenceHasLineBreak)
    }

    @Test func indentedCodeAndParagraphsHideFences() {
        #expect(scan("    ```\n    {}\n    ```\n").1.isEmpty)
        // An indented line continues a paragraph; it cannot open a block.
        #expect(scan("Text\n    ```\n    {}\n").1.isEmpty)
        // Inline code spanning lines is not a block.
        #expect(scan("Use ``` inline ```.\n").1.isEmpty)
    }

    @Test func htmlBlocksHideFences() {
        #expect(scan("<div>\n```\n{}\n```\n</div>\n").1.isEmpty)
        #expect(scan("<!--\n```\n{}\n```\n-->\n").1.isEmpty)
        // A blank line ends a type-6 HTML block.
        #expect(scan("<div>\n\n```\n{}\n```\n").1.count == 1)
    }

    @Test func fencesInterruptParagraphsAndHeadings() {
        let (_, blocks) = scan("# Title\nSome text\n```\n{}\n```\n## Next\n~~~\n[]\n~~~\n")
        #expect(blocks.count == 2)
        #expect(blocks.map(contentString) == ["{}\n", "[]\n"])
    }

    @Test func disableComment() {
        let (_, blocks) = scan("""
            <!-- cloudtrail-lint-disable-next-block -->

            ```
            {}
            ```

            ```
            {}
            ```
            <!--
              cloudtrail-lint-disable-next-block: sample is abridged
            -->
            <!-- another comment -->
            ```
            []
            ```
            <!-- cloudtrail-lint-disable-next-block -->
            Text between.

            ```
            []
            ```
            1. Step
               <!-- cloudtrail-lint-disable-next-block -->
               ```
               {}
               ```
            <!-- cloudtrail-lint-disable-next-blocks -->
            ```
            {}
            ```

            """)
        #expect(blocks.map(\.isDisabled) == [true, false, true, false, true, false])
    }

    @Test func jsonLikeness() {
        let (_, blocks) = scan("```\n\n  [1]\n```\n```\nfoo {}\n```\n```json\nnot json\n```\n```\n\n\n```\n```bash\n{\"a\":1}\n```\n")
        #expect(blocks.map(\.isJSONLike) == [true, false, true, false, true])
    }

    @Test func crlfPages() {
        let (host, blocks) = scan("1. Step\r\n\r\n   ```\r\n   {\r\n     \"a\": 1\r\n   }\r\n   ```\r\n")
        #expect(blocks.count == 1)
        #expect(contentString(blocks[0]) == "{\r\n  \"a\": 1\r\n}\r\n")
        #expect(blocks[0].lineEnding == [0x0D, 0x0A])
        #expect(blocks[0].isClosed)
        #expect(host[blocks[0].contentRange.end] == UInt8(ascii: " "))
    }

    @Test func tabsInPrefixes() {
        let (_, blocks) = scan("-\tItem\n\n\t```\n\t{}\n\t```\n")
        #expect(blocks.count == 1)
        #expect(contentString(blocks[0]) == "{}\n")
    }

    @Test func hostRangeMapping() {
        let (host, blocks) = scan("> ```\n> {\"a\":\n>  1}\n> ```\n")
        let b = blocks[0]
        // `1}` on the second content line.
        let embedded = TextRange(start: 6, end: 8)
        #expect(string(b.content[embedded.start..<embedded.end]) == " 1")
        let h = b.hostRange(embedded)
        #expect(string(host[h.start..<h.end]) == " 1")
        // A range ending at a line start does not take in the next prefix.
        let line = TextRange(start: 0, end: 6)
        let hl = b.hostRange(line)
        #expect(string(host[hl.start..<hl.end]) == "{\"a\":\n")
        #expect(b.hostRange(TextRange(empty: 6)) == TextRange(empty: hl.end + 2))
        #expect(b.embeddedOffset(forHost: hl.end) == nil)
        #expect(b.embeddedOffset(forHost: 0) == nil)
    }

    @Test func diagnosticsMoveToTheHost() {
        let (host, blocks) = scan("1. Step\n\n   ```\n   {\"a\": 1,}\n   ```\n")
        let b = blocks[0]
        let comma = TextRange(start: 7, end: 8)
        let d = Diagnostic(rule: .trailingComma, severity: .error, message: "Trailing comma", range: comma,
                           notes: [Note(message: "object starts here", range: TextRange(start: 0, end: 1))],
                           fix: Fix(title: "Remove the trailing comma", edits: [.delete(comma)], applicability: .safe))
        let m = b.hostDiagnostic(d)
        #expect(string(host[m.range.start..<m.range.end]) == ",")
        #expect(string(host[m.notes[0].range.start..<m.notes[0].range.end]) == "{")
        let fixed = m.fix!.apply(to: host)
        #expect(string(fixed) == "1. Step\n\n   ```\n   {\"a\": 1}\n   ```\n")
    }
}
