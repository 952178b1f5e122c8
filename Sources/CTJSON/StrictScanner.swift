/// A parser for strict JSON only, for the common case of `JSONParser.parseStrictValue`: a clean record of a
/// large log. It builds exactly the nodes the recovering parser would (same kinds, ranges, string flags and
/// order) and gives up at the first byte that is not strict JSON, or at the end of the window: the recovering
/// parser then parses the value again and decides (invalid, incomplete, and with what findings).
///
/// Measured (callgrind, 6,000 generated records, 9.8 MB): parsing them took 148.5 M instructions through the
/// recovering parser's fast path (frame states, pending commas, checked reads, about 140 per node), 123.7 M with
/// this loop, which keeps the innermost container in locals and reads each structural byte once, and 94.6 M
/// with the node and signature memory below and the other steps noted in this file.
struct StrictScanner {
    enum Outcome {
        /// A complete, strictly valid value: the index of its root node and the byte offset just past it.
        case value(root: Int, end: Int)
        /// Not decided here (not strict JSON, or cut off by the window's end).
        case unsure
    }

    let c: ByteCursor
    /// The nodes of the value scanned last (the outcome's root is index 0). The array of `ParseScratch`, refilled
    /// in place: the tree of the previous record is gone by then, so no array is allocated per record (an
    /// allocation and a free per record were 2.5 M instructions on 6,000 records, callgrind).
    var nodes: [Node] = []
    /// The enclosing containers of the innermost one (which lives in locals of `scan`).
    var stack: [Frame]
    var keys: KeyLedger
    /// Objects in which two keys may be equal (checked exactly by `DuplicateKeys`).
    var duplicateCandidates: [Int] = []
    /// After `scan` gave a value: whether it is one line of ASCII, from its first byte to its last.
    var isPlain = false
    /// Where nodes are written while scanning, kept from value to value.
    let storage: NodeStorage

    /// Scans with the arrays of `scratch` (emptied, their capacity kept); `ParseScratch.keep` takes them back.
    init(_ c: ByteCursor, scratch: inout ParseScratch) {
        self.c = c
        if scratch.nodeStorage == nil { scratch.nodeStorage = NodeStorage() }
        storage = scratch.nodeStorage!
        swap(&nodes, &scratch.nodes)
        stack = []
        keys = KeyLedger()
        swap(&stack, &scratch.stack)
        swap(&keys, &scratch.keys)
        stack.removeAll(keepingCapacity: true)
        keys.reset()
        if stack.capacity < 32 { stack.reserveCapacity(32) }
    }

    @inline(__always)
    private static func skipWhitespace(_ c: ByteCursor, _ p: inout Int, _ plain: inout Bool) {
        while p < c.count && c.unchecked(p).isJSONWhitespace {
            // A line break (or a tab) makes the value not one plain line.
            if c.unchecked(p) != .space { plain = false }
            p &+= 1
        }
    }

    /// `skipWhitespace`, entered only when the byte at `p` may be whitespace (at most a space): compact logs
    /// have none, and the loop's set-up at every token cost 2.4 M instructions on 6,000 records (callgrind).
    @inline(__always)
    private static func skipWhitespaceIfAny(_ c: ByteCursor, _ p: inout Int, _ plain: inout Bool) {
        if c[p] <= .space { skipWhitespace(c, &p, &plain) }
    }

    /// The end of the string whose opening quote is at `p` and its `StringFlags`, or nil when it is not a
    /// strictly valid string within the window.
    @inline(__always)
    private static func string(_ c: ByteCursor, at p: Int, _ plain: inout Bool) -> (end: Int, flags: UInt8)? {
        let q = c.skipPlainStringBytes(from: p &+ 1)
        if q < c.count && c.unchecked(q) == .quote { return (q &+ 1, 0) }
        return irregularString(c, from: q, &plain)
    }

