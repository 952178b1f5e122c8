import CTCore
import CTJSON

/// One way a value fails its schema.
package struct SchemaViolation: Hashable, Sendable, CustomStringConvertible {
    package enum Kind: Hashable, Sendable {
        /// A required member is absent (`required`, `dependentRequired`). Reported on the enclosing object.
        case missingProperty(String)
        /// The value's JSON type is not allowed. `expected` lists schema type names.
        case wrongType(expected: [String], found: String)
        /// The value fails a keyword such as `enum`, `const`, `pattern`, `format`, `minLength`, `maximum`,
        /// `uniqueItems`, `oneOf` or `not`.
        case invalidValue(keyword: String, detail: String)
        /// A member not allowed by `additionalProperties`. Reported on the key.
        case additionalProperty(String)
    }

    package var kind: Kind
    /// Index of the offending node in the validated tree (for an additional member, its key; for a missing
    /// member, the enclosing object).
    package var node: Int
    /// Byte range of `node`.
    package var range: TextRange
    /// JSON Pointer of `node` from the document root.
    package var pointer: String
    /// States the problem, values in backticks, no trailing period.
    package var message: String

    package var description: String { "\(pointer.isEmpty ? "/" : pointer): \(message)" }
}

/// Validates syntax-tree nodes against compiled schemas. Stateless and cheap to create.
///
/// Success allocates nothing: strings are compared as bytes in the tree's source buffer, regexes run on
/// stack memory, and messages are built only for violations. Nodes of kind `.invalid` and `.missing`
/// (syntax-error leftovers the parser already reported) are accepted silently.
package struct SchemaValidator: Sendable {
    /// Whether `format` is an assertion (the default here) or only an annotation, as draft 2020-12 specifies
    /// for validators that do not opt in.
    package var assertsFormats: Bool

    package init(assertsFormats: Bool = true) { self.assertsFormats = assertsFormats }

    /// All violations of `schema` by node `node` of `tree`, in document order.
    package func validate(_ tree: SyntaxTree, node: Int, against schema: CompiledSchema) -> [SchemaViolation] {
        validate(tree, node, schema, unlisted: nil)
    }

    /// `validate(_:node:against:)`, also collecting into `unlisted`, in member order, the keys of object `node`
    /// that the schema root's `properties` do not name (nothing when the root has no `properties`): found by the
    /// validation's own pass over the members (the unknown-field check made a second pass with the same
    /// lookups).
    package func validate(_ tree: SyntaxTree, node: Int, against schema: CompiledSchema,
                         unlisted: inout [Int]) -> [SchemaViolation] {
        withUnsafeMutablePointer(to: &unlisted) { validate(tree, node, schema, unlisted: $0) }
    }

    private func validate(_ tree: SyntaxTree, _ node: Int, _ schema: CompiledSchema,
                          unlisted: UnsafeMutablePointer<[Int]>?) -> [SchemaViolation] {
        var out: [SchemaViolation]? = []
        Run.with(schema, tree, assertsFormats, unlisted: unlisted) { run in
            _ = run.check(schema.root, node, &out, depth: 0)
        }
        guard let found = out, found.count > 1 else { return out ?? [] }
        return found.sorted { ($0.range, $0.pointer, $0.message) < ($1.range, $1.pointer, $1.message) }
    }

    /// True when node `node` of `tree` satisfies `schema`; stops at the first failure.
    package func isValid(_ tree: SyntaxTree, node: Int, against schema: CompiledSchema) -> Bool {
        Run.with(schema, tree, assertsFormats, unlisted: nil) { run in
            var out: [SchemaViolation]? = nil
            return run.check(schema.root, node, &out, depth: 0)
        }
    }
}

private func < (a: (TextRange, String, String), b: (TextRange, String, String)) -> Bool {
    if a.0 != b.0 { return a.0 < b.0 }
    if a.1 != b.1 { return a.1 < b.1 }
    return a.2 < b.2
}

/// One validation pass. `out == nil` means yes/no mode: return at the first failure, build nothing.
///
/// The schema nodes, the tree's nodes and its source are read through buffer pointers that are valid for the
/// duration of the pass (`Run.with`): going through `SyntaxTree`'s accessors (another module, not inlinable)
/// cost a call, a bounds check and often a retain per read (`contentRange`, `stringEquals`, retain/release
/// were over a third of the schema time on generated logs). Hot keywords are read from plain-value summaries
/// (`SchemaNode.has`, table views): copying a node's arrays or tables out of the pointer retained them.
private struct Run {
    let schema: CompiledSchema
    /// `schema`'s nodes, read in place.
    let nodes: UnsafePointer<SchemaNode>
    let tree: SyntaxTree
    /// `tree.nodes` and `tree.source`, read in place.
    let tn: UnsafeBufferPointer<Node>
    let src: UnsafeBufferPointer<UInt8>
    let assertsFormats: Bool
    /// Member indexes of the objects looked up last (`index(_:)`): `Run.indexCount` tables of
    /// `Run.indexCapacity` entries, valid for the pass.
    let indexEntries: UnsafeMutablePointer<IndexEntry>
    /// The indexed objects (-1: none), then each table's state (1: built, 0: the object is too large to index),
    /// then the round-robin counter.
    let indexState: UnsafeMutablePointer<Int>
    /// Where the keys of the instance's root object that the schema root's `properties` do not name go (see
    /// `SchemaValidator.validate(_:node:against:unlisted:)`); nil when not asked for.
    let unlisted: UnsafeMutablePointer<[Int]>?
    /// The thread's remembered passes of strings and small objects (see `StringCheckMemo`).
    let memo: StringCheckMemo.View
    static let maxDepth = 400
    /// Objects indexed at once: a record, its identity, the session context, one more.
    static let indexCount = 4
    /// Slots per table; objects of up to half as many members are indexed.
    static let indexCapacity = 64

