import CTCore
import Synchronization

/// The kind of a node in the flat syntax tree.
public enum NodeKind: UInt8, Sendable {
    case object, array, string, number, `true`, `false`, null
    /// A value that could not be read as JSON (a bare word, a placeholder in value position, stray bytes).
    case invalid
    /// A value or key that is absent (empty range), inserted by recovery so object children stay in key/value pairs.
    case missing
}

/// Flags on string nodes.
public struct StringFlags: OptionSet, Sendable, Hashable {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }
    /// Contains at least one backslash escape; decoding needs the slow path.
    public static let hasEscapes = StringFlags(rawValue: 1)
    /// Delimited by `'` instead of `"`.
    public static let singleQuoted = StringFlags(rawValue: 2)
    /// Delimited by typographic quotes (3-byte UTF-8 delimiters).
    public static let smartQuoted = StringFlags(rawValue: 4)
    /// No closing delimiter: the node ends where recovery stopped.
    public static let unterminated = StringFlags(rawValue: 8)
    /// An object key written without quotes; the node's range is the bare identifier.
    public static let unquoted = StringFlags(rawValue: 16)
    /// Contains a raw control character or invalid UTF-8; decoding replaces what it cannot keep.
    public static let irregular = StringFlags(rawValue: 32)
}

/// One node of the flat tree. Nodes are stored in pre-order; a node's descendants are the indices
/// `index + 1 ..< subtreeEnd`. Object children alternate key, value, key, value.
///
/// Layout: 16 bytes per node. For a 200 MB compact CloudTrail file this is about 13 M nodes (≈ 210 MB),
/// which keeps peak memory near twice the input; member nodes are not stored (key+value pairs instead)
/// to save a third of the nodes.
public struct Node: Sendable, Hashable {
    /// First byte of the value (UTF-8 offset), delimiters included.
    public var start: UInt32
    /// One past the last byte of the value.
    public var end: UInt32
    /// Index one past this node's last descendant.
    public var subtreeEnd: UInt32
    public var kind: NodeKind
    /// `StringFlags` raw value for strings; 0 otherwise.
    public var flags: UInt8

    @inline(__always) public var range: TextRange { TextRange(start: Int(start), end: Int(end)) }
}

/// The result of parsing: the source bytes, the flat node array, and the syntax diagnostics.
///
/// The tree is lossless: `source` is kept, node ranges index into it, and `tokens()` re-lexes the whole
/// input into tokens and trivia that tile it exactly.
public struct SyntaxTree: Sendable {
    public let source: [UInt8]
    public let nodes: [Node]
    /// Index of the document's value, or nil for an empty document.
    public let root: Int?
    /// Indices of further top-level values after the first (reported as `trailing-content`).
    public let extraRoots: [Int]
    /// Syntax findings, sorted by position.
    public let diagnostics: [Diagnostic]
    /// Lazily built checkpoints for navigating large containers (shared by copies of the tree).
    let navigation = NavigationCache()

    init(source: [UInt8], nodes: [Node], root: Int?, extraRoots: [Int], diagnostics: [Diagnostic]) {
        self.source = source
        self.nodes = nodes
        self.root = root
        self.extraRoots = extraRoots
        self.diagnostics = diagnostics
    }

    /// True when the input is strict RFC 8259 JSON (no syntax finding of any severity).
    public var isStrict: Bool { diagnostics.isEmpty && root != nil }

    @inline(__always) public func kind(_ i: Int) -> NodeKind { nodes[i].kind }
    @inline(__always) public func range(_ i: Int) -> TextRange { nodes[i].range }
    @inline(__always) public func stringFlags(_ i: Int) -> StringFlags { StringFlags(rawValue: nodes[i].flags) }

    /// The raw source bytes of a node.
    public func text(_ i: Int) -> String {
        let n = nodes[i]
        return String(decoding: source[Int(n.start)..<Int(n.end)], as: UTF8.self)
    }

    // MARK: Navigation

    /// Direct children of a container, in order (for objects: key, value, key, value…).
    public func children(of i: Int) -> ChildSequence {
        ChildSequence(nodes: nodes, first: i + 1, end: Int(nodes[i].subtreeEnd))
    }

