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

/// Identity fields holding principal (or identity-scope) ARNs, with their dotted names for messages.
struct PrincipalARNField: Sendable {
    let name: String
    let node: @Sendable (RecordFields) -> Int?
}

let principalARNFields: [PrincipalARNField] = [
    PrincipalARNField(name: "userIdentity.arn") { $0.identity.arn },
    PrincipalARNField(name: "userIdentity.sessionContext.sessionIssuer.arn") { $0.issuer.arn },
    PrincipalARNField(name: "userIdentity.sessionContext.signInSessionArn") { $0.signInSessionArn },
    PrincipalARNField(name: "userIdentity.inScopeOf.sourceArn") { $0.inScopeSourceArn },
    PrincipalARNField(name: "userIdentity.onBehalfOf.identityStoreArn") { $0.identityStoreArn },
]

/// The string-valued fields of a principal object (`userIdentity` or `sessionIssuer`), as node indices.
struct PrincipalNodes {
    let object: Int
    let type: Int?
    let arn: Int?
    let accountId: Int?
    let principalId: Int?
    let userName: Int?

    init?(_ tree: SyntaxTree, _ object: Int?, _ fields: RecordFields.Principal) {
        guard let object, tree.kind(object) == .object else { return nil }
        func str(_ n: Int?) -> Int? { n.flatMap { tree.kind($0) == .string ? $0 : nil } }
        self.object = object
        type = str(fields.type)
        arn = str(fields.arn)
        accountId = str(fields.accountId)
        principalId = str(fields.principalId)
        userName = str(fields.userName)
    }
}

extension RecordContext {
    /// `userIdentity`, when it is an object.
    var userIdentity: PrincipalNodes? { PrincipalNodes(tree, fields.userIdentity, fields.identity) }

    /// `userIdentity.sessionContext.sessionIssuer`, when it is an object.
    var sessionIssuer: PrincipalNodes? { PrincipalNodes(tree, fields.sessionIssuer, fields.issuer) }

    /// A field found by `RecordFields` when it is a string.
    func stringNode(_ node: Int?) -> Int? {
        node.flatMap { tree.kind($0) == .string ? $0 : nil }
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
