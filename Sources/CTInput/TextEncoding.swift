/// UTF-16 and UTF-32 text, which JSON tools read as UTF-8 garbage (`{"\u0000e\u0000v…`): recognised by a
/// byte-order mark, or by the NUL pattern of the first four bytes (RFC 4627, section 3), and transcoded to UTF-8.
package enum TextEncoding: String, Sendable, Hashable {
    case utf16LittleEndian = "UTF-16 (little-endian)"
    case utf16BigEndian = "UTF-16 (big-endian)"
    case utf32LittleEndian = "UTF-32 (little-endian)"
    case utf32BigEndian = "UTF-32 (big-endian)"

    /// The wide encoding `bytes` are in, and the length of their byte-order mark (0 when none); nil for anything
    /// else (UTF-8 and other bytes are left to the JSON parser).
    package static func detect(_ bytes: [UInt8]) -> (encoding: TextEncoding, markLength: Int)? {
        let n = bytes.count
        func at(_ i: Int) -> UInt8? { i < n ? bytes[i] : nil }
        switch (at(0), at(1), at(2), at(3)) {
        case (0xFF, 0xFE, 0x00, 0x00): return (.utf32LittleEndian, 4)
        case (0x00, 0x00, 0xFE, 0xFF): return (.utf32BigEndian, 4)
        case (0xFF, 0xFE, _, _): return (.utf16LittleEndian, 2)
        case (0xFE, 0xFF, _, _): return (.utf16BigEndian, 2)
        case (0x00, 0x00, 0x00, .some(let d)) where d != 0: return (.utf32BigEndian, 0)
        case (.some(let a), 0x00, 0x00, 0x00) where a != 0: return (.utf32LittleEndian, 0)
        case (0x00, .some(let b), 0x00, .some(let d)) where b != 0 && d != 0: return (.utf16BigEndian, 0)
        case (.some(let a), 0x00, .some(let c), 0x00) where a != 0 && c != 0: return (.utf16LittleEndian, 0)
        case (0x00, .some(let b), nil, nil) where b != 0: return (.utf16BigEndian, 0)
        case (.some(let a), 0x00, nil, nil) where a != 0: return (.utf16LittleEndian, 0)
        default: return nil
        }
    }

    /// `bytes` (in this encoding, after a mark of `markLength` bytes) as UTF-8 without a mark; nil when they are
    /// not valid text in it (an odd length, a cut code unit, an unpaired surrogate, a value past U+10FFFF).
    package func utf8(_ bytes: [UInt8], markLength: Int) -> [UInt8]? {
        let width = self == .utf16LittleEndian || self == .utf16BigEndian ? 2 : 4
        let body = bytes.count - markLength
        guard body >= 0, body % width == 0 else { return nil }
        var out: [UInt8] = []
        out.reserveCapacity(body)
        var failed = false
        let little = self == .utf16LittleEndian || self == .utf32LittleEndian
        if width == 2 {
            var units: [UInt16] = []
            units.reserveCapacity(body / 2)
            var i = markLength
            while i < bytes.count {
                let a = UInt16(bytes[i]), b = UInt16(bytes[i + 1])
                units.append(little ? a | b << 8 : a << 8 | b)
                i += 2
            }
            failed = transcode(units.makeIterator(), from: UTF16.self, to: UTF8.self, stoppingOnError: true) { out.append($0) }
        } else {
            var units: [UInt32] = []
            units.reserveCapacity(body / 4)
            var i = markLength
            while i < bytes.count {
                let w = (0..<4).map { UInt32(bytes[i + $0]) }
                units.append(little ? w[0] | w[1] << 8 | w[2] << 16 | w[3] << 24 : w[0] << 24 | w[1] << 16 | w[2] << 8 | w[3])
                i += 4
            }
            failed = transcode(units.makeIterator(), from: UTF32.self, to: UTF8.self, stoppingOnError: true) { out.append($0) }
        }
        return failed ? nil : out
    }
}