    /// The members of an object as (key index, value index) pairs.
    public func members(of i: Int) -> MemberSequence {
        MemberSequence(nodes: nodes, first: i + 1, end: nodes[i].kind == .object ? Int(nodes[i].subtreeEnd) : i + 1)
    }

    /// The value of the member whose key equals `name` (the last one if duplicated), or nil.
    public func member(_ name: StaticString, of object: Int) -> Int? {
        guard nodes[object].kind == .object else { return nil }
        // The members walked as `members(of:)` does, plain keys compared in place by length, then bytes (through
        // the sequence and `stringEquals`, a miss cost about 40 instructions a key, callgrind).
        return nodes.withUnsafeBufferPointer { ns in
            source.withUnsafeBufferPointer { src in
                name.withUTF8Buffer { lit in
                    var found: Int?
                    let end = Int(ns[object].subtreeEnd)
                    var k = object + 1
                    while k < end {
                        let v = Int(ns[k].subtreeEnd)
                        guard v < end else { break }
                        let key = ns[k]
                        if key.kind == .string {
                            if key.flags == 0 ? Self.plainEquals(key, src, lit) : stringEquals(k, name) { found = v }
                        }
                        k = Int(ns[v].subtreeEnd)
                    }
                    return found
                }
            }
        }
    }

    /// Whether plain string node `n` (no escapes or other irregularity) holds the bytes `literal`: the length first
    /// (most keys a `member` lookup passes differ in it), then the bytes of `source` in place.
    @inline(__always)
    private static func plainEquals(_ n: Node, _ source: UnsafeBufferPointer<UInt8>, _ literal: UnsafeBufferPointer<UInt8>) -> Bool {
        let start = Int(n.start) + 1
        guard Int(n.end) - start - 1 == literal.count else { return false }
        var j = 0
        while j < literal.count { if source[start &+ j] != literal[j] { return false }; j &+= 1 }
        return true
    }

    /// The value at a dotted member path under `node` (`userIdentity.sessionContext.sessionIssuer.arn`), or nil
    /// when a step is missing or not an object.
    public func value(atPath path: String, under node: Int) -> Int? {
        var node = node
        for part in path.split(separator: ".") {
            guard kind(node) == .object, let next = member(named: String(part), of: node) else { return nil }
            node = next
        }
        return node
    }

    /// The value of the member whose key equals `name`, or nil.
    public func member(named name: String, of object: Int) -> Int? {
        guard nodes[object].kind == .object else { return nil }
        var found: Int?
        for (k, v) in members(of: object) where string(k) == name { found = v }
        return found
    }

    /// The range of a container's opening bracket, or of a whole scalar: where a finding about a whole value points.
    public func headRange(_ i: Int) -> TextRange {
        let r = range(i)
        let k = kind(i)
        return (k == .object || k == .array) && r.length > 0 ? TextRange(start: r.start, end: r.start + 1) : r
    }

    /// The JSON type name of a node, for messages (`object`, `string`, `boolean`, …; `invalid` for recovery nodes).
    public func typeName(_ i: Int) -> String {
        switch kind(i) {
        case .object: "object"
        case .array: "array"
        case .string: "string"
        case .number: "number"
        case .true, .false: "boolean"
        case .null: "null"
        case .invalid, .missing: "invalid"
        }
    }

    // MARK: Values

    /// Byte range of a string's content between its delimiters.
    public func contentRange(_ i: Int) -> TextRange {
        let n = nodes[i]
        let f = StringFlags(rawValue: n.flags)
        if f.contains(.unquoted) { return n.range }
        let open = f.contains(.smartQuoted) ? 3 : 1
        var close = f.contains(.unterminated) ? 0 : (f.contains(.smartQuoted) ? smartCloseWidth(Int(n.end)) : 1)
        if Int(n.end) - close < Int(n.start) + open { close = 0 }
        let s = min(Int(n.start) + open, Int(n.end))
        return TextRange(start: s, end: max(s, Int(n.end) - close))
    }

    private func smartCloseWidth(_ end: Int) -> Int {
        // A smart-quoted string may be closed by a smart quote (3 bytes) or by a plain `"`.
        source[end - 1] == UInt8(ascii: "\"") || source[end - 1] == UInt8(ascii: "'") ? 1 : 3
    }