    /// One member in an index: the key's `KeyWords`, its value node (-2: the key occurs more than once) and,
    /// for keys longer than 16 bytes, the key node (their middle bytes are compared on a hit).
    struct IndexEntry {
        var key = KeyWords()
        var value = -1
        var keyNode = -1
    }

    static func with<R>(_ schema: CompiledSchema, _ tree: SyntaxTree, _ assertsFormats: Bool,
                        unlisted: UnsafeMutablePointer<[Int]>?, _ body: (Run) -> R) -> R {
        let thread = ValidatorThreadScratch.current
        return schema.withNodes { nodes in
            tree.nodes.withUnsafeBufferPointer { tn in
                tree.source.withUnsafeBufferPointer { src in
                    withUnsafeTemporaryAllocation(of: Int.self, capacity: 2 * indexCount + 1) { state in
                        state.initialize(repeating: -1)
                        state[2 * indexCount] = 0
                        func run(_ entries: UnsafeMutablePointer<IndexEntry>) -> R {
                            body(Run(schema: schema, nodes: nodes.baseAddress!, tree: tree, tn: tn, src: src,
                                     assertsFormats: assertsFormats, indexEntries: entries,
                                     indexState: state.baseAddress!, unlisted: unlisted, memo: thread.memo.view))
                        }
                        let bytes = MemoryLayout<IndexEntry>.stride * indexCount * indexCapacity
                        guard !thread.indexInUse, bytes <= ValidatorThreadScratch.indexBytes else {
                            return withUnsafeTemporaryAllocation(of: IndexEntry.self, capacity: indexCount * indexCapacity) {
                                run($0.baseAddress!)
                            }
                        }
                        thread.indexInUse = true
                        defer { thread.indexInUse = false }
                        // Entries are written before they are read (`buildIndex` initialises every slot it uses).
                        return run(thread.indexMemory.bindMemory(to: IndexEntry.self, capacity: indexCount * indexCapacity))
                    }
                }
            }
        }
    }

    /// The member index of object `i`, built on first use; nil when `i` has more members than an index holds.
    /// Objects are looked up by name many times in a pass (the record by its `required` lists and the `eventType`
    /// switch, the identity by `type` and its variant's `required`): one pass over the members, then a probe per
    /// name (a scan per name, even behind a cache of recent lookups, was 6% of a full check, callgrind).
    @inline(__always)
    func index(_ i: Int) -> UnsafeMutablePointer<IndexEntry>? {
        var s = 0
        while s < Run.indexCount {
            if indexState[s] == i { return indexState[Run.indexCount + s] == 1 ? indexEntries + s * Run.indexCapacity : nil }
            s += 1
        }
        return buildIndex(i)
    }

    @inline(__always)
    static func probe(_ key: KeyWords) -> Int {
        Int(truncatingIfNeeded: (key.head &* 0x9E37_79B9_7F4A_7C15 ^ key.tail &* 0xBF58_476D_1CE4_E5B9
                                  ^ UInt64(truncatingIfNeeded: key.count)) >> 58)
    }

    func buildIndex(_ i: Int) -> UnsafeMutablePointer<IndexEntry>? {
        let s = indexState[2 * Run.indexCount] % Run.indexCount
        indexState[2 * Run.indexCount] += 1
        indexState[s] = i
        indexState[Run.indexCount + s] = 0
        let table = indexEntries + s * Run.indexCapacity
        // Only the field that marks an entry empty (storing whole empty entries cost 12% more, callgrind).
        var e = 0
        while e < Run.indexCapacity { table[e].key.count = -1; e += 1 }
        var members = 0
        let end = Int(tn[i].subtreeEnd)
        var k = i + 1
        while k < end {
            let v = Int(tn[k].subtreeEnd)
            guard v < end else { break }
            if tn[k].kind == .string {
                members += 1
                if members > Run.indexCapacity / 2 { return nil }
                let key = withStringBytes(k) { KeyWords($0) }
                let e = slot(table, key) { sameKey($0, k) }
                if e.pointee.key.count == -1 { e.pointee = IndexEntry(key: key, value: v, keyNode: k) } else { e.pointee.value = -2 }
            }
            k = Int(tn[v].subtreeEnd)
        }
        indexState[Run.indexCount + s] = 1
        return table
    }

    /// The entry of `key` in an index, or the empty entry where it would go (an index is never full). Keys
    /// longer than 16 bytes that share their `KeyWords` are told apart by `isKey(keyNode)`.
    @inline(__always)
    func slot(_ table: UnsafeMutablePointer<IndexEntry>, _ key: KeyWords, _ isKey: (Int) -> Bool) -> UnsafeMutablePointer<IndexEntry> {
        var s = Run.probe(key)
        while true {
            let e = table + s
            if e.pointee.key.count == -1 || e.pointee.key.equals(key) && (key.isComplete || isKey(e.pointee.keyNode)) { return e }
            s = (s + 1) & (Run.indexCapacity - 1)
        }
    }

    /// The value of `key` (a complete `KeyWords`) in an index: -1 when absent, -2 when duplicated.
    @inline(__always)
    func lookup(_ table: UnsafeMutablePointer<IndexEntry>, _ key: KeyWords) -> Int {
        let e = slot(table, key) { _ in true }
        return e.pointee.key.count == -1 ? -1 : e.pointee.value
    }

    /// The value of required name `j` of schema node `n`, of any length, in an index.
    @inline(__always)
    func lookupRequired(_ table: UnsafeMutablePointer<IndexEntry>, _ n: UnsafePointer<SchemaNode>, _ j: Int) -> Int {
        let e = slot(table, n.pointee.requiredWords[j]) { keyEquals($0, n.pointee.required[j]) }
        return e.pointee.key.count == -1 ? -1 : e.pointee.value
    }

    /// True when key nodes `a` and `b` hold the same decoded bytes.
    func sameKey(_ a: Int, _ b: Int) -> Bool {
        withStringBytes(a) { x in withStringBytes(b) { y in x.elementsEqual(y) } }
    }

