import CTCore
import CTJSON
import Synchronization

/// A schema compiled into a flat array of nodes. Build it once with `SchemaRegistry.compile(_:)` and share it:
/// it is an immutable value, safe to use from any number of threads.
package struct CompiledSchema: Sendable {
    /// Holds the nodes (and those of the schemas compiled with this one, or, for a `SchemaLibrary`, before it).
    let store: SchemaNodeStore
    /// Nodes `0 ..< nodeCount` of `store` are this schema's to read: every node it reaches is among them.
    let count: Int
    /// A number no other compilation in this process has (schemas compiled together share their `nodes` and this
    /// number): with a node's index it names the node for `StringCheckMemo`, which must not mistake a node of a
    /// schema compiled later, perhaps at the same address, for one of an earlier schema.
    let nodeSpace: UInt64
    /// Index of the entry node in `nodes`.
    let root: Int
    /// The schema documents, for `enum`/`const` values that are not plain strings.
    let trees: [SyntaxTree]
    /// The absolute URI the schema was compiled from.
    package let uri: String

    private static let compilations = Atomic<UInt64>(0)

    /// A fresh `nodeSpace`.
    static func newNodeSpace() -> UInt64 {
        compilations.wrappingAdd(1, ordering: .relaxed).newValue
    }

    init(store: SchemaNodeStore, count: Int, nodeSpace: UInt64, root: Int, trees: [SyntaxTree], uri: String) {
        precondition(root < count && count <= store.initialised)
        self.store = store
        self.count = count
        self.nodeSpace = nodeSpace
        self.root = root
        self.trees = trees
        self.uri = uri
    }

    /// Number of compiled nodes (reachable subschemas, references followed once).
    package var nodeCount: Int { count }

    /// The nodes, read in place for the duration of `body`.
    @inline(__always)
    func withNodes<R>(_ body: (UnsafeBufferPointer<SchemaNode>) throws -> R) rethrows -> R {
        try withExtendedLifetime(store) { try body(UnsafeBufferPointer(start: store.base, count: count)) }
    }

    /// Node `i`, read in place.
    subscript(node i: Int) -> SchemaNode {
        _read {
            precondition(i >= 0 && i < count)
            yield store.base[i]
        }
    }

    /// A copy of the nodes (for tests; `withNodes` and `subscript(node:)` read them in place).
    var nodes: [SchemaNode] { withNodes { Array($0) } }

    /// The entry node's `properties` names, in schema order.
    package var propertyNames: [String] { self[node: root].properties.keys.map(\.name) }
}

/// The nodes of schemas compiled together, at addresses that never change: a `SchemaLibrary` adds the nodes of
/// each schema it compiles after those of the schemas it compiled before, while threads validate against these,
/// which an array (moved when it grows, copied when shared) would not allow.
///
/// `@unchecked Sendable`: the nodes are immutable once published. A node is written once, by the one compiler
/// that owns the store (`append`, under the `SchemaLibrary`'s lock, or at `init`), before any `CompiledSchema`
/// whose `count` covers it exists; a thread reaches a schema through a release/acquire pair (`OnceSlot`) or
/// from the thread that compiled it, so it sees the nodes written. No one reads past a schema's `count`.
final class SchemaNodeStore: @unchecked Sendable {
    let base: UnsafeMutablePointer<SchemaNode>
    let capacity: Int
    /// Nodes written (`0 ..< initialised`); changed only by `append`, read by the compiler and at `deinit`.
    private(set) var initialised = 0

    /// A store for at most `capacity` nodes, empty.
    init(capacity: Int) {
        self.capacity = max(capacity, 1)
        base = .allocate(capacity: self.capacity)
    }

    /// A store holding `nodes`, full.
    convenience init(nodes: [SchemaNode]) {
        self.init(capacity: nodes.count)
        append(nodes[...])
    }

    /// Writes `nodes` after the nodes written before. Only the owning compiler calls it, before publishing them.
    func append(_ nodes: ArraySlice<SchemaNode>) {
        precondition(initialised + nodes.count <= capacity, "schema node store overflow")
        nodes.withUnsafeBufferPointer { src in
            guard let from = src.baseAddress else { return }
            (base + initialised).initialize(from: from, count: src.count)
        }
        initialised += nodes.count
    }

