import CTCore
import CTJSON

/// What a semantic rule sees: one CloudTrail record inside a parsed document.
public struct RecordContext: Sendable {
    public let tree: SyntaxTree
    /// Node index of the record object.
    public let record: Int
    /// Where the document came from, for file-location checks (nil for stdin and embedded blocks).
    public let fileName: String?
    /// The record's members the rules read, found once for all rules.
    public let fields: RecordFields
    /// What `fileName` says about the records (account, region, delivery time), computed once per document.
    let fileFacts: FileLocationRule.FileFacts?

    public init(tree: SyntaxTree, record: Int, fileName: String? = nil) {
        self.init(document: DocumentContext(tree: tree, fileName: fileName), record: record)
    }

    /// The context of record `record` of a document; build the `DocumentContext` once per document.
    public init(document: DocumentContext, record: Int) {
        tree = document.tree
        self.record = record
        fileName = document.fileName
        fileFacts = document.fileFacts
        fields = RecordFields(tree: document.tree, record: record)
    }

    /// The value node at a dotted path under the record, e.g. `userIdentity.sessionContext.sessionIssuer.arn`.
    public func value(_ path: String) -> Int? {
        tree.value(atPath: path, under: record)
    }

    /// The decoded string at a path, or nil when absent or not a string.
    public func string(_ path: String) -> String? {
        value(path).flatMap { tree.string($0) }
    }

    /// Builds a finding for `rule` at node `node`, with the node's pointer.
    public func diagnostic(_ rule: RuleMetadata, _ message: String, at node: Int, severity: Severity? = nil,
                           notes: [Note] = [], fix: Fix? = nil) -> Diagnostic {
        Diagnostic(rule: rule.id, severity: severity ?? rule.defaultSeverity, message: message, range: tree.range(node),
                   notes: notes, fix: fix, pointer: tree.pointer(of: node))
    }
}

/// What the semantic rules share across the records of one document.
public struct DocumentContext: Sendable {
    public let tree: SyntaxTree
    public let fileName: String?
    let fileFacts: FileLocationRule.FileFacts?

    public init(tree: SyntaxTree, fileName: String?) {
        self.tree = tree
        self.fileName = fileName
        if let fileName, !fileName.isEmpty {
            let facts = FileLocationRule.facts(for: fileName)
            fileFacts = facts.isEmpty ? nil : facts
        } else {
            fileFacts = nil
        }
    }
}

/// A semantic rule: metadata plus a check over one record.
public protocol RecordRule: Sendable {
    static var metadata: RuleMetadata { get }
    init()
    /// Findings for one record. Must not throw, must not crash on any shape of input.
    func check(_ context: RecordContext) -> [Diagnostic]
}
