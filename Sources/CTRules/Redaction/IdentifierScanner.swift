import CTJSON

/// Finds the identifiers of a parsed document: by the member that holds them (`accountId`, `userName`,
/// `principalId`), by their place in an ARN (`…:iam::<account>:role/<role>`), and by their shape anywhere else
/// (an account number, an address or an ARN inside `errorMessage` or a policy document: `inFreeText`).
///
/// Left as they are: service principals and host names, regions, partitions, event names, `AWS Internal`,
/// `HIDDEN_DUE_TO_SECURITY_REASONS`, AWS-defined role names (`AWSServiceRoleFor…`), and anything else that is no
/// identifier. The walk uses its own stack (no recursion) and reads each byte a bounded number of times.
package struct IdentifierScanner: Sendable {
    /// Member names whose string values are replaced whole (`redact --field NAME`).
    package var fields: [String]
    /// Whether times are reported (`redact --shift-time`).
    package var findsTimes: Bool
    private let fieldTable: ByteKeyTable

    package init(fields: [String] = [], findsTimes: Bool = false) {
        self.fields = fields
        self.findsTimes = findsTimes
        fieldTable = ByteKeyTable(strings: fields)
    }

    /// What a member's name says its value is.
    enum Role: Int {
        case generic, eventID, requestID, accessKey, principal, userName, roleName, sessionName, bucketName, account, host
        /// Members of a fixed vocabulary (`eventName`, `awsRegion`): never anyone's name.
        case vocabulary
        /// A member name: read as free text only.
        case key
    }

    private static let roleNames: [(String, Role)] = [
        ("eventID", .eventID), ("sharedEventID", .eventID), ("requestID", .requestID), ("accessKeyId", .accessKey),
        ("principalId", .principal), ("assumedRoleId", .principal), ("userName", .userName), ("roleName", .roleName),
        ("roleSessionName", .sessionName), ("sessionName", .sessionName), ("bucketName", .bucketName),
        ("accountId", .account), ("recipientAccountId", .account), ("vpcEndpointAccountId", .account),
        ("invokedBy", .account), ("Host", .host), ("host", .host),
        // Other logs' spellings (Alibaba ActionTrail, SDK responses).
        ("UserName", .userName), ("RoleName", .roleName), ("RoleSessionName", .sessionName), ("AccountId", .account),
        ("BucketName", .bucketName), ("bucket", .bucketName), ("Bucket", .bucketName),
        ("eventName", .vocabulary), ("eventSource", .vocabulary), ("awsRegion", .vocabulary), ("eventType", .vocabulary),
        ("eventVersion", .vocabulary), ("eventCategory", .vocabulary), ("errorCode", .vocabulary), ("type", .vocabulary),
        ("tlsVersion", .vocabulary), ("cipherSuite", .vocabulary), ("clientProvidedHostHeader", .vocabulary),
        ("sessionCredentialFromConsole", .vocabulary), ("mfaAuthenticated", .vocabulary), ("readOnly", .vocabulary),
        ("managementEvent", .vocabulary), ("identityProvider", .vocabulary),
    ]
    private static let roleTable = ByteKeyTable(strings: roleNames.map(\.0))

    /// Every identifier of `tree` (of the subtree of node `top`), in document order (keys before their values).
    package func scan(_ tree: SyntaxTree, from top: Int? = nil) -> [Occurrence] {
        guard let root = top ?? tree.root else { return [] }
        var out: [Occurrence] = []
        var stack: [(node: Int, role: Role, field: Int?, roleIssuer: Bool)] = [(root, .generic, nil, false)]
        var members: [(Int, Int)] = []
        while let (node, role, field, roleIssuer) = stack.popLast() {
            switch tree.kind(node) {
            case .object:
                let isRole = tree.member("type", of: node).map { tree.stringEquals($0, "Role") } ?? false
                members.removeAll(keepingCapacity: true)
                tree.forEachMember(of: node) { k, v in members.append((k, v)) }
                for (k, v) in members.reversed() {
                    var keyRole = Role.generic
                    var keyField: Int?
                    if tree.kind(k) == .string {
                        tree.withDecodedBytes(k) { b in
                            if let i = Self.roleTable.lookup(b) { keyRole = Self.roleNames[i].1 }
                            if !fields.isEmpty { keyField = fieldTable.lookup(b) }
                        }
                    }
                    stack.append((v, keyRole, keyField, isRole))
                    stack.append((k, .key, nil, false))
                }
            case .array:
                var children: [Int] = []
                for c in tree.children(of: node) { children.append(c) }
                for c in children.reversed() { stack.append((c, role, field, roleIssuer)) }
            case .string:
                tree.withDecodedBytes(node) { b in
                    // The list moves into `found` and back (a copy would make each append copy every occurrence so far).
                    var found = Found(node: node, into: [])
                    swap(&found.out, &out)
                    let before = found.out.count
                    scanString(b, role: role, field: field, roleIssuer: roleIssuer, &found)
                    // A name-like value with nothing found in it (`"masterUsername": "alice"`, a list of names) is
                    // replaced if it was met as a name.
                    if role == .generic && found.out.count == before && Self.isNameLike(b) {
                        found.out.append(Occurrence(node: node, start: 0, end: b.count, kind: .user, inFreeText: false, onlyIfKnown: true))
                    }
                    swap(&out, &found.out)
                }
            case .number:
                // `123456789012`, and `123456789012.0` as some converters write it.
                let r = tree.range(node)
                let text = tree.source[r.start..<r.end]
                if text.count >= 12, text.prefix(12).allSatisfy(ValueText.isDigit),
                   text.count == 12 || (text[r.start + 12] == 0x2E && text.dropFirst(13).allSatisfy { $0 == 0x30 }) {
                    out.append(Occurrence(node: node, start: 0, end: 12, kind: .account, inFreeText: role != .account))
                }
            default:
                break
            }
        }
        return out
    }

    /// Occurrences of one node being collected.
    struct Found {
        let node: Int
        var out: [Occurrence]
        init(node: Int, into out: [Occurrence]) { self.node = node; self.out = out }
        mutating func add(_ start: Int, _ end: Int, _ kind: IdentifierKind, _ free: Bool, field: Int = -1) {
            guard end > start else { return }
            out.append(Occurrence(node: node, start: start, end: end, kind: kind, inFreeText: free, fieldIndex: field))
        }
    }

    typealias Bytes = UnsafeBufferPointer<UInt8>

    private func scanString(_ b: Bytes, role: Role, field: Int?, roleIssuer: Bool, _ found: inout Found) {
        let n = b.count
        guard n > 0 else { return }
        if let field { found.add(0, n, .field, false, field: field); return }
        if role == .vocabulary { return }
        if role == .key { freeText(b, 0, n, free: true, &found); return }
        switch role {
        case .eventID: found.add(0, n, .eventID, false); return
        case .requestID: found.add(0, n, .requestID, false); return
        case .accessKey: found.add(0, n, .accessKey, false); return
        case .principal: principal(b, &found); return
        case .userName:
            if Self.equals(b, 0, n, "HIDDEN_DUE_TO_SECURITY_REASONS") { return }
            if roleIssuer && Self.isAWSRoleName(b, 0, n) { return }
            found.add(0, n, Self.isEmail(b, 0, n) ? .email : roleIssuer ? .role : .user, false); return
        case .roleName:
            if !Self.isAWSRoleName(b, 0, n) { found.add(0, n, .role, false) }
            return
        case .sessionName:
            if !Self.isInstanceID(b, 0, n) { found.add(0, n, Self.isEmail(b, 0, n) ? .email : .session, false) }
            return
        case .bucketName: found.add(0, n, .bucket, false); return
        case .account where n == 12 && Self.allDigits(b, 0, 12):
            found.add(0, n, .account, false); return
        case .host:
            if let end = Self.bucketHostPrefix(b) { found.add(0, end, .bucket, false); return }
        default: break
        }
        whole(b, &found)
    }

    /// A value read by its shape: an ARN, an address, mail, an account number, a key or ID, a time; else free text.
    /// One pass counts the bytes that decide which shapes are possible (most values are none: trying each shape on
    /// every string was a tenth of redacting a log, perf).
    private func whole(_ b: Bytes, _ found: inout Found) {
        let n = b.count
        var digits = 0, dots = 0, colons = 0, upperOrDigit = 0
        var at = false
        for c in b {
            if c >= 0x30 && c <= 0x39 { digits += 1; upperOrDigit += 1 } else if c >= 0x41 && c <= 0x5A { upperOrDigit += 1 } else if c == 0x2E { dots += 1 } else if c == 0x3A { colons += 1 } else if c == 0x40 { at = true }
        }
        if colons >= 5 && Self.startsARN(b, 0) { arn(b, 0, n, free: false, &found); return }
        if colons == 0 && digits + dots == n {
            if dots == 3 && Self.isIPv4(b, 0, n) { found.add(0, n, .ipv4, false); return }
            if n == 12 && dots == 0 { found.add(0, n, .account, true); return }
        }
        if colons >= 2 && n <= 45 && Self.isIPv6(b, 0, n) { found.add(0, n, .ipv6, false); return }
        if at && Self.isEmail(b, 0, n) { found.add(0, n, .email, false); return }
        if upperOrDigit == n, let kind = Self.iamID(b, 0, n) { found.add(0, n, kind, false); return }
        if findsTimes && digits >= 8 && n >= 16 && n <= 40 && TimeShift.isTime(Substring(decoding: b, as: UTF8.self)) { found.add(0, n, .time, false); return }
        if digits > 0 || at || colons > 0 || upperOrDigit > 0 { freeText(b, 0, n, free: true, &found) }
    }

    /// `principalId`: `AIDA…`, `AROA…:session`, `<account>`, `<account>:<federated name>`,
    /// `<SAML qualifier>:<subject>`, `<issuer>:<app>:<user>`.
    private func principal(_ b: Bytes, _ found: inout Found) {
        let n = b.count
        var colon = 0
        while colon < n && b[colon] != UInt8(ascii: ":") { colon += 1 }
        let head = Self.iamID(b, 0, colon) != nil ? IdentifierKind.principalID
            : colon == 12 && Self.allDigits(b, 0, 12) ? .account : nil
        if let head {
            found.add(0, colon, head, false)
        } else if colon == n {
            if Self.isEmail(b, 0, n) { found.add(0, n, .email, false) } else if Self.isNameLike(b) { found.add(0, n, .user, false) } else { found.add(0, n, .opaque, false) }
            return
        } else if !Self.contains(b, 0, colon, UInt8(ascii: ".")) {
            found.add(0, colon, .opaque, false)
        }
        guard colon < n else { return }
        // The rest: one name after an ID or account; the parts after an issuer's host name.
        if head != nil || !Self.contains(b, 0, colon, UInt8(ascii: ".")) {
            let s = colon + 1
            if Self.isInstanceID(b, s, n) { return }
            found.add(s, n, Self.isEmail(b, s, n) ? .email : head == .principalID ? .session : .user, false)
            return
        }
        var s = colon + 1
        while s < n {
            var e = s
            while e < n && b[e] != UInt8(ascii: ":") { e += 1 }
            found.add(s, e, Self.isEmail(b, s, e) ? .email : .opaque, false)
            s = e + 1
        }
    }

    /// The parts of the ARN in `b[start..<end]`: its account, and the user, role, session and bucket names of IAM,
    /// STS and S3 resources; other resources are read as free text (`free`: whether the ARN itself was).
    private func arn(_ b: Bytes, _ start: Int, _ end: Int, free: Bool, _ found: inout Found) {
        var colons: [Int] = []
        var i = start + 4
        while i < end && colons.count < 4 {
            if b[i] == UInt8(ascii: ":") { colons.append(i) }
            i += 1
        }
        guard colons.count == 4 else { freeTextSkippingARN(b, start, end, free: free, &found); return }
        let service = (colons[0] + 1)..<colons[1]
        let account = (colons[2] + 1)..<colons[3]
        let resource = (colons[3] + 1)..<end
        if account.count == 12 && Self.allDigits(b, account.lowerBound, account.upperBound) {
            found.add(account.lowerBound, account.upperBound, .account, free)
        }
        var segments: [Range<Int>] = []
        var s = resource.lowerBound
        for j in resource where b[j] == UInt8(ascii: "/") { segments.append(s..<j); s = j + 1 }
        segments.append(s..<resource.upperBound)
        func isSegment(_ k: Int, _ name: StaticString) -> Bool { k < segments.count && Self.equals(b, segments[k].lowerBound, segments[k].upperBound, name) }
        func named(_ r: Range<Int>, _ kind: IdentifierKind) {
            guard !r.isEmpty else { return }
            found.add(r.lowerBound, r.upperBound, kind == .session && Self.isEmail(b, r.lowerBound, r.upperBound) ? .email : kind, free)
        }
        if Self.equals(b, service.lowerBound, service.upperBound, "iam") && segments.count >= 2 {
            let last = segments[segments.count - 1]
            if isSegment(0, "user") || isSegment(0, "mfa") { named(last, .user); return }
            if isSegment(0, "role") {
                if !Self.isAWSRoleName(b, last.lowerBound, last.upperBound) { named(last, .role) }
                return
            }
        } else if Self.equals(b, service.lowerBound, service.upperBound, "sts") && segments.count >= 2 {
            if isSegment(0, "assumed-role") {
                if !Self.isAWSRoleName(b, segments[1].lowerBound, segments[1].upperBound) { named(segments[1], .role) }
                if segments.count >= 3 && !Self.isInstanceID(b, segments[2].lowerBound, resource.upperBound) {
                    named(segments[2].lowerBound..<resource.upperBound, .session)
                }
                return
            }
            if isSegment(0, "federated-user") { named(segments[1].lowerBound..<resource.upperBound, .user); return }
        } else if Self.equals(b, service.lowerBound, service.upperBound, "s3") && account.isEmpty {
            let bucket = segments[0]
            if !bucket.isEmpty && !Self.contains(b, bucket.lowerBound, bucket.upperBound, UInt8(ascii: "*")) { named(bucket, .bucket) }
            if segments.count > 1 { freeText(b, segments[1].lowerBound, resource.upperBound, free: free, &found) }
            return
        }
        freeText(b, resource.lowerBound, resource.upperBound, free: free, &found)
    }

    private func freeTextSkippingARN(_ b: Bytes, _ start: Int, _ end: Int, free: Bool, _ found: inout Found) {
        freeText(b, start + 4, end, free: free, &found)
    }

    /// Identifiers by their shape inside text: ARNs, IPv4 and IPv6 addresses, mail, 12-digit numbers (an account
    /// when it stands alone; `AWSLogs/<account>/` is read as one, not as free text), access keys and IAM IDs.
    func freeText(_ b: Bytes, _ from: Int, _ to: Int, free: Bool, _ found: inout Found) {
        // Text with no digit, `@`, `:` or `A` holds none of these (most values: names, service hosts, user agents
        // without versions).
        var hasAt = false, any = false
        for k in from..<max(from, to) {
            let c = b[k]
            if c == 0x40 { hasAt = true; any = true; break }
            if (c >= 0x30 && c <= 0x3A) || c == 0x41 { any = true }
        }
        guard any else { return }
        var i = from
        while i < to {
            let c = b[i]
            // `%3A` and the like (URL-encoded policies) separate words as the characters they stand for.
            let escaped = i - from >= 3 && b[i - 3] == 0x25 && ValueText.isHex(b[i - 2]) && ValueText.isHex(b[i - 1])
            let previous: UInt8 = escaped ? 0x20 : i > from ? b[i - 1] : 0x20
            if c == 0x25 && i + 2 < to && ValueText.isHex(b[i + 1]) && ValueText.isHex(b[i + 2]) { i += 3; continue }
            guard Self.isWordByte(c), !Self.isWordByte(previous) else {
                i += 1
                continue
            }
            let afterDot = previous == UInt8(ascii: ".") || previous == UInt8(ascii: ":")
            // Mail: a local part of at most 64 bytes, `@`, a domain with a dot.
            if hasAt, let e = Self.emailEnd(b, i, to) { found.add(i, e, .email, free); i = e; continue }
            if c == UInt8(ascii: "a"), Self.startsARN(b, i) {
                var e = i + 4
                while e < to && !Self.endsARN(b[e]) { e += 1 }
                arn(b, i, e, free: free, &found)
                i = e
                continue
            }
            if !afterDot && (ValueText.isHex(c) || c == UInt8(ascii: ":")) {
                var e = i, colons = 0, dots = 0, double = false
                while e < to && e - i < 46 && (ValueText.isHex(b[e]) || b[e] == 0x3A || b[e] == 0x2E) {
                    if b[e] == 0x3A { colons += 1; if e > i && b[e - 1] == 0x3A { double = true } }
                    if b[e] == 0x2E { dots += 1 }
                    e += 1
                }
                while e > i && (b[e - 1] == 0x2E || (b[e - 1] == 0x3A && !(e - 2 >= i && b[e - 2] == 0x3A))) {
                    if b[e - 1] == 0x2E { dots -= 1 } else { colons -= 1 }
                    e -= 1
                }
                let bounded = e >= to || !Self.isWordByte(b[e])
                if bounded && colons >= 2 && (double || colons == 7) && Self.isIPv6(b, i, e) { found.add(i, e, .ipv6, free); i = e; continue }
                if bounded && colons == 0 && dots == 3 && Self.isIPv4(b, i, e) { found.add(i, e, .ipv4, free); i = e; continue }
            }
            if ValueText.isDigit(c) {
                var e = i
                while e < to && ValueText.isDigit(b[e]) { e += 1 }
                if e - i == 12 && (e >= to || !Self.isWordByte(b[e]) || (b[e] == 0x25)) {
                    let logs = i - from >= 8 && Self.equals(b, i - 8, i, "AWSLogs/")
                    found.add(i, e, .account, free && !logs)
                }
                i = e
                continue
            }
            if c == UInt8(ascii: "A") {
                var e = i
                while e < to && (ValueText.isUpper(b[e]) || ValueText.isDigit(b[e])) { e += 1 }
                if e >= to || !Self.isWordByte(b[e]), let kind = Self.iamID(b, i, e) { found.add(i, e, kind, free); i = e; continue }
            }
            // Past the rest of the word.
            while i < to && Self.isWordByte(b[i]) { i += 1 }
        }
    }

    // MARK: Shapes

    static func isWordByte(_ c: UInt8) -> Bool { ValueText.isDigit(c) || ValueText.isLower(c) || ValueText.isUpper(c) || c == 0x5F || c >= 0x80 }

    static func equals(_ b: Bytes, _ s: Int, _ e: Int, _ literal: StaticString) -> Bool {
        guard e - s == literal.utf8CodeUnitCount else { return false }
        let p = literal.utf8Start
        for k in 0..<(e - s) where b[s + k] != p[k] { return false }
        return true
    }

    static func contains(_ b: Bytes, _ s: Int, _ e: Int, _ byte: UInt8) -> Bool {
        var i = s
        while i < e { if b[i] == byte { return true }; i += 1 }
        return false
    }

    static func allDigits(_ b: Bytes, _ s: Int, _ e: Int) -> Bool {
        var i = s
        while i < e { if !ValueText.isDigit(b[i]) { return false }; i += 1 }
        return true
    }

    static func hasDigit(_ b: Bytes, _ s: Int, _ e: Int) -> Bool {
        var i = s
        while i < e { if ValueText.isDigit(b[i]) { return true }; i += 1 }
        return false
    }

    static func startsARN(_ b: Bytes, _ i: Int) -> Bool {
        i + 4 <= b.count && b[i] == UInt8(ascii: "a") && b[i + 1] == UInt8(ascii: "r") && b[i + 2] == UInt8(ascii: "n") && b[i + 3] == UInt8(ascii: ":")
    }

    /// Bytes that end an ARN written inside text.
    static func endsARN(_ c: UInt8) -> Bool {
        switch c {
        case 0x20, 0x09, 0x0A, 0x0D, UInt8(ascii: "\""), UInt8(ascii: "'"), UInt8(ascii: ","), UInt8(ascii: ";"),
             UInt8(ascii: ")"), UInt8(ascii: "]"), UInt8(ascii: "}"), UInt8(ascii: ">"), UInt8(ascii: "<"),
             UInt8(ascii: "|"), UInt8(ascii: "\\"), UInt8(ascii: "`"): return true
        default: return false
        }
    }

    static func isIPv4(_ b: Bytes, _ s: Int, _ e: Int) -> Bool { AddressParts.isIPv4(UnsafeBufferPointer(rebasing: b[s..<e])) }

    static func isIPv6(_ b: Bytes, _ s: Int, _ e: Int) -> Bool {
        guard contains(b, s, e, 0x3A) else { return false }
        return AddressText.isIPv6(ArraySlice(UnsafeBufferPointer(rebasing: b[s..<e])))
    }

    static func isEmail(_ b: Bytes, _ s: Int, _ e: Int) -> Bool { s < e && emailEnd(b, s, e) == e }

    /// The end of the mail address that starts at `i`, or nil.
    static func emailEnd(_ b: Bytes, _ i: Int, _ to: Int) -> Int? {
        var at = i
        while at < to && at - i <= 64 && isLocalByte(b[at]) { at += 1 }
        guard at > i, at < to, b[at] == UInt8(ascii: "@") else { return nil }
        var e = at + 1
        var lastDot = -1
        while e < to && e - at <= 255 && (ValueText.isDigit(b[e]) || ValueText.isLower(b[e]) || ValueText.isUpper(b[e]) || b[e] == 0x2D || b[e] == 0x2E) {
            if b[e] == 0x2E { lastDot = e }
            e += 1
        }
        while e > at + 1 && (b[e - 1] == 0x2E || b[e - 1] == 0x2D) { e -= 1 }
        if lastDot >= e { lastDot = -1; var k = e - 1; while k > at { if b[k] == 0x2E { lastDot = k; break }; k -= 1 } }
        guard lastDot > at + 1, e - lastDot - 1 >= 2 else { return nil }
        for k in (lastDot + 1)..<e where !(ValueText.isLower(b[k]) || ValueText.isUpper(b[k])) { return nil }
        return e
    }

    /// An EC2 instance ID (`i-0abc…`), the session name of an instance profile's role: no one's data.
    static func isInstanceID(_ b: Bytes, _ s: Int, _ e: Int) -> Bool {
        guard e - s >= 10, e - s <= 19, b[s] == UInt8(ascii: "i"), b[s + 1] == 0x2D else { return false }
        var k = s + 2
        while k < e { guard ValueText.isHex(b[k]) else { return false }; k += 1 }
        return true
    }

    /// A value that could be a user, role or session name: 2 to 64 of IAM's name characters, a letter among them.
    static func isNameLike(_ b: Bytes) -> Bool {
        guard b.count >= 2, b.count <= 64 else { return false }
        var letter = false
        for c in b {
            if ValueText.isLower(c) || ValueText.isUpper(c) { letter = true; continue }
            guard ValueText.isDigit(c) || c == 0x5F || c == 0x2B || c == 0x3D || c == 0x2C || c == 0x2E || c == 0x40 || c == 0x2D else { return false }
        }
        return letter
    }

    static func isLocalByte(_ c: UInt8) -> Bool {
        ValueText.isDigit(c) || ValueText.isLower(c) || ValueText.isUpper(c) || c == 0x2E || c == 0x5F || c == 0x25 || c == 0x2B || c == 0x2D
    }

    /// An access key (`AKIA`, `ASIA`, `ABIA`, `ACCA`) or another IAM unique ID: a known prefix and 12 to 124 more
    /// upper-case letters and digits.
    static func iamID(_ b: Bytes, _ s: Int, _ e: Int) -> IdentifierKind? {
        guard e - s >= 16, e - s <= 128 else { return nil }
        var k = s
        while k < e { guard ValueText.isUpper(b[k]) || ValueText.isDigit(b[k]) else { return nil }; k += 1 }
        guard let prefix = IAMIDPrefix(rawValue: String(decoding: UnsafeBufferPointer(rebasing: b[s..<(s + 4)]), as: UTF8.self)) else { return nil }
        return prefix.isAccessKeyPrefix ? .accessKey : .principalID
    }

    /// AWS-defined role names, never anyone's data: service-linked roles and the Organizations default role.
    static func isAWSRoleName(_ b: Bytes, _ s: Int, _ e: Int) -> Bool {
        let name = String(decoding: UnsafeBufferPointer(rebasing: b[s..<e]), as: UTF8.self)
        return name.hasPrefix("AWSServiceRoleFor") || name == "OrganizationAccountAccessRole"
    }

    /// `bucket.s3.amazonaws.com`, `bucket.s3.us-east-1.amazonaws.com`, `bucket.s3-…`: the end of the bucket name.
    static func bucketHostPrefix(_ b: Bytes) -> Int? {
        let n = b.count
        guard n > 14, equals(b, n - 14, n, ".amazonaws.com") else { return nil }
        var i = 1
        while i + 4 <= n {
            if b[i] == 0x2E && b[i + 1] == UInt8(ascii: "s") && b[i + 2] == UInt8(ascii: "3") && (b[i + 3] == 0x2E || b[i + 3] == 0x2D) {
                return i
            }
            i += 1
        }
        return nil
    }
}
