import CTCore
import CTJSON

/// `identity-fields`: userIdentity carries no sub-field that its type never has.
package struct IdentityFieldsRule: RecordRule {
    package static let metadata = RuleMetadata(
        id: .identityFields,
        category: .semantic,
        summary: "A userIdentity field that does not belong to the identity type",
        rationale: "Each identity type carries its own fields: an IAM user has a userName but no session issuer or web-identity data (console sessions show them as empty objects); an assumed role names its role in `sessionContext.sessionIssuer.userName` and has no top-level userName; an assumed role's session issuer is a Role, a federated user's an IAMUser or Root; only SAML and web-identity callers carry identityProvider. A field that does not fit usually comes from copying parts of two records together.",
        defaultSeverity: .warning,
        valid: [
            RuleExample(#"{"eventVersion": "1.09", "userIdentity": {"type": "IAMUser", "userName": "maria", "sessionContext": {"sessionIssuer": {}, "webIdFederationData": {}, "attributes": {"mfaAuthenticated": "true"}}}}"#),
            RuleExample(#"{"eventVersion": "1.09", "userIdentity": {"type": "AssumedRole", "sessionContext": {"sessionIssuer": {"type": "Role", "userName": "builder"}, "webIdFederationData": {"federatedProvider": "accounts.google.com"}}}}"#),
            RuleExample(#"{"eventVersion": "1.09", "userIdentity": {"type": "WebIdentityUser", "userName": "u-42", "identityProvider": "accounts.google.com"}}"#),
            RuleExample(#"{"eventVersion": "1.09", "userIdentity": {"type": "FederatedUser", "sessionContext": {"sessionIssuer": {"type": "Root"}}}}"#),
        ],
        invalid: [
            RuleExample(#"{"eventVersion": "1.09", "userIdentity": {"type": "IAMUser", "sessionContext": {"sessionIssuer": ↓{"type": "Role", "userName": "builder"}}}}"#),
            RuleExample(#"{"eventVersion": "1.09", "userIdentity": {"type": "AssumedRole", "userName": ↓"builder", "identityProvider": ↓"accounts.google.com"}}"#),
            RuleExample(#"{"eventVersion": "1.09", "userIdentity": {"type": "AssumedRole", "sessionContext": {"sessionIssuer": {"type": ↓"IAMUser"}}}}"#),
            RuleExample(#"{"eventVersion": "1.09", "userIdentity": {"type": "FederatedUser", "sessionContext": {"sessionIssuer": {"type": ↓"Role"}}}}"#),
            RuleExample(#"{"eventVersion": "1.09", "userIdentity": {"type": "IAMUser", "sessionContext": {"webIdFederationData": ↓{"federatedProvider": "accounts.google.com"}}}}"#),
        ]
    )

    package init() {}

    package func check(_ context: RecordContext) -> [Diagnostic] {
        guard let ui = context.userIdentity, let type = context.text(ui.type) else { return [] }
        let tree = context.tree
        let meta = Self.metadata
        var out: [Diagnostic] = []
        let typeNode = ui.type!
        // The message is built only for a finding: built eagerly, the interpolated messages were most of this
        // rule's cost on clean records (callgrind).
        func flag(_ node: Int?, _ message: @autoclosure () -> String) {
            guard let node else { return }
            out.append(context.diagnostic(meta, message(), at: node,
                                          notes: [Note(message: "userIdentity type is here", range: tree.range(typeNode))]))
        }
        func nonEmptyObject(_ node: Int?) -> Int? {
            AccessKeyIDRule.isNonEmptyObject(tree, node) ? node : nil
        }
        let identityProvider = context.fields.identityProvider
        switch type {
        case IdentityType.iamUser, IdentityType.root:
            if type == IdentityType.iamUser {
                flag(nonEmptyObject(context.fields.sessionIssuer),
                     "an IAM user signs with its own credentials: a non-empty `sessionIssuer` does not belong to type `IAMUser`")
            }
            flag(nonEmptyObject(context.fields.webIdFederationData),
                 "`webIdFederationData` does not belong to userIdentity type `\(type)`: it describes web-identity role sessions")
            flag(identityProvider, "`identityProvider` does not belong to userIdentity type `\(type)`: only SAML and web-identity callers carry it")
        case IdentityType.assumedRole:
            flag(ui.userName, "`userName` does not belong to userIdentity type `AssumedRole`: the role name is in `sessionContext.sessionIssuer.userName`")
            flag(identityProvider, "`identityProvider` does not belong to userIdentity type `AssumedRole`: only SAML and web-identity callers carry it")
            if let issuer = context.sessionIssuer, let node = issuer.type, let issuerType = context.text(node),
               !issuerType.isEmpty, issuerType != IdentityType.role {
                flag(node, "sessionIssuer type is `\(issuerType)`, but assumed-role sessions are issued by a `Role`")
            }
        case IdentityType.federatedUser:
            if let issuer = context.sessionIssuer, let node = issuer.type, let issuerType = context.text(node),
               !issuerType.isEmpty, issuerType != IdentityType.iamUser, issuerType != IdentityType.root {
                flag(node, "sessionIssuer type is `\(issuerType)`, but federated-user sessions are issued by an `IAMUser` or `Root`")
            }
            flag(identityProvider, "`identityProvider` does not belong to userIdentity type `FederatedUser`: only SAML and web-identity callers carry it")
        default:
            break
        }
        return out
    }
}
