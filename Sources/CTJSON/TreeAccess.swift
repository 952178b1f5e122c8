/// Allocation-free reads of a syntax tree for per-record hot loops, built on the tree's public storage
/// (`nodes`, `source`) and inlinable into the modules that use them (the rules, the schema engine): `SyntaxTree`'s
/// own accessors are opaque calls from there, and on generated logs `member(_:of:)`, `stringEquals` and
/// `contentRange` took 17% of a full check.
extension SyntaxTree {
    /// The bytes of string node `i` in `source` when they are its value: a terminated `"…"` string without
    /// escapes, control characters or invalid UTF-8 (the common case). Nil otherwise: decode with `string(_:)`.
    @inlinable @inline(__always)
    public func plainContent(_ i: Int) -> Range<Int>? {
        let n = nodes[i]
        guard n.kind == .string, n.flags == 0 else { return nil }
        return (Int(n.start) + 1)..<(Int(n.end) - 1)
    }

    /// Calls `body` for each (key, value) pair of object `object`, in order (nothing for other kinds).
    @inlinable @inline(__always)
    public func forEachMember(of object: Int, _ body: (_ key: Int, _ value: Int) -> Void) {
        let nodes = self.nodes
        guard nodes[object].kind == .object else { return }
        let end = Int(nodes[object].subtreeEnd)
        var k = object + 1
        while k < end {
            let v = Int(nodes[k].subtreeEnd)
            guard v < end else { return }
            body(k, v)
            k = Int(nodes[v].subtreeEnd)
        }
    }

    /// Calls `body` with the decoded bytes of string node `i` (a view of `source` for plain strings, a
    /// decoded copy otherwise). Non-strings give an empty buffer.
    @inlinable @inline(__always)
    public func withDecodedBytes<R>(_ i: Int, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        if let r = plainContent(i) {
            return source.withUnsafeBufferPointer { body(UnsafeBufferPointer(rebasing: $0[r])) }
        }
        var s = string(i) ?? ""
        return s.withUTF8(body)
    }

    /// True when string node `i` (typically a key) is exactly `name`; plain strings compare bytes in place.
    @inlinable @inline(__always)
    public func keyIs(_ i: Int, _ name: StaticString) -> Bool {
        if let r = plainContent(i) {
            guard r.count == name.utf8CodeUnitCount else { return false }
            return source.withUnsafeBufferPointer { src in
                name.withUTF8Buffer { lit in memcmpEqual(src.baseAddress! + r.lowerBound, lit.baseAddress!, lit.count) }
            }
        }
        return nodes[i].kind == .string && stringEquals(i, name)
    }
}

/// Byte equality of two buffers of `count` bytes.
@inlinable @inline(__always)
public func memcmpEqual(_ a: UnsafePointer<UInt8>, _ b: UnsafePointer<UInt8>, _ count: Int) -> Bool {
    var i = 0
    while i + 8 <= count {
        if UnsafeRawPointer(a + i).loadUnaligned(as: UInt64.self) != UnsafeRawPointer(b + i).loadUnaligned(as: UInt64.self) {
            return false
        }
        i += 8
    }
    while i < count {
        if a[i] != b[i] { return false }
        i += 1
    }
    return true
}
