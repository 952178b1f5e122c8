import CTJSON
import Foundation
import Testing
import CTSchema

/// Runs every case of the draft 2020-12 files kept in `shared/corpus/json-schema-test-suite` (the keywords the
/// engine implements plus the optional formats it asserts).
@Suite struct JSONSchemaTestSuiteTests {
    static let files = [
        "additionalProperties", "allOf", "anyOf", "const", "defs", "dependentRequired", "enum", "format",
        "if-then-else", "items", "maxItems", "maxLength", "maximum", "minItems", "minLength", "minimum", "not",
        "oneOf", "pattern", "patternProperties", "prefixItems", "properties", "ref", "required", "type",
        "uniqueItems", "optional/format/date-time", "optional/format/ipv4", "optional/format/ipv6",
        "optional/format/uuid",
    ]

    /// Groups deliberately not run, as (file, group description, reason).
    static let skippedGroups: [(file: String, group: String, reason: String)] = [
        ("defs", "validate definition against metaschema",
         "refers to the draft 2020-12 metaschema, a remote document the suite subset does not include"),
        ("ref", "remote ref, containing refs itself",
         "refers to the draft 2020-12 metaschema, a remote document the suite subset does not include"),
    ]

    struct Outcome { var passed = 0; var failed: [String] = []; var skipped = 0 }

    static func run(_ file: String, root: URL) throws -> Outcome {
        let url = root.appendingPathComponent("tests/draft2020-12/\(file).json")
        let bytes = [UInt8](try Data(contentsOf: url))
        let tree = JSONParser.parse(bytes)
        var outcome = Outcome()
        // `format.json` checks the draft's default (format is an annotation); the optional format files and
        // this project's schemas use format as an assertion.
        let validator = SchemaValidator(assertsFormats: file != "format")
        for group in tree.children(of: tree.root!) {
            let description = tree.string(tree.member("description", of: group)!)!
            let schemaNode = tree.member("schema", of: group)!
            let tests = Array(tree.children(of: tree.member("tests", of: group)!))
            if skippedGroups.contains(where: { $0.file == file && $0.group == description }) {
                outcome.skipped += tests.count
                continue
            }
            let compiled: CompiledSchema
            do {
                compiled = try compileSchema(tree.text(schemaNode), name: "\(file)-group.json")
            } catch {
                outcome.failed.append("\(file) / \(description): schema did not compile: \(error)")
                continue
            }
            for test in tests {
                let name = tree.string(tree.member("description", of: test)!)!
                let data = tree.member("data", of: test)!
                let expected = tree.bool(tree.member("valid", of: test)!)!
                let quick = validator.isValid(tree, node: data, against: compiled)
                let full = validator.validate(tree, node: data, against: compiled)
                if quick == expected && full.isEmpty == expected {
                    outcome.passed += 1
                } else {
                    outcome.failed.append("\(file) / \(description) / \(name): expected \(expected), yes/no mode \(quick), "
                                          + "violations \(full.map(\.message))")
                }
            }
        }
        return outcome
    }

    @Test func everyCaseOfTheKeptFiles() throws {
        guard let root = TestPaths.sharedPath("corpus/json-schema-test-suite") else {
            print("skipping JSON Schema Test Suite: \(TestPaths.shared.path) is absent")
            return
        }
        var total = Outcome()
        for file in Self.files {
            let o = try Self.run(file, root: root)
            total.passed += o.passed
            total.skipped += o.skipped
            total.failed += o.failed
        }
        print("JSON Schema Test Suite: \(total.passed) passed, \(total.failed.count) failed, \(total.skipped) skipped")
        for f in total.failed { Issue.record(Comment(rawValue: f)) }
    }
}
