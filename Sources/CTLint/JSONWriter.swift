import CTCore

/// Minimal JSON text building for reporters: escaping and stable member order.
package enum JSONWriter {
    /// A JSON string literal for `s`.
    package static func quote(_ s: String) -> String {
        var out = "\""
        out.reserveCapacity(s.utf8.count + 2)
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where PathBytes.byte(of: u) != nil:
                // A raw byte of a file name: `\xNN` as text (JSON has no escape for a byte).
                out += "\\" + VisibleText.escape(u)
            case _ where VisibleText.needsEscape(u):
                let h = String(u.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - h.count) + h
            default: out.unicodeScalars.append(u)
            }
        }
        return out + "\""
    }

    /// A JSON string literal for UTF-8 bytes (invalid sequences become U+FFFD).
    package static func quote(bytes: [UInt8]) -> String { quote(String(decoding: bytes, as: UTF8.self)) }

    /// `{"k":v,...}` from pre-rendered values, in the given order.
    package static func object(_ members: [(String, String)]) -> String {
        "{" + members.map { quote($0.0) + ":" + $0.1 }.joined(separator: ",") + "}"
    }

    package static func array(_ items: [String]) -> String { "[" + items.joined(separator: ",") + "]" }

    package static func optional(_ s: String?) -> String { s.map(quote) ?? "null" }
}