    /// The value node of the member named `key` (a complete `KeyWords`) in object `i`: -1 when absent, -2 when
    /// the key occurs more than once (callers then scan). The CloudTrail schemas pick a record's variant by
    /// `eventType` and an identity's by `type`, and check `required` lists of one name.
    @inline(__always)
    func member(_ i: Int, _ key: KeyWords) -> Int {
        if let table = index(i) { return lookup(table, key) }
        var value = -1
        let end = Int(tn[i].subtreeEnd)
        var k = i + 1
        while k < end {
            let v = Int(tn[k].subtreeEnd)
            guard v < end else { break }
            let n = tn[k]
            if n.kind == .string {
                let hit = n.flags == 0
                    ? key.matches(src.baseAddress! + Int(n.start) + 1, Int(n.end) - Int(n.start) - 2)
                    : withStringBytes(k) { b in b.count == key.count && (b.baseAddress.map { key.matches($0, b.count) } ?? true) }
                if hit {
                    if value != -1 { value = -2; break }
                    value = v
                }
            }
            k = Int(tn[v].subtreeEnd)
        }
        return value
    }

    // MARK: Bytes

    /// Calls `body` with the decoded UTF-8 bytes of string node `i`: a view of the source when the string has
    /// no escapes (the common case), a decoded copy otherwise.
    @inline(__always)
    func withStringBytes<R>(_ i: Int, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        let n = tn[i]
        if n.flags == 0 {
            // A plain `"…"` string: the content is everything between the two quotes.
            return body(UnsafeBufferPointer(rebasing: src[(Int(n.start) + 1)..<(Int(n.end) - 1)]))
        }
        if n.flags & (StringFlags.hasEscapes.rawValue | StringFlags.singleQuoted.rawValue) != 0 {
            var s = tree.string(i) ?? ""
            return s.withUTF8(body)
        }
        let r = tree.contentRange(i)
        return body(UnsafeBufferPointer(rebasing: src[r.start..<r.end]))
    }

    /// True when string node `k` (a key) is `key`, compared on raw bytes (escaped keys decoded).
    @inline(__always)
    func keyEquals(_ k: Int, _ key: SchemaKey) -> Bool {
        let n = tn[k]
        if n.flags == 0 {
            let count = Int(n.end) - Int(n.start) - 2
            guard count == key.bytes.count else { return false }
            return key.equals(src.baseAddress! + Int(n.start) + 1, count)
        }
        return withStringBytes(k) { key.equals($0.baseAddress, $0.count) }
    }

    func stringEquals(_ i: Int, _ bytes: [UInt8]) -> Bool {
        withStringBytes(i) { b in b.count == bytes.count && b.elementsEqual(bytes) }
    }

    static func scalarCount(_ b: UnsafeBufferPointer<UInt8>) -> Int {
        var n = 0
        for x in b where x & 0xC0 != 0x80 { n += 1 }
        return n
    }

    // MARK: Types and equality

    func typeName(_ i: Int) -> String {
        switch tn[i].kind {
        case .object: "object"
        case .array: "array"
        case .string: "string"
        case .number: isInteger(i) ? "integer" : "number"
        case .true, .false: "boolean"
        case .null: "null"
        case .invalid, .missing: "invalid"
        }
    }

    func isInteger(_ i: Int) -> Bool {
        let r = tn[i]
        var plain = true
        for k in Int(r.start)..<Int(r.end) {
            let c = src[k]
            if c == UInt8(ascii: ".") || c == UInt8(ascii: "e") || c == UInt8(ascii: "E") { plain = false; break }
        }
        if plain { return true }
        guard let d = tree.number(i) else { return false }
        return d.isFinite && d == d.rounded()
    }

    func matchesType(_ t: TypeSet, _ i: Int) -> Bool {
        let bits = t.rawValue
        switch tn[i].kind {
        case .object: return bits & TypeSet.object.rawValue != 0
        case .array: return bits & TypeSet.array.rawValue != 0
        case .string: return bits & TypeSet.string.rawValue != 0
        case .number:
            return bits & TypeSet.number.rawValue != 0 || (bits & TypeSet.integer.rawValue != 0 && isInteger(i))
        case .true, .false: return bits & TypeSet.boolean.rawValue != 0
        case .null: return bits & TypeSet.null.rawValue != 0
        case .invalid, .missing: return true
        }
    }

    func equals(_ v: SchemaValue, _ i: Int) -> Bool {
        switch v {
        case .string(let bytes): return tn[i].kind == .string && stringEquals(i, bytes)
        case .other(let d, let n): return Run.jsonEqual(schema.trees[d], n, tree, i)
        }
    }

    /// JSON equality: numbers by value, strings by decoded code points, objects ignoring member order.
    static func jsonEqual(_ ta: SyntaxTree, _ a: Int, _ tb: SyntaxTree, _ b: Int) -> Bool {
        let ka = ta.kind(a), kb = tb.kind(b)
        switch (ka, kb) {
        case (.string, .string):
            return Array((ta.string(a) ?? "").utf8) == Array((tb.string(b) ?? "").utf8)
        case (.number, .number):
            if ta.text(a) == tb.text(b) { return true }
            guard let x = ta.number(a), let y = tb.number(b) else { return false }
            return x == y
        case (.true, .true), (.false, .false), (.null, .null): return true
        case (.array, .array):
            let ca = Array(ta.children(of: a)), cb = Array(tb.children(of: b))
            guard ca.count == cb.count else { return false }
            return zip(ca, cb).allSatisfy { jsonEqual(ta, $0, tb, $1) }
        case (.object, .object):
            let ma = Array(ta.members(of: a)), mb = Array(tb.members(of: b))
            guard ma.count == mb.count else { return false }
            for m in ma {
                let name = Array((ta.string(m.key) ?? "").utf8)
                guard let other = mb.first(where: { Array((tb.string($0.key) ?? "").utf8) == name }),
                      jsonEqual(ta, m.value, tb, other.value) else { return false }
            }
            return true
        default:
            return false
        }
    }

