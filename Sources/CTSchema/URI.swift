/// Minimal RFC 3986 URI references: splitting, resolution against a base, and fragments.
/// Used only while loading and compiling schemas, never during validation.
struct URIReference: Hashable, Sendable {
    var scheme: String?
    var authority: String?
    var path: String
    var query: String?
    var fragment: String?

    /// Splits `text` on its ASCII delimiters, scanning UTF-8 (a `Character` scan was a quarter of start-up:
    /// every `$ref` of every schema is resolved through here, callgrind). Scanned as a buffer of bytes: the
    /// generic `firstIndex(of:)` of a `Substring`'s UTF-8 view cost 1.0 M instructions of a check of a 5-record
    /// file (callgrind).
    init(_ text: String) {
        var text = text
        (scheme, authority, path, query, fragment) = text.withUTF8 { b in
            func string(_ r: Range<Int>) -> String { String(decoding: UnsafeBufferPointer(rebasing: b[r]), as: UTF8.self) }
            func first(_ byte: UInt8, in r: Range<Int>) -> Int? {
                var i = r.lowerBound
                while i < r.upperBound { if b[i] == byte { return i }; i += 1 }
                return nil
            }
            var end = b.count
            var fragment: String?, query: String?, scheme: String?, authority: String?
            if let hash = first(UInt8(ascii: "#"), in: 0..<end) {
                fragment = string(hash + 1 ..< end)
                end = hash
            }
            if let q = first(UInt8(ascii: "?"), in: 0..<end) {
                query = string(q + 1 ..< end)
                end = q
            }
            func isAlpha(_ b: UInt8) -> Bool { (b | 0x20) >= UInt8(ascii: "a") && (b | 0x20) <= UInt8(ascii: "z") }
            var start = 0
            if let colon = first(UInt8(ascii: ":"), in: 0..<end), end > 0, isAlpha(b[0]),
               b[0..<colon].allSatisfy({ isAlpha($0) || ($0 >= 0x30 && $0 <= 0x39) || $0 == UInt8(ascii: "+")
                                           || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: ".") }) {
                scheme = string(0..<colon).lowercased()
                start = colon + 1
            }
            if end - start >= 2, b[start] == UInt8(ascii: "/"), b[start + 1] == UInt8(ascii: "/") {
                start += 2
                let slash = first(UInt8(ascii: "/"), in: start..<end) ?? end
                authority = string(start..<slash)
                start = slash
            }
            return (scheme, authority, string(start..<end), query, fragment)
        }
    }

    init(scheme: String?, authority: String?, path: String, query: String?, fragment: String?) {
        self.scheme = scheme; self.authority = authority; self.path = path; self.query = query; self.fragment = fragment
    }

    var string: String {
        var s = ""
        if let scheme { s += scheme + ":" }
        if let authority { s += "//" + authority }
        s += path
        if let query { s += "?" + query }
        if let fragment { s += "#" + fragment }
        return s
    }

    /// The URI without its fragment.
    var withoutFragment: URIReference {
        var u = self
        u.fragment = nil
        return u
    }

    /// Resolves `self` (a reference) against `base` (RFC 3986 §5.2.2).
    func resolved(against base: URIReference) -> URIReference {
        if scheme != nil {
            return URIReference(scheme: scheme, authority: authority, path: Self.removeDots(path), query: query, fragment: fragment)
        }
        if authority != nil {
            return URIReference(scheme: base.scheme, authority: authority, path: Self.removeDots(path), query: query, fragment: fragment)
        }
        if path.isEmpty {
            return URIReference(scheme: base.scheme, authority: base.authority, path: base.path,
                                query: query ?? base.query, fragment: fragment)
        }
        if path.hasPrefix("/") {
            return URIReference(scheme: base.scheme, authority: base.authority, path: Self.removeDots(path), query: query, fragment: fragment)
        }
        let merged: String
        if base.authority != nil && base.path.isEmpty {
            merged = "/" + path
        } else if let slash = base.path.lastIndex(of: "/") {
            merged = String(base.path[...slash]) + path
        } else {
            merged = path
        }
        return URIReference(scheme: base.scheme, authority: base.authority, path: Self.removeDots(merged), query: query, fragment: fragment)
    }

    static func removeDots(_ path: String) -> String {
        // Only a `.` or `..` segment changes the path, and schema URIs have none, only dots in names: splitting and
        // joining every `$ref`'s path, after Foundation's `contains(".")` (a `CFStringFind`), cost 1.4 M
        // instructions of a check of a 5-record file (callgrind).
        var segment = 0, dots = 0, dotSegment = false
        for b in path.utf8 {
            if b == UInt8(ascii: "/") {
                if segment > 0 && segment == dots && dots <= 2 { dotSegment = true; break }
                segment = 0; dots = 0
            } else {
                segment += 1
                if b == UInt8(ascii: ".") { dots += 1 }
            }
        }
        if segment > 0 && segment == dots && dots <= 2 { dotSegment = true }
        guard dotSegment else { return path }
        var input = Substring(path)
        var output: [Substring] = []
        let absolute = input.hasPrefix("/")
        if absolute { input = input.dropFirst() }
        let segments = input.split(separator: "/", omittingEmptySubsequences: false)
        for (i, seg) in segments.enumerated() {
            if seg == "." {
                if i == segments.count - 1 { output.append("") }
            } else if seg == ".." {
                if !output.isEmpty { output.removeLast() }
                if i == segments.count - 1 { output.append("") }
            } else {
                output.append(seg)
            }
        }
        return (absolute ? "/" : "") + output.joined(separator: "/")
    }

    /// Resolves the string `reference` against the string `base`.
    static func resolve(_ reference: String, against base: String) -> String {
        URIReference(reference).resolved(against: URIReference(base)).string
    }

    /// Percent-decodes a fragment (`%25` → `%`); invalid escapes are kept as written.
    static func percentDecoded(_ s: String) -> String {
        guard s.utf8.contains(UInt8(ascii: "%")) else { return s }
        var bytes: [UInt8] = []
        let u = Array(s.utf8)
        var i = 0
        func hex(_ b: UInt8) -> UInt8? {
            switch b {
            case 0x30...0x39: b - 0x30
            case 0x41...0x46: b - 0x41 + 10
            case 0x61...0x66: b - 0x61 + 10
            default: nil
            }
        }
        while i < u.count {
            if u[i] == UInt8(ascii: "%"), i + 2 < u.count, let h = hex(u[i + 1]), let l = hex(u[i + 2]) {
                bytes.append(h << 4 | l); i += 3
            } else {
                bytes.append(u[i]); i += 1
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