    /// True when string node `i` is exactly `literal` (fast path compares bytes without decoding).
    public func stringEquals(_ i: Int, _ literal: StaticString) -> Bool {
        let n = nodes[i]
        guard n.kind == .string else { return false }
        if n.flags == 0 {
            // A plain `"…"` string, compared in place (the general path below cost 25 instructions a key).
            return source.withUnsafeBufferPointer { s in literal.withUTF8Buffer { Self.plainEquals(n, s, $0) } }
        }
        let f = StringFlags(rawValue: n.flags)
        if f.contains(.hasEscapes) || f.contains(.singleQuoted) { return string(i) == literal.description }
        let r = contentRange(i)
        guard r.length == literal.utf8CodeUnitCount else { return false }
        return literal.withUTF8Buffer { lit in
            var j = 0
            while j < lit.count { if source[r.start + j] != lit[j] { return false }; j += 1 }
            return true
        }
    }

    /// The decoded value of a string node (escapes resolved). Invalid sequences become U+FFFD.
    /// Returns nil for non-strings.
    public func string(_ i: Int) -> String? {
        let n = nodes[i]
        guard n.kind == .string else { return nil }
        let r = contentRange(i)
        let f = StringFlags(rawValue: n.flags)
        if !f.contains(.hasEscapes) {
            return String(decoding: source[r.start..<r.end], as: UTF8.self)
        }
        return StringDecoder.decode(source[r.start..<r.end], singleQuoted: f.contains(.singleQuoted))
    }

    /// The number's value as a Double, or nil when it is not a valid JSON number.
    public func number(_ i: Int) -> Double? {
        guard nodes[i].kind == .number else { return nil }
        return Double(text(i))
    }

    /// Boolean value of a `true`/`false` node.
    public func bool(_ i: Int) -> Bool? {
        switch nodes[i].kind { case .true: true; case .false: false; default: nil }
    }

    // MARK: Pointers

    /// Containers larger than this many nodes get a checkpoint index on first navigation.
    static let largeContainer = 2048
    /// Every `checkpointStride`-th child (or key) of a large container is remembered.
    static let checkpointStride = 64

    /// Where to start scanning the children of container `i` for the child that holds `target`:
    /// the child's node index and its ordinal (element index, or member index for objects).
    ///
    /// Without this, finding the pointer of each of N records in a `Records` array is O(N) per record and a
    /// 125,000-record file spent minutes on pointers (measured: >10 min for 2,500 findings); with it, O(log N + 64).
    @inline(__always)
    func scanStart(in i: Int, toward target: Int) -> (child: Int, ordinal: Int) {
        guard Int(nodes[i].subtreeEnd) - i > Self.largeContainer else { return (i + 1, 0) }
        let cps = navigation.checkpoints(of: i, in: nodes)
        var lo = 0, hi = cps.count - 1
        while lo < hi {
            let mid = (lo + hi + 1) / 2
            if Int(cps[mid]) <= target { lo = mid } else { hi = mid - 1 }
        }
        guard !cps.isEmpty, Int(cps[lo]) <= target else { return (i + 1, 0) }
        return (Int(cps[lo]), lo * Self.checkpointStride)
    }

    /// Like `scanStart(in:toward:)`, by byte offset.
    @inline(__always)
    func scanStart(in i: Int, towardOffset offset: Int) -> Int {
        guard Int(nodes[i].subtreeEnd) - i > Self.largeContainer else { return i + 1 }
        let cps = navigation.checkpoints(of: i, in: nodes)
        var lo = 0, hi = cps.count - 1
        while lo < hi {
            let mid = (lo + hi + 1) / 2
            if Int(nodes[Int(cps[mid])].start) <= offset { lo = mid } else { hi = mid - 1 }
        }
        guard !cps.isEmpty, Int(nodes[Int(cps[lo])].start) <= offset else { return i + 1 }
        return Int(cps[lo])
    }

