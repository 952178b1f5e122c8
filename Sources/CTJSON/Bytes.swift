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
