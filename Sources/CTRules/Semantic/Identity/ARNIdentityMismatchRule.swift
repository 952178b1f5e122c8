import CTCore
import CTJSON

/// `arn-identity-mismatch`: `userIdentity.type` (and `sessionIssuer.type`) agree with the principal's ARN.
package struct ARNIdentityMismatchRule: RecordRule {
    package static let metadata = RuleMetadata(
        id: .arnIdentityMismatch,
        category: .semantic,
        summary: "A userIdentity whose type disagrees with its ARN, or whose names disagree with the ARN's names",
        rationale: "Each identity type has one ARN form: an IAM user `iam::A:user/…`, an assumed role `sts::A:assumed-role/ROLE/SESSION` (never with the role's path), the root user `iam::A:root`, a federated user `sts::A:federated-user/NAME`, and a session issuer of type Role `iam::A:role/…`. A record whose type and ARN disagree was edited by hand or stitched together, and tools that trust either field draw wrong conclusions. An IAM user's userName must equal the user name in its ARN; weaker name agreements (session and role names against principalId and sessionIssuer) are warnings because documentation samples break them.",
        defaultSeverity: .error,
        valid: [
            RuleExample(#"{"eventVersion": "1.09", "userIdentity": {"type": "IAMUser", "arn": "arn:aws:iam::210987654321:user/ops/maria", "userName": "maria"}}"#),
            RuleExample(#"{"eventVersion": "1.09", "userIdentity": {"type": "AssumedRole", "principalId": "AROAYQ3KNO4QHX7TDPV2E:ci-run", "arn": "arn:aws:sts::210987654321:assumed-role/builder/ci-run", "sessionContext": {"sessionIssuer": {"type": "Role", "arn": "arn:aws:iam::210987654321:role/service-role/builder", "userName": "builder"}}}}"#),
            RuleExample(#"{"eventVersion": "1.09", "userIdentity": {"type": "Root", "arn": "arn:aws-cn:iam::210987654321:root", "userName": "my-alias"}}"#),
            RuleExample(#"{"eventVersion": "1.09", "userIdentity": {"type": "AWSAccount", "principalId": "AIDAYQ3KNO4QHX7TDPV2E"}}"#),
            RuleExample(#"{"eventVersion": "1.09", "userIdentity": {"type": "IAMUser", "userName": "HIDDEN_DUE_TO_SECURITY_REASONS"}}"#),
        ],
        invalid: [
            RuleExample(#"{"eventVersion": "1.09", "userIdentity": {"type": "IAMUser", "arn": ↓"arn:aws:sts::210987654321:assumed-role/builder/ci"}}"#),
            RuleExample(#"{"eventVersion": "1.09", "userIdentity": {"type": "AssumedRole", "arn": ↓"arn:aws:sts::210987654321:assumed-role/team/builder/ci"}}"#),
            RuleExample(#"{"eventVersion": "1.09", "userIdentity": {"type": "Root", "arn": ↓"arn:aws:iam::210987654321:user/root"}}"#),
            RuleExample(#"{"eventVersion": "1.09", "userIdentity": {"type": "IAMUser", "arn": "arn:aws:iam::210987654321:user/maria", "userName": ↓"mario"}}"#),
            RuleExample(#"{"eventVersion": "1.09", "userIdentity": {"type": "AssumedRole", "principalId": "AROAYQ3KNO4QHX7TDPV2E:↓nightly", "arn": "arn:aws:sts::210987654321:assumed-role/builder/ci", "sessionContext": {"sessionIssuer": {"type": "Role", "arn": ↓"arn:aws:iam::210987654321:user/builder", "userName": ↓"deployer"}}}}"#),
        ]
    )

    package init() {}

    static let hidden = "HIDDEN_DUE_TO_SECURITY_REASONS"

    package func check(_ context: RecordContext) -> [Diagnostic] {
        if SourceBytes.with(context.tree, { Self.quickAccept(context, $0) }) { return [] }
        return explain(context)
    }

    /// The findings, worked out in full (decoded strings, `ARN` values).
    func explain(_ context: RecordContext) -> [Diagnostic] {
        var out: [Diagnostic] = []
        guard let ui = context.userIdentity, let typeNode = ui.type, let type = context.text(typeNode) else { return out }
        let meta = Self.metadata
        let typeNote = Note(message: "userIdentity type is here", range: context.tree.range(typeNode))
        let issuer = context.sessionIssuer

        if let arnNode = ui.arn, let arn = context.wellFormedARN(arnNode) {
            func mismatch(_ expected: String, severity: Severity = .error) {
                out.append(context.diagnostic(
                    meta, "userIdentity type is `\(type)` but the ARN names \(Self.describe(arn)) `\(arn.text)`; expected \(expected)",
                    at: arnNode, severity: severity, notes: [typeNote]))
            }
            switch type {
            case IdentityType.iamUser:
                if arn.service == "iam", arn.resourceType == "user" {
                    checkUserName(ui, arn: arn, arnNode: arnNode, context, into: &out)
                } else {
                    mismatch("an IAM user ARN `arn:…:iam::ACCOUNT:user/NAME`")
                }
            case IdentityType.assumedRole:
                if arn.service == "sts", arn.resourceType == "assumed-role" {
                    checkAssumedRole(ui, issuer: issuer, arn: arn, arnNode: arnNode, context, into: &out)
                } else {
                    mismatch("an assumed-role ARN `arn:…:sts::ACCOUNT:assumed-role/ROLE/SESSION`")
                }
            case IdentityType.root:
                if !(arn.service == "iam" && arn.resource == "root") {
                    mismatch("the root ARN `arn:…:iam::ACCOUNT:root`")
                }
            case IdentityType.federatedUser:
                if !(arn.service == "sts" && arn.resourceType == "federated-user") {
                    mismatch("a federated-user ARN `arn:…:sts::ACCOUNT:federated-user/NAME`", severity: .warning)
                }
            default:
                break
            }
        }

        if let issuer, let issuerTypeNode = issuer.type, let issuerType = context.text(issuerTypeNode),
           let arnNode = issuer.arn, let arn = context.wellFormedARN(arnNode) {
            let expected: String?
            switch issuerType {
            case IdentityType.role: expected = arn.service == "iam" && arn.resourceType == "role" ? nil : "a role ARN `arn:…:iam::ACCOUNT:role/NAME`"
            case IdentityType.iamUser: expected = arn.service == "iam" && arn.resourceType == "user" ? nil : "an IAM user ARN `arn:…:iam::ACCOUNT:user/NAME`"
            case IdentityType.root: expected = arn.service == "iam" && arn.resource == "root" ? nil : "the root ARN `arn:…:iam::ACCOUNT:root`"
            default: expected = nil
            }
            if let expected {
                out.append(context.diagnostic(
                    meta, "sessionIssuer type is `\(issuerType)` but its ARN names \(Self.describe(arn)) `\(arn.text)`; expected \(expected)",
                    at: arnNode, severity: .warning,
                    notes: [Note(message: "sessionIssuer type is here", range: context.tree.range(issuerTypeNode))]))
            }
        }
        return out
    }

    /// True when the bytes show that `check` has nothing to report; false when it has to look.
    static func quickAccept(_ context: RecordContext, _ b: SourceBytes) -> Bool {
        let f = context.fields
        guard let ui = f.userIdentity, b.kind(ui) == .object else { return true }
        guard let kind = b.identityKind(f.identity.type) else { return false }
        if kind == .none { return true }
        switch b.field(f.identity.arn) {
        case .undecided: return false
        case .skip: break
        case .plain(let r):
            guard let arn = context.principalARNs.span(f.identity.arn, r, b) else { break }  // not an ARN: `arn-syntax` reports it
            guard context.principalARNs.isClean(f.identity.arn, r, b) else { return false }
            switch kind {
            case .iamUser:
                guard b.equals(arn.service, "iam"), let t = arn.resourceType(b), b.equals(t, "user") else { return false }
                switch b.field(f.identity.userName) {
                case .undecided: return false
                case .skip: break
                case .plain(let name):
                    if !name.isEmpty && !b.equals(name, "HIDDEN_DUE_TO_SECURITY_REASONS") && !b.equals(name, arn.resourceName(b)) {
                        return false
                    }
                }
            case .assumedRole:
                guard b.equals(arn.service, "sts"), let t = arn.resourceType(b), b.equals(t, "assumed-role"),
                      b.src[t.upperBound] == 0x2F else { return false }
                // `assumed-role/ROLE/SESSION`: exactly two slashes, both names non-empty.
                let rest = (t.upperBound + 1)..<arn.resource.upperBound
                guard let slash = b.firstIndex(of: 0x2F, in: rest), slash > rest.lowerBound, slash + 1 < rest.upperBound,
                      b.firstIndex(of: 0x2F, in: (slash + 1)..<rest.upperBound) == nil else { return false }
                let role = rest.lowerBound..<slash, session = (slash + 1)..<rest.upperBound
                switch b.field(f.identity.principalId) {
                case .undecided: return false
                case .skip: break
                case .plain(let pid):
                    if let colon = b.firstIndex(of: 0x3A, in: pid), !b.equals((colon + 1)..<pid.upperBound, session) { return false }
                }
                if let si = f.sessionIssuer, b.kind(si) == .object {
                    switch b.field(f.issuer.userName) {
                    case .undecided: return false
                    case .skip: break
                    case .plain(let name): if !name.isEmpty && !b.equals(name, role) { return false }
                    }
                    switch b.field(f.issuer.arn) {
                    case .undecided: return false
                    case .skip: break
                    case .plain(let r):
                        if let issuerARN = context.principalARNs.span(f.issuer.arn, r, b) {
                            guard context.principalARNs.isClean(f.issuer.arn, r, b) else { return false }
                            if b.equals(issuerARN.service, "iam"), let t = issuerARN.resourceType(b), b.equals(t, "role"),
                               !b.equals(issuerARN.resourceName(b), role) { return false }
                        }
                    }
                }
            case .root:
                guard b.equals(arn.service, "iam"), b.equals(arn.resource, "root") else { return false }
            case .federatedUser:
                guard b.equals(arn.service, "sts"), let t = arn.resourceType(b), b.equals(t, "federated-user") else { return false }
            case .none, .role, .other:
                break
            }
        }
        // The session issuer's type against its ARN.
        guard let si = f.sessionIssuer, b.kind(si) == .object else { return true }
        guard let issuerKind = b.identityKind(f.issuer.type) else { return false }
        if issuerKind == .none { return true }
        switch b.field(f.issuer.arn) {
        case .undecided: return false
        case .skip: return true
        case .plain(let r):
            guard let arn = context.principalARNs.span(f.issuer.arn, r, b) else { return true }
            guard context.principalARNs.isClean(f.issuer.arn, r, b) else { return false }
            switch issuerKind {
            case .role: return b.equals(arn.service, "iam") && arn.resourceType(b).map { b.equals($0, "role") } == true
            case .iamUser: return b.equals(arn.service, "iam") && arn.resourceType(b).map { b.equals($0, "user") } == true
            case .root: return b.equals(arn.service, "iam") && b.equals(arn.resource, "root")
            default: return true
            }
        }
    }

    /// An IAM user's userName equals the last segment of its ARN (error; a case-only difference is a warning).
    private func checkUserName(_ ui: PrincipalNodes, arn: ARN, arnNode: Int, _ context: RecordContext,
                               into out: inout [Diagnostic]) {
        guard let node = ui.userName, let userName = context.text(node), !userName.isEmpty, userName != Self.hidden else { return }
        let name = String(arn.resourceName)
        guard userName != name else { return }
        let caseOnly = userName.lowercased() == name.lowercased()
        out.append(context.diagnostic(
            Self.metadata, "userName `\(userName)` differs from the user name `\(name)` in the ARN",
            at: node, severity: caseOnly ? .warning : .error,
            notes: [Note(message: "the ARN's user name is here", range: nameRange(arn, arnNode, context))]))
    }

    /// The source range of the last resource segment of an ARN node.
    private func nameRange(_ arn: ARN, _ arnNode: Int, _ context: RecordContext) -> TextRange {
        let resource = arn.byteRange(of: .resource)
        let nameLength = arn.resourceName.utf8.count
        return context.range(in: arnNode, (resource.upperBound - nameLength)..<resource.upperBound)
    }

    private func checkAssumedRole(_ ui: PrincipalNodes, issuer: PrincipalNodes?, arn: ARN, arnNode: Int,
                                  _ context: RecordContext, into out: inout [Diagnostic]) {
        let meta = Self.metadata
        let parts = arn.resourcePath
        guard parts.count == 3, !parts[1].isEmpty, !parts[2].isEmpty else {
            let message = parts.count > 3
                ? "assumed-role ARN `\(arn.text)` includes a role path; session ARNs name only the role and the session"
                : "assumed-role ARN `\(arn.text)` does not name both a role and a session (`assumed-role/ROLE/SESSION`)"
            out.append(context.diagnostic(meta, message, at: arnNode))
            return
        }
        let role = String(parts[1]), session = String(parts[2])
        let sessionNote = Note(message: "the ARN's session name is here", range: nameRange(arn, arnNode, context))
        // principalId `ROLEID:SESSION`: the session part equals the ARN's session name.
        if let pidNode = ui.principalId, let pid = context.text(pidNode), let colon = pid.utf8.firstIndex(of: UInt8(ascii: ":")) {
            let start = pid.utf8.distance(from: pid.utf8.startIndex, to: colon) + 1
            let pidSession = String(decoding: pid.utf8[pid.utf8.index(after: colon)...], as: UTF8.self)
            if pidSession != session {
                out.append(context.diagnostic(
                    meta, "session name `\(pidSession)` in principalId differs from the session `\(session)` in the ARN",
                    range: context.range(in: pidNode, start..<pid.utf8.count), node: pidNode, severity: .warning,
                    notes: [sessionNote]))
            }
        }
        guard let issuer else { return }
        let roleStart = arn.byteRange(of: .resource).lowerBound + parts[0].utf8.count + 1
        let roleNote = Note(message: "the session's role name is here",
                            range: context.range(in: arnNode, roleStart..<(roleStart + role.utf8.count)))
        if let nameNode = issuer.userName, let name = context.text(nameNode), !name.isEmpty, name != role {
            out.append(context.diagnostic(
                meta, "sessionIssuer userName `\(name)` differs from the role `\(role)` in the assumed-role ARN",
                at: nameNode, severity: .warning, notes: [roleNote]))
        }
        if let issuerArnNode = issuer.arn, let issuerArn = context.wellFormedARN(issuerArnNode),
           issuerArn.service == "iam", issuerArn.resourceType == "role", String(issuerArn.resourceName) != role {
            out.append(context.diagnostic(
                meta, "sessionIssuer ARN names role `\(issuerArn.resourceName)` but the assumed-role ARN names `\(role)`",
                range: nameRange(issuerArn, issuerArnNode, context), node: issuerArnNode, severity: .warning,
                notes: [roleNote]))
        }
    }

    /// What an ARN names, for messages.
    static func describe(_ arn: ARN) -> String {
        let type = arn.resourceType.map(String.init) ?? arn.resource
        switch (arn.service, type) {
        case ("iam", "user"): return "an IAM user"
        case ("iam", "role"): return "a role"
        case ("iam", "root"): return "the root user"
        case ("iam", _): return "an IAM `\(type)`"
        case ("sts", "assumed-role"): return "an assumed role"
        case ("sts", "federated-user"): return "a federated user"
        default: return "a resource of service `\(arn.service)`"
        }
    }
}