    deinit {
        base.deinitialize(count: initialised)
        base.deallocate()
    }
}

/// JSON value types as a bit set.
struct TypeSet: OptionSet, Sendable, Hashable {
    let rawValue: UInt8
    static let null = TypeSet(rawValue: 1)
    static let boolean = TypeSet(rawValue: 2)
    static let object = TypeSet(rawValue: 4)
    static let array = TypeSet(rawValue: 8)
    static let number = TypeSet(rawValue: 16)
    static let string = TypeSet(rawValue: 32)
    static let integer = TypeSet(rawValue: 64)

    static let names: [(String, TypeSet)] = [
        ("null", .null), ("boolean", .boolean), ("object", .object), ("array", .array),
        ("number", .number), ("string", .string), ("integer", .integer),
    ]

    init(rawValue: UInt8) { self.rawValue = rawValue }
    init?(name: String) {
        guard let t = TypeSet.names.first(where: { $0.0 == name }) else { return nil }
        self = t.1
    }

    var nameList: [String] { TypeSet.names.filter { contains($0.1) }.map(\.0) }
}

/// An object key or required name, kept as UTF-8 bytes for allocation-free comparison.
struct SchemaKey: Sendable, Hashable {
    let name: String
    let bytes: [UInt8]
    /// `ByteKeyTable.words` of `bytes`: with the length they identify keys up to 16 bytes.
    let head: UInt64
    let tail: UInt64

    init(_ name: String) {
        self.name = name
        bytes = Array(name.utf8)
        (head, tail) = bytes.withUnsafeBufferPointer { ByteKeyTable.words($0.baseAddress, $0.count) }
    }

    /// True when the `count` bytes at `p` are this key.
    @inline(__always)
    func equals(_ p: UnsafePointer<UInt8>?, _ count: Int) -> Bool {
        guard count == bytes.count else { return false }
        let (h, t) = ByteKeyTable.words(p, count)
        guard h == head, t == tail else { return false }
        if count <= 16 { return true }
        var i = 8
        while i < count - 8 { if bytes[i] != p![i] { return false }; i += 1 }
        return true
    }
}

/// `properties`: keys and child nodes, with a `ByteKeyTable` index for lookup by raw key bytes.
struct PropertyTable: Sendable {
    var keys: [SchemaKey] = []
    var children: [Int] = []
    private(set) var table = ByteKeyTable()

    var isEmpty: Bool { keys.isEmpty }

    init() {}

    /// The table of `keys` and their `children`, built once (`append` rebuilds the lookup table per key).
    init(keys: [SchemaKey], children: [Int]) {
        self.keys = keys
        self.children = children
        table = ByteKeyTable(keys.map(\.bytes))
    }

    mutating func append(_ key: SchemaKey, _ child: Int) {
        keys.append(key)
        children.append(child)
        table.insert(key.bytes, id: keys.count - 1)
    }

    /// Index of the entry whose name equals `bytes` (the first one when a name repeats).
    @inline(__always)
    func index(of bytes: UnsafeBufferPointer<UInt8>) -> Int? {
        table.lookup(bytes)
    }
}

/// A value from a schema document (`enum`, `const`): strings are pre-decoded to bytes.
enum SchemaValue: Sendable {
    case string([UInt8])
    /// Any other value: node `node` of schema document `document`.
    case other(document: Int, node: Int)
}

enum StringFormat: String, Sendable {
    case dateTime = "date-time"
    case ipv4, ipv6, uuid
}

/// When every branch of an `anyOf`/`oneOf` requires a distinct `const` for one property, the branch to
/// report is chosen by that property's value.
struct Discriminator: Sendable {
    let key: SchemaKey
    /// (constant string bytes, branch position) pairs.
    let cases: [(value: [UInt8], branch: Int)]
}

/// A key's length and its first and last eight bytes (`ByteKeyTable.words`): the whole key up to 16 bytes.
struct KeyWords: Sendable {
    var count = -1
    var head: UInt64 = 0
    var tail: UInt64 = 0

    init() {}
    init(_ key: SchemaKey) { count = key.bytes.count; head = key.head; tail = key.tail }
    init(_ bytes: UnsafeBufferPointer<UInt8>) {
        count = bytes.count
        (head, tail) = ByteKeyTable.words(bytes.baseAddress, bytes.count)
    }

