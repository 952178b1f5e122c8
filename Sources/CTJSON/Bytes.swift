/// ASCII constants for the byte-level lexer.
extension UInt8 {
    static let quote = UInt8(ascii: "\"")
    static let apostrophe = UInt8(ascii: "'")
    static let backslash = UInt8(ascii: "\\")
    static let slash = UInt8(ascii: "/")
    static let star = UInt8(ascii: "*")
    static let hash = UInt8(ascii: "#")
    static let openBrace = UInt8(ascii: "{")
    static let closeBrace = UInt8(ascii: "}")
    static let openBracket = UInt8(ascii: "[")
    static let closeBracket = UInt8(ascii: "]")
    static let colon = UInt8(ascii: ":")
    static let comma = UInt8(ascii: ",")
    static let minus = UInt8(ascii: "-")
    static let plus = UInt8(ascii: "+")
    static let dot = UInt8(ascii: ".")
    static let zero = UInt8(ascii: "0")
    static let nine = UInt8(ascii: "9")
    static let space = UInt8(ascii: " ")
    static let tab = UInt8(ascii: "\t")
    static let lf = UInt8(ascii: "\n")
    static let cr = UInt8(ascii: "\r")
    static let lessThan = UInt8(ascii: "<")
    static let greaterThan = UInt8(ascii: ">")

    @inline(__always) var isDigit: Bool { self &- 0x30 < 10 }
    @inline(__always) var isJSONWhitespace: Bool {
        self == .space || self == .lf || self == .cr || self == .tab
    }
    @inline(__always) var isASCIILetter: Bool { (self | 0x20) &- 0x61 < 26 }
    /// Letters, digits, `_`, `$`, `-`: what an unquoted key may be made of.
    @inline(__always) var isIdentifierByte: Bool {
        isASCIILetter || isDigit || self == UInt8(ascii: "_") || self == UInt8(ascii: "$") || self == .minus
            || self == .dot
    }
}

/// Width in bytes of the UTF-8 sequence starting at `bytes[i]`, or 0 when it is not well formed.
func utf8SequenceLength(_ c: ByteCursor, _ i: Int) -> Int {
    let b0 = c[i]
    if b0 < 0x80 { return 1 }
    func cont(_ j: Int) -> Bool { c[j] & 0xC0 == 0x80 }
    switch b0 {
    case 0xC2...0xDF: return cont(i + 1) ? 2 : 0
    case 0xE0: return c[i + 1] >= 0xA0 && c[i + 1] <= 0xBF && cont(i + 2) ? 3 : 0
    case 0xE1...0xEC, 0xEE, 0xEF: return cont(i + 1) && cont(i + 2) ? 3 : 0
    case 0xED: return c[i + 1] >= 0x80 && c[i + 1] <= 0x9F && cont(i + 2) ? 3 : 0
    case 0xF0: return c[i + 1] >= 0x90 && c[i + 1] <= 0xBF && cont(i + 2) && cont(i + 3) ? 4 : 0
    case 0xF1...0xF3: return cont(i + 1) && cont(i + 2) && cont(i + 3) ? 4 : 0
    case 0xF4: return c[i + 1] >= 0x80 && c[i + 1] <= 0x8F && cont(i + 2) && cont(i + 3) ? 4 : 0
    default: return 0
    }
}

/// Typographic quote characters, as the third byte of `E2 80 xx`.
enum SmartQuote {
    static let leftDouble: UInt8 = 0x9C   // “
    static let rightDouble: UInt8 = 0x9D  // ”
    static let lowDouble: UInt8 = 0x9E    // „
    static let leftSingle: UInt8 = 0x98   // ‘
    static let rightSingle: UInt8 = 0x99  // ’

    /// The width (3) when a typographic quote starts at `i`, else 0.
    static func width(_ c: ByteCursor, _ i: Int) -> Int {
        guard c[i] == 0xE2, c[i + 1] == 0x80 else { return 0 }
        switch c[i + 2] {
        case leftDouble, rightDouble, lowDouble, leftSingle, rightSingle: return 3
        default: return 0
        }
    }
}

/// Lexical answers shared by the recovering parser and `StrictScanner`, so that both read a token the same way.
extension ByteCursor {
    /// The end (exclusive byte offset) of the RFC 8259 number starting at `i`, or nil when the bytes there are not
    /// one, or run on into letters, digits, `.` or `_` (which the recovering parser reports as one bad number).
    @inline(__always)
    func strictNumberEnd(from i: Int) -> Int? {
        var q = i
        if self[q] == .minus { q &+= 1 }
        if self[q] == .zero { q &+= 1 }
        else if self[q].isDigit { while self[q].isDigit { q &+= 1 } }
        else { return nil }
        if self[q] == .dot {
            q &+= 1
            if !self[q].isDigit { return nil }
            while self[q].isDigit { q &+= 1 }
        }
        if (self[q] | 0x20) == UInt8(ascii: "e") {
            q &+= 1
            if self[q] == .plus || self[q] == .minus { q &+= 1 }
            if !self[q].isDigit { return nil }
            while self[q].isDigit { q &+= 1 }
        }
        return Self.isNumberJunk(self[q]) ? nil : q
    }

    /// A byte that continues a number-like run (and makes it a bad number).
    @inline(__always)
    static func isNumberJunk(_ b: UInt8) -> Bool {
        b.isDigit || b.isASCIILetter || b == .dot || b == UInt8(ascii: "_")
    }