    /// The rest of a string with escapes or non-ASCII text, from its first such byte at `q`.
    @inline(never)
    private static func irregularString(_ c: ByteCursor, from q: Int, _ plain: inout Bool) -> (end: Int, flags: UInt8)? {
        var q = q
        var flags: StringFlags = []
        while q < c.count {
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
                plain = false
                q &+= w
            } else if b < 0x20 {
                return nil
            }
            q = c.skipPlainStringBytes(from: q)
        }
        return nil
    }

    /// Scans the value that starts at byte `start` (after optional whitespace) into `nodes`.
    mutating func scan(at start: Int) -> Outcome {
        let c = self.c
        var p = start
        // Whether the value is one line of ASCII (no line break, no byte past 0x7F): then a position inside it is
        // its start's plus the byte count, and the callers that place findings need not scan it again.
        var plain = true
        Self.skipWhitespace(c, &p, &plain)
        isPlain = false
        guard p < c.count else { return .unsure }
        var out = NodeBuffer(storage)
        // The innermost open container: its node, kind, where its keys start, whether two keys may be equal.
        var top = -1, topIsObject = false, topKeyBase = 0, topMaybeDuplicate = false
        // `p` is at the first byte of a value, or of a member's key when `atKey` (one place for keys, so that
        // their code is inlined: a call per key cost 1.4 M instructions on 6,000 records, callgrind).
        var atKey = false
        value: while true {
            if atKey {
                atKey = false
                guard c[p] == .quote, let (end, flags) = Self.string(c, at: p, &plain) else { return .unsure }
                let signature = KeyLedger.signature(quoted: p, end: end, flags: flags, in: c)
                out.append(kind: .string, start: p, end: end, flags: flags)
                if keys.note(signature, base: topKeyBase) { topMaybeDuplicate = true }
                p = end
                Self.skipWhitespaceIfAny(c, &p, &plain)
                guard c[p] == .colon else { return .unsure }
                p &+= 1
                Self.skipWhitespaceIfAny(c, &p, &plain)
            }
            let b = c[p]
            if b == .quote {
                guard let (end, flags) = Self.string(c, at: p, &plain) else { return .unsure }
                out.append(kind: .string, start: p, end: end, flags: flags)
                p = end
            } else if b == .openBrace || b == .openBracket {
                if top >= 0 {
                    // `enclosingKeyBloom` holds the pushed object's own filter here, restored when it is innermost again.
                    stack.append(Frame(node: top, isObject: topIsObject, keyBase: topKeyBase,
                                       maybeDuplicateKeys: topMaybeDuplicate, enclosingKeyBloom: keys.bloom))
                }
                top = out.count
                topIsObject = b == .openBrace
                topKeyBase = keys.count
                topMaybeDuplicate = false
                keys.bloom = 0
                out.append(kind: topIsObject ? .object : .array, start: p, end: p, flags: 0)
                p &+= 1
                Self.skipWhitespaceIfAny(c, &p, &plain)
                if c[p] != (topIsObject ? .closeBrace : .closeBracket) {
                    atKey = topIsObject
                    continue value
                }
                // An empty container: closed below.
            } else if b.isDigit || b == .minus {
                guard let end = c.strictNumberEnd(from: p) else { return .unsure }
                out.append(kind: .number, start: p, end: end, flags: 0)
                p = end
            } else if let (kind, length) = c.literal(at: p), !c[p &+ length].isIdentifierByte {
                out.append(kind: kind, start: p, end: p &+ length, flags: 0)
                p &+= length
            } else {
                return .unsure
            }
            // After a value (or at the closer of an empty container): `,` or closers.
            while true {
                guard top >= 0 else {
                    nodes.removeAll(keepingCapacity: true)
                    out.withNodes { nodes.append(contentsOf: $0) }
                    isPlain = plain
                    return .value(root: 0, end: p)
                }
                Self.skipWhitespaceIfAny(c, &p, &plain)
                let b = c[p]
                if b == .comma {
                    p &+= 1
                    Self.skipWhitespaceIfAny(c, &p, &plain)
                    atKey = topIsObject
                    continue value
                }
                guard b == (topIsObject ? .closeBrace : .closeBracket) else { return .unsure }
                p &+= 1
                out.close(top, end: p)
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

}

/// The memory `NodeBuffer` writes into, allocated once per `ParseScratch` (a record's parse allocated and freed
/// its own: 2.6 M instructions on 6,000 records, callgrind) and grown as needed.
final class NodeStorage: @unchecked Sendable {
    fileprivate var base: UnsafeMutablePointer<Node>
    fileprivate var capacity: Int

    init(capacity: Int = 512) {
        self.capacity = capacity
        base = .allocate(capacity: capacity)
    }

    deinit { base.deallocate() }
}

/// Growable node storage for `StrictScanner`, which appends a node per value: `Array.append` checks the buffer's
/// uniqueness on every call. The scanner's only unchecked memory access.
///
/// Measured (callgrind, 6,000 generated records, 9.8 MB): appending to an `Array` cost 12.4 M instructions more
/// (526.3 M against 513.9 M for the whole check), mostly the uniqueness checks and the spills around them.
struct NodeBuffer {
    private let storage: NodeStorage
    private var base: UnsafeMutablePointer<Node>
    private var capacity: Int
    /// The number of nodes appended.
    private(set) var count = 0

    /// An empty buffer over `storage` (whatever it held before is overwritten).
    init(_ storage: NodeStorage) {
        self.storage = storage
        base = storage.base
        capacity = storage.capacity
    }

    /// Appends a node whose `subtreeEnd` is the next index (a leaf; `close` fixes it for a container).
    @inline(__always)
    mutating func append(kind: NodeKind, start: Int, end: Int, flags: UInt8) {
        if count == capacity { grow() }
        (base + count).initialize(to: Node(start: UInt32(truncatingIfNeeded: start), end: UInt32(truncatingIfNeeded: end),
                                           subtreeEnd: UInt32(truncatingIfNeeded: count &+ 1), kind: kind, flags: flags))
        count &+= 1
    }

    /// Ends the container at `index` (< `count`) at byte `end`, with every node appended since in its subtree.
    @inline(__always)
    mutating func close(_ index: Int, end: Int) {
        precondition(index < count)
        base[index].end = UInt32(truncatingIfNeeded: end)
        base[index].subtreeEnd = UInt32(truncatingIfNeeded: count)
    }

    private mutating func grow() {
        let bigger = UnsafeMutablePointer<Node>.allocate(capacity: capacity * 2)
        bigger.moveInitialize(from: base, count: count)
        base.deallocate()
        base = bigger
        capacity *= 2
        storage.base = base
        storage.capacity = capacity
    }

    /// Calls `body` with the nodes appended.
    func withNodes<R>(_ body: (UnsafeBufferPointer<Node>) -> R) -> R { body(UnsafeBufferPointer(start: base, count: count)) }
}