    /// True when `i` equals one of the `enum` values (string enums through their lookup table).
    @inline(__always)
    func enumContains(_ n: UnsafePointer<SchemaNode>, _ i: Int) -> Bool {
        if let view = n.pointee.enumView {
            return tn[i].kind == .string && withStringBytes(i) { view.lookup($0) != nil }
        }
        return n.pointee.enumValues!.contains(where: { equals($0, i) })
    }

    /// True when `i` equals the `const` value (a string constant through its lookup table).
    @inline(__always)
    func constMatches(_ n: UnsafePointer<SchemaNode>, _ i: Int) -> Bool {
        if let view = n.pointee.constView {
            return tn[i].kind == .string && withStringBytes(i) { view.lookup($0) != nil }
        }
        return equals(n.pointee.constValue!, i)
    }

    // MARK: Reporting

    func quoted(_ i: Int) -> String {
        var text: String
        if tree.kind(i) == .string { text = tree.string(i) ?? "" } else { text = tree.text(i) }
        if text.unicodeScalars.count > 64 { text = String(String.UnicodeScalarView(text.unicodeScalars.prefix(61))) + "..." }
        return "`" + text + "`"
    }

    static func quotedValue(_ v: SchemaValue, _ trees: [SyntaxTree]) -> String {
        switch v {
        case .string(let b): return "`" + String(decoding: b, as: UTF8.self) + "`"
        case .other(let d, let n): return "`" + trees[d].text(n) + "`"
        }
    }

    func report(_ out: inout [SchemaViolation]?, _ kind: SchemaViolation.Kind, node: Int, _ message: String) {
        let pointer = tree.pointer(of: node) ?? ""
        out?.append(SchemaViolation(kind: kind, node: node, range: tree.range(node), pointer: pointer, message: message))
    }

    static func format(_ d: Double) -> String {
        d == d.rounded() && abs(d) < 1e15 ? String(Int(d)) : String(d)
    }

    // MARK: Checking

    /// True when schema node `s` accepts instance `i` by its type alone (`SchemaNode.passesWhenOfType`);
    /// false means "call `check`", not "invalid".
    @inline(__always)
    func passes(_ s: Int, _ i: Int) -> Bool {
        guard let types = nodes[s].passesWhenOfType else { return false }
        return types.rawValue == 0 || matchesType(types, i)
    }

    /// Checks instance `i` against schema node `s`. Collects into `out` when it is non-nil.
    func check(_ s0: Int, _ i: Int, _ out: inout [SchemaViolation]?, depth: Int) -> Bool {
        let kind = tn[i].kind
        if kind == .invalid || kind == .missing { return true }
        if depth > Run.maxDepth { return true }
        // Follow nodes that are only a `$ref` (most record properties: a description and a reference to a
        // shared definition) without a call per hop.
        var s = s0
        var hops = 0
        while nodes[s].keywords == .ref && nodes[s].types.rawValue == 0 && !nodes[s].rejectsAll && hops < 16 {
            s = nodes[s].ref!
            hops += 1
        }
        let n = nodes + s
        // A small object seen before with this node passes as it did then (`tlsDetails`, a resource, a session
        // issuer: see `StringCheckMemo`; bit 1 of the key keeps objects apart from strings of the same bytes).
        if kind == .object && depth > 0 {
            let node = tn[i]
            let length = Int(node.end) &- Int(node.start)
            if length <= StringCheckMemo.maxBytes, let base = src.baseAddress {
                let before = out?.count ?? 0
                return remembered(UnsafeBufferPointer(start: base + Int(node.start), count: length), memoKey(n, object: true)) {
                    let ok = checkNode(s, n, kind, i, &out, depth: depth)
                    return (ok, ok && (out?.count ?? 0) == before)
                }
            }
        }
        return checkNode(s, n, kind, i, &out, depth: depth)
    }

