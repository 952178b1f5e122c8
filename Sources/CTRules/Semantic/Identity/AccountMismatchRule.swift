import CTCore
import CTJSON

/// `account-mismatch`: account IDs that describe the same principal or resource agree.
package struct AccountMismatchRule: RecordRule {
    package static let metadata = RuleMetadata(
        id: .accountMismatch,
        category: .semantic,
        summary: "An ARN's account differs from the account ID recorded for the same principal or resource",
        rationale: "For an IAM user, root user, assumed role or federated user, the account in `userIdentity.arn` is the principal's account and must equal `userIdentity.accountId`; the same holds for the session issuer's ARN and accountId. A role session lives in the role's account, so the issuer's account normally equals the identity's, and `inScopeOf.sourceAccount` and `resources[].accountId` normally match their ARNs (warnings). Legitimate cross-account cases are not flagged: `recipientAccountId` differing from the caller, AWSAccount and AWSService callers, redacted (`\"\"`) resource owners, ARNs without an account such as S3 buckets.",
        defaultSeverity: .error,
        valid: [
            RuleExample(#"{"eventVersion": "1.09", "recipientAccountId": "333344445555", "userIdentity": {"type": "AssumedRole", "accountId": "210987654321", "arn": "arn:aws:sts::210987654321:assumed-role/builder/ci", "sessionContext": {"sessionIssuer": {"type": "Role", "accountId": "210987654321", "arn": "arn:aws:iam::210987654321:role/builder"}}}}"#),
            RuleExample(#"{"eventVersion": "1.09", "userIdentity": {"type": "AWSAccount", "accountId": "333344445555", "principalId": "AIDAYQ3KNO4QHX7TDPV2E"}, "resources": [{"ARN": "arn:aws:s3:::holiday-photos", "accountId": "210987654321"}, {"ARN": "arn:aws:kms:us-east-1:210987654321:key/9d1c", "accountId": ""}]}"#),
            RuleExample(#"{"eventVersion": "1.09", "userIdentity": {"type": "AWSService", "invokedBy": "lambda.amazonaws.com", "inScopeOf": {"sourceArn": "arn:aws:lambda:us-east-1:210987654321:function:resize", "sourceAccount": "210987654321"}}}"#),
        ],
        invalid: [
            RuleExample(#"{"eventVersion": "1.09", "userIdentity": {"type": "IAMUser", "accountId": "210987654321", "arn": "arn:aws:iam::↓210987654322:user/maria"}}"#),
            RuleExample(#"{"eventVersion": "1.09", "userIdentity": {"type": "AssumedRole", "accountId": "210987654321", "arn": "arn:aws:sts::210987654321:assumed-role/builder/ci", "sessionContext": {"sessionIssuer": {"type": "Role", "accountId": ↓"333344445555", "arn": "arn:aws:iam::↓210987654321:role/builder"}}}}"#),
            RuleExample(#"{"eventVersion": "1.09", "resources": [{"ARN": "arn:aws:sns:us-east-1:↓210987654321:alerts", "accountId": "333344445555"}], "userIdentity": {"inScopeOf": {"sourceArn": "arn:aws:ec2:us-east-1:↓210987654321:instance/i-0abc", "sourceAccount": "333344445555"}}}"#),
        ]
    )

    package init() {}

    /// Identity types whose ARN names the principal in `accountId` itself.
    static let samePrincipalTypes: Set<String> = [
        IdentityType.root, IdentityType.iamUser, IdentityType.assumedRole, IdentityType.federatedUser,
    ]

    package func check(_ context: RecordContext) -> [Diagnostic] {
        var out: [Diagnostic] = []
        let tree = context.tree
        let ui = context.userIdentity
        let issuer = context.sessionIssuer
        SourceBytes.with(tree) { b in
            if let ui, let kind = b.identityKind(ui.type) {
                switch kind {
                case .root, .iamUser, .assumedRole, .federatedUser:
                    compare(arnNode: ui.arn, accountNode: ui.accountId, context, b, severity: .error,
                            message: { "the account `\($0)` in userIdentity.arn differs from userIdentity.accountId `\($1)`" },
                            into: &out)
                default: break
                }
            } else if let ui, let type = context.text(ui.type), Self.samePrincipalTypes.contains(type) {
                compare(arnNode: ui.arn, accountNode: ui.accountId, context, b, severity: .error,
                        message: { "the account `\($0)` in userIdentity.arn differs from userIdentity.accountId `\($1)`" },
                        into: &out)
            }
            if let issuer {
                compare(arnNode: issuer.arn, accountNode: issuer.accountId, context, b, severity: .error,
                        message: { "the account `\($0)` in sessionIssuer.arn differs from sessionIssuer.accountId `\($1)`" },
                        into: &out)
                // Roles are assumed into their own account: the issuer's account is the identity's account.
                if let ui, let uiAccountNode = ui.accountId, let issuerAccountNode = issuer.accountId,
                   !Self.sameOrNotComparable(b, uiAccountNode, issuerAccountNode),
                   let uiAccount = context.text(uiAccountNode), AccountID.isValid(uiAccount),
                   let issuerAccount = context.text(issuerAccountNode), AccountID.isValid(issuerAccount), issuerAccount != uiAccount {
                    out.append(context.diagnostic(
                        Self.metadata, "sessionIssuer.accountId `\(issuerAccount)` differs from userIdentity.accountId `\(uiAccount)`",
                        at: issuerAccountNode, severity: .warning,
                        notes: [Note(message: "userIdentity.accountId is here", range: tree.range(uiAccountNode))]))
                }
            }
            compare(arnNode: context.stringNode(context.fields.inScopeSourceArn), accountNode: context.stringNode(context.fields.inScopeSourceAccount),
                    context, b, severity: .warning,
                    message: { "the account `\($0)` in inScopeOf.sourceArn differs from inScopeOf.sourceAccount `\($1)`" },
                    into: &out)
            if let resources = context.fields.resources, tree.kind(resources) == .array {
                let nodes = tree.nodes
                var element = resources + 1
                let end = Int(nodes[resources].subtreeEnd)
                while element < end {
                    if nodes[element].kind == .object {
                        var arnNode: Int?, accountNode: Int?
                        tree.forEachMember(of: element) { k, v in
                            if tree.keyIs(k, "ARN") { arnNode = v } else if tree.keyIs(k, "accountId") { accountNode = v }
                        }
                        compare(arnNode: context.stringNode(arnNode), accountNode: context.stringNode(accountNode), context, b,
                                severity: .warning,
                                message: { "the account `\($0)` in the resource ARN differs from the resource's accountId `\($1)`" },
                                into: &out)
                    }
                    element = Int(nodes[element].subtreeEnd)
                }
            }
        }
        return out
    }

    /// True when two plain account strings are equal or either is not 12 digits: nothing to compare.
    @inline(__always)
    static func sameOrNotComparable(_ b: SourceBytes, _ x: Int, _ y: Int) -> Bool {
        guard let rx = b.plain(x), let ry = b.plain(y) else { return false }
        return !b.isAccountID(rx) || !b.isAccountID(ry) || b.equals(rx, ry)
    }

    /// Flags an ARN whose (12-digit) account differs from a 12-digit account ID (placeholders such as
    /// `anonymous` or `""` are not compared); the finding points at the
    /// ARN's account, with a note on the account ID.
    private func compare(arnNode: Int?, accountNode: Int?, _ context: RecordContext, _ b: SourceBytes, severity: Severity,
                         message: (String, String) -> String, into out: inout [Diagnostic]) {
        guard let arnNode, let accountNode else { return }
        // On the bytes: no ARN, an account slot or account ID that is not 12 digits, or equal accounts.
        if let r = b.plain(arnNode), let a = b.plain(accountNode) {
            guard let span = context.principalARNs.span(arnNode, r, b), b.isAccountID(span.account), b.isAccountID(a), !b.equals(span.account, a) else { return }
        }
        guard let arn = context.arn(arnNode), AccountID.isValid(arn.account),
              let account = context.text(accountNode), AccountID.isValid(account), account != arn.account else { return }
        out.append(context.diagnostic(
            Self.metadata, message(arn.account, account),
            range: context.range(of: .account, of: arn, in: arnNode), node: arnNode, severity: severity,
            notes: [Note(message: "the account ID is here", range: context.tree.range(accountNode))]))
    }
}
