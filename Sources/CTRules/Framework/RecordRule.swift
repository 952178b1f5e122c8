import CTCore
import CTJSON
import CTInput

/// What a semantic rule sees: one CloudTrail record inside a parsed document.
package struct RecordContext: Sendable {
    package let tree: SyntaxTree
    /// Node index of the record object.
    package let record: Int
    /// The record's members the rules read, found once for all rules.
    package let fields: RecordFields
    /// The principal ARNs, parsed once for the identity rules.
    let principalARNs: PrincipalARNs
    /// What the document's file name says, shared by reference.
    private let origin: DocumentOrigin
    /// Whether the record is its document's first, when `tree` holds that one record only (see
    /// `DocumentContext.init(record:isFirst:origin:)`); nil when `tree` is the whole document.
    let streamedFirst: Bool?

    /// Where the document came from, for file-location checks (nil for stdin and embedded blocks).
    package var fileName: String? { origin.fileName }
    /// What `fileName` says about the records (account, region, delivery time), computed once per document.
    var fileFacts: FileFacts? { origin.fileFacts }
    /// The Markdown page's `real-data` replacements, when the document is one of its blocks.
    var realDataPage: RealDataPage? { origin.realDataPage }

    package init(tree: SyntaxTree, record: Int, fileName: String? = nil) {
        self.init(document: DocumentContext(tree: tree, fileName: fileName), record: record)
    }

    /// The context of record `record` of a document; build the `DocumentContext` once per document.
    package init(document: DocumentContext, record: Int) {
        tree = document.tree
        self.record = record
        origin = document.origin
        streamedFirst = document.streamedFirst
        let fields = RecordFields(tree: document.tree, record: record)
        self.fields = fields
        principalARNs = fields.userIdentity == nil ? PrincipalARNs() : SourceBytes.with(document.tree) { PrincipalARNs(fields, $0) }
    }

    /// True when the record is the document's first (findings about the file as a whole are placed there).
    var isFirstRecord: Bool {
        streamedFirst ?? Self.isFirstRecord(tree, record)
    }

    /// True when `record` is the document's first record: the path from the root to it passes only through
    /// the first element of every array (`{"Records": [record, …]}`, a bare record, `{"detail": record}`).
    static func isFirstRecord(_ tree: SyntaxTree, _ record: Int) -> Bool {
        guard var node = tree.root else { return false }
        while node != record {
            switch tree.kind(node) {
            case .array:
                guard let first = tree.children(of: node).first(where: { _ in true }),
                      record >= first, record < Int(tree.nodes[first].subtreeEnd)
                else { return false }
                node = first
            case .object:
                guard let (_, value) = tree.members(of: node).first(where: { record >= $0.value && record < Int(tree.nodes[$0.value].subtreeEnd) })
                else { return false }
                node = value
            default:
                return false
            }
        }
        return true
    }

    /// The value node at a dotted path under the record, e.g. `userIdentity.sessionContext.sessionIssuer.arn`.
    package func value(_ path: String) -> Int? {
        tree.value(atPath: path, under: record)
    }

    /// The decoded string at a path, or nil when absent or not a string.
    package func string(_ path: String) -> String? {
        value(path).flatMap { tree.string($0) }
    }

    /// Builds a finding for `rule` at node `node`, with the node's pointer.
    package func diagnostic(_ rule: RuleMetadata, _ message: String, at node: Int, severity: Severity? = nil,
                           notes: [Note] = [], fix: Fix? = nil) -> Diagnostic {
        Diagnostic(rule: rule.id, severity: severity ?? rule.defaultSeverity, message: message, range: tree.range(node),
                   notes: notes, fix: fix, pointer: tree.pointer(of: node))
    }
}

/// What the semantic rules share across the records of one document.
package struct DocumentContext: Sendable {
    package let tree: SyntaxTree
    let origin: DocumentOrigin
    /// Set when `tree` holds one record of the document only: whether it is the first of `Records`.
    let streamedFirst: Bool?

    package var fileName: String? { origin.fileName }

    package init(tree: SyntaxTree, fileName: String?) {
        self.init(tree: tree, origin: DocumentOrigin(fileName: fileName))
    }

    /// The context of a whole document whose file name's facts are at hand.
    package init(tree: SyntaxTree, origin: DocumentOrigin) {
        self.tree = tree
        self.origin = origin
        streamedFirst = nil
    }

    private init(tree: SyntaxTree, origin: DocumentOrigin, streamedFirst: Bool?) {
        self.tree = tree
        self.origin = origin
        self.streamedFirst = streamedFirst
    }

    /// The context of a document checked record by record: `record` is a tree holding one record of `Records`
    /// alone (its ranges still offsets into the whole file), its first when `isFirst` (the records before it need
    /// not be known: a worker thread may check a stretch of them).
    package init(record: SyntaxTree, isFirst: Bool, origin: DocumentOrigin) {
        self.init(tree: record, origin: origin, streamedFirst: isFirst)
    }
}

/// A semantic rule: metadata plus a check over one record.
package protocol RecordRule: Sendable {
    static var metadata: RuleMetadata { get }
    init()
    /// Findings for one record. Must not throw, must not crash on any shape of input.
    func check(_ context: RecordContext) -> [Diagnostic]
}
