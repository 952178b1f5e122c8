import CTCore
import CTJSON
import CTLint
import CTRules
import Foundation
import Testing

/// Runs every rule's metadata examples: valid ones give no finding of the rule, invalid ones give findings
/// exactly at the `↓` markers, fix examples give the fixed text. Each again with a multibyte member first.
@Suite struct RuleExampleTests {
    // (Input and integrity rules judge files, not documents: their tests are elsewhere.)
    static let rules = RuleRegistry.all.filter { $0.category != .input && $0.category != .integrity }

    /// Inserts a member (or element) holding multibyte text right after the first `{` or `[`.
    static func withMultibytePrefix(_ text: String) -> (String, insertedAt: Int, length: Int)? {
        let bytes = Array(text.utf8)
        guard let i = bytes.firstIndex(where: { $0 == UInt8(ascii: "{") || $0 == UInt8(ascii: "[") }) else { return nil }
        let insert = bytes[i] == UInt8(ascii: "{") ? #""_note": "naïve ñandú 日本語 🙂", "# : #""naïve ñandú 日本語 🙂", "#
        let inserted = Array(insert.utf8)
        return (String(decoding: bytes[...i] + inserted + bytes[(i + 1)...], as: UTF8.self), i + 1, inserted.count)
    }

    /// Findings about the inserted member itself (e.g. `unknown-field` for `_note`) are not the example's.
    static func inInsertion(_ d: Diagnostic, _ at: Int, _ length: Int) -> Bool {
        d.range.start >= at && d.range.start < at + length
    }

    static func findings(_ rule: RuleMetadata, _ source: String, fileName: String?) -> [Diagnostic] {
        if RuleRegistry.runRules.contains(where: { type(of: $0).metadata.id == rule.id }) {
            // Run-level rules need the runner: check a temporary file.
            let url = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("example-\(UUID().uuidString).json")
            #expect(FileManager.default.createFile(atPath: url.path, contents: Data(source.utf8)))
            defer { try? FileManager.default.removeItem(at: url) }
            var options = CheckOptions()
            options.selection = RuleSelection(select: [rule.id.rawValue])
            return Runner(options: options).check(operands: [url.path]).reports.flatMap { $0.diagnostics.map(\.diagnostic) }
                .filter { $0.rule == rule.id }
        }
        let linter = Linter(selection: RuleSelection(select: [rule.id.rawValue])).linting(markdownBlocks: rule.markdownOnly)
        let diags = linter.lintJSON(Array(source.utf8), fileName: fileName).diagnostics
        return diags.filter { $0.rule == rule.id }
    }

    @Test(arguments: rules.map(\.id.rawValue))
    func validExamplesAreQuiet(_ id: String) {
        let rule = RuleRegistry.metadata(for: id)!
        for example in rule.valid {
            let found = Self.findings(rule, example.source, fileName: example.fileName)
            #expect(found.isEmpty, "\(id) valid example: \(example.source)\n→ \(found.map(\.message))")
            if let (prefixed, at, length) = Self.withMultibytePrefix(example.source) {
                let again = Self.findings(rule, prefixed, fileName: example.fileName).filter { !Self.inInsertion($0, at, length) }
                #expect(again.isEmpty, "\(id) valid example, multibyte variant")
            }
        }
    }

    @Test(arguments: rules.map(\.id.rawValue))
    func invalidExamplesHitTheMarkers(_ id: String) {
        let rule = RuleRegistry.metadata(for: id)!
        if rule.id != InvalidUTF8Rule.metadata.id {
            #expect(!rule.invalid.isEmpty, "\(id) has no invalid example")
        }
        for example in rule.invalid {
            let (source, markers) = example.unmarked()
            #expect(!markers.isEmpty, "\(id): invalid example without markers")
            let found = Self.findings(rule, source, fileName: example.fileName)
            #expect(found.map(\.range.start).sorted() == markers.sorted(),
                    "\(id) invalid example: \(example.source)\n→ \(found.map { "\($0.range): \($0.message)" })")
            // (A member put before a filter pattern's selector makes it an object, no longer a filter pattern.)
            if rule.id != .filterPattern, let (prefixed, at, length) = Self.withMultibytePrefix(source) {
                let shifted = markers.map { $0 >= at ? $0 + length : $0 }
                let again = Self.findings(rule, prefixed, fileName: example.fileName).filter { !Self.inInsertion($0, at, length) }
                #expect(again.map(\.range.start).sorted() == shifted.sorted(), "\(id) invalid example, multibyte variant: \(prefixed)")
            }
        }
    }

    @Test(arguments: rules.map(\.id.rawValue))
    func fixExamplesProduceTheFixedText(_ id: String) {
        let rule = RuleRegistry.metadata(for: id)!
        if rule.fixability != .none {
            #expect(!rule.fixes.isEmpty || rule.id == InvalidUTF8Rule.metadata.id, "\(id) is fixable but has no fix example")
        }
        for example in rule.fixes {
            let fixer = Fixer(linter: Linter(selection: RuleSelection(select: [rule.id.rawValue])), includeUnsafe: true)
            let once = fixer.fix(Array(example.source.utf8), format: .json)
            #expect(String(decoding: once.output, as: UTF8.self) == example.fixed, "\(id) fix example: \(example.source)")
            // A fix applied twice equals the fix applied once.
            let twice = fixer.fix(once.output, format: .json)
            #expect(twice.output == once.output, "\(id): fixing twice changed the output")
            if let (prefixed, _, _) = Self.withMultibytePrefix(example.source),
               let (expected, _, _) = Self.withMultibytePrefix(example.fixed ?? "") {
                let out = fixer.fix(Array(prefixed.utf8), format: .json).output
                #expect(String(decoding: out, as: UTF8.self) == expected, "\(id) fix example, multibyte variant")
            }
        }
    }

    @Test func ruleIDsAreUniqueAndKebabCase() {
        let ids = RuleRegistry.all.map(\.id.rawValue)
        #expect(Set(ids).count == ids.count)
        for id in ids {
            #expect(id.allSatisfy { $0.isLowercase || $0.isNumber || $0 == "-" }, "\(id) is not kebab-case")
        }
        for m in RuleRegistry.all {
            #expect(!m.summary.hasSuffix("."), "\(m.id): summary ends with a period")
            #expect(!m.rationale.isEmpty, "\(m.id): no rationale")
        }
    }
}
