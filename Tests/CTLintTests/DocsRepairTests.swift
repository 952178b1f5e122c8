import CTCore
import CTJSON
import CTLint
import CTMarkdown
import Foundation
import Testing

/// The damage classes of documentation samples (`Fixtures/docs/class-NN-*.md`, one page per class): every broken
/// block of classes 1–10 comes out of `fix --unsafe-fixes` as strict JSON that keeps every string of the original,
/// a second fix changes nothing, and each class-11 block (a filter pattern) gets one finding and no repair.
@Suite struct DocsRepairTests {
    static let directory = Repo.root.appendingPathComponent("Fixtures/docs")
    static let pages: [String] = ((try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? [])
        .filter { $0.hasPrefix("class-") && $0.hasSuffix(".md") }.sorted()

    static func parsesStrictly(_ bytes: [UInt8]) -> Bool {
        (try? JSONSerialization.jsonObject(with: Data(bytes), options: [.fragmentsAllowed])) != nil
    }

    static func read(_ page: String) throws -> [UInt8] {
        Array(try Data(contentsOf: directory.appendingPathComponent(page)))
    }

    @Test func everyClassHasItsPage() {
        for k in 1...11 { #expect(Self.pages.contains { $0.hasPrefix(String(format: "class-%02d-", k)) }, "no page for class \(k)") }
    }

    @Test(arguments: pages.filter { !$0.hasPrefix("class-11-") })
    func brokenBlocksAreRepairedKeepingEveryString(_ page: String) throws {
        let bytes = try Self.read(page)
        let fixer = Fixer(linter: Linter(selection: RuleSelection(syntaxOnly: true)), includeUnsafe: true)
        let fixed = fixer.fix(bytes, format: .markdown).output
        let before = FenceScanner.blocks(in: bytes).filter(\.isLintable)
        let after = FenceScanner.blocks(in: fixed).filter(\.isLintable)
        #expect(before.count == after.count)
        var broken = 0
        for (old, new) in zip(before, after) where !Self.parsesStrictly(old.content) {
            broken += 1
            let line = old.range.start
            #expect(Self.parsesStrictly(new.content), "\(page) block at byte \(line): not repaired")
            let tree = JSONParser.parse(old.content), newTree = JSONParser.parse(new.content)
            let kept = Set(newTree.nodes.indices.compactMap { newTree.string($0) })
            for i in tree.nodes.indices where tree.kind(i) == .string && !tree.stringFlags(i).contains(.unterminated) {
                guard let s = tree.string(i) else { continue }
                #expect(kept.contains(s), "\(page) block at byte \(line): string `\(s)` lost")
            }
        }
        #expect(broken >= 5, "\(page): \(broken) broken blocks, at least 5 expected")
        #expect(fixer.fix(fixed, format: .markdown).output == fixed, "\(page): a second fix changed the page")
    }

    @Test func filterPatternsAreNamedNotRepaired() throws {
        guard let page = Self.pages.first(where: { $0.hasPrefix("class-11-") }) else { return }
        let bytes = try Self.read(page)
        let linter = Linter(selection: RuleSelection(syntaxOnly: true))
        let blocks = FenceScanner.blocks(in: bytes).filter(\.isLintable)
        #expect(blocks.count >= 5)
        let findings = linter.lint(bytes, format: .markdown)
        for block in blocks {
            let inBlock = findings.filter { block.range.contains($0.range.start) }
            #expect(inBlock.map(\.rule) == [.filterPattern], "block at byte \(block.range.start): \(inBlock.map(\.message))")
        }
        let fixed = Fixer(linter: linter, includeUnsafe: true).fix(bytes, format: .markdown).output
        #expect(fixed == bytes, "a filter pattern was rewritten")
    }
}
