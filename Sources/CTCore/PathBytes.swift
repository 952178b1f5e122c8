#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// File names are bytes, and not every byte string is UTF-8. A name is held in a `String` losslessly: each byte of
/// an invalid UTF-8 sequence becomes one scalar U+F0080–U+F00FF (plane 15, private use: the byte plus 0xF0000),
/// in the spirit of Python's `surrogateescape`, and is turned back into that byte for every system call. Reports
/// show such a byte as `\xNN` (`VisibleText`).
public enum PathBytes {
    /// The scalar that stands for the raw byte `byte` (0x80–0xFF).
    @inlinable public static func scalar(for byte: UInt8) -> Unicode.Scalar { Unicode.Scalar(0xF0000 + UInt32(byte))! }

    /// The raw byte `scalar` stands for, or nil when it is an ordinary character.
    @inlinable public static func byte(of scalar: Unicode.Scalar) -> UInt8? {
        scalar.value >= 0xF0080 && scalar.value <= 0xF00FF ? UInt8(scalar.value - 0xF0000) : nil
    }

    /// A name's bytes as a `String`: valid UTF-8 as it is, every other byte as its stand-in scalar.
    public static func string(_ bytes: some Collection<UInt8>) -> String {
        let bytes = Array(bytes)
        if let plain = String(validating: bytes, as: UTF8.self) { return plain }
        var out = String.UnicodeScalarView()
        var i = 0
        while i < bytes.count {
            let n = validSequenceLength(bytes, i)
            if n > 0, let s = String(validating: bytes[i..<(i + n)], as: UTF8.self) {
                out.append(contentsOf: s.unicodeScalars)
                i += n
            } else {
                out.append(scalar(for: bytes[i]))
                i += 1
            }
        }
        return String(out)
    }

    /// A NUL-terminated name from the system (`argv`, `realpath`) as a `String`, as `string(_:)` does.
    public static func string(cString: UnsafePointer<CChar>) -> String {
        string(UnsafeBufferPointer(start: UnsafeRawPointer(cString).assumingMemoryBound(to: UInt8.self), count: strlen(cString)))
    }

    /// The bytes a `String` made by `string(_:)` stands for (its UTF-8, with stand-ins turned back into bytes).
    public static func bytes(_ text: String) -> [UInt8] {
        guard text.unicodeScalars.contains(where: { byte(of: $0) != nil }) else { return Array(text.utf8) }
        var out: [UInt8] = []
        for u in text.unicodeScalars {
            if let b = byte(of: u) { out.append(b) } else { out.append(contentsOf: String(u).utf8) }
        }
        return out
    }

    /// Calls `body` with the NUL-terminated bytes of `path`, for a system call.
    public static func withCString<R>(_ path: String, _ body: (UnsafePointer<CChar>) throws -> R) rethrows -> R {
        var raw = bytes(path).map { CChar(bitPattern: $0) }
        raw.append(0)
        return try raw.withUnsafeBufferPointer { try body($0.baseAddress!) }
    }

    /// The length of the valid UTF-8 sequence at `i`, or 0.
    static func validSequenceLength(_ b: [UInt8], _ i: Int) -> Int {
        let b0 = b[i]
        if b0 < 0x80 { return 1 }
        func cont(_ j: Int) -> Bool { j < b.count && b[j] & 0xC0 == 0x80 }
        func at(_ j: Int) -> UInt8 { j < b.count ? b[j] : 0 }
        switch b0 {
        case 0xC2...0xDF: return cont(i + 1) ? 2 : 0
        case 0xE0: return (0xA0...0xBF).contains(at(i + 1)) && cont(i + 2) ? 3 : 0
        case 0xE1...0xEC, 0xEE, 0xEF: return cont(i + 1) && cont(i + 2) ? 3 : 0
        case 0xED: return (0x80...0x9F).contains(at(i + 1)) && cont(i + 2) ? 3 : 0
        case 0xF0: return (0x90...0xBF).contains(at(i + 1)) && cont(i + 2) && cont(i + 3) ? 4 : 0
        case 0xF1...0xF3: return cont(i + 1) && cont(i + 2) && cont(i + 3) ? 4 : 0
        case 0xF4: return (0x80...0x8F).contains(at(i + 1)) && cont(i + 2) && cont(i + 3) ? 4 : 0
        default: return 0
        }
    }
}
