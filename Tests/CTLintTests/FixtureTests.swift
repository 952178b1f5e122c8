import CTLint
import Foundation
import Testing

/// Walks `Fixtures/syntax/<rule>/`: `input.json` → `expected.txt` (text output of `check --syntax-only`,
/// relative path) and `fixed.json` (output of `fix --unsafe-fixes`). Set `UPDATE_FIXTURES=1` to rewrite goldens.
@Suite struct FixtureTests {
    static let directory = Repo.root.appendingPathComponent("Fixtures/syntax")
    static let cases: [String] = ((try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []).sorted()
    static let update = ProcessInfo.processInfo.environment["UPDATE_FIXTURES"] == "1"

    @Test func everySyntaxRuleHasAFixture() {
        for rule in CTRulesCatalog.syntaxRuleIDs {
            #expect(Self.cases.contains(rule), "no fixture for \(rule)")
        }
    }

    @Test(arguments: cases)
    func fixtureMatchesGoldenOutput(_ name: String) throws {
        let dir = Self.directory.appendingPathComponent(name)
        let cwd = FileManager.default.currentDirectoryPath
        #expect(FileManager.default.changeCurrentDirectoryPath(Repo.root.path))
        defer { _ = FileManager.default.changeCurrentDirectoryPath(cwd) }
        let input = "Fixtures/syntax/\(name)/input.json"
        let (status, console) = TestConsole.run(["check", "--syntax-only", "--no-show-source", "--color", "never", input])
        let expectedURL = dir.appendingPathComponent("expected.txt")
        if Self.update { try console.stdout.write(to: expectedURL, atomically: true, encoding: .utf8) }
        let expected = try String(contentsOf: expectedURL, encoding: .utf8)
        #expect(console.stdout == expected, "\(name): output differs from expected.txt")
        #expect(status == (expected.contains(": error: ") ? 1 : 0))
        #expect(expected.contains("[\(name)]"), "\(name): the fixture does not trigger its own rule")

        // Fix: compare with fixed.json when the rule is fixable; the result parses strictly and is stable.
        let original = Array(try Data(contentsOf: dir.appendingPathComponent("input.json")))
        let fixer = Fixer(linter: Linter(selection: RuleSelection(syntaxOnly: true)), includeUnsafe: true)
        let once = fixer.fix(original, format: .json)
        let fixedURL = dir.appendingPathComponent("fixed.json")
        if Self.update && once.changed { try Data(once.output).write(to: fixedURL) }
        if FileManager.default.fileExists(atPath: fixedURL.path) {
            #expect(once.output == Array(try Data(contentsOf: fixedURL)), "\(name): fix output differs from fixed.json")
            #expect((try? JSONSerialization.jsonObject(with: Data(once.output), options: [.fragmentsAllowed])) != nil,
                    "\(name): fixed output does not parse")
            #expect(fixer.fix(once.output, format: .json).output == once.output, "\(name): fixing twice changed the output")
        }
    }
}
