import CTJSON
import CTTestSupport
import Foundation
import CTSchema

/// Paths shared by the tests. The repository root is three levels above this file; the read-only reference
/// material lives next to it in `../shared`.
enum TestPaths {
    static let repoRoot: URL = SharedCorpus.repositoryRoot
    static let shared: URL = SharedCorpus.root

    /// `shared/<relative>` when it exists, else nil (the caller skips with a printed message).
    static func sharedPath(_ relative: String) -> URL? { SharedCorpus.path(relative) }
}

func parse(_ text: String) -> SyntaxTree { JSONParser.parse(Array(text.utf8)) }

/// Compiles a single-document schema given as JSON text.
func compileSchema(_ text: String, name: String = "test.schema.json") throws -> CompiledSchema {
    try SchemaRegistry(documents: [(name: name, text: text)]).compile(name)
}

/// Validates JSON text against a schema given as JSON text.
func violations(_ schema: String, _ instance: String) throws -> [SchemaViolation] {
    let compiled = try compileSchema(schema)
    let tree = parse(instance)
    return SchemaValidator().validate(tree, node: tree.root!, against: compiled)
}
