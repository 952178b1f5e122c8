import CTCore
import CTJSON

/// `access-key-id`: `userIdentity.accessKeyId` has the shape of a key, and its prefix fits the credentials.
package struct AccessKeyIDRule: RecordRule {
    package static let metadata = RuleMetadata(
        id: .accessKeyID,
        category: .semantic,
        summary: "An accessKeyId with the wrong shape, an unknown prefix, or a prefix that does not fit the credentials",
        rationale: "Access key IDs are 16–128 upper-case letters and digits (20 in practice) whose prefix tells what they are: `AKIA` for long-term IAM user or root keys, `ASIA` for temporary STS credentials (assumed roles, federated users, console and session-token sessions). An assumed-role record signed with an `AKIA` key, or a key that is really a user or role ID, points to a hand-made or corrupted record. The root user signs with `ASIA` keys in console and session-token sessions whether or not the record carries a sessionContext, so root records may hold either prefix; an IAM user's `ASIA` key without any sign of a session is flagged. IAM warns that prefixes may vary, so these are warnings; an empty accessKeyId is allowed. AWS's documented example keys (`AKIAIOSFODNN7EXAMPLE`, `AKIAI44QH8DHBEXAMPLE`) stand for any key in documentation samples, assumed-role sessions included, so their prefix is not held against the credentials; a malformed example (`EXAMPLE_KEY_ID`) or another key is still checked.",
        defaultSeverity: .warning,
        valid: [
            RuleExample(#"{"eventVersion": "1.09", "userIdentity": {"type": "IAMUser", "accessKeyId": "AKIAYQ3KNO4QHX7TDPV2"}}"#),
            RuleExample(#"{"eventVersion": "1.09", "userIdentity": {"type": "AssumedRole", "accessKeyId": "ASIAYQ3KNO4QHX7TDPV2", "sessionContext": {"attributes": {"mfaAuthenticated": "false"}}}}"#),
            RuleExample(#"{"eventVersion": "1.09", "userIdentity": {"type": "IAMUser", "accessKeyId": "ASIAYQ3KNO4QHX7TDPV2", "sessionContext": {"sessionIssuer": {}, "attributes": {"mfaAuthenticated": "true"}}}}"#),
            RuleExample(#"{"eventVersion": "1.09", "userIdentity": {"type": "Root", "accessKeyId": ""}}"#),
            RuleExample(#"{"eventVersion": "1.09", "userIdentity": {"type": "Root", "accessKeyId": "ASIAYQ3KNO4QHX7TDPV2"}}"#),
            RuleExample(#"{"eventVersion": "1.09", "userIdentity": {"type": "IAMUser", "accessKeyId": "ASIAYQ3KNO4QHX7TDPV2"}, "sessionCredentialFromConsole": "true"}"#),
            // AWS's documented example key, on an assumed role as in the documentation's samples.
            RuleExample(#"{"eventVersion": "1.09", "userIdentity": {"type": "IAMUser", "accessKeyId": "AKIAIOSFODNN7EXAMPLE"}}"#),
            RuleExample(#"{"eventVersion": "1.09", "userIdentity": {"type": "AssumedRole", "accessKeyId": "AKIAIOSFODNN7EXAMPLE", "sessionContext": {"attributes": {"mfaAuthenticated": "false"}}}}"#),
        ],
        invalid: [
            RuleExample(#"{"eventVersion": "1.09", "userIdentity": {"type": "AssumedRole", "accessKeyId": ↓"AKIAYQ3KNO4QHX7TDPV2"}}"#),
            RuleExample(#"{"eventVersion": "1.09", "userIdentity": {"type": "IAMUser", "accessKeyId": ↓"AIDAYQ3KNO4QHX7TDPV2E"}}"#),
            RuleExample(#"{"eventVersion": "1.09", "userIdentity": {"type": "IAMUser", "accessKeyId": ↓"akia-not-a-key"}}"#),
            RuleExample(#"{"eventVersion": "1.09", "userIdentity": {"type": "IAMUser", "accessKeyId": ↓"ASIAYQ3KNO4QHX7TDPV2"}}"#),
            // Examples, but malformed (or another key than the documented one, on an assumed role).
            RuleExample(#"{"eventVersion": "1.09", "userIdentity": {"type": "Root", "accessKeyId": ↓"EXAMPLE_KEY_ID"}}"#),
            RuleExample(#"{"eventVersion": "1.09", "userIdentity": {"type": "AssumedRole", "accessKeyId": ↓"AKIAYQ3KNO4QEXAMPLE"}}"#),
        ]
    )

    package init() {}

    package func check(_ context: RecordContext) -> [Diagnostic] {
        guard let node = context.stringNode(context.fields.accessKeyId) else { return [] }
        if SourceBytes.with(context.tree, { Self.quickAccept(context, node, $0) }) { return [] }
        return explain(context)
    }

    /// The findings, worked out in full on the decoded key.
    func explain(_ context: RecordContext) -> [Diagnostic] {
        guard let node = context.stringNode(context.fields.accessKeyId), let key = context.text(node), !key.isEmpty
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
        if Self.documentedExamples.contains(key) { return [] }
        let type = context.text(context.stringNode(context.fields.identity.type))
        let temporary = Self.usesTemporaryCredentials(context, type: type)
        if temporary.0, prefix == .AKIA {
            return [context.diagnostic(meta, "accessKeyId `\(key)` is a long-term key, but \(temporary.1) are signed with temporary `ASIA` keys", at: node)]
        }
        // Root signs with `ASIA` keys in console and session-token sessions, with or without a sessionContext
        // (reference §2.2, §8.3), so only IAM users are held to `AKIA` outside sessions.
        if !temporary.0, prefix == .ASIA, type == IdentityType.iamUser {
            return [context.diagnostic(meta, "accessKeyId `\(key)` is a temporary key, but the `IAMUser` record shows no session (no sessionContext, not from the console); long-term keys start with `AKIA`", at: node)]
        }
        return []
    }

    /// AWS's documented example access keys (IAM User Guide, access keys; AWS CLI configuration), used for any key in
    /// documentation samples: their prefix says nothing about the credentials.
    static let documentedExamples: Set<String> = ["AKIAIOSFODNN7EXAMPLE", "AKIAI44QH8DHBEXAMPLE"]

    /// True when the bytes show that `check` has nothing to report for key node `node`.
    static func quickAccept(_ context: RecordContext, _ node: Int, _ b: SourceBytes) -> Bool {
        guard let key = b.plain(node) else { return false }
        if key.isEmpty { return true }
        guard b.isWellFormedIAMID(key) else { return false }
        let prefix = key.lowerBound..<(key.lowerBound + 4)
        let akia = b.equals(prefix, "AKIA"), asia = b.equals(prefix, "ASIA")
        guard akia || asia || b.equals(prefix, "ABIA") || b.equals(prefix, "ACCA") else { return false }
        guard akia || asia, let kind = b.identityKind(context.fields.identity.type) else { return !(akia || asia) }
        var temporary = kind == .assumedRole || kind == .federatedUser
        if !temporary {
            switch b.field(context.fields.sessionCredentialFromConsole) {
            case .undecided: return false
            case .skip: break
            case .plain(let r): temporary = b.equals(r, "true")
            }
        }
        if !temporary, let session = context.fields.sessionContext, b.kind(session) == .object {
            temporary = b.isNonEmptyObject(context.fields.attributes) || b.isNonEmptyObject(context.fields.sessionIssuer)
        }
        if temporary { return !akia }
        return !(asia && kind == .iamUser)
    }

    static func isNonEmptyObject(_ tree: SyntaxTree, _ node: Int?) -> Bool {
        guard let node, tree.nodes[node].kind == .object else { return false }
        return Int(tree.nodes[node].subtreeEnd) > node + 2  // at least one key and one value
    }

    /// Whether the caller used temporary credentials, and a phrase saying why that is known.
    static func usesTemporaryCredentials(_ context: RecordContext, type: String?) -> (Bool, String) {
        if type == IdentityType.assumedRole { return (true, "assumed-role sessions") }
        if type == IdentityType.federatedUser { return (true, "federated-user sessions") }
        if context.text(context.fields.sessionCredentialFromConsole) == "true" { return (true, "console sessions") }
        if let session = context.fields.sessionContext, context.tree.kind(session) == .object {
            if isNonEmptyObject(context.tree, context.fields.attributes) || isNonEmptyObject(context.tree, context.fields.sessionIssuer) {
                return (true, "sessions with a sessionContext")
            }
        }
        return (false, "")
    }
}
