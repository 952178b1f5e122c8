/// Text from inputs (keys, values, file names) made safe to print: every character that could move the cursor,
/// start a terminal escape sequence, end a line or reorder what a reader sees is written out as `\u{XXXX}`-style
/// text (`\u001b`, `\u202e`), in every output format.
///
/// What is escaped: C0 controls (U+0000–U+001F, the tab included), DEL, C1 controls (U+0080–U+009F), the
/// line and paragraph separators (U+2028, U+2029), and the bidirectional controls that "Trojan Source" attacks
/// use: the embeddings and overrides U+202A–U+202E, the isolates U+2066–U+2069, and the marks U+200E, U+200F
/// and U+061C. A raw byte of a file name that is not UTF-8 (`PathBytes`) is shown as `\xNN`.
public enum VisibleText {
    /// Whether `scalar` must be escaped before it reaches a terminal, a log or an annotation.
    @inlinable public static func needsEscape(_ scalar: Unicode.Scalar) -> Bool {
        let v = scalar.value
        if v < 0x20 || (v >= 0x7F && v <= 0x9F) { return true }
        if v < 0x61C { return false }
        return v == 0x61C || (v >= 0xF0080 && v <= 0xF00FF) || v == 0x200E || v == 0x200F || v == 0x2028 || v == 0x2029
            || (v >= 0x202A && v <= 0x202E) || (v >= 0x2066 && v <= 0x2069)
    }

    /// The escape written for `scalar`: `\u` and four lowercase hex digits.
    public static func escape(_ scalar: Unicode.Scalar) -> String {
        if let byte = PathBytes.byte(of: scalar) { return "\\x" + String(byte, radix: 16) }
        let h = String(scalar.value, radix: 16)
        return "\\u" + String(repeating: "0", count: max(0, 4 - h.count)) + h
    }

    /// `text` with every scalar that `needsEscape` written as its escape; unchanged (and not copied) when none does.
    public static func escaped(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: needsEscape) else { return text }
        var out = ""
        out.reserveCapacity(text.utf8.count + 8)
        for u in text.unicodeScalars {
            if needsEscape(u) { out += escape(u) } else { out.unicodeScalars.append(u) }
        }
        return out
    }

    /// How many columns `scalar` takes once escaped: the escape's length, or 1.
    public static func width(_ scalar: Unicode.Scalar) -> Int {
        needsEscape(scalar) ? escape(scalar).count : 1
    }
}