    /// `check` of node `s` (`n`, not a bare `$ref`) against instance `i` of kind `kind`.
    func checkNode(_ s: Int, _ n: UnsafePointer<SchemaNode>, _ kind: NodeKind, _ i: Int, _ out: inout [SchemaViolation]?,
                   depth: Int) -> Bool {
        let collecting = out != nil
        var ok = true

        if n.pointee.rejectsAll {
            if collecting { report(&out, .invalidValue(keyword: "false", detail: "no value is allowed"), node: i, "no value is allowed here") }
            return false
        }
        if n.pointee.types.rawValue != 0, !matchesType(n.pointee.types, i) {
            if collecting {
                let expected = n.pointee.types.nameList
                let list = expected.map { "`\($0)`" }.joined(separator: " or ")
                report(&out, .wrongType(expected: expected, found: typeName(i)), node: i,
                       "expected \(list), found `\(typeName(i))`")
            }
            return false  // other keywords would only restate the type mismatch
        }
        let has = n.pointee.has
        if has.contains(.ref), let r = n.pointee.ref {
            if !check(r, i, &out, depth: depth + 1) { ok = false; if !collecting { return false } }
        }
        if has.contains(.const), !constMatches(n, i) {
            if !collecting { return false }
            ok = false
            let c = n.pointee.constValue!
            report(&out, .invalidValue(keyword: "const", detail: Run.quotedValue(c, schema.trees)), node: i,
                   "\(quoted(i)) is not \(Run.quotedValue(c, schema.trees))")
        }
        if has.contains(.enumeration), !enumContains(n, i) {
            let e = n.pointee.enumValues!
            if !collecting { return false }
            ok = false
            let shown = e.prefix(12).map { Run.quotedValue($0, schema.trees) }.joined(separator: ", ")
            report(&out, .invalidValue(keyword: "enum", detail: shown), node: i,
                   "\(quoted(i)) is not one of \(shown)\(e.count > 12 ? ", ..." : "")")
        }

        switch kind {
        case .string where has.contains(.string):
            if !checkString(n, i, &out) { ok = false; if !collecting { return false } }
        case .number where has.contains(.number):
            if !checkNumber(n, i, &out) { ok = false; if !collecting { return false } }
        case .object where has.contains(.object):
            if !checkObject(s, n, i, &out, depth: depth) { ok = false; if !collecting { return false } }
        case .array where has.contains(.array):
            if !checkArray(n, i, &out, depth: depth) { ok = false; if !collecting { return false } }
        default: break
        }
        if has.rawValue & (Keywords.allOf.rawValue | Keywords.anyOf.rawValue | Keywords.oneOf.rawValue
                           | Keywords.not.rawValue | Keywords.conditional.rawValue) == 0 { return ok }

        if has.contains(.allOf), let view = n.pointee.allOfSwitchView, kind == .object,
           case let v = member(i, n.pointee.allOfSwitchKey), v != -2 {
            // `if {K: const V} then T` entries: one lookup of `K` picks the `then`s that apply.
            if v >= 0, tn[v].kind == .string, let k = withStringBytes(v, { view.lookup($0) }) {
                for t in n.pointee.allOfSwitchTargets[k] where !check(t, i, &out, depth: depth + 1) {
                    ok = false
                    if !collecting { return false }
                }
            }
            for t in n.pointee.allOfRest where !check(t, i, &out, depth: depth + 1) {
                ok = false
                if !collecting { return false }
            }
        } else if has.contains(.allOf) {
            var j = 0
            while j < n.pointee.allOf.count {
                if !check(n.pointee.allOf[j], i, &out, depth: depth + 1) { ok = false; if !collecting { return false } }
                j += 1
            }
        }
        if has.contains(.anyOf) {
            var none: [SchemaViolation]? = nil
            let any = n.pointee.anyOf.contains { check($0, i, &none, depth: depth + 1) }
            if !any {
                ok = false
                if !collecting { return false }
                explainBranches(n.pointee.anyOf, n.pointee.anyOfDiscriminator, keyword: "anyOf", i, &out, depth: depth)
            }
        }
        if has.contains(.oneOf) {
            var none: [SchemaViolation]? = nil
            var passing = 0
            for b in n.pointee.oneOf where check(b, i, &none, depth: depth + 1) {
                passing += 1
                if passing > 1 { break }
            }
            if passing != 1 {
                ok = false
                if !collecting { return false }
                if passing == 0 {
                    explainBranches(n.pointee.oneOf, n.pointee.oneOfDiscriminator, keyword: "oneOf", i, &out, depth: depth)
                } else {
                    report(&out, .invalidValue(keyword: "oneOf", detail: "more than one alternative matches"), node: i,
                           "value matches more than one `oneOf` alternative")
                }
            }
        }
        if has.contains(.not), let x = n.pointee.not {
            var none: [SchemaViolation]? = nil
            if check(x, i, &none, depth: depth + 1) {
                ok = false
                if !collecting { return false }
                report(&out, .invalidValue(keyword: "not", detail: "the value matches a forbidden schema"), node: i,
                       "value matches a schema it must not match")
            }
        }
        if has.contains(.conditional), let view = n.pointee.switchView, kind == .object {
            // An `if`/`else if` chain on one member: one lookup picks the branch (see `SchemaNode.switchTable`).
            let v = member(i, n.pointee.switchKey)
            if v != -2 {
                var target = n.pointee.switchFallback
                if v >= 0, tn[v].kind == .string, let k = withStringBytes(v, { view.lookup($0) }) {
                    target = n.pointee.switchTargets[k]
                }
                if target >= 0, !check(target, i, &out, depth: depth + 1) { ok = false }
                return ok
            }
        }
        if has.contains(.conditional), let c = n.pointee.ifSchema {
            var none: [SchemaViolation]? = nil
            let branch = check(c, i, &none, depth: depth + 1) ? n.pointee.thenSchema : n.pointee.elseSchema
            if let b = branch, !check(b, i, &out, depth: depth + 1) { ok = false; if !collecting { return false } }
        }
        return ok
    }

    /// Reports why no `anyOf`/`oneOf` branch matched: by the discriminating property when there is one,
    /// otherwise the errors of the closest branch.
    func explainBranches(_ branches: [Int], _ disc: Discriminator?, keyword: String, _ i: Int,
                                  _ out: inout [SchemaViolation]?, depth: Int) {
        if let disc, tree.kind(i) == .object {
            var value: Int?
            for (k, v) in tree.members(of: i) where withStringBytes(k, { $0.elementsEqual(disc.key.bytes) }) { value = v }
            if let v = value {
                if tree.kind(v) == .string, let c = disc.cases.first(where: { stringEquals(v, $0.value) }) {
                    _ = check(branches[c.branch], i, &out, depth: depth + 1)
                    return
                }
                let shown = disc.cases.map { "`" + String(decoding: $0.value, as: UTF8.self) + "`" }.joined(separator: ", ")
                report(&out, .invalidValue(keyword: "enum", detail: shown), node: v, "\(quoted(v)) is not one of \(shown)")
                return
            }
        }
        // No discriminator: collect each branch's errors and keep the most plausible one.
        var results: [[SchemaViolation]] = []
        for b in branches {
            var errs: [SchemaViolation]? = []
            _ = check(b, i, &errs, depth: depth + 1)
            results.append(errs ?? [])
        }
        let typeOnly = results.allSatisfy { r in r.count == 1 && r[0].node == i && Run.isWrongType(r[0]) }
        if typeOnly {
            var expected: [String] = []
            for r in results { if case .wrongType(let e, _) = r[0].kind { for t in e where !expected.contains(t) { expected.append(t) } } }
            let list = expected.map { "`\($0)`" }.joined(separator: " or ")
            report(&out, .wrongType(expected: expected, found: typeName(i)), node: i, "expected \(list), found `\(typeName(i))`")
            return
        }
        // Prefer branches whose type matched (no type error at the value itself), then the fewest errors.
        func score(_ r: [SchemaViolation]) -> (Int, Int) {
            let typeMiss = r.contains { $0.node == i && Run.isWrongType($0) }
            return (typeMiss ? 1 : 0, r.count)
        }
        var best = 0
        for k in results.indices.dropFirst() where score(results[k]) < score(results[best]) { best = k }
        if results[best].isEmpty {
            report(&out, .invalidValue(keyword: keyword, detail: "no alternative matches"), node: i,
                   "value matches none of the \(branches.count) `\(keyword)` alternatives")
        } else {
            out?.append(contentsOf: results[best])
        }
    }