    /// `true`, `false` or `null` at `i` (not checked for what follows): the kind and the length in bytes.
    @inline(__always)
    func literal(at i: Int) -> (NodeKind, Int)? {
        switch self[i] {
        case UInt8(ascii: "t") where self[i + 1] == UInt8(ascii: "r") && self[i + 2] == UInt8(ascii: "u")
            && self[i + 3] == UInt8(ascii: "e"):
            return (.true, 4)
        case UInt8(ascii: "f") where self[i + 1] == UInt8(ascii: "a") && self[i + 2] == UInt8(ascii: "l")
            && self[i + 3] == UInt8(ascii: "s") && self[i + 4] == UInt8(ascii: "e"):
            return (.false, 5)
        case UInt8(ascii: "n") where self[i + 1] == UInt8(ascii: "u") && self[i + 2] == UInt8(ascii: "l")
            && self[i + 3] == UInt8(ascii: "l"):
            return (.null, 4)
        default:
            return nil
        }
    }

    /// The length in bytes (2 or 6) of the valid JSON escape whose backslash is at `i`, or 0.
    @inline(__always)
    func validEscapeLength(at i: Int) -> Int {
        switch self[i + 1] {
        case .quote, .backslash, .slash, UInt8(ascii: "b"), UInt8(ascii: "f"), UInt8(ascii: "n"),
             UInt8(ascii: "r"), UInt8(ascii: "t"):
            return 2
        case UInt8(ascii: "u"):
            return isHexDigit(self[i + 2]) && isHexDigit(self[i + 3]) && isHexDigit(self[i + 4])
                && isHexDigit(self[i + 5]) ? 6 : 0
        default:
            return 0
        }
    }

    @inline(__always)
    private func isHexDigit(_ b: UInt8) -> Bool { b.isDigit || (b | 0x20) &- 0x61 < 6 }
}

/// The signatures of the keys of every open object, innermost last, with a small Bloom filter of the innermost
/// object's keys: a parser notes each key, and compares signatures only when the filter says a key may repeat.
/// Shared by `ParserState` and `StrictScanner`.
struct KeyLedger {
    /// The signatures; only the first `count` are live, so closing an object never shrinks the memory.
    /// Written without the uniqueness and bounds checks of an array (those were 5 M instructions on 6,000 records,
    /// a fifth of the cost of a key, callgrind).
    private(set) var storage = SignatureStorage.empty
    var count = 0
    /// One bit per key signature seen in the innermost open object (bit: the signature's top six bits). A key
    /// whose bit is clear cannot repeat an earlier one, so the earlier signatures are compared only when the bit
    /// is set (comparing every key with every earlier one was 1.7% of a day's check, callgrind).
    var bloom: UInt64 = 0

    /// The signature of a key node: its length and first and last eight bytes, or all ones for a key with escapes
    /// (or anything irregular), whose bytes do not spell its text.
    @inline(__always)
    static func signature(of key: Node, in c: ByteCursor) -> UInt64 {
        guard key.kind == .string else { return 0xFFFF_FFFF_FFFF_FFFF }
        return signature(quoted: Int(key.start), end: Int(key.end), flags: key.flags, in: c)
    }

    /// The signature of the string key from byte `start` (its opening quote) to `end` (after its closing quote)
    /// with `StringFlags` `flags`.
    @inline(__always)
    static func signature(quoted start: Int, end: Int, flags: UInt8, in c: ByteCursor) -> UInt64 {
        guard flags == 0 else { return 0xFFFF_FFFF_FFFF_FFFF }
        return c.signature(at: start &+ 1, length: end &- start &- 2)
    }

    /// Notes a key of the innermost object, whose keys start at `base`. True when it may repeat an earlier one.
    @inline(__always)
    mutating func note(_ signature: UInt64, base: Int) -> Bool {
        var repeated = signature == 0xFFFF_FFFF_FFFF_FFFF
        let bit: UInt64 = 1 << (signature >> 58)
        let signatures = storage.base
        if bloom & bit != 0 {
            // Past 64 keys the object is handed to the exact (hashed) check instead of comparing each key with every
            // earlier one: an object of 1M keys took minutes that way, since the 64-bit filter is then always set.
            if count &- base > 64 { repeated = true }
            var j = repeated ? count : base
            while j < count {
                if signatures[j] == signature { repeated = true; break }
                j &+= 1
            }
        } else {
            bloom |= bit
        }
        if count == storage.capacity { storage = storage.grown() }
        storage.base[count] = signature
        count &+= 1
        return repeated
    }

    /// Forgets every key (the memory is kept).
    mutating func reset() {
        count = 0
        bloom = 0
    }
}

/// `KeyLedger`'s memory: `capacity` signatures, of which the ledger's first `count` are live. Replaced, never
/// resized, so that the shared empty storage a new ledger starts with is never written.
final class SignatureStorage: @unchecked Sendable {
    let base: UnsafeMutablePointer<UInt64>
    let capacity: Int

    static let empty = SignatureStorage(capacity: 0)

    private init(capacity: Int) {
        self.capacity = capacity
        base = .allocate(capacity: max(1, capacity))
    }

    /// A storage of twice the capacity (at least 128) holding these signatures.
    func grown() -> SignatureStorage {
        let bigger = SignatureStorage(capacity: max(128, capacity * 2))
        bigger.base.initialize(from: base, count: capacity)
        return bigger
    }

    deinit { base.deallocate() }
}
