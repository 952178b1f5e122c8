import CTCore

/// The replacements of one `redact` run (or one Markdown page's `real-data` fixes): each original value gets one
/// replacement, the same wherever it appears, and two originals never get the same one (per kind).
///
/// Replacements are documentation values of the original's kind, allocated in the order originals are first met (a
/// run meets them in input order, so the output does not depend on threads), and never derived from the original
/// itself: nothing of a real value can be recovered from its replacement. What the seed changes is the random part
/// of keys, IDs and UUIDs.
/// - Account IDs: `111122223333`, `444455556666`, `777788889999`, then every other `AAAABBBBCCCC` in increasing
///   order, then `0000` followed by a counter.
/// - IPv4: each original /24 gets its own /24 (`192.0.2`, `198.51.100`, `203.0.113`, then RFC 2544's `198.18.0.0/15`,
///   then RFC 6598's `100.64.0.0/10`), with hosts `.1` to `.254`, then `.0` and `.255`.
/// - IPv6: each original /64 gets a /64 of `2001:db8::/32`, hosts `::1` upward; an IPv4-mapped address keeps its form.
/// - Access keys and IAM unique IDs: the prefix, random upper-case letters and digits, and `EXAMPLE`, at the
///   original's length. Event IDs: random version-4 UUIDs. Request IDs and other opaque IDs: random characters of
///   the same classes (digit, lower, upper) at the same places.
/// - Names: `user-1`, `role-1`, `session-1`, `amzn-s3-demo-bucket-1`, `person-1@example.com`, `<field>-1`.
/// Values that are already documentation values (an example account, a documentation address, a key ending in
/// `EXAMPLE`, mail to `example.com`) are kept as they are, unless another value has already been given them.
package struct Pseudonyms: Sendable {
    package let seed: UInt64
    /// Replacements by kind (`IdentifierKind.index`), then by original. (Arrays by kind: a dictionary keyed by the
    /// kind hashed its name for every lookup, 4% of redacting a 200 MB log, perf.)
    private var tables = [[String: String]](repeating: [:], count: IdentifierKind.allCases.count)
    /// Every (kind, original, replacement), in the order they were made (the `--mapping` file's order); kept only
    /// when `keepsEntries`.
    package private(set) var entries: [(kind: IdentifierKind, original: String, replacement: String)] = []
    /// Whether `entries` is kept (`--mapping`).
    package var keepsEntries = true
    /// The replacements of every name kind (user and session, role, mail, bucket) in one table, for
    /// `knownName` (one lookup instead of four, for every name-like value of a log).
    private var names: [String: String] = [:]
    /// Replacements made, by kind (two originals never share one).
    private var produced = [Set<String>](repeating: [], count: IdentifierKind.allCases.count)
    /// Values never to give (`real-data`: the values already on the page).
    package var avoided: Set<String> = []
    private var nextAccount = 0
    private var tokenCounts: [String: Int] = [:]
    /// Original /24 (IPv4) or /64 (IPv6) → its block, and the next host index in it.
    private var v4Blocks: [Int: (block: Int, host: Int)] = [:]
    private var v4BlockCount = 0
    private var v6Blocks: [[Int]: (block: Int, host: Int)] = [:]
    private var v6BlockCount = 0
    /// Random draws so far (each replacement with a random part draws once per attempt).
    package private(set) var draws: UInt64 = 0

    package init(seed: UInt64 = 0) { self.seed = seed }

    /// The table a kind shares: a session name is often a user's name (`AROA…:alice`, `assumed-role/R/alice`), and the
    /// two must stay equal where they were (`arn-identity-mismatch` compares them), so they are one table.
    static func table(of kind: IdentifierKind) -> IdentifierKind { kind == .session ? .user : kind }

    /// The replacement already made for `original`, if any.
    package func existing(_ original: String, kind: IdentifierKind) -> String? { tables[Self.table(of: kind).index][original] }

    /// Whether `value` is a replacement this table has given (as `kind`).
    package func hasProduced(_ value: String, kind: IdentifierKind) -> Bool { produced[Self.table(of: kind).index].contains(value) }

    /// The replacement made for `original` as any of the kinds a name may be (user, session, role, mail, bucket), if
    /// one was made.
    package func knownName(_ original: String) -> String? { names[original] }

    /// The replacement of `original`, made on first use. `field`: the member name, for `.field` tokens.
    package mutating func replacement(for original: String, kind: IdentifierKind, field: String? = nil) -> String {
        // An event or request ID of 12 characters or more: drawn from the seed and the original itself, so it needs no
        // table (each record has its own two; keeping them in tables was a fifth of redacting a log). A duplicated
        // event ID gets the same replacement, and two IDs the same one with a chance below 2^-60.
        if Self.derivedKinds.contains(kind) && original.utf8.count >= 12 && !keepsEntries { return derived(original, kind: kind) }
        if let known = existing(original, kind: kind) { return known }
        if Self.derivedKinds.contains(kind) && original.utf8.count >= 12 {
            let value = derived(original, kind: kind)
            record(kind: kind, original: original, replacement: value)
            return value
        }
        var value: String
        if kind == .account && ExampleValues.awsOwnedAccounts.contains(Substring(original)) {
            value = original
        } else if keepsAsExample(original, kind: kind) && !hasProduced(original, kind: kind) && !avoided.contains(original) {
            value = original
        } else {
            var attempt = 0
            repeat {
                value = fresh(for: original, kind: kind, field: field, attempt: attempt)
                attempt += 1
            } while (hasProduced(value, kind: kind) || avoided.contains(value) || value == original) && attempt < 64
            // A short value whose shape has few others (`1`, `XX`): a numbered token instead.
            while hasProduced(value, kind: kind) || avoided.contains(value) || value == original {
                let n = (tokenCounts["#" + kind.rawValue] ?? 0) + 1
                tokenCounts["#" + kind.rawValue] = n
                value = "\(kind.rawValue)-\(n)"
            }
        }
        record(kind: kind, original: original, replacement: value)
        return value
    }

    /// Adds an entry as made (a `--mapping` file read back), so that later values continue its sequences.
    package mutating func record(kind: IdentifierKind, original: String, replacement value: String) {
        tables[Self.table(of: kind).index][original] = value
        if kind.isName && names[original] == nil { names[original] = value }
        // A random replacement of 20 characters or more (a UUID, a long request ID) cannot meet another; the others are
        // remembered so that no two originals share one (keeping every event ID was a tenth of redacting a log).
        if !(Self.randomKinds.contains(kind) && value.utf8.count >= 20) { produced[Self.table(of: kind).index].insert(value) }
        if keepsEntries { entries.append((kind, original, value)) }
        switch kind {
        case .account:
            if let i = Self.poolIndex(of: value) { nextAccount = max(nextAccount, i + 1) }
        case .ipv4:
            if let o = AddressParts.ipv4(Substring(original)), let r = AddressParts.ipv4(Substring(value)),
               let block = Self.v4BlockIndex(r.octets), let host = Self.hostOrder.firstIndex(of: r.octets[3]) {
                let key = o.octets[0] << 16 | o.octets[1] << 8 | o.octets[2]
                let known = v4Blocks[key]
                if known == nil || known!.block <= block { v4Blocks[key] = (block, max(known?.block == block ? known!.host : 0, host + 1)) }
                v4BlockCount = max(v4BlockCount, block + 1)
            }
        case .ipv6:
            if let o = AddressParts.ipv6(Substring(original)), let r = AddressParts.ipv6(Substring(value)), r[0] == 0x2001, r[1] == 0xdb8 {
                let block = r[2] << 16 | r[3]
                let key = Array(o[0..<4])
                v6Blocks[key] = (block, max(v6Blocks[key]?.host ?? 0, r[7]))
                v6BlockCount = max(v6BlockCount, block + 1)
            }
        case .user, .role, .session, .bucket, .email, .field:
            let token = value.split(separator: "@").first.map(String.init) ?? value
            if let dash = token.lastIndex(of: "-"), let n = Int(token[token.index(after: dash)...]) {
                let prefix = kind == .field ? String(token[..<dash]) : kind.rawValue
                tokenCounts[prefix] = max(tokenCounts[prefix] ?? 0, n)
            }
        default: break
        }
    }

    private static let randomKinds: Set<IdentifierKind> = [.eventID, .requestID, .opaque]
    private static let derivedKinds: Set<IdentifierKind> = [.eventID, .requestID]

    /// `kind`'s replacement of `original` from the seed and its bytes (FNV-1a, then SplitMix64): the same wherever it
    /// is met, in any order.
    private func derived(_ original: String, kind: IdentifierKind) -> String {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325 ^ UInt64(kind.index)
        for b in original.utf8 { h = (h ^ UInt64(b)) &* 0x0000_0100_0000_01b3 }
        var rng = SplitMix64(state: seed &* 0x9E37_79B9_7F4A_7C15 ^ h)
        return kind == .eventID && Self.isUUID(original) ? Self.uuid(shapedLike: original, &rng) : Self.sameShape(original, &rng)
    }

    /// Restores the random draw count of a `--mapping` file (so that a later run does not repeat draws).
    package mutating func restore(draws: UInt64) { self.draws = max(self.draws, draws) }

    /// How many originals of each kind have a replacement (session names counted with user names).
    package var counts: [IdentifierKind: Int] {
        Dictionary(uniqueKeysWithValues: IdentifierKind.allCases.map { ($0, tables[$0.index].count) }.filter { $0.1 > 0 })
    }

    // MARK: Kinds

    private func keepsAsExample(_ original: String, kind: IdentifierKind) -> Bool {
        let s = Substring(original)
        switch kind {
        case .account: return ExampleValues.isExampleAccount(s)
        case .ipv4: return AddressParts.ipv4(s).map { ExampleValues.classify(ipv4: $0.octets) == .documentation } ?? false
        case .ipv6: return AddressParts.ipv6(s).map { ExampleValues.classify(ipv6: $0) == .documentation } ?? false
        case .accessKey, .principalID: return ExampleValues.isExampleKey(s)
        case .email: return ExampleValues.isExampleEmail(s)
        default: return false
        }
    }

    private mutating func fresh(for original: String, kind: IdentifierKind, field: String?, attempt: Int) -> String {
        switch kind {
        case .account:
            defer { nextAccount += 1 }
            return Self.poolAccount(nextAccount)
        case .ipv4:
            guard let parts = AddressParts.ipv4(Substring(original)) else { return sameShape(original) }
            return ipv4(parts.octets, widths: parts.widths)
        case .ipv6:
            guard let groups = AddressParts.ipv6(Substring(original)) else { return sameShape(original) }
            if groups[0..<5].allSatisfy({ $0 == 0 }) && groups[5] == 0xffff, let lastColon = original.lastIndex(of: ":"),
               original[original.index(after: lastColon)...].contains(".") {
                // ::ffff:a.b.c.d: the IPv4 part as an IPv4 address.
                let v4 = replacement(for: String(original[original.index(after: lastColon)...]), kind: .ipv4)
                return String(original[...lastColon]) + v4
            }
            return ipv6(groups)
        case .accessKey, .principalID:
            let bytes = Array(original.utf8)
            guard bytes.count >= 12, IAMIDPrefix(of: original) != nil,
                  bytes.allSatisfy({ ($0 >= 0x41 && $0 <= 0x5A) || ($0 >= 0x30 && $0 <= 0x39) }) else { return sameShape(original) }
            let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567".utf8)
            var rng = generator()
            let middle = (0..<(bytes.count - 11)).map { _ in alphabet[Int(rng.next() % 32)] }
            return String(decoding: bytes[0..<4] + middle, as: UTF8.self) + "EXAMPLE"
        case .eventID:
            var rng = generator()
            return Self.isUUID(original) ? Self.uuid(shapedLike: original, &rng) : Self.sameShape(original, &rng)
        case .requestID, .opaque:
            return sameShape(original)
        case .user, .role, .session, .bucket, .email, .field:
            let prefix: String
            switch kind {
            case .field: prefix = Self.tokenName(field ?? "value")
            default: prefix = kind.rawValue
            }
            let n = (tokenCounts[prefix] ?? 0) + 1
            tokenCounts[prefix] = n
            switch kind {
            case .bucket: return "amzn-s3-demo-bucket-\(n)"
            case .email: return "person-\(n)@example.com"
            default: return "\(prefix)-\(n)"
            }
        case .time:
            return original
        }
    }

    /// A readable token prefix from a member name: letters and digits, at most 32.
    static func tokenName(_ name: String) -> String {
        let kept = String(name.unicodeScalars.filter { ($0.value < 0x80) && ($0.properties.isAlphabetic || ("0"..."9").contains($0)) }.prefix(32))
        return kept.isEmpty ? "value" : kept
    }

    /// The original's characters replaced by random ones of the same class (digit, lower-case, upper-case letter;
    /// hexadecimal stays hexadecimal), everything else kept.
    private mutating func sameShape(_ original: String) -> String {
        var rng = generator()
        return Self.sameShape(original, &rng)
    }

    /// A random version-4 UUID, upper-case when `original` is.
    static func uuid(shapedLike original: String, _ rng: inout SplitMix64) -> String {
        let hex = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(36)
        for (i, b) in original.utf8.enumerated() {
            if b == UInt8(ascii: "-") { out.append(b); continue }
            var digit = hex[Int(rng.next() % 16)]
            if i == 14 { digit = UInt8(ascii: "4") }
            if i == 19 { digit = hex[8 + Int(rng.next() % 4)] }
            out.append(digit)
        }
        let text = String(decoding: out, as: UTF8.self)
        return original.utf8.contains(where: { $0 >= 0x41 && $0 <= 0x46 }) ? text.uppercased() : text
    }

    static func sameShape(_ original: String, _ rng: inout SplitMix64) -> String {
        let bytes = Array(original.utf8)
        let isHex = bytes.allSatisfy { ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x61 && $0 <= 0x66) || ($0 >= 0x41 && $0 <= 0x46) || $0 == 0x2D }
        let out = bytes.map { b -> UInt8 in
            let r = rng.next()
            switch b {
            case 0x30...0x39 where !isHex: return 0x30 + UInt8(r % 10)
            case 0x61...0x7A where !isHex: return 0x61 + UInt8(r % 26)
            case 0x41...0x5A where !isHex: return 0x41 + UInt8(r % 26)
            case 0x30...0x39, 0x61...0x66:
                let h = Int(r % 16)
                return h < 10 ? 0x30 + UInt8(h) : 0x61 + UInt8(h - 10)
            case 0x41...0x46:
                let h = Int(r % 16)
                return h < 10 ? 0x30 + UInt8(h) : 0x41 + UInt8(h - 10)
            default: return b
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    private mutating func generator() -> SplitMix64 {
        draws += 1
        return SplitMix64(state: seed &* 0x9E37_79B9_7F4A_7C15 ^ draws &* 0xBF58_476D_1CE4_E5B9)
    }

    // MARK: Addresses

    /// Hosts in the order they are given within a /24.
    static let hostOrder: [Int] = Array(1...254) + [0, 255]

    /// The first three octets of output block `i`.
    static func v4Block(_ i: Int) -> [Int] {
        let documentation = [[192, 0, 2], [198, 51, 100], [203, 0, 113]]
        if i < 3 { return documentation[i] }
        if i < 3 + 512 { let j = i - 3; return [198, 18 + j / 256, j % 256] }
        let j = i - 515
        if j < 16_384 { return [100, 64 + j / 256, j % 256] }
        let k = j - 16_384
        return [240 + (k >> 16) % 16, (k >> 8) & 255, k & 255]
    }

    static func v4BlockIndex(_ o: [Int]) -> Int? {
        switch (o[0], o[1], o[2]) {
        case (192, 0, 2): return 0
        case (198, 51, 100): return 1
        case (203, 0, 113): return 2
        default: break
        }
        if o[0] == 198 && (o[1] == 18 || o[1] == 19) { return 3 + (o[1] - 18) * 256 + o[2] }
        if o[0] == 100 && o[1] >= 64 && o[1] < 128 { return 515 + (o[1] - 64) * 256 + o[2] }
        if o[0] >= 240 { return 515 + 16_384 + ((o[0] - 240) << 16 | o[1] << 8 | o[2]) }
        return nil
    }

    private mutating func ipv4(_ o: [Int], widths: [Int]) -> String {
        let key = o[0] << 16 | o[1] << 8 | o[2]
        var slot = v4Blocks[key] ?? { defer { v4BlockCount += 1 }; return (v4BlockCount, 0) }()
        if slot.host >= Self.hostOrder.count {
            slot = (v4BlockCount, 0)
            v4BlockCount += 1
        }
        let block = Self.v4Block(slot.block)
        let host = Self.hostOrder[slot.host]
        v4Blocks[key] = (slot.block, slot.host + 1)
        let octets = block + [host]
        // A part written with leading zeros keeps a leading zero (`192.0.2.01` stays a finding of `ip-address`).
        return zip(octets, widths).map { v, w in
            let digits = String(v)
            guard w > 0 else { return digits }
            return w > digits.count ? String(repeating: "0", count: w - digits.count) + digits : "0" + digits
        }.joined(separator: ".")
    }

    private mutating func ipv6(_ g: [Int]) -> String {
        let key = Array(g[0..<4])
        var slot = v6Blocks[key] ?? { defer { v6BlockCount += 1 }; return (v6BlockCount, 0) }()
        slot.host += 1
        v6Blocks[key] = slot
        return "2001:db8:\(String(slot.block >> 16 & 0xffff, radix: 16)):\(String(slot.block & 0xffff, radix: 16))::\(String(slot.host & 0xffff, radix: 16))"
    }

    // MARK: Accounts

    /// The first three replacements, then the other `AAAABBBBCCCC`.
    private static let quadAccounts: [String] = {
        let first = ["111122223333", "444455556666", "777788889999"]
        var rest: [String] = []
        for n in 0..<1000 {
            let digits = [n / 100, n / 10 % 10, n % 10].map { String(repeating: String($0), count: 4) }.joined()
            if !first.contains(digits) { rest.append(digits) }
        }
        return first + rest
    }()

    private static let quadIndex: [String: Int] = Dictionary(uniqueKeysWithValues: quadAccounts.enumerated().map { ($1, $0) })

    /// Replacement account number `i`.
    package static func poolAccount(_ i: Int) -> String {
        if i < quadAccounts.count { return quadAccounts[i] }
        let n = String(i - quadAccounts.count + 1)
        return "0000" + String(repeating: "0", count: max(0, 8 - n.count)) + n
    }

    static func poolIndex(of value: String) -> Int? {
        if let i = quadIndex[value] { return i }
        guard value.utf8.count == 12, value.hasPrefix("0000"), let n = Int(value.dropFirst(4)), n > 0 else { return nil }
        return quadAccounts.count + n - 1
    }

    /// Whether `s` is one of the replacement account numbers.
    package static func isPoolAccount(_ s: Substring) -> Bool { poolIndex(of: String(s)) != nil }

    /// 8-4-4-4-12 hexadecimal digits.
    package static func isUUID(_ s: String) -> Bool {
        let b = Array(s.utf8)
        guard b.count == 36 else { return false }
        for (i, c) in b.enumerated() {
            if i == 8 || i == 13 || i == 18 || i == 23 { if c != 0x2D { return false } } else if !ValueText.isHex(c) { return false }
        }
        return true
    }
}
