import CTJSON
import CTLint
import CTMarkdown
import Foundation
import CTTestSupport
import Testing

/// The documentation mode on the real AWS pages of `../shared/corpus/awsdocs`.
@Suite struct AwsDocsCorpusTests {
    static let pages = SharedCorpus.files("corpus/awsdocs").filter { $0.pathExtension == "md" }

    /// An independent strict parser (Foundation's) decides what "parses strictly" means.
    static func parsesStrictly(_ bytes: [UInt8]) -> Bool {
        (try? JSONSerialization.jsonObject(with: Data(bytes), options: [.fragmentsAllowed])) != nil
            && JSONParser.parse(bytes).diagnostics.allSatisfy { $0.severity != .error }
    }

    @Test func brokenBlocksAreFoundAndRepaired() throws {
        guard !Self.pages.isEmpty else { return }
        // Syntax repairs only: value rules may rewrite values on purpose (`192.0.2.01` → `192.0.2.1`).
        let linter = Linter(selection: RuleSelection(syntaxOnly: true))
        let fixer = Fixer(linter: linter, includeUnsafe: true)
        var broken = 0, repaired = 0, quietPages = 0
        for url in Self.pages {
            let page = Array(try Data(contentsOf: url))
            let name = url.lastPathComponent
            let findings = linter.lint(page, format: .markdown)
            let fixed = fixer.fix(page, format: .markdown).output
            if findings.isEmpty {
                quietPages += 1
                #expect(fixed == page, "\(name): a page without findings changed")
            }
            let before = FenceScanner.blocks(in: page).filter(\.isLintable)
            let after = FenceScanner.blocks(in: fixed).filter(\.isLintable)
            #expect(before.count == after.count, "\(name): block count changed")
            for (old, new) in zip(before, after) where !Self.parsesStrictly(old.content) {
                broken += 1
                let hostRange = old.range
                #expect(findings.contains { $0.severity == .error && hostRange.contains($0.range.start) },
                        "\(name): a broken block at byte \(hostRange.start) got no error")
                guard Self.parsesStrictly(new.content) else { continue }
                repaired += 1
                // No string of the original is lost (placeholders are not strings in the tree).
                let tree = JSONParser.parse(old.content)
                // (Our own tree, not Foundation's dictionaries, which keep only one of two duplicate keys.)
                let newTree = JSONParser.parse(new.content)
                let kept = Set(newTree.nodes.indices.compactMap { newTree.string($0) })
                for i in tree.nodes.indices where tree.kind(i) == .string {
                    let flags = tree.stringFlags(i)
                    guard !flags.contains(.unterminated), let s = tree.string(i), !s.contains("\u{FFFD}") else { continue }
                    #expect(kept.contains(s), "\(name): string `\(s)` was lost by fixing")
                }
            }
        }
        print("awsdocs: \(Self.pages.count) pages, \(quietPages) without findings; \(broken) broken blocks, \(repaired) repaired by fix --unsafe-fixes")
        #expect(broken > 0)
        #expect(Double(repaired) >= 0.9 * Double(broken), "only \(repaired) of \(broken) broken blocks repaired")
    }

    @Test func fixingIsIdempotentOnEveryPage() throws {
        let fixer = Fixer(linter: Linter(), includeUnsafe: true)
        for url in Self.pages {
            let page = Array(try Data(contentsOf: url))
            let once = fixer.fix(page, format: .markdown).output
            #expect(fixer.fix(once, format: .markdown).output == once, "\(url.lastPathComponent): second fix changed the page")
        }
    }
}