    @inline(__always)
    func equals(_ other: KeyWords) -> Bool { count == other.count && head == other.head && tail == other.tail }

    /// True when this describes a key of at most 16 bytes, so that `matches` decides alone.
    var isComplete: Bool { count >= 0 && count <= 16 }

    @inline(__always)
    func matches(_ p: UnsafePointer<UInt8>, _ n: Int) -> Bool {
        guard n == count else { return false }
        let (h, t) = ByteKeyTable.words(p, n)
        return h == head && t == tail
    }
}

/// Which keywords a schema node carries, so that the validator tests one word instead of each optional.
struct Keywords: OptionSet, Sendable {
    let rawValue: UInt32
    static let const = Keywords(rawValue: 1 << 0)
    static let enumeration = Keywords(rawValue: 1 << 1)
    static let ref = Keywords(rawValue: 1 << 2)
    static let allOf = Keywords(rawValue: 1 << 3)
    static let anyOf = Keywords(rawValue: 1 << 4)
    static let oneOf = Keywords(rawValue: 1 << 5)
    static let not = Keywords(rawValue: 1 << 6)
    static let conditional = Keywords(rawValue: 1 << 7)
    static let string = Keywords(rawValue: 1 << 8)
    static let number = Keywords(rawValue: 1 << 9)
    static let object = Keywords(rawValue: 1 << 10)
    static let array = Keywords(rawValue: 1 << 11)
    /// `required` and nothing else among the object keywords but `properties`.
    static let plainRequired = Keywords(rawValue: 1 << 12)
}

/// One compiled subschema. Absent keywords are nil / empty. The validator reads nodes in place through
/// a pointer into `CompiledSchema.store`, so a visit copies no node.
struct SchemaNode: Sendable {
    // Stored properties in the order the validator reads them: a node is 944 bytes, and the fields `check`,
    // `checkObject` and `checkString` read on every visit lay in a dozen cache lines (the summaries last).
    // cachegrind, 200 files of a day: L1 data misses 9.2 M -> 7.9 M; wall time the same within noise.

    // Read on every visit.
    /// `false` schema.
    var rejectsAll = false
    var types: TypeSet = []
    /// Set when the node, after `$ref`-only hops, has no keyword but `type`: a value of one of these types
    /// (of any type when empty) passes without a call to `check` (`SchemaCompiler.computeShortcuts`).
    var passesWhenOfType: TypeSet?
    // Plain-value summaries for the validator (`finish()`); the tables below own the memory they view.
    var has: Keywords = []
    var ref: Int?

    // Objects, as `checkObject` reads them.
    var required: [SchemaKey] = []
    var firstRequired = KeyWords()
    /// `required` as `KeyWords`, looked up in the validator's member index.
    var requiredWords: [KeyWords] = []
    var requiredView = ByteKeyTable.View()
    var properties = PropertyTable()
    var firstProperty = KeyWords()
    var propertyView = ByteKeyTable.View()
    var patternProperties: [(regex: SchemaRegex, child: Int)] = []
    var additionalProperties: Int?

    // Strings, as `checkString` reads them.
    var minLength: Int?
    var maxLength: Int?
    var pattern: SchemaRegex?
    var format: StringFormat?
    var patternAutomaton: ByteDFA.View?
    var enumView: ByteKeyTable.View?
    var constView: ByteKeyTable.View?

