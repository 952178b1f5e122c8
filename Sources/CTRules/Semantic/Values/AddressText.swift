/// Parsers for the address-like values CloudTrail records: IPv4, IPv6, AWS service host names.
enum AddressText {
    /// Result of reading dotted-quad IPv4 text.
    enum IPv4: Equatable {
        /// Four decimal octets 0-255 without leading zeros.
        case valid
        /// Four octets 0-255, at least one with a leading zero; the canonical spelling.
        case leadingZeros(canonical: String)
        /// Four numeric parts, one above 255 (the first such part's text).
        case outOfRange(part: String)
        /// Not four dot-separated decimal numbers.
        case invalid
    }

    /// Reads `bytes` as dotted-quad IPv4. Allocates only when a part has leading zeros.
    static func ipv4(_ bytes: ArraySlice<UInt8>) -> IPv4 {
        var count = 0
        var leadingZeros = false
        var outOfRange: String?
        var i = bytes.startIndex
        let end = bytes.endIndex
        while true {
            var j = i
            while j < end && bytes[j] != 0x2E {
                guard ValueText.isDigit(bytes[j]) else { return .invalid }
                j += 1
            }
            guard j > i else { return .invalid }
            count += 1
            guard count <= 4 else { return .invalid }
            var k = i
            while k < j - 1 && bytes[k] == 0x30 { k += 1 }
            if k > i { leadingZeros = true }
            let significant = j - k
            let value = significant <= 3 ? (ValueText.digits(bytes, at: k, count: significant) ?? 0) : Int.max
            if value > 255 && outOfRange == nil { outOfRange = ValueText.string(bytes[i..<j]) }
            if j == end { break }
            i = j + 1
        }
        guard count == 4 else { return .invalid }
        if let outOfRange { return .outOfRange(part: outOfRange) }
        guard leadingZeros else { return .valid }
        let canonical = bytes.split(separator: 0x2E, omittingEmptySubsequences: false).map { part -> String in
            let digits = part.drop { $0 == 0x30 }
            return digits.isEmpty ? "0" : ValueText.string(digits)
        }
        return .leadingZeros(canonical: canonical.joined(separator: "."))
    }

    /// True when `bytes` is IPv6 text (RFC 4291 section 2.2): eight groups of 1-4 hexadecimal digits, at most
    /// one `::`, optionally ending in a dotted-quad IPv4 address (`::ffff:192.0.2.1`). No zone index, no brackets.
    static func isIPv6(_ bytes: ArraySlice<UInt8>) -> Bool {
        guard bytes.count >= 2, bytes.count <= 45 else { return false }
        var groups = 0
        var sawDoubleColon = false
        var i = bytes.startIndex
        let end = bytes.endIndex
        if bytes[i] == 0x3A {
            guard bytes[i + 1] == 0x3A else { return false }
            sawDoubleColon = true
            i += 2
            if i == end { return true }
        }
        while i < end {
            // One group (or a trailing IPv4 address).
            let start = i
            while i < end && ValueText.isHex(bytes[i]) { i += 1 }
            if i < end && bytes[i] == 0x2E {
                // Embedded IPv4 takes the place of the last two groups.
                guard ipv4(bytes[start..<end]) == .valid else { return false }
                groups += 2
                i = end
                break
            }
            let length = i - start
            guard length >= 1, length <= 4 else { return false }
            groups += 1
            if i == end { break }
            guard bytes[i] == 0x3A else { return false }
            i += 1
            if i < end && bytes[i] == 0x3A {
                guard !sawDoubleColon else { return false }
                sawDoubleColon = true
                i += 1
                if i == end { break }
            } else if i == end {
                return false  // a single trailing colon
            }
        }
        return sawDoubleColon ? groups <= 7 : groups == 8
    }

    /// DNS suffixes of the AWS partitions (service endpoints and principals).
    static let partitionSuffixes: [StaticString] = [
        ".amazonaws.com", ".amazonaws.com.cn", ".amazonaws.eu", ".c2s.ic.gov", ".sc2s.sgov.gov",
        ".cloud.adc-e.uk", ".csp.hci.ic.gov",
    ]

    /// True when `bytes` is a lowercase DNS name (labels of `a-z`, `0-9`, `-`, not starting or ending with `-`).
    static func isLowercaseHostName(_ bytes: ArraySlice<UInt8>) -> Bool {
        guard !bytes.isEmpty, bytes.count <= 253 else { return false }
        var labelLength = 0
        var previous: UInt8 = 0x2E
        for b in bytes {
            if b == 0x2E {
                guard labelLength > 0, previous != 0x2D else { return false }
                labelLength = 0
            } else {
                guard ValueText.isLower(b) || ValueText.isDigit(b) || b == 0x2D else { return false }
                if b == 0x2D && labelLength == 0 { return false }
                labelLength += 1
                guard labelLength <= 63 else { return false }
            }
            previous = b
        }
        return labelLength > 0 && previous != 0x2D
    }

    /// An AWS service host name: a lowercase DNS name with at least one label before a partition suffix
    /// (`ec2.amazonaws.com`, `resource-explorer-2.amazonaws.com`).
    static func isAWSServiceHost(_ bytes: ArraySlice<UInt8>) -> Bool {
        guard isLowercaseHostName(bytes) else { return false }
        for suffix in partitionSuffixes where ValueText.hasSuffix(bytes, suffix) {
            return bytes.count > suffix.utf8CodeUnitCount
        }
        return false
    }

    /// `AWS Internal`, or the documented `AWS Internal/<n>` form.
    static func isAWSInternal(_ bytes: ArraySlice<UInt8>) -> Bool {
        guard ValueText.hasPrefix(bytes, "AWS Internal") else { return false }
        let rest = bytes.dropFirst(12)
        if rest.isEmpty { return true }
        guard rest.first == UInt8(ascii: "/"), rest.count >= 2 else { return false }
        let tail = rest.dropFirst()
        return tail.allSatisfy(ValueText.isDigit) || ValueText.equals(tail, "#")
    }
}
