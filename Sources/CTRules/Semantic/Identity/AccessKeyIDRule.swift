import CTCore
import CTJSON

/// `access-key-id`: `userIdentity.accessKeyId` has the shape of a key, and its prefix fits the credentials.
public struct AccessKeyIDRule: RecordRule {
    public static let metadata = RuleMetadata(
        id: "access-key-id",
        category: .semantic,
        summary: "An accessKeyId with the wrong shape, an unknown prefix, or a prefix that does not fit the credentials",
        rationale: "Access key IDs are 16–128 upper-case letters and digits (20 in practice) whose prefix tells what they are: `AKIA` for long-term IAM user or root keys, `ASIA` for temporary STS credentials (assumed roles, federated users, console and session-token sessions). An assumed-role record signed with an `AKIA` key, or a key that is really a user or role ID, points to a hand-made or corrupted record. IAM warns that prefixes may vary, so these are warnings; an empty accessKeyId is allowed.",
        defaultSeverity: .warning,
        valid: [
            RuleExample(#"{"eventVersion": "1.09", "userIdentity": {"type": "IAMUser", "accessKeyId": "AKIAYQ3KNO4QHX7TDPV2"}}"#),
            RuleExample(#"{"eventVersion": "1.09", "userIdentity": {"type": "AssumedRole", "accessKeyId": "ASIAYQ3KNO4QHX7TDPV2", "sessionContext": {"attributes": {"mfaAuthenticated": "false"}}}}"#),
            RuleExample(#"{"eventVersion": "1.09", "userIdentity": {"type": "IAMUser", "accessKeyId": "ASIAYQ3KNO4QHX7TDPV2", "sessionContext": {"sessionIssuer": {}, "attributes": {"mfaAuthenticated": "true"}}}}"#),
            RuleExample(#"{"eventVersion": "1.09", "userIdentity": {"type": "Root", "accessKeyId": ""}}"#),
        ],
        invalid: [
            RuleExample(#"{"eventVersion": "1.09", "userIdentity": {"type": "AssumedRole", "accessKeyId": ↓"AKIAYQ3KNO4QHX7TDPV2"}}"#),
            RuleExample(#"{"eventVersion": "1.09", "userIdentity": {"type": "IAMUser", "accessKeyId": ↓"AIDAYQ3KNO4QHX7TDPV2E"}}"#),
            RuleExample(#"{"eventVersion": "1.09", "userIdentity": {"type": "IAMUser", "accessKeyId": ↓"akia-not-a-key"}}"#),
            RuleExample(#"{"eventVersion": "1.09", "userIdentity": {"type": "IAMUser", "accessKeyId": ↓"ASIAYQ3KNO4QHX7TDPV2"}}"#),
        ]
    )

    public init() {}

    public func check(_ context: RecordContext) -> [Diagnostic] {
        guard let node = context.stringNode("userIdentity", "accessKeyId"), let key = context.text(node), !key.isEmpty
        else { return [] }
        let meta = Self.metadata
        guard IAMIdentifier.isWellFormed(key) else {
            return [context.diagnostic(meta, "accessKeyId `\(key)` is not an access key ID: expected 16 to 128 upper-case letters and digits", at: node)]
        }
        guard let prefix = IAMIDPrefix(of: key) else {
            return [context.diagnostic(meta, "accessKeyId `\(key)` has no known access key prefix (`AKIA`, `ASIA`, `ABIA`, `ACCA`)", at: node)]
        }
        guard prefix.isAccessKeyPrefix else {
            return [context.diagnostic(meta, "accessKeyId `\(key)` is the ID of \(prefix.resourceType) (`\(prefix.rawValue)`), not an access key ID", at: node)]
        }
        let type = context.text(context.node("userIdentity", "type"))
        let temporary = Self.usesTemporaryCredentials(context, type: type)
        if temporary.0, prefix == .AKIA {
            return [context.diagnostic(meta, "accessKeyId `\(key)` is a long-term key, but \(temporary.1) are signed with temporary `ASIA` keys", at: node)]
        }
        if !temporary.0, prefix == .ASIA, type == IdentityType.iamUser || type == IdentityType.root {
            return [context.diagnostic(meta, "accessKeyId `\(key)` is a temporary key, but the `\(type!)` record has no sessionContext; long-term keys start with `AKIA`", at: node)]
        }
        return []
    }

    /// Whether the caller used temporary credentials, and a phrase saying why that is known.
    static func usesTemporaryCredentials(_ context: RecordContext, type: String?) -> (Bool, String) {
        if type == IdentityType.assumedRole { return (true, "assumed-role sessions") }
        if type == IdentityType.federatedUser { return (true, "federated-user sessions") }
        if context.text(context.node("sessionCredentialFromConsole")) == "true" { return (true, "console sessions") }
        if let session = context.node("userIdentity", "sessionContext"), context.tree.kind(session) == .object {
            let tree = context.tree
            if let attributes = tree.member("attributes", of: session), tree.kind(attributes) == .object,
               tree.members(of: attributes).contains(where: { _ in true }) {
                return (true, "sessions with a sessionContext")
            }
            if let issuer = tree.member("sessionIssuer", of: session), tree.kind(issuer) == .object,
               tree.members(of: issuer).contains(where: { _ in true }) {
                return (true, "sessions with a sessionContext")
            }
        }
        return (false, "")
    }
}