    static func isWrongType(_ v: SchemaViolation) -> Bool {
        if case .wrongType = v.kind { return true }
        return false
    }

    func checkString(_ n: UnsafePointer<SchemaNode>, _ i: Int, _ out: inout [SchemaViolation]?) -> Bool {
        if n.pointee.minLength == nil && n.pointee.maxLength == nil && n.pointee.pattern == nil && (n.pointee.format == nil || !assertsFormats) { return true }
        // Length limits alone are decided from the byte count (below); no memo for them.
        if n.pointee.pattern == nil && (n.pointee.format == nil || !assertsFormats) { return checkStringFully(n, i, &out) }
        // A plain string seen before with this node passes as it did then (see `StringCheckMemo`).
        let node = tn[i]
        let start = Int(node.start) &+ 1, count = Int(node.end) &- start &- 1
        guard node.flags == 0, count <= StringCheckMemo.maxBytes, let base = src.baseAddress else {
            return checkStringFully(n, i, &out)
        }
        return remembered(UnsafeBufferPointer(start: base + start, count: count), memoKey(n, object: false)) {
            let ok = checkStringFully(n, i, &out)
            return (ok, ok)
        }
    }

    /// True when `bytes` passed the node named `key` before (see `StringCheckMemo`); otherwise the answer of `check`,
    /// whose `remember` says whether the memo may keep it (a pass that reported nothing).
    @inline(__always)
    func remembered(_ bytes: UnsafeBufferPointer<UInt8>, _ key: UInt, _ check: () -> (ok: Bool, remember: Bool)) -> Bool {
        let hash = StringCheckMemo.View.hash(key, bytes)
        if memo.contains(key, hash, bytes) { return true }
        let (ok, remember) = check()
        if remember { memo.notePass(key, hash, bytes) }
        return ok
    }

    /// The name of node `n` in `StringCheckMemo`: the compilation, the node's index, whether the value is an object
    /// (so that no string passes for an object of the same bytes) and whether formats are asserted.
    @inline(__always)
    func memoKey(_ n: UnsafePointer<SchemaNode>, object: Bool) -> UInt {
        UInt(truncatingIfNeeded: schema.nodeSpace << 32 | UInt64(truncatingIfNeeded: nodes.distance(to: n)) << 2)
            | (object ? 2 : 0) | (assertsFormats ? 1 : 0)
    }

    func checkStringFully(_ n: UnsafePointer<SchemaNode>, _ i: Int, _ out: inout [SchemaViolation]?) -> Bool {
        let collecting = out != nil
        var ok = true
        var failures: (length: Bool, pattern: Bool, format: Bool) = (false, false, false)
        var length = 0
        withStringBytes(i) { b in
            // A scalar is one to four bytes, so the byte count decides most length limits without counting scalars.
            if let m = n.pointee.minLength, b.count / 4 < m { failures.length = true }
            if let m = n.pointee.maxLength, b.count > m { failures.length = true }
            if failures.length {
                failures.length = false
                length = Run.scalarCount(b)
                if let m = n.pointee.minLength, length < m { failures.length = true }
                if let m = n.pointee.maxLength, length > m { failures.length = true }
            }
            if let automaton = n.pointee.patternAutomaton, let found = automaton.search(b) {
                failures.pattern = !found
            } else if n.pointee.pattern != nil, !n.pointee.pattern!.matches(b) {
                failures.pattern = true
            }
            if assertsFormats, let f = n.pointee.format, !FormatCheck.check(f, b) { failures.format = true }
        }
        if failures.length {
            ok = false
            if collecting {
                if let m = n.pointee.minLength, length < m {
                    report(&out, .invalidValue(keyword: "minLength", detail: String(m)), node: i,
                           m == 1 ? "\(quoted(i)) is empty" : "\(quoted(i)) is shorter than \(m) characters")
                }
                if let m = n.pointee.maxLength, length > m {
                    report(&out, .invalidValue(keyword: "maxLength", detail: String(m)), node: i,
                           "\(quoted(i)) is longer than \(m) characters")
                }
            }
        }
        if failures.pattern {
            ok = false
            if collecting, let p = n.pointee.pattern {
                report(&out, .invalidValue(keyword: "pattern", detail: p.source), node: i,
                       "\(quoted(i)) does not match the pattern `\(p.source)`")
            }
        }
        if failures.format {
            ok = false
            if collecting, let f = n.pointee.format {
                report(&out, .invalidValue(keyword: "format", detail: f.rawValue), node: i,
                       "\(quoted(i)) is not a valid `\(f.rawValue)`")
            }
        }
        return ok
    }

