import CTCore
import CTJSON

/// A schema compiled into a flat array of nodes. Build it once with `SchemaRegistry.compile(_:)` and share it:
/// it is an immutable value, safe to use from any number of threads.
public struct CompiledSchema: Sendable {
    let nodes: [SchemaNode]
    /// Index of the entry node in `nodes`.
    let root: Int
    /// The schema documents, for `enum`/`const` values that are not plain strings.
    let trees: [SyntaxTree]
    /// The absolute URI the schema was compiled from.
    public let uri: String

    /// Number of compiled nodes (reachable subschemas, references followed once).
    public var nodeCount: Int { nodes.count }

    /// The entry node's `properties` names, in schema order.
    public var propertyNames: [String] { nodes[root].properties.keys.map(\.name) }
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
    let hash: UInt64

    init(_ name: String) {
        self.name = name
        bytes = Array(name.utf8)
        hash = SchemaKey.fnv(bytes)
    }

    static func fnv(_ bytes: [UInt8]) -> UInt64 {
        bytes.withUnsafeBufferPointer { fnv($0) }
    }

    @inline(__always)
    static func fnv(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var h: UInt64 = 0xcbf29ce484222325
        for b in bytes { h = (h ^ UInt64(b)) &* 0x100000001b3 }
        return h
    }
}

/// `properties`: keys and child nodes, with an open-addressing hash index for lookup by raw key bytes.
struct PropertyTable: Sendable {
    var keys: [SchemaKey] = []
    var children: [Int] = []
    /// Slot → entry index + 1 (0 = empty); the size is a power of two, at least twice the entry count.
    private var slots: [Int32] = []

    var isEmpty: Bool { keys.isEmpty }

    mutating func append(_ key: SchemaKey, _ child: Int) {
        keys.append(key)
        children.append(child)
        var size = 8
        while size < keys.count * 2 { size *= 2 }
        slots = [Int32](repeating: 0, count: size)
        for (i, k) in keys.enumerated() {
            var slot = Int(truncatingIfNeeded: k.hash) & (size - 1)
            while slots[slot] != 0 { slot = (slot + 1) & (size - 1) }
            slots[slot] = Int32(i + 1)
        }
    }

    /// Index of the entry whose name equals `bytes` (the first one when a name repeats).
    func index(of bytes: UnsafeBufferPointer<UInt8>) -> Int? {
        if keys.isEmpty { return nil }
        let h = SchemaKey.fnv(bytes)
        let mask = slots.count - 1
        var slot = Int(truncatingIfNeeded: h) & mask
        var found: Int?
        while slots[slot] != 0 {
            let i = Int(slots[slot]) - 1
            let k = keys[i]
            if k.hash == h && k.bytes.count == bytes.count && k.bytes.elementsEqual(bytes) {
                if found == nil || i < found! { found = i }
            }
            slot = (slot + 1) & mask
        }
        return found
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

/// One compiled subschema. Absent keywords are nil / empty. The validator reads nodes in place through
/// a pointer into `CompiledSchema.nodes`, so a visit copies no node.
struct SchemaNode: Sendable {
    /// `false` schema.
    var rejectsAll = false
    var types: TypeSet = []
    var enumValues: [SchemaValue]?
    var constValue: SchemaValue?
    var ref: Int?

    // Strings
    var minLength: Int?
    var maxLength: Int?
    var pattern: SchemaRegex?
    var format: StringFormat?

    // Numbers
    var minimum: Double?
    var maximum: Double?
    var exclusiveMinimum: Double?
    var exclusiveMaximum: Double?
    var multipleOf: Double?

    // Objects
    var required: [SchemaKey] = []
    var properties = PropertyTable()
    var patternProperties: [(regex: SchemaRegex, child: Int)] = []
    var additionalProperties: Int?
    var dependentRequired: [(key: SchemaKey, names: [SchemaKey])] = []
    var minProperties: Int?
    var maxProperties: Int?
    var dependentSchemas: [(key: SchemaKey, child: Int)] = []
    var unevaluatedProperties: Int?

    // Arrays
    var prefixItems: [Int] = []
    var items: Int?
    var minItems: Int?
    var maxItems: Int?
    var uniqueItems = false

    // Applicators
    var allOf: [Int] = []
    var anyOf: [Int] = []
    var oneOf: [Int] = []
    var anyOfDiscriminator: Discriminator?
    var oneOfDiscriminator: Discriminator?
    var not: Int?
    var ifSchema: Int?
    var thenSchema: Int?
    var elseSchema: Int?

    /// Annotation `x-since` (CloudTrail eventVersion that introduced the field), if any.
    var since: String?
}
