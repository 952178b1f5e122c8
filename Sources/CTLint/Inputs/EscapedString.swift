import CTCore

/// The content of a JSON string literal decoded to UTF-8, remembering which source bytes produced each
/// decoded byte, so findings inside a document embedded in a string (LookupEvents' `CloudTrailEvent`) can
/// point into the file.
///
/// Every decoded byte comes from one *unit* of the source: a raw byte (1 source byte), a short escape such
/// as `\"` (2 bytes), `\uXXXX` (6 bytes, giving 1 to 3 decoded bytes) or a surrogate pair `\uD83D\uDE00`
/// (12 bytes, giving 4 decoded bytes). Malformed escapes are kept literally, byte for byte (the host
/// document's parser reports them).
struct EscapedString: Sendable {
    /// The decoded content (UTF-8).
    let bytes: [UInt8]
    /// For decoded byte `k`: the source offsets (bytes) where its unit starts and ends.
    private let unitStarts: [Int]
    private let unitEnds: [Int]
    /// Source offset (bytes) of the closing delimiter: where positions past the content map.
    let contentEnd: Int

    /// Decodes `source[content]`, the bytes between a string's delimiters.
    init(source: [UInt8], content: TextRange) {
        var out: [UInt8] = []
        var starts: [Int] = []
        var ends: [Int] = []
        out.reserveCapacity(content.length)
        starts.reserveCapacity(content.length)
        ends.reserveCapacity(content.length)
        func emit(_ b: UInt8, _ from: Int, _ to: Int) {
            out.append(b)
            starts.append(from)
            ends.append(to)
        }
        func hex4(_ at: Int) -> UInt32? {
            guard at + 4 <= content.end else { return nil }
            var v: UInt32 = 0
            for k in at..<(at + 4) {
                let c = source[k]
                let d: UInt8
                switch c {
                case 0x30...0x39: d = c - 0x30
                case 0x41...0x46: d = c - 0x41 + 10
                case 0x61...0x66: d = c - 0x61 + 10
                default: return nil
                }
                v = v << 4 | UInt32(d)
            }
            return v
        }
        var i = content.start
        let end = content.end
        while i < end {
            let b = source[i]
            guard b == 0x5C, i + 1 < end else { emit(b, i, i + 1); i += 1; continue }
            let e = source[i + 1]
            let simple: UInt8?
            switch e {
            case 0x22, 0x5C, 0x2F, 0x27: simple = e          // \" \\ \/ \'
            case 0x62: simple = 0x08                          // \b
            case 0x66: simple = 0x0C                          // \f
            case 0x6E: simple = 0x0A                          // \n
            case 0x72: simple = 0x0D                          // \r
            case 0x74: simple = 0x09                          // \t
            default: simple = nil
            }
            if let simple { emit(simple, i, i + 2); i += 2; continue }
            guard e == 0x75, let unit = hex4(i + 2) else { emit(b, i, i + 1); i += 1; continue }
            var scalar = unit
            var length = 6
            if (0xD800...0xDBFF).contains(unit) {
                if i + 12 <= end, source[i + 6] == 0x5C, source[i + 7] == 0x75, let low = hex4(i + 8),
                   (0xDC00...0xDFFF).contains(low) {
                    scalar = 0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00)
                    length = 12
                } else {
                    scalar = 0xFFFD
                }
            } else if (0xDC00...0xDFFF).contains(unit) {
                scalar = 0xFFFD
            }
            for byte in Unicode.UTF8.encode(Unicode.Scalar(scalar)!)! { emit(byte, i, i + length) }
            i += length
        }
        bytes = out
        unitStarts = starts
        unitEnds = ends
        contentEnd = end
    }

    /// The source range covering the units that produced `decoded` (a range of `bytes`). Empty ranges map
    /// to the start of the unit at that position (or the closing delimiter at the end).
    func sourceRange(_ decoded: TextRange) -> TextRange {
        let n = bytes.count
        let start = decoded.start < n ? unitStarts[Swift.max(0, decoded.start)] : contentEnd
        guard !decoded.isEmpty else { return TextRange(empty: start) }
        let end = decoded.end - 1 < n ? unitEnds[decoded.end - 1] : contentEnd
        return TextRange(start: start, end: Swift.max(start, end))
    }
}
