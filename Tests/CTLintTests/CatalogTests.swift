import CTCore
import CTLint
import CTRules
import CTTestSupport
import Foundation
import Testing

/// Every rule id the tool emits is in the catalog (so `explain` knows it and the README lists it): checked on
/// everything `check` and `fix` report for the fixtures, the corpora and hostile inputs.
@Suite struct CatalogTests {
    @Test func everyEmittedRuleIsCatalogued() throws {
        var operands = [Repo.root.appendingPathComponent("Fixtures").path]
        for name in ["corpus/records", "corpus/awsdocs", "seeds"] {
            if let dir = SharedCorpus.directory(name) { operands.append(dir.path) }
        }
        var ids = Set<String>()
        let result = Runner(options: CheckOptions()).check(operands: operands)
        for report in result.reports { for d in report.diagnostics { ids.insert(d.diagnostic.rule.rawValue) } }
        // Inputs that reach the input rules and the fixer's refusals.
        let dir = Repo.tempDirectory()
        defer { Repo.remove(dir) }
        let hostile: [(String, [UInt8])] = [
            ("wide.json", [0xFF, 0xFE] + Array("{}".utf8).flatMap { [$0, 0] }),
            ("bad.json.gz", [0x1F, 0x8B, 0x08, 0x00]),
            ("keys.json", Array(#"{""#.utf8) + [0xFF] + Array(#"":1,""#.utf8) + [0xFE] + Array(#"":2,}"#.utf8)),
            ("cut.json", Array("{\"a\": [1, 2".utf8)),
        ]
        for (name, bytes) in hostile {
            let path = dir.appendingPathComponent(name).path
            #expect(FileManager.default.createFile(atPath: path, contents: Data(bytes)))
            let (_, console) = TestConsole.run(["check", "--format", "json", path])
            for match in console.stdout.matches(of: /"rule":"([a-z0-9-]+)"/) { ids.insert(String(match.1)) }
            let (_, fix) = TestConsole.run(["fix", "--unsafe-fixes", path])
            for match in fix.stderr.matches(of: /\[([a-z0-9-]+)\]/) { ids.insert(String(match.1)) }
        }
        let (_, missing) = TestConsole.run(["check", "--format", "json", dir.appendingPathComponent("missing.json").path])
        for match in missing.stdout.matches(of: /"rule":"([a-z0-9-]+)"/) { ids.insert(String(match.1)) }
        #expect(ids.count > 20)
        for id in ids.sorted() { #expect(RuleRegistry.metadata(for: id) != nil, "`\(id)` is emitted but not catalogued") }
        #expect(ids.isSuperset(of: [RuleID.textEncoding, .gzipCorrupt, .unrepairable, .readError].map(\.rawValue)), "\(ids.sorted())")
    }

    /// The ids declared on `RuleID` are exactly the catalog's, in the same order, each once.
    @Test func everyDeclaredRuleIDIsCatalogued() {
        let catalog = RuleRegistry.all.map(\.id)
        #expect(Set(RuleID.all).count == RuleID.all.count)
        for id in RuleID.all { #expect(RuleRegistry.metadata(for: id)?.id == id, "`\(id)` is declared but not catalogued") }
        for id in catalog { #expect(RuleID.all.contains(id), "`\(id)` is catalogued but not declared in `RuleID.all`") }
        #expect(RuleID.all == catalog)
        #expect(RuleID.syntax == RuleRegistry.syntaxRules.map(\.id))
        #expect(RuleID.schema == RuleRegistry.schemaRules.map(\.id))
        #expect(RuleID.input == RuleRegistry.inputRules.map(\.id))
        #expect(RuleID.integrity == RuleRegistry.integrityRules.map(\.id))
        for id in RuleID.all {
            #expect(RuleID(rawValue: id.rawValue) == id && RuleRegistry.metadata(for: id.rawValue)?.id == id)
        }
        #expect(RuleID(rawValue: "no-such-rule") == nil && RuleRegistry.metadata(for: "no-such-rule") == nil)
    }
}