    func checkNumber(_ n: UnsafePointer<SchemaNode>, _ i: Int, _ out: inout [SchemaViolation]?) -> Bool {
        if n.pointee.minimum == nil && n.pointee.maximum == nil && n.pointee.exclusiveMinimum == nil && n.pointee.exclusiveMaximum == nil
            && n.pointee.multipleOf == nil { return true }
        guard let d = tree.number(i) else { return true }
        var ok = true
        if let m = n.pointee.multipleOf {
            let q = d / m
            if !q.isFinite || abs(q - q.rounded()) > 1e-9 * max(1, abs(q)) {
                ok = false
                report(&out, .invalidValue(keyword: "multipleOf", detail: Run.format(m)), node: i,
                       "\(quoted(i)) is not a multiple of \(Run.format(m))")
            }
        }
        if let m = n.pointee.minimum, d < m {
            ok = false
            report(&out, .invalidValue(keyword: "minimum", detail: Run.format(m)), node: i, "\(quoted(i)) is less than the minimum \(Run.format(m))")
        }
        if let m = n.pointee.maximum, d > m {
            ok = false
            report(&out, .invalidValue(keyword: "maximum", detail: Run.format(m)), node: i, "\(quoted(i)) is greater than the maximum \(Run.format(m))")
        }
        if let m = n.pointee.exclusiveMinimum, d <= m {
            ok = false
            report(&out, .invalidValue(keyword: "exclusiveMinimum", detail: Run.format(m)), node: i, "\(quoted(i)) is not greater than \(Run.format(m))")
        }
        if let m = n.pointee.exclusiveMaximum, d >= m {
            ok = false
            report(&out, .invalidValue(keyword: "exclusiveMaximum", detail: Run.format(m)), node: i, "\(quoted(i)) is not less than \(Run.format(m))")
        }
        return ok
    }

    /// True when object `i` has every `required` member. One required name is looked for directly; more are
    /// found in one pass over the members through `requiredTable` (the CloudTrail record schemas require
    /// nine fields, and a pass per name cost 3% of a full check).
    @inline(__always)
    func hasAllRequired(_ n: UnsafePointer<SchemaNode>, _ i: Int, _ count: Int) -> Bool {
        if count == 1 && n.pointee.firstRequired.isComplete { return member(i, n.pointee.firstRequired) != -1 }
        if let table = index(i) {
            var j = 0
            while j < count {
                if lookupRequired(table, n, j) == -1 { return false }
                j += 1
            }
            return true
        }
        guard count <= 64 else { return n.pointee.required.allSatisfy { hasMember(i, $0) } }
        let all: UInt64 = count == 64 ? ~0 : (1 << UInt64(count)) - 1
        let view = n.pointee.requiredView
        var found: UInt64 = 0
        let end = Int(tn[i].subtreeEnd)
        var k = i + 1
        while k < end {
            let v = Int(tn[k].subtreeEnd)
            guard v < end else { break }
            if tn[k].kind == .string, let id = withStringBytes(k, { view.lookup($0) }) {
                found |= 1 << UInt64(id)
                if found == all { return true }
            }
            k = Int(tn[v].subtreeEnd)
        }
        return false
    }

    /// The first key node of object `i` whose decoded bytes satisfy `test`, or nil.
    @inline(__always)
    func findMember(_ i: Int, _ test: (UnsafePointer<UInt8>, Int) -> Bool) -> Int? {
        let end = Int(tn[i].subtreeEnd)
        var k = i + 1
        while k < end {
            let v = Int(tn[k].subtreeEnd)
            guard v < end else { break }
            let key = tn[k]
            if key.kind == .string {
                if key.flags == 0 {
                    if test(src.baseAddress! + Int(key.start) + 1, Int(key.end) - Int(key.start) - 2) { return k }
                } else if withStringBytes(k, { b in b.baseAddress.map { test($0, b.count) } ?? test(src.baseAddress!, 0) }) {
                    return k
                }
            }
            k = Int(tn[v].subtreeEnd)
        }
        return nil
    }

    /// True when object `i` has a member named `key` (raw bytes compared; escaped keys decoded).
    func hasMember(_ i: Int, _ key: SchemaKey) -> Bool {
        let end = Int(tn[i].subtreeEnd)
        var k = i + 1
        while k < end {
            let v = Int(tn[k].subtreeEnd)
            guard v < end else { break }
            if tn[k].kind == .string && keyEquals(k, key) { return true }
            k = Int(tn[v].subtreeEnd)
        }
        return false
    }