    /// The JSON Pointer of node `i`, computed by descending from the root (large containers are searched
    /// through checkpoints, so the cost is about depth × (log children + 64)).
    public func pointer(of target: Int) -> String? {
        guard let root else { return nil }
        var roots = [root] + extraRoots
        roots.sort()
        guard let top = roots.last(where: { $0 <= target }), target < Int(nodes[top].subtreeEnd) else { return nil }
        var path = ""
        var i = top
        while i != target {
            if path.utf8.count > Self.pointerLimit { return nil }
            let n = nodes[i]
            var descended = false
            if n.kind == .object {
                let end = Int(n.subtreeEnd)
                var k = scanStart(in: i, toward: target).child
                while k < end {
                    let v = Int(nodes[k].subtreeEnd)
                    guard v < end else { break }
                    if target == k {
                        let full = path + "/" + JSONPointer.escape(string(k) ?? "")
                        return full.utf8.count > Self.pointerLimit ? nil : full
                    }
                    if target >= v && target < Int(nodes[v].subtreeEnd) {
                        path += "/" + JSONPointer.escape(string(k) ?? "")
                        i = v; descended = true; break
                    }
                    k = Int(nodes[v].subtreeEnd)
                }
            } else if n.kind == .array {
                let end = Int(n.subtreeEnd)
                var (c, index) = scanStart(in: i, toward: target)
                while c < end {
                    if target >= c && target < Int(nodes[c].subtreeEnd) {
                        path += "/" + String(index); i = c; descended = true; break
                    }
                    index += 1
                    c = Int(nodes[c].subtreeEnd)
                }
            }
            if !descended { return path }
        }
        return path.utf8.count > Self.pointerLimit ? nil : path
    }

    /// The deepest node whose range contains `offset` (bytes), or nil.
    public func node(containing offset: Int) -> Int? {
        guard let root else { return nil }
        var candidates = [root] + extraRoots
        candidates.sort()
        guard var i = candidates.last(where: { Int(nodes[$0].start) <= offset }),
              Int(nodes[i].start) <= offset, offset <= Int(nodes[i].end) else { return nil }
        while true {
            var next: Int?
            let end = Int(nodes[i].subtreeEnd)
            var c = scanStart(in: i, towardOffset: offset)
            while c < end {
                if Int(nodes[c].start) <= offset && offset < Int(nodes[c].end) { next = c; break }
                if Int(nodes[c].start) > offset { break }
                c = Int(nodes[c].subtreeEnd)
            }
            guard let n = next else { return i }
            i = n
        }
    }

    /// The longest pointer text reported, in UTF-8 bytes; a deeper or longer one is nil. It keeps the output
    /// linear in the input: without it, 8,000 findings at depth 8,000 carried 128 MB of pointers.
    public static let pointerLimit = 4096

