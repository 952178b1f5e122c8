/// A parser for strict JSON only, for the common case of `JSONParser.parseStrictValue`: a clean record of a
/// large log. It builds exactly the nodes the recovering parser would (same kinds, ranges, string flags and
/// order) and gives up at the first byte that is not strict JSON, or at the end of the window: the recovering
/// parser then parses the value again and decides (invalid, incomplete, and with what findings).
///
/// Measured (callgrind, 6,000 generated records, 9.8 MB): the recovering parser's fast path spent about 140
/// instructions per node on its frame states, pending commas and checked reads; this loop keeps the innermost
/// container in locals and reads each structural byte once.
struct StrictScanner {
    enum Outcome {
        /// A complete, strictly valid value: the index of its root node and the byte offset just past it.
        case value(root: Int, end: Int)
        /// Not decided here (not strict JSON, or cut off by the window's end).
        case unsure
    }

    let c: ByteCursor
    let n: Int
    var nodes: [Node]
    /// The enclosing containers of the innermost one (which lives in locals of `scan`).
    var stack: [Frame]
    var keys: KeyLedger
    /// Objects in which two keys may be equal (checked exactly by `DuplicateKeys`).
    var duplicateCandidates: [Int] = []

    /// Scans with the arrays of `scratch` (emptied, their capacity kept); `ParseScratch.keep` takes them back.
    init(_ c: ByteCursor, scratch: inout ParseScratch) {
        self.c = c
        self.n = c.count
        nodes = []
        stack = []
        keys = KeyLedger()
        swap(&nodes, &scratch.nodes)
        swap(&stack, &scratch.stack)
        swap(&keys, &scratch.keys)
        nodes.removeAll(keepingCapacity: true)
        stack.removeAll(keepingCapacity: true)
        keys.signatures.removeAll(keepingCapacity: true)
        keys.count = 0
        keys.bloom = 0
        if nodes.capacity < 512 { nodes.reserveCapacity(512) }
        if stack.capacity < 32 { stack.reserveCapacity(32) }
        if keys.signatures.capacity < 128 { keys.signatures.reserveCapacity(128) }
    }

    @inline(__always)
    private func skipWhitespace(_ p: inout Int) {
        while p < n && c.unchecked(p).isJSONWhitespace { p &+= 1 }
    }

    /// The end of the string whose opening quote is at `p` and its `StringFlags`, or nil when it is not a
    /// strictly valid string within the window.
    @inline(__always)
    private func string(at p: Int) -> (end: Int, flags: UInt8)? {
        let q = c.skipPlainStringBytes(from: p &+ 1)
        if q < n && c.unchecked(q) == .quote { return (q &+ 1, 0) }
        return irregularString(from: q)
    }

    /// The rest of a string with escapes or non-ASCII text, from its first such byte at `q`.
    @inline(never)
    private func irregularString(from q: Int) -> (end: Int, flags: UInt8)? {
        var q = q
        var flags: StringFlags = []
        while q < n {
            let b = c.unchecked(q)
            if b == .quote { return (q &+ 1, flags.rawValue) }
            if b == .backslash {
                let w = c.validEscapeLength(at: q)
                if w == 0 { return nil }
                flags.insert(.hasEscapes)
                q &+= w
            } else if b >= 0x80 {
                let w = utf8SequenceLength(c, q)
                if w == 0 { return nil }
                q &+= w
            } else if b < 0x20 {
                return nil
            }
            q = c.skipPlainStringBytes(from: q)
        }
        return nil
    }

