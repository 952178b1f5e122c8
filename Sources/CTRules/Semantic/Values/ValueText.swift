import CTCore
import CTJSON

/// Byte-level helpers shared by the value rules. Everything works on UTF-8 bytes; nothing allocates on the
/// success path of a plain (escape-free) string.
enum ValueText {
    /// The decoded content bytes of string node `node`: a slice of the source when the string has no
    /// escapes, otherwise the decoded value. Nil for non-strings and unterminated strings (the syntax
    /// rules report those).
    static func content(_ tree: SyntaxTree, _ node: Int) -> ArraySlice<UInt8>? {
        guard tree.kind(node) == .string else { return nil }
        let flags = tree.stringFlags(node)
        if flags.contains(.unterminated) { return nil }
        if flags.contains(.hasEscapes) {
            guard let text = tree.string(node) else { return nil }
            return Array(text.utf8)[...]
        }
        let r = tree.contentRange(node)
        return tree.source[r.start..<r.end]
    }

    /// String node `node` (a field found by `RecordFields`), with its content bytes; nil when absent or not a
    /// string.
    @inline(__always)
    static func member(_ tree: SyntaxTree, _ node: Int?) -> (node: Int, bytes: ArraySlice<UInt8>)? {
        guard let node else { return nil }
        if let r = tree.plainContent(node) { return (node, tree.source[r]) }
        guard let bytes = content(tree, node) else { return nil }
        return (node, bytes)
    }


    /// Bytes as a String, for messages.
    static func string(_ bytes: ArraySlice<UInt8>) -> String {
        String(decoding: bytes, as: UTF8.self)
    }

    /// A value quoted for a message: in backticks, shortened past 80 characters, control characters shown
    /// as `?` so a message stays on one line.
    static func quoted(_ bytes: ArraySlice<UInt8>) -> String {
        var text = String(decoding: bytes, as: UTF8.self)
        if text.unicodeScalars.count > 80 { text = String(text.unicodeScalars.prefix(77)) + "…" }
        text = String(String.UnicodeScalarView(text.unicodeScalars.map { $0.value < 0x20 || $0 == "`" ? "?" : $0 }))
        return "`" + text + "`"
    }

    /// A fix that replaces string node `node` with the JSON string `replacement` (plain ASCII, no escaping
    /// needed). Expressed as deletion of the old string plus an insertion, so the fixer knows that the old
    /// value goes away on purpose.
    static func replaceFix(_ tree: SyntaxTree, _ node: Int, with replacement: String, title: String) -> Fix {
        let range = tree.range(node)
        return Fix(title: title,
                   edits: [TextEdit.insert("\"" + replacement + "\"", at: range.start), TextEdit.delete(range)],
                   applicability: .unsafe)
    }

    // MARK: Character classes

    @inline(__always) static func isDigit(_ b: UInt8) -> Bool { b >= 0x30 && b <= 0x39 }
    @inline(__always) static func isLower(_ b: UInt8) -> Bool { b >= 0x61 && b <= 0x7A }
    @inline(__always) static func isUpper(_ b: UInt8) -> Bool { b >= 0x41 && b <= 0x5A }
    @inline(__always) static func isHex(_ b: UInt8) -> Bool {
        isDigit(b) || (b >= 0x61 && b <= 0x66) || (b >= 0x41 && b <= 0x46)
    }
    @inline(__always) static func isSpace(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D }

    /// `bytes` without leading and trailing ASCII whitespace.
    static func trimmed(_ bytes: ArraySlice<UInt8>) -> ArraySlice<UInt8> {
        var s = bytes.startIndex, e = bytes.endIndex
        while s < e && isSpace(bytes[s]) { s += 1 }
        while e > s && isSpace(bytes[e - 1]) { e -= 1 }
        return bytes[s..<e]
    }

    /// True when `bytes` equals the ASCII literal `literal`.
    static func equals(_ bytes: ArraySlice<UInt8>, _ literal: StaticString) -> Bool {
        guard bytes.count == literal.utf8CodeUnitCount else { return false }
        return literal.withUTF8Buffer { lit in
            var j = 0, i = bytes.startIndex
            while j < lit.count { if bytes[i] != lit[j] { return false }; i += 1; j += 1 }
            return true
        }
    }

