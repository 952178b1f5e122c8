import CTCore
import CTJSON

/// `principal-id`: `principalId` has the shape its identity type implies.
package struct PrincipalIDRule: RecordRule {
    package static let metadata = RuleMetadata(
        id: .principalID,
        category: .semantic,
        summary: "A principalId whose shape does not fit the identity type",
        rationale: "principalId is the principal's unique ID: `AIDA…` for an IAM user, `AROA…:SESSION` for an assumed role (the role ID equals the session issuer's principalId), the account ID for the root user, `ACCOUNT:NAME` for a federated user; a session issuer of type Role carries the bare `AROA…` role ID. Detections match on these IDs, which survive renames. AWS documentation samples and old records break these shapes, so findings are warnings; an empty principalId is allowed. A well-formed example ID (`AIDAJ45Q7YFFAREXAMPLE`, `AROAJ45Q7YFFAREXAMPLE:session`) is no finding for being an example, and two different example role IDs (both ending in `EXAMPLE`) in principalId and sessionIssuer are not held to be equal; an example ID of the wrong shape or kind (`AIDA…EXAMPLE` on an assumed role) still is a finding.",
        defaultSeverity: .warning,
        valid: [
            RuleExample(#"{"eventVersion": "1.09", "userIdentity": {"type": "IAMUser", "principalId": "AIDAYQ3KNO4QHX7TDPV2E"}}"#),
            RuleExample(#"{"eventVersion": "1.09", "userIdentity": {"type": "AssumedRole", "principalId": "AROAYQ3KNO4QHX7TDPV2E:i-0123456789abcdef0", "sessionContext": {"sessionIssuer": {"type": "Role", "principalId": "AROAYQ3KNO4QHX7TDPV2E"}}}}"#),
            RuleExample(#"{"eventVersion": "1.09", "userIdentity": {"type": "Root", "principalId": "210987654321", "accountId": "210987654321"}}"#),
            RuleExample(#"{"eventVersion": "1.09", "userIdentity": {"type": "FederatedUser", "principalId": "210987654321:dana", "accountId": "210987654321"}}"#),
            RuleExample(#"{"eventVersion": "1.09", "userIdentity": {"type": "AWSAccount", "principalId": ""}}"#),
            // AWS documentation's example IDs, of the right shape.
            RuleExample(#"{"eventVersion": "1.09", "userIdentity": {"type": "IAMUser", "principalId": "AIDAJ45Q7YFFAREXAMPLE", "accountId": "111122223333"}}"#),
            RuleExample(#"{"eventVersion": "1.09", "userIdentity": {"type": "AssumedRole", "principalId": "AROAJ45Q7YFFAREXAMPLE:session", "accountId": "123456789012", "sessionContext": {"sessionIssuer": {"type": "Role", "principalId": "AROAIDPPEZS35WEXAMPLE", "accountId": "123456789012"}}}}"#),
            RuleExample(#"{"eventVersion": "1.09", "userIdentity": {"type": "Root", "principalId": "444455556666", "accountId": "444455556666"}}"#),
        ],
        invalid: [
            RuleExample(#"{"eventVersion": "1.09", "userIdentity": {"type": "IAMUser", "principalId": ↓"AROAYQ3KNO4QHX7TDPV2E"}}"#),
            RuleExample(#"{"eventVersion": "1.09", "userIdentity": {"type": "AssumedRole", "principalId": ↓"AIDAYQ3KNO4QHX7TDPV2E:ci"}}"#),
            RuleExample(#"{"eventVersion": "1.09", "userIdentity": {"type": "AssumedRole", "principalId": ↓"AROAYQ3KNO4QHX7TDPV2E:ci", "sessionContext": {"sessionIssuer": {"type": "Role", "principalId": "AROAZZ3KNO4QHX7TDPV2E"}}}}"#),
            RuleExample(#"{"eventVersion": "1.09", "userIdentity": {"type": "Root", "principalId": ↓"AIDAYQ3KNO4QHX7TDPV2E", "accountId": "210987654321"}}"#),
            // Examples of the wrong kind: a user's ID on an assumed role, a role ID on an IAM user.
            RuleExample(#"{"eventVersion": "1.09", "userIdentity": {"type": "AssumedRole", "principalId": ↓"AIDACKCEVSQ6C2EXAMPLE:account_name", "sessionContext": {"sessionIssuer": {"type": "Role", "principalId": ↓"AIDACKCEVSQ6C2EXAMPLE"}}}}"#),
            RuleExample(#"{"eventVersion": "1.09", "userIdentity": {"type": "IAMUser", "principalId": ↓"AROAJ45Q7YFFAREXAMPLE"}}"#),
            RuleExample(#"{"eventVersion": "1.09", "userIdentity": {"type": "FederatedUser", "principalId": ↓"333344445555:dana", "accountId": "210987654321", "sessionContext": {"sessionIssuer": {"type": "IAMUser", "principalId": ↓"AKIAYQ3KNO4QHX7TDPV2E"}}}}"#),
        ]
    )

    package init() {}

    package func check(_ context: RecordContext) -> [Diagnostic] {
        if SourceBytes.with(context.tree, { Self.quickAccept(context, $0) }) { return [] }
        return explain(context)
    }

    /// The findings, worked out in full (decoded strings, `ARN` values).
    func explain(_ context: RecordContext) -> [Diagnostic] {
        var out: [Diagnostic] = []
        let meta = Self.metadata
        if let ui = context.userIdentity, let type = context.text(ui.type),
           let node = ui.principalId, let pid = context.text(node), !pid.isEmpty {
            let account = context.text(ui.accountId) ?? ""
            switch type {
            case IdentityType.iamUser:
                if let problem = Self.uniqueIDProblem(pid, expected: .AIDA) {
                    out.append(context.diagnostic(meta, "principalId `\(pid)` of an IAM user \(problem)", at: node))
                }
            case IdentityType.assumedRole:
                checkAssumedRole(pid, node, issuer: context.sessionIssuer, context, into: &out)
            case IdentityType.root:
                if AccountID.isValid(account), pid != account {
                    out.append(context.diagnostic(meta, "principalId `\(pid)` of the root user should be the account ID `\(account)`", at: node,
                                                  notes: [Note(message: "accountId is here", range: context.tree.range(ui.accountId!))]))
                }
            case IdentityType.federatedUser:
                if let colon = pid.firstIndex(of: ":") {
                    let owner = String(pid[..<colon])
                    if AccountID.isValid(account), owner != account {
                        out.append(context.diagnostic(meta, "principalId `\(pid)` of a federated user should start with the account ID `\(account)`", at: node,
                                                      notes: [Note(message: "accountId is here", range: context.tree.range(ui.accountId!))]))
                    }
                } else {
                    out.append(context.diagnostic(meta, "principalId `\(pid)` of a federated user should be `ACCOUNT:NAME`", at: node))
                }
            default:
                break
            }
        }
        if let issuer = context.sessionIssuer, let type = context.text(issuer.type),
           let node = issuer.principalId, let pid = context.text(node), !pid.isEmpty {
            switch type {
            case IdentityType.role:
                if let problem = Self.uniqueIDProblem(pid, expected: .AROA) {
                    out.append(context.diagnostic(meta, "sessionIssuer principalId `\(pid)` of a role \(problem)", at: node))
                }
            case IdentityType.iamUser:
                if let problem = Self.uniqueIDProblem(pid, expected: .AIDA) {
                    out.append(context.diagnostic(meta, "sessionIssuer principalId `\(pid)` of an IAM user \(problem)", at: node))
                }
            case IdentityType.root:
                if let account = context.text(issuer.accountId), AccountID.isValid(account), pid != account {
                    out.append(context.diagnostic(meta, "sessionIssuer principalId `\(pid)` of the root user should be the account ID `\(account)`", at: node))
                }
            default:
                break
            }
        }
        return out
    }

    /// True when the bytes show that `check` has nothing to report.
    static func quickAccept(_ context: RecordContext, _ b: SourceBytes) -> Bool {
        let f = context.fields
        /// `id` starts with `prefix` and is a well-formed unique ID.
        func isID(_ id: Range<Int>, _ prefix: StaticString) -> Bool { b.hasPrefix(id, prefix) && b.isWellFormedIAMID(id) }
        if let ui = f.userIdentity, b.kind(ui) == .object {
            guard let kind = b.identityKind(f.identity.type) else { return false }
            if kind != .none {
                switch b.field(f.identity.principalId) {
                case .undecided: return false
                case .skip: break
                case .plain(let pid) where pid.isEmpty: break
                case .plain(let pid):
                    switch kind {
                    case .iamUser:
                        guard isID(pid, "AIDA") else { return false }
                    case .assumedRole:
                        guard let colon = b.firstIndex(of: 0x3A, in: pid) else { return false }
                        let roleID = pid.lowerBound..<colon
                        guard isID(roleID, "AROA") else { return false }
                        if let si = f.sessionIssuer, b.kind(si) == .object {
                            switch b.field(f.issuer.principalId) {
                            case .undecided: return false
                            case .skip: break
                            case .plain(let issuerID): if !issuerID.isEmpty && !b.equals(issuerID, roleID) { return false }
                            }
                        }
                    case .root, .federatedUser:
                        let owner = kind == .root ? pid : (b.firstIndex(of: 0x3A, in: pid).map { pid.lowerBound..<$0 })
                        guard let owner else { return false }
                        switch b.field(f.identity.accountId) {
                        case .undecided: return false
                        case .skip: break
                        case .plain(let account): if b.isAccountID(account) && !b.equals(owner, account) { return false }
                        }
                    case .none, .role, .other:
                        break
                    }
                }
            }
        }
        guard let si = f.sessionIssuer, b.kind(si) == .object else { return true }
        guard let kind = b.identityKind(f.issuer.type) else { return false }
        if kind == .none { return true }
        switch b.field(f.issuer.principalId) {
        case .undecided: return false
        case .skip: return true
        case .plain(let pid) where pid.isEmpty: return true
        case .plain(let pid):
            switch kind {
            case .role: return isID(pid, "AROA")
            case .iamUser: return isID(pid, "AIDA")
            case .root:
                switch b.field(f.issuer.accountId) {
                case .undecided: return false
                case .skip: return true
                case .plain(let account): return !b.isAccountID(account) || b.equals(pid, account)
                }
            default: return true
            }
        }
    }

    private func checkAssumedRole(_ pid: String, _ node: Int, issuer: PrincipalNodes?, _ context: RecordContext,
                                  into out: inout [Diagnostic]) {
        let meta = Self.metadata
        guard let colon = pid.firstIndex(of: ":") else {
            out.append(context.diagnostic(meta, "principalId `\(pid)` of an assumed role should be `ROLEID:SESSION`", at: node))
            return
        }
        let roleID = String(pid[..<colon])
        if let problem = Self.uniqueIDProblem(roleID, expected: .AROA) {
            out.append(context.diagnostic(meta, "the role ID `\(roleID)` in principalId `\(pid)` \(problem)", at: node))
            return
        }
        if let issuer, let issuerNode = issuer.principalId, let issuerID = context.text(issuerNode), !issuerID.isEmpty,
           issuerID != roleID, !Self.areExamples(roleID, issuerID) {
            out.append(context.diagnostic(
                meta, "the role ID `\(roleID)` in principalId differs from sessionIssuer.principalId `\(issuerID)`", at: node,
                notes: [Note(message: "sessionIssuer.principalId is here", range: context.tree.range(issuerNode))]))
        }
    }

    /// Whether two role IDs are both well-formed documentation examples (`AROA…EXAMPLE`): samples pick them
    /// independently, so their difference says nothing.
    static func areExamples(_ a: String, _ b: String) -> Bool {
        [a, b].allSatisfy { $0.hasSuffix("EXAMPLE") && uniqueIDProblem($0, expected: .AROA) == nil }
    }

    /// Why `id` is not a well-formed unique ID with prefix `expected`, or nil when it is.
    static func uniqueIDProblem(_ id: String, expected: IAMIDPrefix) -> String? {
        let actual = IAMIDPrefix(of: id)
        if actual == expected {
            return IAMIdentifier.isWellFormed(id) ? nil : "should be 16 to 128 upper-case letters and digits"
        }
        if let actual {
            return "should start with `\(expected.rawValue)`, but `\(actual.rawValue)` marks \(actual.resourceType)"
        }
        return "should be a unique ID starting with `\(expected.rawValue)`"
    }
}
