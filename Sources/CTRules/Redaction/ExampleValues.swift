/// What documentation values look like: the account IDs AWS documentation uses as examples, the address ranges
/// reserved for documentation, `…EXAMPLE` keys and `example.com` mail. `real-data` flags what is none of these, and
/// `redact` keeps such values as they are and replaces everything else with values of this kind.
package enum ExampleValues {
    /// The account IDs of `../shared/corpus/awsdocs` (121 AWS pages) that are placeholders, with their use counts
    /// there: `111122223333` (511), `123456789012` (410), `444455556666` (72), `012345678910` (21),
    /// `012345678901` (14), `777788889999` (11), `111222333444` (3), `123456789018` (2), `831000000000` (26, OpsWorks
    /// CM pages, next to `"accessKeyId": "ID number"`); the others there are patterns (`111111111111`, `210987654321`)
    /// that `isExampleAccount` accepts as such. The five real-looking ones left there are listed in
    /// `RealDataTests`.
    static let documentationAccounts: Set<Substring> = [
        "111122223333", "123456789012", "444455556666", "777788889999", "012345678910", "012345678901",
        "111222333444", "123456789018", "831000000000", "123412341234",
    ]

    /// Accounts AWS documents as its own, which are never anyone's data: the Elastic Load Balancing log-delivery
    /// accounts of the four US commercial regions (ELB access-log bucket policies).
    package static let awsOwnedAccounts: Set<Substring> = ["127311923021", "033677994240", "027434742980", "797873946194"]

    /// Whether a 12-digit account ID reads as an example: a documented placeholder, one digit repeated, the digits
    /// counting up or down (`012345678901`, `210987654321`), three runs of four (`111122223333`) or four of three
    /// (`111222333444`), or one of `redact`'s replacements (`Pseudonyms.poolAccount`).
    package static func isExampleAccount(_ s: Substring) -> Bool {
        let d = Array(s.utf8)
        guard d.count == 12, d.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return false }
        if documentationAccounts.contains(s) { return true }
        if d.allSatisfy({ $0 == d[0] }) { return true }
        var up = true, down = true
        for i in 1..<12 {
            let a = Int(d[i - 1]) - 0x30, b = Int(d[i]) - 0x30
            if b != (a + 1) % 10 { up = false }
            if b != (a + 9) % 10 { down = false }
        }
        if up || down { return true }
        func runs(_ n: Int) -> Bool { stride(from: 0, to: 12, by: n).allSatisfy { i in d[i..<(i + n)].allSatisfy { $0 == d[i] } } }
        return runs(4) || runs(3) || Pseudonyms.isPoolAccount(s)
    }

    /// Where an IP address belongs.
    package enum AddressClass: Sendable, Equatable {
        /// RFC 5737 (`192.0.2.0/24`, `198.51.100.0/24`, `203.0.113.0/24`), RFC 3849 (`2001:db8::/32`).
        case documentation
        /// Private, loopback, link-local, shared (RFC 1918, 6598, 4193), benchmarking (RFC 2544), multicast and
        /// reserved space: no one's public address.
        case nonPublic
        /// Any other: someone's public address.
        case publicAddress
    }

    package static func classify(ipv4 o: [Int]) -> AddressClass {
        switch (o[0], o[1], o[2]) {
        case (192, 0, 2), (198, 51, 100), (203, 0, 113): return .documentation
        default: break
        }
        switch o[0] {
        case 0, 10, 127: return .nonPublic
        case 100 where o[1] >= 64 && o[1] < 128: return .nonPublic
        case 169 where o[1] == 254: return .nonPublic
        case 172 where o[1] >= 16 && o[1] < 32: return .nonPublic
        case 192 where o[1] == 168: return .nonPublic
        case 198 where o[1] == 18 || o[1] == 19: return .nonPublic
        case 224...255: return .nonPublic
        default: return .publicAddress
        }
    }

    package static func classify(ipv6 g: [Int]) -> AddressClass {
        if g[0] == 0x2001 && g[1] == 0x0db8 { return .documentation }
        if g[0] & 0xfe00 == 0xfc00 || g[0] & 0xffc0 == 0xfe80 || g[0] & 0xff00 == 0xff00 { return .nonPublic }
        if g[0..<5].allSatisfy({ $0 == 0 }) {
            // ::, ::1, and IPv4-mapped addresses (classed by their IPv4 part).
            if g[5] == 0xffff { return classify(ipv4: [g[6] >> 8, g[6] & 0xff, g[7] >> 8, g[7] & 0xff]) }
            if g[5] == 0 && g[6] == 0 && g[7] <= 1 { return .nonPublic }
        }
        return .publicAddress
    }

    /// An access key or IAM unique ID written as an example: holding `EXAMPLE` (AWS's own end in it,
    /// `AKIAIOSFODNN7EXAMPLE`; hand-made placeholders put it anywhere, `ASIAEXAMPLEKEY123456`).
    package static func isExampleKey(_ s: Substring) -> Bool { s.contains("EXAMPLE") }

    /// Mail to `example.com`, `example.org`, `example.net` or a subdomain of one (RFC 2606).
    package static func isExampleEmail(_ s: Substring) -> Bool {
        guard let at = s.lastIndex(of: "@") else { return false }
        let domain = s[s.index(after: at)...].lowercased()
        return ["example.com", "example.org", "example.net"].contains { domain == $0 || domain.hasSuffix("." + $0) }
    }
}

