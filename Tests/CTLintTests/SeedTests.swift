import CTCore
import CTJSON
import CTLint
import CTMarkdown
import Foundation
import CTTestSupport
import Testing

/// The five documents the product was created from (`../shared/seeds`, Markdown in `.txt` files).
@Suite struct SeedTests {
    static let seeds = SharedCorpus.files("seeds").filter { $0.pathExtension == "txt" }

    /// (seed prefix, 1-based line, rule) for every known defect of the seeds.
    static let expected: [(String, Int, RuleID)] = [
        ("000", 47, .ipAddress), ("000", 104, .ipAddress), ("000", 133, .ipAddress),  // ElastiCache 192.0.2.01
        ("001", 38, .arnIdentityMismatch),                                            // IAMUser with an sts ARN
        ("001", 44, .trailingComma), ("001", 51, .trailingComma), ("001", 52, .trailingComma),
        ("001", 53, .trailingComma), ("001", 62, .trailingComma), ("001", 70, .trailingComma),
        ("001", 62, .arnSyntax),                                                      // broken %-encoded flowArn
        ("002", 43, .arnIdentityMismatch),                                            // AssumedRole with a user/ ARN
        ("002", 82, .eventID),                                                        // e3c6f4ce-EXAMPLE
        ("003", 75, .placeholder),                                                    // ..additional entries
        ("003", 53, .accessKeyID),                                                    // malformed key ID
        ("004", 52, .accessKeyID),                                                    // ASXIA… key ID
    ]

    @Test func everyKnownDefectIsFoundAtItsLine() throws {
        guard !Self.seeds.isEmpty else { return }
        let linter = Linter()
        for url in Self.seeds {
            let page = Array(try Data(contentsOf: url))
            let index = LineIndex(page)
            let found = linter.lint(page, format: .markdown).map { (index.location(of: $0.range.start).line, $0.rule) }
            let prefix = String(url.lastPathComponent.prefix(3))
            for (seed, line, rule) in Self.expected where seed == prefix {
                #expect(found.contains { $0.0 == line && $0.1 == rule }, "\(url.lastPathComponent):\(line): no \(rule) finding")
            }
        }
    }

    @Test func fixingRepairsEveryBlockAndNothingElse() throws {
        let fixer = Fixer(linter: Linter(), includeUnsafe: true)
        for url in Self.seeds {
            let page = Array(try Data(contentsOf: url))
            let once = fixer.fix(page, format: .markdown)
            #expect(once.refusal == nil)
            let before = FenceScanner.blocks(in: page).filter(\.isLintable)
            let after = FenceScanner.blocks(in: once.output).filter(\.isLintable)
            #expect(before.count == after.count)
            for block in after {
                #expect(JSONParser.parse(block.content).diagnostics.allSatisfy { $0.severity != .error },
                        "\(url.lastPathComponent): a block still fails to parse strictly")
                #expect((try? JSONSerialization.jsonObject(with: Data(block.content))) != nil)
            }
            // The text outside the blocks is unchanged.
            var outsideBefore: [UInt8] = [], outsideAfter: [UInt8] = []
            var cursor = 0
            for b in before { outsideBefore += page[cursor..<b.contentRange.start]; cursor = b.contentRange.end }
            outsideBefore += page[cursor...]
            cursor = 0
            for b in after { outsideAfter += once.output[cursor..<b.contentRange.start]; cursor = b.contentRange.end }
            outsideAfter += once.output[cursor...]
            #expect(outsideBefore == outsideAfter, "\(url.lastPathComponent): text outside the blocks changed")
            // A second run changes nothing.
            #expect(fixer.fix(once.output, format: .markdown).output == once.output)
        }
    }
}
