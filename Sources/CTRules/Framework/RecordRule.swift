import CTCore
import CTJSON

/// What a semantic rule sees: one CloudTrail record inside a parsed document.
public struct RecordContext: Sendable {
    public let tree: SyntaxTree
    /// Node index of the record object.
    public let record: Int
    /// Where the document came from, for file-location checks (nil for stdin and embedded blocks).
    public let fileName: String?

    public init(tree: SyntaxTree, record: Int, fileName: String? = nil) {
        self.tree = tree
        self.record = record
        self.fileName = fileName
    }

    /// The value node at a dotted path under the record, e.g. `userIdentity.sessionContext.sessionIssuer.arn`.
    public func value(_ path: String) -> Int? {
        var node = record
        for part in path.split(separator: ".") {
            guard tree.kind(node) == .object, let next = tree.member(named: String(part), of: node) else { return nil }
            node = next
        }
        return node
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

/// A semantic rule: metadata plus a check over one record.
public protocol RecordRule: Sendable {
    static var metadata: RuleMetadata { get }
    init()
    /// Findings for one record. Must not throw, must not crash on any shape of input.
    func check(_ context: RecordContext) -> [Diagnostic]
}