    func checkObject(_ s: Int, _ n: UnsafePointer<SchemaNode>, _ i: Int, _ out: inout [SchemaViolation]?, depth: Int) -> Bool {
        let collecting = out != nil
        var ok = true
        let requiredCount = n.pointee.required.count
        if requiredCount > 0 && !hasAllRequired(n, i, requiredCount) {
            ok = false
            if !collecting { return false }
            for key in n.pointee.required where !hasMember(i, key) {
                report(&out, .missingProperty(key.name), node: i, "missing required member `\(key.name)`")
            }
        }
        if !n.pointee.has.contains(.plainRequired) {
            for (trigger, names) in n.pointee.dependentRequired where hasMember(i, trigger) {
                for name in names where !hasMember(i, name) {
                    ok = false
                    if !collecting { return false }
                    report(&out, .missingProperty(name.name), node: i,
                           "missing member `\(name.name)`, required when `\(trigger.name)` is present")
                }
            }
            if n.pointee.minProperties != nil || n.pointee.maxProperties != nil {
                var count = 0
                var k = i + 1
                let end = Int(tn[i].subtreeEnd)
                while k < end {
                    let v = Int(tn[k].subtreeEnd)
                    guard v < end else { break }
                    count += 1
                    k = Int(tn[v].subtreeEnd)
                }
                if let m = n.pointee.minProperties, count < m {
                    ok = false
                    if !collecting { return false }
                    report(&out, .invalidValue(keyword: "minProperties", detail: String(m)), node: i, "object has fewer than \(m) members")
                }
                if let m = n.pointee.maxProperties, count > m {
                    ok = false
                    if !collecting { return false }
                    report(&out, .invalidValue(keyword: "maxProperties", detail: String(m)), node: i, "object has more than \(m) members")
                }
            }
            for (trigger, child) in n.pointee.dependentSchemas where hasMember(i, trigger) {
                if !check(child, i, &out, depth: depth + 1) { ok = false; if !collecting { return false } }
            }
            if let u = n.pointee.unevaluatedProperties {
                var seen = Set<Int>()
                evaluatedKeys(s, i, &seen, includeOwnUnevaluated: false, depth: depth)
                for (k, v) in tree.members(of: i) where tree.kind(k) == .string && !seen.contains(k) {
                    if nodes[u].rejectsAll {
                        ok = false
                        if !collecting { return false }
                        let name = tree.string(k) ?? ""
                        report(&out, .additionalProperty(name), node: k, "member `\(name)` is not allowed")
                    } else if !check(u, v, &out, depth: depth + 1) {
                        ok = false
                        if !collecting { return false }
                    }
                }
            }
        }
        if n.pointee.properties.isEmpty && n.pointee.patternProperties.isEmpty && n.pointee.additionalProperties == nil { return ok }
        // Only the root check runs at depth 0: there, the members the root's `properties` do not name are collected.
        let collectsUnlisted = depth == 0 && unlisted != nil
        if n.pointee.firstProperty.isComplete && n.pointee.properties.keys.count == 1 && n.pointee.patternProperties.isEmpty
            && n.pointee.additionalProperties == nil && !collectsUnlisted {
            // One property (the `if` branches that pick a record or identity variant by `eventType` or `type`):
            // the remembered lookup, unless the key is duplicated.
            let v = member(i, n.pointee.firstProperty)
            if v >= 0 {
                if !check(n.pointee.properties.children[0], v, &out, depth: depth + 1) { ok = false }
                return ok
            }
            if v == -1 { return ok }
        }
        let treeNodes = tn
        let end = Int(treeNodes[i].subtreeEnd)
        var k = i + 1
        while k < end {
            let v = Int(treeNodes[k].subtreeEnd)
            guard v < end else { break }
            defer { k = Int(treeNodes[v].subtreeEnd) }
            guard treeNodes[k].kind == .string else { continue }
            var matched = false
            var childOK = true
            withStringBytes(k) { kb in
                if let p = n.pointee.propertyView.lookup(kb) {
                    matched = true
                    let child = n.pointee.properties.children[p]
                    if !passes(child, v), !check(child, v, &out, depth: depth + 1) { childOK = false }
                } else if collectsUnlisted {
                    unlisted!.pointee.append(k)
                }
                if !n.pointee.patternProperties.isEmpty {
                    for (regex, child) in n.pointee.patternProperties where regex.matches(kb) {
                        matched = true
                        if !check(child, v, &out, depth: depth + 1) { childOK = false }
                    }
                }
            }
            if !matched, let a = n.pointee.additionalProperties {
                if nodes[a].rejectsAll {
                    childOK = false
                    if collecting {
                        let name = tree.string(k) ?? ""
                        report(&out, .additionalProperty(name), node: k, "member `\(name)` is not allowed")
                    }
                } else if !check(a, v, &out, depth: depth + 1) {
                    childOK = false
                }
            }
            if !childOK { ok = false; if !collecting { return false } }
        }
        return ok
    }

    /// Key nodes of object `i` that schema `s` evaluates (annotation collection for `unevaluatedProperties`):
    /// its own `properties`, `patternProperties`, `additionalProperties`, and those of the in-place
    /// subschemas that succeed.
    func evaluatedKeys(_ s: Int, _ i: Int, _ seen: inout Set<Int>, includeOwnUnevaluated: Bool, depth: Int) {
        let n = nodes + s
        if n.pointee.rejectsAll || depth > Run.maxDepth { return }
        var none: [SchemaViolation]? = nil
        for (k, _) in tree.members(of: i) where tree.kind(k) == .string {
            if n.pointee.additionalProperties != nil || (includeOwnUnevaluated && n.pointee.unevaluatedProperties != nil) {
                seen.insert(k); continue
            }
            let hit = withStringBytes(k) { kb in
                n.pointee.properties.index(of: kb) != nil || n.pointee.patternProperties.contains { $0.regex.matches(kb) }
            }
            if hit { seen.insert(k) }
        }
        var inPlace: [Int] = n.pointee.allOf
        if let r = n.pointee.ref { inPlace.append(r) }
        for b in n.pointee.anyOf + n.pointee.oneOf where check(b, i, &none, depth: depth + 1) { inPlace.append(b) }
        if let c = n.pointee.ifSchema {
            if check(c, i, &none, depth: depth + 1) {
                inPlace.append(c)
                if let t = n.pointee.thenSchema { inPlace.append(t) }
            } else if let e = n.pointee.elseSchema {
                inPlace.append(e)
            }
        }
        for (trigger, child) in n.pointee.dependentSchemas where hasMember(i, trigger) { inPlace.append(child) }
        for x in inPlace { evaluatedKeys(x, i, &seen, includeOwnUnevaluated: true, depth: depth + 1) }
    }

    func checkArray(_ n: UnsafePointer<SchemaNode>, _ i: Int, _ out: inout [SchemaViolation]?, depth: Int) -> Bool {
        let collecting = out != nil
        var ok = true
        var count = 0
        var c = i + 1
        let end = Int(tn[i].subtreeEnd)
        while c < end {
            defer { c = Int(tn[c].subtreeEnd) }
            let child: Int? = count < n.pointee.prefixItems.count ? n.pointee.prefixItems[count] : n.pointee.items
            count += 1
            if let s = child, !passes(s, c), !check(s, c, &out, depth: depth + 1) {
                ok = false
                if !collecting { return false }
            }
        }
        if let m = n.pointee.minItems, count < m {
            ok = false
            if !collecting { return false }
            report(&out, .invalidValue(keyword: "minItems", detail: String(m)), node: i, "array has fewer than \(m) items")
        }
        if let m = n.pointee.maxItems, count > m {
            ok = false
            if !collecting { return false }
            report(&out, .invalidValue(keyword: "maxItems", detail: String(m)), node: i, "array has more than \(m) items")
        }
        if n.pointee.uniqueItems {
            let items = Array(tree.children(of: i))
            outer: for a in items.indices {
                for b in items.indices where b > a && Run.jsonEqual(tree, items[a], tree, items[b]) {
                    ok = false
                    if !collecting { return false }
                    report(&out, .invalidValue(keyword: "uniqueItems", detail: "duplicate item"), node: items[b],
                           "item \(b) repeats item \(a)")
                    break outer
                }
            }
        }
        return ok
    }
}