/// The parts of address text, for replacing an address by one of the same family.
package enum AddressParts {
    /// The four octets of dotted-quad text (leading zeros allowed: `192.0.2.01` is read as written, and kept so by
    /// `redact`), with the width of each part written with leading zeros (0 for the others); nil when it is not four numbers of 0–255 of at most three digits.
    package static func ipv4(_ s: Substring) -> (octets: [Int], widths: [Int])? {
        var text = s
        return text.withUTF8 { b in
            guard isIPv4(b) else { return nil }
            var octets: [Int] = [], widths: [Int] = []
            octets.reserveCapacity(4)
            widths.reserveCapacity(4)
            var v = 0, n = 0
            for k in 0...b.count {
                if k == b.count || b[k] == 0x2E {
                    octets.append(v)
                    // The width of a part written with leading zeros; 0 for the others.
                    widths.append(n > String(v).count ? n : 0)
                    v = 0
                    n = 0
                } else {
                    v = v * 10 + Int(b[k]) - 0x30
                    n += 1
                }
            }
            return (octets, widths)
        }
    }

    /// Whether `b` is four numbers of 0–255 (at most three digits each) joined by dots; no allocation.
    package static func isIPv4(_ b: UnsafeBufferPointer<UInt8>) -> Bool {
        guard b.count >= 7, b.count <= 15 else { return false }
        var parts = 0, digits = 0, value = 0
        for c in b {
            if c == 0x2E {
                guard digits > 0 else { return false }
                parts += 1
                digits = 0
                value = 0
            } else {
                guard c >= 0x30 && c <= 0x39, digits < 3 else { return false }
                value = value * 10 + Int(c) - 0x30
                digits += 1
                guard value <= 255 else { return false }
            }
        }
        return parts == 3 && digits > 0
    }

    /// The eight 16-bit groups of IPv6 text (`::` expanded, a trailing dotted quad read as two groups); nil when it
    /// is not IPv6.
    package static func ipv6(_ s: Substring) -> [Int]? {
        guard AddressText.isIPv6(ArraySlice(s.utf8)) else { return nil }
        var text = Substring(s)
        var tail: [Int] = []
        if let lastColon = text.lastIndex(of: ":"), text[text.index(after: lastColon)...].contains(".") {
            guard let v4 = ipv4(text[text.index(after: lastColon)...]) else { return nil }
            tail = [v4.octets[0] << 8 | v4.octets[1], v4.octets[2] << 8 | v4.octets[3]]
            text = text[...lastColon]
            if text.hasSuffix("::") { } else { text = text.dropLast() }
        }
        func groups(_ t: Substring) -> [Int]? {
            if t.isEmpty { return [] }
            var out: [Int] = []
            for g in t.split(separator: ":", omittingEmptySubsequences: false) {
                guard let v = Int(g, radix: 16) else { return nil }
                out.append(v)
            }
            return out
        }
        let u = Array(text.utf8)
        var split: Int?
        for k in 0..<max(0, u.count - 1) where u[k] == 0x3A && u[k + 1] == 0x3A { split = k; break }
        var result: [Int]
        if let split {
            let head8 = Substring(decoding: u[0..<split], as: UTF8.self), rest8 = Substring(decoding: u[(split + 2)...], as: UTF8.self)
            guard let head = groups(head8), let rest = groups(rest8) else { return nil }
            let fill = 8 - head.count - rest.count - tail.count
            guard fill >= 0 else { return nil }
            result = head + Array(repeating: 0, count: fill) + rest + tail
        } else {
            guard let all = groups(text) else { return nil }
            result = all + tail
        }
        return result.count == 8 ? result : nil
    }
}