    /// `pointer(at:)` for many offsets at once, in one pass over the nodes (offsets in any order; the answers in
    /// the same order). The pointer of the current chain of nodes is kept as it changes (a segment appended when
    /// a node is entered, cut when it is left), so an answer is a copy of its prefix: linear in the nodes plus the
    /// answers' lengths, where one `pointer(at:)` per offset costs the depth each time (24 KB of nested arrays
    /// with 8,000 findings took 37 s; 2,000 nested objects with 12,000 findings, 1.3 s a pass of `fix`).
    public func pointers(at offsets: [Int], limit: Int = SyntaxTree.pointerLimit) -> [String?] {
        var answers = [String?](repeating: nil, count: offsets.count)
        guard let root else { return answers }
        let tops = ([root] + extraRoots).sorted()
        /// One node of the chain from a top-level value down to the current one. `pathEnd`: the length of its
        /// pointer in `path` (a node its parent cannot name, such as a key without a value or the child of a
        /// non-container, has its parent's pointer, and so have the nodes below it).
        struct Frame {
            var node: Int
            var pathEnd: Int
            var named: Bool
            var children = 0
            var lastKey = -1
        }
        var path: [UInt8] = []
        var stack: [Frame] = []
        var next = 0
        var topIndex = -1  // the last top-level value that starts at or before the offset (offsets come in order)
        for q in offsets.indices.sorted(by: { offsets[$0] < offsets[$1] }) {
            let offset = offsets[q]
            while topIndex + 1 < tops.count && Int(nodes[tops[topIndex + 1]].start) <= offset { topIndex += 1 }
            guard topIndex >= 0, offset <= Int(nodes[tops[topIndex]].end) else {
                answers[q] = ""
                continue
            }
            let top = tops[topIndex]
            if stack.first?.node != top {
                stack = [Frame(node: top, pathEnd: 0, named: true)]
                path.removeAll(keepingCapacity: true)
                next = top + 1
            }
            let end = Int(nodes[top].subtreeEnd)
            while next < end && Int(nodes[next].start) <= offset {
                while stack.count > 1 && next >= Int(nodes[stack[stack.count - 1].node].subtreeEnd) { stack.removeLast() }
                let parent = stack[stack.count - 1]
                path.removeSubrange(parent.pathEnd...)
                var segment: String?
                switch nodes[parent.node].kind {
                case .array: segment = String(parent.children)
                case .object:
                    if parent.children % 2 == 0 {
                        // A key names its member only when a value node follows it.
                        if Int(nodes[next].subtreeEnd) < Int(nodes[parent.node].subtreeEnd) { segment = string(next) ?? "" }
                        stack[stack.count - 1].lastKey = next
                    } else if parent.lastKey >= 0 {
                        segment = string(parent.lastKey) ?? ""
                    }
                default: break
                }
                stack[stack.count - 1].children += 1
                let named = parent.named && segment != nil
                if named, let segment, path.count <= limit {
                    path.append(UInt8(ascii: "/"))
                    path.append(contentsOf: nodes[parent.node].kind == .object ? JSONPointer.escape(segment).utf8 : segment.utf8)
                }
                stack.append(Frame(node: next, pathEnd: path.count, named: named))
                next += 1
            }
            // The deepest node of the chain that holds the offset; nodes that end before it never hold a later one.
            while stack.count > 1 && Int(nodes[stack[stack.count - 1].node].end) <= offset {
                stack.removeLast()
            }
            let length = stack[stack.count - 1].pathEnd
            answers[q] = length > limit ? nil : String(decoding: path[..<length], as: UTF8.self)
        }
        return answers
    }

    /// JSON Pointer of the nearest enclosing value of an offset (for an object key, the member's value pointer).
    public func pointer(at offset: Int) -> String? {
        guard let i = node(containing: offset) else { return root == nil ? nil : "" }
        return pointer(of: i)
    }
}

/// Iterates direct children of a container node.
public struct ChildSequence: Sequence, IteratorProtocol {
    let nodes: [Node]
    var current: Int
    let end: Int
    init(nodes: [Node], first: Int, end: Int) { self.nodes = nodes; self.current = first; self.end = end }
    public mutating func next() -> Int? {
        guard current < end else { return nil }
        let c = current
        current = Int(nodes[c].subtreeEnd)
        return c
    }
}

/// Iterates (key, value) pairs of an object node.
public struct MemberSequence: Sequence, IteratorProtocol {
    let nodes: [Node]
    var current: Int
    let end: Int
    init(nodes: [Node], first: Int, end: Int) { self.nodes = nodes; self.current = first; self.end = end }
    public mutating func next() -> (key: Int, value: Int)? {
        guard current < end else { return nil }
        let k = current
        let v = Int(nodes[k].subtreeEnd)
        guard v < end else { return nil }
        current = Int(nodes[v].subtreeEnd)
        return (k, v)
    }
}

/// Checkpoints into the children of large containers, built on first use. A reference type so that copies of
/// a `SyntaxTree` share it; the lock makes it safe to use from several threads.
final class NavigationCache: Sendable {
    private let table = Mutex<[Int: [UInt32]]>([:])

    /// Every `SyntaxTree.checkpointStride`-th child node index of container `i` (keys, for objects).
    func checkpoints(of i: Int, in nodes: [Node]) -> [UInt32] {
        if let cached = table.withLock({ $0[i] }) { return cached }
        var cps: [UInt32] = []
        let end = Int(nodes[i].subtreeEnd)
        let isObject = nodes[i].kind == .object
        var c = i + 1
        var ordinal = 0
        while c < end {
            if ordinal % SyntaxTree.checkpointStride == 0 { cps.append(UInt32(c)) }
            ordinal += 1
            c = Int(nodes[c].subtreeEnd)
            if isObject && c < end { c = Int(nodes[c].subtreeEnd) }
        }
        table.withLock { $0[i] = cps }
        return cps
    }
}
