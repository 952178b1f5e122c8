/// Resolves JSON string escapes. Used only off the hot path (strings flagged `hasEscapes`).
enum StringDecoder {
    static func decode(_ bytes: ArraySlice<UInt8>, singleQuoted: Bool) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var i = bytes.startIndex
        let end = bytes.endIndex
        func hex4(_ at: Int) -> UInt32? {
            guard at + 4 <= end else { return nil }
            var v: UInt32 = 0
            for j in at..<at + 4 {
                guard let d = hexValue(bytes[j]) else { return nil }
                v = v << 4 | UInt32(d)
            }
            return v
        }
        func appendScalar(_ v: UInt32) {
            let scalar = Unicode.Scalar(v) ?? "\u{FFFD}"
            out.append(contentsOf: Array(String(Character(scalar)).utf8))
        }
        while i < end {
            let b = bytes[i]
            guard b == UInt8(ascii: "\\"), i + 1 < end else { out.append(b); i += 1; continue }
            let e = bytes[i + 1]
            switch e {
            case UInt8(ascii: "\""): out.append(e)
            case UInt8(ascii: "\\"): out.append(e)
            case UInt8(ascii: "/"): out.append(e)
            case UInt8(ascii: "'"): out.append(e)  // `\'` is reported; its intent is a plain apostrophe
            case UInt8(ascii: "b"): out.append(0x08)
            case UInt8(ascii: "f"): out.append(0x0C)
            case UInt8(ascii: "n"): out.append(0x0A)
            case UInt8(ascii: "r"): out.append(0x0D)
            case UInt8(ascii: "t"): out.append(0x09)
            case UInt8(ascii: "u"):
                guard let hi = hex4(i + 2) else { out.append(contentsOf: [b, e]); i += 2; continue }
                if hi >= 0xD800 && hi < 0xDC00, i + 7 < end, bytes[i + 6] == UInt8(ascii: "\\"),
                   bytes[i + 7] == UInt8(ascii: "u"), let lo = hex4(i + 8), lo >= 0xDC00 && lo < 0xE000 {
                    appendScalar(0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00))
                    i += 12
                    continue
                }
                appendScalar(hi)
                i += 6
                continue
            default:
                out.append(contentsOf: [b, e])
            }
            i += 2
        }
        return String(decoding: out, as: UTF8.self)
    }
}

/// The value of one hex digit (either case), or nil: shared by the parser, the ARN rules and `verify`.
@inline(__always) package func hexValue(_ b: UInt8) -> UInt8? {
    switch b {
    case 0x30...0x39: b - 0x30
    case 0x41...0x46: b - 0x41 + 10
    case 0x61...0x66: b - 0x61 + 10
    default: nil
    }
}
