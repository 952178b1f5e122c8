import CTCore
import CTJSON

/// The identity-type names of `userIdentity.type` and `sessionIssuer.type` the identity rules reason about.
enum IdentityType {
    static let iamUser = "IAMUser"
    static let assumedRole = "AssumedRole"
    static let root = "Root"
    static let federatedUser = "FederatedUser"
    static let role = "Role"
}

/// A member path under the record and its dotted name for messages.
struct FieldPath: Sendable {
    let name: String
    let parts: [StaticString]
    init(_ parts: StaticString...) {
        self.parts = parts
        self.name = parts.map(\.description).joined(separator: ".")
    }
}

/// Identity fields holding principal (or identity-scope) ARNs.
let principalARNPaths: [FieldPath] = [
    FieldPath("userIdentity", "arn"),
    FieldPath("userIdentity", "sessionContext", "sessionIssuer", "arn"),
    FieldPath("userIdentity", "sessionContext", "signInSessionArn"),
    FieldPath("userIdentity", "inScopeOf", "sourceArn"),
    FieldPath("userIdentity", "onBehalfOf", "identityStoreArn"),
]

/// The string-valued fields of a principal object (`userIdentity` or `sessionIssuer`), as node indices.
struct PrincipalNodes {
    let object: Int
    let type: Int?
    let arn: Int?
    let accountId: Int?
    let principalId: Int?
    let userName: Int?

    init?(_ tree: SyntaxTree, _ object: Int?) {
        guard let object, tree.kind(object) == .object else { return nil }
        func str(_ n: Int?) -> Int? { n.flatMap { tree.kind($0) == .string ? $0 : nil } }
        self.object = object
        type = str(tree.member("type", of: object))
        arn = str(tree.member("arn", of: object))
        accountId = str(tree.member("accountId", of: object))
        principalId = str(tree.member("principalId", of: object))
        userName = str(tree.member("userName", of: object))
    }
}

extension RecordContext {
    /// `userIdentity`, when it is an object.
    var userIdentity: PrincipalNodes? { PrincipalNodes(tree, node("userIdentity")) }

    /// `userIdentity.sessionContext.sessionIssuer`, when it is an object.
    var sessionIssuer: PrincipalNodes? { PrincipalNodes(tree, node("userIdentity", "sessionContext", "sessionIssuer")) }

    /// The value at a member path under the record, compared on bytes (no key decoding: the hot path).
    func node(_ parts: StaticString...) -> Int? { node(parts) }

    /// The value at a member path under the record.
    func node(_ parts: [StaticString]) -> Int? {
        var n = record
        for part in parts {
            guard let next = tree.member(part, of: n) else { return nil }
            n = next
        }
        return n
    }

    /// The node at a member path when it is a string.
    func stringNode(_ parts: StaticString...) -> Int? { stringNode(parts) }

    /// The node at a member path when it is a string.
    func stringNode(_ parts: [StaticString]) -> Int? {
        node(parts).flatMap { tree.kind($0) == .string ? $0 : nil }
    }

    /// The decoded string of a node (nil for non-strings and nil input).
    func text(_ node: Int?) -> String? { node.flatMap { tree.string($0) } }

    /// True when a string node's source bytes between the quotes equal its decoded value, so offsets into the
    /// value are offsets into the source.
    func isVerbatim(_ node: Int) -> Bool {
        let f = tree.stringFlags(node)
        return tree.kind(node) == .string && !f.contains(.hasEscapes) && !f.contains(.irregular)
    }

    /// The source range of bytes `sub` (UTF-8 offsets into the decoded value) of string node `node`;
    /// the whole node when the value is not verbatim or `sub` is empty.
    func range(in node: Int, _ sub: Range<Int>) -> TextRange {
        guard isVerbatim(node), !sub.isEmpty else { return tree.range(node) }
        let start = tree.contentRange(node).start
        return TextRange(start: start + sub.lowerBound, end: start + sub.upperBound)
    }

    /// The source range of one ARN component inside string node `node` (the whole node when not verbatim).
    func range(of component: ARN.Component, of arn: ARN, in node: Int) -> TextRange {
        range(in: node, arn.byteRange(of: component))
    }

    /// A finding at an explicit range, with the pointer of `node`.
    func diagnostic(_ rule: RuleMetadata, _ message: String, range: TextRange, node: Int, severity: Severity? = nil,
                    notes: [Note] = [], fix: Fix? = nil) -> Diagnostic {
        Diagnostic(rule: rule.id, severity: severity ?? rule.defaultSeverity, message: message, range: range,
                   notes: notes, fix: fix, pointer: tree.pointer(of: node))
    }

    /// The parsed ARN of a string node, when it splits.
    func arn(_ node: Int?) -> ARN? {
        text(node).flatMap { ARN($0) }
    }

    /// The parsed ARN of a string node when its grammar holds (soft problems such as an unknown region
    /// allowed); malformed ARNs are left to `arn-syntax`.
    func wellFormedARN(_ node: Int?) -> ARN? {
        guard let text = text(node) else { return nil }
        let (arn, issues) = ARNSyntax.check(text)
        return issues.allSatisfy(\.isSoft) ? arn : nil
    }
}