    /// True when `bytes` ends with the ASCII literal `literal`.
    static func hasSuffix(_ bytes: ArraySlice<UInt8>, _ literal: StaticString) -> Bool {
        guard bytes.count >= literal.utf8CodeUnitCount else { return false }
        return equals(bytes[(bytes.endIndex - literal.utf8CodeUnitCount)...], literal)
    }

    /// True when `bytes` starts with the ASCII literal `literal`.
    static func hasPrefix(_ bytes: ArraySlice<UInt8>, _ literal: StaticString) -> Bool {
        guard bytes.count >= literal.utf8CodeUnitCount else { return false }
        return equals(bytes[bytes.startIndex..<(bytes.startIndex + literal.utf8CodeUnitCount)], literal)
    }

    /// True when `bytes` contains the ASCII literal `literal`.
    static func contains(_ bytes: ArraySlice<UInt8>, _ literal: StaticString) -> Bool {
        let n = literal.utf8CodeUnitCount
        guard bytes.count >= n, n > 0 else { return n == 0 }
        var i = bytes.startIndex
        while i + n <= bytes.endIndex {
            if equals(bytes[i..<(i + n)], literal) { return true }
            i += 1
        }
        return false
    }

    // MARK: Placeholders

    /// True when a value is an obvious stand-in written by a person, not by AWS: AWS documentation's
    /// `EXAMPLE` markers, runs of `X`, ellipses, `<angle-bracketed text>`, `${template}`/`{{template}}`,
    /// `redacted`, `-`, `n/a`.
    static func isPlaceholder(_ raw: ArraySlice<UInt8>) -> Bool {
        let bytes = trimmed(raw)
        guard let first = bytes.first, let last = bytes.last else { return false }
        if contains(bytes, "EXAMPLE") { return true }
        if first == UInt8(ascii: "<") && last == UInt8(ascii: ">") { return true }
        if hasPrefix(bytes, "${") || hasPrefix(bytes, "{{") { return true }
        // Only dots / the ellipsis character.
        if contains(bytes, "\u{2026}") || bytes.allSatisfy({ $0 == UInt8(ascii: ".") }) {
            if bytes.allSatisfy({ $0 == UInt8(ascii: ".") || $0 >= 0x80 || isSpace($0) }) { return true }
        }
        // `XXXX`, `xxx.xxx.xxx.xxx`, `XXXXXXXX-eab3-…-XXXXXXXX`.
        var run = 0, longest = 0, xs = 0, others = 0
        for b in bytes {
            if b == UInt8(ascii: "X") { run += 1; longest = max(longest, run) } else { run = 0 }
            if b == UInt8(ascii: "X") || b == UInt8(ascii: "x") { xs += 1 }
            else if !(b == UInt8(ascii: ".") || b == UInt8(ascii: "-") || b == UInt8(ascii: ":")) { others += 1 }
        }
        if longest >= 4 || (xs >= 3 && others == 0) { return true }
        if bytes.count == 1 && first == UInt8(ascii: "-") { return true }
        let lowered = bytes.map { isUpper($0) ? $0 | 0x20 : $0 }[...]
        return equals(lowered, "redacted") || equals(lowered, "n/a") || equals(lowered, "none") || equals(lowered, "null")
    }

    /// "a", "a and b", "a, b and c".
    static func list(_ items: [String]) -> String {
        switch items.count {
        case 0: return ""
        case 1: return items[0]
        default: return items.dropLast().joined(separator: ", ") + " and " + items[items.count - 1]
        }
    }

    // MARK: Numbers

    /// The value of `count` ASCII digits at `index`, or nil if any is not a digit.
    @inline(__always) static func digits(_ bytes: ArraySlice<UInt8>, at index: Int, count: Int) -> Int? {
        guard index >= bytes.startIndex, index + count <= bytes.endIndex else { return nil }
        var value = 0
        for i in index..<(index + count) {
            let b = bytes[i]
            guard isDigit(b) else { return nil }
            value = value * 10 + Int(b - 0x30)
        }
        return value
    }

    /// `value` in decimal, zero-padded to `width` digits.
    static func padded(_ value: Int, _ width: Int) -> String {
        let text = String(value)
        return text.count >= width ? text : String(repeating: "0", count: width - text.count) + text
    }
}