    /// A chain `if {K: const V1} then T1 else if {K: const V2} then T2 … else E` on one string member `K`
    /// (`SchemaCompiler.computeSwitches`), evaluated by one lookup of `K`'s value instead of one `if` per
    /// link: the record schemas pick the record's variant by `eventType` and the identity's by `type` this way.
    /// `switchTable` maps a value to its position in `switchTargets`; `switchFallback` is the final `else`
    /// (-1: none).
    var switchView: ByteKeyTable.View?
    var switchKey = KeyWords()
    var switchTargets: [Int] = []
    var switchFallback = -1
    /// `allOf` entries that are each `if {K: const V} then T` (no `else`) on one string member `K`
    /// (`SchemaCompiler.computeAllOfSwitches`): one lookup of `K`'s value picks the `then`s that apply, instead
    /// of three `check` calls per entry. The identity schema is thirteen such entries on `type`, and they were
    /// half of the schema calls of a record (39 of 78, counted on 6,000 generated records).
    /// `allOfSwitchTargets[id]` lists the `then`s whose value has table id `id`; `allOfRest` the other entries.
    var allOfSwitchView: ByteKeyTable.View?
    var allOfSwitchKey = KeyWords()
    var allOfSwitchTargets: [[Int]] = []
    var allOfRest: [Int] = []
    var ifSchema: Int?
    var thenSchema: Int?
    var elseSchema: Int?
    var allOf: [Int] = []
    var anyOf: [Int] = []
    var oneOf: [Int] = []

    // Read rarely (or only to report).
    var switchTable: ByteKeyTable?
    var allOfSwitchTable: ByteKeyTable?
    var enumValues: [SchemaValue]?
    /// `enumValues` as a lookup table, when every value is a string.
    var enumStrings: ByteKeyTable?
    var constValue: SchemaValue?
    /// A string `constValue` as a one-entry lookup table.
    var constString: ByteKeyTable?
    /// `required` as a lookup table (ids are positions in `required`).
    var requiredTable = ByteKeyTable()
    var dependentRequired: [(key: SchemaKey, names: [SchemaKey])] = []
    var minProperties: Int?
    var maxProperties: Int?
    var dependentSchemas: [(key: SchemaKey, child: Int)] = []
    var unevaluatedProperties: Int?

    // Numbers
    var minimum: Double?
    var maximum: Double?
    var exclusiveMinimum: Double?
    var exclusiveMaximum: Double?
    var multipleOf: Double?

    // Arrays
    var prefixItems: [Int] = []
    var items: Int?
    var minItems: Int?
    var maxItems: Int?
    var uniqueItems = false

    var anyOfDiscriminator: Discriminator?
    var oneOfDiscriminator: Discriminator?
    var not: Int?

    /// Annotation `x-since` (CloudTrail eventVersion that introduced the field), if any.
    var since: String?

    /// Fills the summaries from the keywords. Call once the node's keywords are final.
    mutating func finish() {
        var h: Keywords = []
        if constValue != nil { h.insert(.const) }
        if enumValues != nil { h.insert(.enumeration) }
        if ref != nil { h.insert(.ref) }
        if !allOf.isEmpty { h.insert(.allOf) }
        if !anyOf.isEmpty { h.insert(.anyOf) }
        if !oneOf.isEmpty { h.insert(.oneOf) }
        if not != nil { h.insert(.not) }
        if ifSchema != nil { h.insert(.conditional) }
        if minLength != nil || maxLength != nil || pattern != nil || format != nil { h.insert(.string) }
        if minimum != nil || maximum != nil || exclusiveMinimum != nil || exclusiveMaximum != nil || multipleOf != nil { h.insert(.number) }
        if !required.isEmpty || !properties.isEmpty || !patternProperties.isEmpty || additionalProperties != nil
            || !dependentRequired.isEmpty || minProperties != nil || maxProperties != nil || !dependentSchemas.isEmpty
            || unevaluatedProperties != nil { h.insert(.object) }
        if dependentRequired.isEmpty && minProperties == nil && maxProperties == nil && dependentSchemas.isEmpty
            && unevaluatedProperties == nil { h.insert(.plainRequired) }
        if !prefixItems.isEmpty || items != nil || minItems != nil || maxItems != nil || uniqueItems { h.insert(.array) }
        has = h
        requiredView = requiredTable.view
        firstRequired = required.first.map(KeyWords.init) ?? KeyWords()
        requiredWords = required.map(KeyWords.init)
        propertyView = properties.table.view
        firstProperty = properties.keys.first.map(KeyWords.init) ?? KeyWords()
        enumView = enumStrings?.view
        constView = constString?.view
        patternAutomaton = pattern?.automaton
    }

    /// The keywords the node carries: `has` without the `plainRequired` summary bit, which nearly every node has.
    /// (Comparing `has` itself with one keyword never matched: the `$ref` shortcut in the validator was dead.)
    var keywords: Keywords { has.subtracting(.plainRequired) }
}