    /// Scans the value that starts at byte `start` (after optional whitespace).
    mutating func scan(at start: Int) -> Outcome {
        var p = start
        skipWhitespace(&p)
        guard p < n else { return .unsure }
        let root = nodes.count
        // The innermost open container: its node, kind, where its keys start, whether two keys may be equal.
        var top = -1, topIsObject = false, topKeyBase = 0, topMaybeDuplicate = false
        // `p` is at the first byte of a value.
        value: while true {
            let b = c[p]
            if b == .quote {
                guard let (end, flags) = string(at: p) else { return .unsure }
                nodes.append(Node(start: UInt32(truncatingIfNeeded: p), end: UInt32(truncatingIfNeeded: end),
                                  subtreeEnd: UInt32(truncatingIfNeeded: nodes.count &+ 1), kind: .string, flags: flags))
                p = end
            } else if b == .openBrace || b == .openBracket {
                if top >= 0 {
                    stack.append(Frame(node: top, isObject: topIsObject, keyBase: topKeyBase,
                                       maybeDuplicateKeys: topMaybeDuplicate, enclosingKeyBloom: keys.bloom))
                }
                top = nodes.count
                topIsObject = b == .openBrace
                topKeyBase = keys.count
                topMaybeDuplicate = false
                keys.bloom = 0
                nodes.append(Node(start: UInt32(truncatingIfNeeded: p), end: UInt32(truncatingIfNeeded: p),
                                  subtreeEnd: 0, kind: topIsObject ? .object : .array, flags: 0))
                p &+= 1
                skipWhitespace(&p)
                let closer: UInt8 = topIsObject ? .closeBrace : .closeBracket
                if c[p] != closer {
                    if topIsObject {
                        guard key(&p, base: topKeyBase, maybeDuplicate: &topMaybeDuplicate) else { return .unsure }
                    }
                    continue value
                }
                // An empty container: closed below.
            } else if b.isDigit || b == .minus {
                guard let end = c.strictNumberEnd(from: p) else { return .unsure }
                nodes.append(Node(start: UInt32(truncatingIfNeeded: p), end: UInt32(truncatingIfNeeded: end),
                                  subtreeEnd: UInt32(truncatingIfNeeded: nodes.count &+ 1), kind: .number, flags: 0))
                p = end
            } else if let (kind, length) = c.literal(at: p), !c[p &+ length].isIdentifierByte {
                nodes.append(Node(start: UInt32(truncatingIfNeeded: p), end: UInt32(truncatingIfNeeded: p &+ length),
                                  subtreeEnd: UInt32(truncatingIfNeeded: nodes.count &+ 1), kind: kind, flags: 0))
                p &+= length
            } else {
                return .unsure
            }
            // After a value (or at the closer of an empty container): `,` or closers.
            while true {
                guard top >= 0 else { return .value(root: root, end: p) }
                skipWhitespace(&p)
                let b = c[p]
                if b == .comma {
                    p &+= 1
                    skipWhitespace(&p)
                    if topIsObject {
                        guard key(&p, base: topKeyBase, maybeDuplicate: &topMaybeDuplicate) else { return .unsure }
                    }
                    continue value
                }
                guard b == (topIsObject ? .closeBrace : .closeBracket) else { return .unsure }
                p &+= 1
                nodes[top].end = UInt32(truncatingIfNeeded: p)
                nodes[top].subtreeEnd = UInt32(truncatingIfNeeded: nodes.count)
                if topIsObject {
                    if topMaybeDuplicate { duplicateCandidates.append(top) }
                    keys.count = topKeyBase
                }
                if let f = stack.popLast() {
                    top = f.node
                    topIsObject = f.isObject
                    topKeyBase = f.keyBase
                    topMaybeDuplicate = f.maybeDuplicateKeys
                    keys.bloom = f.enclosingKeyBloom
                } else {
                    top = -1
                }
            }
        }
    }

    /// A member's key and `:` at `p`, leaving `p` at the start of its value. False when they are not there.
    @inline(__always)
    private mutating func key(_ p: inout Int, base: Int, maybeDuplicate: inout Bool) -> Bool {
        guard c[p] == .quote, let (end, flags) = string(at: p) else { return false }
        let node = Node(start: UInt32(truncatingIfNeeded: p), end: UInt32(truncatingIfNeeded: end),
                        subtreeEnd: UInt32(truncatingIfNeeded: nodes.count &+ 1), kind: .string, flags: flags)
        nodes.append(node)
        if keys.note(KeyLedger.signature(of: node, in: c), base: base) { maybeDuplicate = true }
        p = end
        skipWhitespace(&p)
        guard c[p] == .colon else { return false }
        p &+= 1
        skipWhitespace(&p)
        return true
    }
}
