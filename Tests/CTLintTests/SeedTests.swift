import CTCore
import CTLint
import Foundation
import Testing

/// The five documents the product was created from (`../shared/seeds`, Markdown in `.txt` files).
@Suite struct SeedTests {
    static let seeds = SharedCorpus.files("seeds").filter { $0.pathExtension == "txt" }

    @Test func everySeedHasFindingsAndIsRepaired() throws {
        let linter = Linter()
        let fixer = Fixer(linter: linter, includeUnsafe: true)
        for url in Self.seeds {
            let page = Array(try Data(contentsOf: url))
            let findings = linter.lint(page, format: .markdown)
            #expect(!findings.isEmpty, "\(url.lastPathComponent): no finding")
            let fixed = fixer.fix(page, format: .markdown)
            let syntaxLeft = fixed.remaining.filter { CTRulesCatalog.syntaxRuleIDs.contains($0.rule) && $0.severity == .error }
            #expect(syntaxLeft.isEmpty, "\(url.lastPathComponent): syntax errors left after fixing: \(syntaxLeft.map(\.message))")
        }
    }
}
