import CTCore

/// Byte-level checks for the `format` values the engine asserts: `date-time` (RFC 3339), `ipv4`, `ipv6`
/// (RFC 4291 text forms, no zone id) and `uuid` (RFC 4122 text form). ASCII only: other digits are invalid.
enum FormatCheck {
    static func check(_ format: StringFormat, _ b: UnsafeBufferPointer<UInt8>) -> Bool {
        switch format {
        case .dateTime: dateTime(b)
        case .ipv4: ipv4(b[...])
        case .ipv6: ipv6(b)
        case .uuid: uuid(b)
        }
    }

    @inline(__always) static func isDigit(_ c: UInt8) -> Bool { c >= 0x30 && c <= 0x39 }
    @inline(__always) static func isHex(_ c: UInt8) -> Bool {
        isDigit(c) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66)
    }

    /// Reads `count` ASCII digits at `i` as an integer.
    static func digits(_ b: UnsafeBufferPointer<UInt8>, _ i: Int, _ count: Int) -> Int? {
        guard i + count <= b.count else { return nil }
        var v = 0
        for k in i..<i + count {
            guard isDigit(b[k]) else { return nil }
            v = v * 10 + Int(b[k] - 0x30)
        }
        return v
    }

    /// RFC 3339 `date-time`: `YYYY-MM-DDThh:mm:ss[.frac](Z|±hh:mm)`, `T`/`Z` case-insensitive,
    /// real calendar days, leap second only at 23:59:60 UTC.
    static func dateTime(_ b: UnsafeBufferPointer<UInt8>) -> Bool {
        guard b.count >= 20,
              let year = digits(b, 0, 4), b[4] == UInt8(ascii: "-"),
              let month = digits(b, 5, 2), b[7] == UInt8(ascii: "-"),
              let day = digits(b, 8, 2),
              b[10] == UInt8(ascii: "T") || b[10] == UInt8(ascii: "t"),
              let hour = digits(b, 11, 2), b[13] == UInt8(ascii: ":"),
              let minute = digits(b, 14, 2), b[16] == UInt8(ascii: ":"),
              let second = digits(b, 17, 2) else { return false }
        guard (1...12).contains(month), day >= 1, day <= daysIn(month: month, year: year),
              hour <= 23, minute <= 59, second <= 60 else { return false }
        var i = 19
        if i < b.count, b[i] == UInt8(ascii: ".") {
            i += 1
            let start = i
            while i < b.count, isDigit(b[i]) { i += 1 }
            if i == start { return false }
        }
        guard i < b.count else { return false }
        var offsetMinutes = 0
        if b[i] == UInt8(ascii: "Z") || b[i] == UInt8(ascii: "z") {
            i += 1
        } else if b[i] == UInt8(ascii: "+") || b[i] == UInt8(ascii: "-") {
            let sign = b[i] == UInt8(ascii: "+") ? 1 : -1
            guard let oh = digits(b, i + 1, 2), i + 3 < b.count, b[i + 3] == UInt8(ascii: ":"),
                  let om = digits(b, i + 4, 2), oh <= 23, om <= 59 else { return false }
            offsetMinutes = sign * (oh * 60 + om)
            i += 6
        } else {
            return false
        }
        guard i == b.count else { return false }
        if second == 60 {
            // The leap second must fall at 23:59:60 UTC.
            var utc = (hour * 60 + minute - offsetMinutes) % 1440
            if utc < 0 { utc += 1440 }
            return utc == 23 * 60 + 59
        }
        return true
    }

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// Dotted quad, four decimal octets 0–255, no leading zeros.
    static func ipv4(_ b: Slice<UnsafeBufferPointer<UInt8>>) -> Bool {
        var parts = 0
        var i = b.startIndex
        while true {
            let start = i
            var v = 0
            while i < b.endIndex, isDigit(b[i]) {
                v = v * 10 + Int(b[i] - 0x30)
                if v > 255 { return false }
                i += 1
            }
            let len = i - start
            if len == 0 || len > 3 || (len > 1 && b[start] == UInt8(ascii: "0")) { return false }
            parts += 1
            if i == b.endIndex { return parts == 4 }
            guard b[i] == UInt8(ascii: "."), parts < 4 else { return false }
            i += 1
        }
    }

    /// RFC 4291 §2.2: eight groups of 1–4 hex digits, at most one `::`, optional trailing dotted quad.
    static func ipv6(_ b: UnsafeBufferPointer<UInt8>) -> Bool {
        let n = b.count
        guard n >= 2 else { return false }
        var groups = 0
        var compressed = false
        var i = 0
        if b[0] == UInt8(ascii: ":") {
            guard n >= 2, b[1] == UInt8(ascii: ":") else { return false }
            compressed = true
            i = 2
            if i == n { return true }
        }
        while i < n {
            let start = i
            while i < n, isHex(b[i]) { i += 1 }
            let len = i - start
            if i < n, b[i] == UInt8(ascii: ".") {
                // Embedded IPv4 must be the last part.
                guard ipv4(b[start..<n]) else { return false }
                groups += 2
                i = n
                break
            }
            guard len >= 1, len <= 4 else { return false }
            groups += 1
            if i == n { break }
            guard b[i] == UInt8(ascii: ":") else { return false }
            i += 1
            if i < n, b[i] == UInt8(ascii: ":") {
                if compressed { return false }
                compressed = true
                i += 1
                if i == n { break }
            } else if i == n {
                return false  // trailing single colon
            }
        }
        return compressed ? groups <= 7 : groups == 8
    }

    /// `8-4-4-4-12` hexadecimal digits.
    static func uuid(_ b: UnsafeBufferPointer<UInt8>) -> Bool {
        HexDigits.uuid(b) != nil
    }
}
