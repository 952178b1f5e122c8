import CTCore
import CTJSON
import Foundation
import Synchronization

/// Why a schema could not be loaded or compiled. These are configuration errors (a broken schema), not
/// findings about the validated data.
package enum SchemaError: Error, Hashable, Sendable, CustomStringConvertible {
    /// A schema document is not strict JSON, or its root is not an object or boolean.
    case invalidDocument(name: String, detail: String)
    /// No loaded document has this URI.
    case unknownSchema(String)
    /// A `$ref` that points at no loaded document or no node inside one.
    case unresolvedReference(String, in: String)
    /// A keyword whose value has the wrong shape (e.g. `required` that is not an array of strings).
    case invalidKeyword(String, in: String)
    /// A `pattern` that neither regex engine accepts.
    case invalidPattern(String, in: String)

    package var description: String {
        switch self {
        case .invalidDocument(let n, let d): "schema document `\(n)` is invalid: \(d)"
        case .unknownSchema(let u): "no schema with URI `\(u)`"
        case .unresolvedReference(let r, let d): "cannot resolve `$ref` `\(r)` in `\(d)`"
        case .invalidKeyword(let k, let d): "keyword `\(k)` has an invalid value in `\(d)`"
        case .invalidPattern(let p, let d): "pattern `\(p)` in `\(d)` is not a supported regular expression"
        }
    }
}

/// A set of JSON Schema (draft 2020-12 subset) documents that may reference each other by `$id`-based URIs,
/// relative references, JSON Pointer fragments and `$anchor`s.
package struct SchemaRegistry: Sendable {
    struct Location: Hashable, Sendable {
        var document: Int
        var node: Int
    }

    struct Document: Sendable {
        var name: String
        var tree: SyntaxTree
        /// Base URI of every schema node found by the indexing walk.
        var bases: [Int: String]
    }

    private(set) var documents: [Document] = []
    /// Resource URI (no fragment) → schema node.
    private var resources: [String: Location] = [:]
    /// `uri#anchor` → schema node.
    private var anchors: [String: Location] = [:]

    /// Documents given to `init(lazilyLoading:)` and not parsed yet, in the order given.
    private var pending: [(name: String, text: String)] = []

    /// Loads schema documents. A document's URI is its `$id`; one without `$id` gets `file:///<name>`.
    /// Each document can also be compiled by its `name`.
    /// - Throws: `SchemaError.invalidDocument` when a document is not strict JSON or not a schema.
    package init(documents docs: [(name: String, text: String)]) throws {
        for (name, text) in docs { try add(name: name, text: text) }
    }

    /// Takes schema documents without parsing them: a document is parsed when a reference needs it
    /// (`locateLoading(_:)`), first those whose name ends the URI's path, then, if that finds nothing, all the
    /// others. Resolves as `init(documents:)` when no two documents declare the same URI or anchor (each
    /// embedded CloudTrail schema's `$id` is the base URI and its name). Parsing and indexing every embedded
    /// schema was 8.9 M of the 49.1 M instructions of a check of a 5-record file (callgrind), most of it for
    /// versions the file does not have.
    init(lazilyLoading docs: [(name: String, text: String)]) {
        pending = docs
    }

    /// Parses and indexes one document.
    private mutating func add(name: String, text: String) throws {
        let tree = JSONParser.parse(Array(text.utf8))
        if let bad = tree.diagnostics.first(where: { $0.severity == .error }) {
            throw SchemaError.invalidDocument(name: name, detail: bad.message)
        }
        guard let root = tree.root, [.object, .true, .false].contains(tree.kind(root)) else {
            throw SchemaError.invalidDocument(name: name, detail: "the root is not an object or boolean")
        }
        let docIndex = documents.count
        documents.append(Document(name: name, tree: tree, bases: [:]))
        let defaultBase = "file:///" + name
        var bases: [Int: String] = [:]
        index(document: docIndex, tree: tree, node: root, base: defaultBase, bases: &bases)
        documents[docIndex].bases = bases
        let rootBase = bases[root] ?? defaultBase
        resources[rootBase] = resources[rootBase] ?? Location(document: docIndex, node: root)
        resources[defaultBase] = resources[defaultBase] ?? Location(document: docIndex, node: root)
        resources[name] = Location(document: docIndex, node: root)
    }

    /// `locate(_:)`, parsing pending documents (`init(lazilyLoading:)`) until one has the URI: first those whose
    /// name is the URI or ends its path, in the order given, then all the others.
    /// - Throws: `SchemaError.invalidDocument` for a pending document that is not a schema.
    mutating func locateLoading(_ uri: String) throws -> Location? {
        if let found = locate(uri) { return found }
        guard !pending.isEmpty else { return nil }
        let absolute = URIReference(uri).withoutFragment.string
        let named = pending.filter { absolute == $0.name || absolute.hasSuffix("/" + $0.name) }
        if !named.isEmpty {
            pending.removeAll { absolute == $0.name || absolute.hasSuffix("/" + $0.name) }
            for d in named { try add(name: d.name, text: d.text) }
            if let found = locate(uri) { return found }
        }
        let rest = pending
        pending = []
        for d in rest { try add(name: d.name, text: d.text) }
        return locate(uri)
    }

    /// True when a document has this name, parsed or not.
    func hasDocument(named name: String) -> Bool {
        documents.contains { $0.name == name } || pending.contains { $0.name == name }
    }

    /// Names of the loaded documents, in load order.
    package var documentNames: [String] { documents.map(\.name) }

    /// The keywords the indexing walk reads, in the order it handles them: `$id`, `$anchor`, then keywords holding
    /// one subschema, a map of subschemas, and an array of subschemas.
    private static let indexKeywords = ByteKeyTable(strings: [
        "$id", "$anchor",
        "additionalProperties", "items", "not", "if", "then", "else", "contains", "propertyNames",
        "unevaluatedItems", "unevaluatedProperties", "additionalItems",
        "$defs", "definitions", "properties", "patternProperties", "dependentSchemas",
        "allOf", "anyOf", "oneOf", "prefixItems",
    ])
    private static let firstMapKeyword = 13, firstArrayKeyword = 18

    /// Walks every subschema, recording base URIs, `$id` resources and `$anchor`s. One pass over a node's members
    /// finds its keywords (the last of a repeated key, as `SyntaxTree.member` would); a lookup per keyword was a
    /// fifth of the tool's start-up (20 M instructions, callgrind).
    private mutating func index(document: Int, tree: SyntaxTree, node: Int, base: String, bases: inout [Int: String]) {
        guard tree.kind(node) == .object else { return }
        var found = [Int](repeating: -1, count: Self.indexKeywords.count)
        tree.forEachMember(of: node) { k, v in
            if tree.kind(k) == .string, let id = tree.withDecodedBytes(k, { Self.indexKeywords.lookup($0) }) { found[id] = v }
        }
        var base = base
        if found[0] >= 0, let text = tree.string(found[0]) {
            base = URIReference(URIReference.resolve(text, against: base)).withoutFragment.string
            if resources[base] == nil { resources[base] = Location(document: document, node: node) }
        }
        bases[node] = base
        if found[1] >= 0, let name = tree.string(found[1]) {
            anchors[base + "#" + name] = Location(document: document, node: node)
        }
        for id in 2..<found.count where found[id] >= 0 {
            let v = found[id]
            if id < Self.firstMapKeyword {
                index(document: document, tree: tree, node: v, base: base, bases: &bases)
            } else if id < Self.firstArrayKeyword {
                guard tree.kind(v) == .object else { continue }
                for (_, m) in tree.members(of: v) { index(document: document, tree: tree, node: m, base: base, bases: &bases) }
            } else if tree.kind(v) == .array {
                for c in tree.children(of: v) { index(document: document, tree: tree, node: c, base: base, bases: &bases) }
            }
        }
    }

    /// Finds the node a URI (with optional JSON Pointer or anchor fragment) designates.
    func locate(_ uri: String) -> Location? {
        let u = URIReference(uri)
        let absolute = u.withoutFragment.string
        let fragment = u.fragment.map(URIReference.percentDecoded) ?? ""
        if fragment.isEmpty { return resources[absolute] ?? resources[uri] }
        if !fragment.hasPrefix("/") { return anchors[absolute + "#" + fragment] }
        guard let start = resources[absolute] else { return nil }
        let tree = documents[start.document].tree
        var node = start.node
        for raw in fragment.dropFirst().split(separator: "/", omittingEmptySubsequences: false) {
            let token = raw.utf8.contains(UInt8(ascii: "~")) ? String(raw).replacingOccurrences(of: "~1", with: "/").replacingOccurrences(of: "~0", with: "~")
                : String(raw)
            switch tree.kind(node) {
            case .object:
                // Keys compared as bytes (the last match wins, as in `SyntaxTree.member`): decoding every key of a
                // `$defs` to a String for each reference was an eighth of the start-up (callgrind).
                let bytes = Array(token.utf8)
                var found: Int?
                tree.forEachMember(of: node) { k, v in
                    if tree.kind(k) == .string, tree.withDecodedBytes(k, { $0.elementsEqual(bytes) }) { found = v }
                }
                guard let v = found else { return nil }
                node = v
            case .array:
                guard let i = Int(token), i >= 0, let c = tree.children(of: node).dropFirst(i).first(where: { _ in true }) else { return nil }
                node = c
            default:
                return nil
            }
        }
        return Location(document: start.document, node: node)
    }

    /// Compiles the schema at `uri` (a document name, an `$id`, or either with a fragment) and everything it
    /// references into one flat `CompiledSchema`.
    /// - Throws: `SchemaError` for an unknown URI, an unresolvable `$ref`, or a malformed keyword.
    package func compile(_ uri: String) throws -> CompiledSchema {
        try compile([uri])[0]
    }

    /// Compiles several schemas into one shared node array (each `CompiledSchema` has its own root), so what
    /// they share is compiled once: the twelve CloudTrail versions reference the same identity and session
    /// definitions, and compiling them one by one was most of the tool's start-up (246 M instructions for a
    /// check of an empty file, callgrind).
    package func compile(_ uris: [String]) throws -> [CompiledSchema] {
        var compiler = SchemaCompiler(registry: self)
        var roots: [(root: Int, uri: String)] = []
        for uri in uris {
            guard let loc = try compiler.locate(uri) else { throw SchemaError.unknownSchema(uri) }
            roots.append((try compiler.compile(loc), compiler.registry.documents[loc.document].bases[loc.node] ?? uri))
        }
        compiler.finish(from: 0)
        let trees = compiler.registry.documents.map(\.tree)
        let space = CompiledSchema.newNodeSpace()
        let store = SchemaNodeStore(nodes: compiler.nodes)
        return roots.map {
            CompiledSchema(store: store, count: store.initialised, nodeSpace: space, root: $0.root, trees: trees, uri: $0.uri)
        }
    }

}

/// The schemas of a registry, compiled one at a time when first asked for, into one set of nodes: what a schema
/// shares with one compiled before it (the CloudTrail versions share the identity, session and common
/// definitions) is compiled once, as by `SchemaRegistry.compile(_:)` with every URI at once, but a schema never
/// asked for costs nothing. Safe to use from any number of threads: compiling takes a lock; the schemas it
/// returns are immutable values.
final class SchemaLibrary: Sendable {
    private struct State {
        /// Keeps every node compiled so far and the locations they came from.
        var compiler: SchemaCompiler
        /// The nodes published so far (`compiler.nodes` up to its `initialised`). When a compilation does not fit,
        /// a store twice as large takes a copy of them and the new nodes; schemas compiled before keep theirs.
        var store: SchemaNodeStore
    }

    private let nodeSpace = CompiledSchema.newNodeSpace()
    private let state: Mutex<State>
    static let initialCapacity = 2048

    init(registry: SchemaRegistry) {
        // Room for every node of the embedded CloudTrail schemas (1,466 objects and booleans), so that the store is
        // never copied; pages are touched only as nodes are written (a 5-record check: 38.7 M -> 38.3 M instructions,
        // 1,275 -> 1,168 page faults).
        var compiler = SchemaCompiler(registry: registry)
        compiler.nodes.reserveCapacity(Self.initialCapacity)
        state = Mutex(State(compiler: compiler, store: SchemaNodeStore(capacity: Self.initialCapacity)))
    }

    /// Compiles the schema at `uri` (as `SchemaRegistry.compile(_:)`), reusing the nodes compiled before.
    /// - Throws: `SchemaError`, leaving the library as it was.
    func compile(_ uri: String) throws -> CompiledSchema {
        try state.withLock { state in
            let start = state.compiler.nodes.count
            let root: Int
            let loc: SchemaRegistry.Location
            do {
                guard let found = try state.compiler.locate(uri) else { throw SchemaError.unknownSchema(uri) }
                loc = found
                root = try state.compiler.compile(loc)
            } catch {
                state.compiler.forget(from: start)
                throw error
            }
            state.compiler.finish(from: start)
            let nodes = state.compiler.nodes
            if nodes.count > state.store.capacity {
                let grown = SchemaNodeStore(capacity: max(2 * state.store.capacity, nodes.count))
                grown.append(nodes[...])
                state.store = grown
            } else {
                state.store.append(nodes[start...])
            }
            let registry = state.compiler.registry
            return CompiledSchema(store: state.store, count: nodes.count, nodeSpace: nodeSpace, root: root,
                                  trees: registry.documents.map(\.tree),
                                  uri: registry.documents[loc.document].bases[loc.node] ?? uri)
        }
    }

    /// `body` given the registry, which may load documents (`SchemaRegistry.locateLoading(_:)`).
    func withRegistry<R: Sendable>(_ body: (inout SchemaRegistry) throws -> R) rethrows -> R {
        try state.withLock { try $0.compiler.withRegistry(body) }
    }

    /// Nodes compiled so far.
    var nodeCount: Int { state.withLock { $0.compiler.nodes.count } }

    /// Documents parsed so far.
    var documentCount: Int { state.withLock { $0.compiler.registry.documents.count } }
}

/// Turns schema documents into `SchemaNode`s, following each reference once.
struct SchemaCompiler {
    /// Grows as references reach documents of a lazily loading registry.
    private(set) var registry: SchemaRegistry
    var nodes: [SchemaNode] = []
    /// Node index by location (`document << 32 | node`: a dictionary keyed by `Location` instantiated its type at
    /// run time, a conformance lookup of 0.35 M instructions at start-up, callgrind).
    var memo: [Int: Int] = [:]
    /// `$ref` targets already located, by base URI and reference (the same references recur in every version).
    var located: [String: SchemaRegistry.Location] = [:]

    init(registry: SchemaRegistry) { self.registry = registry }

    mutating func compile(_ loc: SchemaRegistry.Location) throws -> Int {
        let key = loc.document << 32 | loc.node
        if let i = memo[key] { return i }
        let index = nodes.count
        nodes.append(SchemaNode())
        memo[key] = index
        nodes[index] = try build(loc)
        return index
    }

    private func name(_ loc: SchemaRegistry.Location) -> String { registry.documents[loc.document].name }

    /// The summaries that depend on other nodes (`computeDiscriminators` … `computeShortcuts`), for the nodes from
    /// `start` on. They read only the keywords of the nodes a node reaches, which are compiled with it or before
    /// it and never change, so the nodes before `start`, finished earlier, need nothing more.
    mutating func finish(from start: Int) {
        computeDiscriminators(from: start)
        computeSwitches(from: start)
        computeAllOfSwitches(from: start)
        computeShortcuts(from: start)
    }

    /// The node a URI designates, loading documents as needed.
    mutating func locate(_ uri: String) throws -> SchemaRegistry.Location? {
        try registry.locateLoading(uri)
    }

    mutating func withRegistry<R>(_ body: (inout SchemaRegistry) throws -> R) rethrows -> R {
        try body(&registry)
    }

    /// Drops the nodes from `start` on, after a compilation that failed.
    mutating func forget(from start: Int) {
        nodes.removeSubrange(start...)
        memo = memo.filter { $0.value < start }
    }

    /// The keywords `build` reads, found by their bytes.
    enum Keyword: String, CaseIterable {
        case ref = "$ref"
        case `type`
        case enumeration = "enum"
        case const
        case required
        case properties
        case patternProperties
        case additionalProperties
        case dependentRequired
        case dependentSchemas
        case unevaluatedProperties
        case multipleOf
        case minProperties
        case maxProperties
        case pattern
        case minLength
        case maxLength
        case format
        case minimum
        case maximum
        case exclusiveMinimum
        case exclusiveMaximum
        case items
        case prefixItems
        case minItems
        case maxItems
        case uniqueItems
        case allOf
        case anyOf
        case oneOf
        case `not`
        case ifSchema = "if"
        case thenSchema = "then"
        case elseSchema = "else"
        case since = "x-since"
    }
    static let keywords = Keyword.allCases
    static let keywordTable = ByteKeyTable(strings: Keyword.allCases.map(\.rawValue))

    private mutating func build(_ loc: SchemaRegistry.Location) throws -> SchemaNode {
        let doc = registry.documents[loc.document]
        let tree = doc.tree
        let n = loc.node
        var s = SchemaNode()
        switch tree.kind(n) {
        case .true: return s
        case .false: s.rejectsAll = true; return s
        case .object: break
        default: throw SchemaError.invalidKeyword("(schema)", in: doc.name)
        }
        let base = doc.bases[n] ?? "file:///" + doc.name
        func sub(_ v: Int) throws -> Int { try compile(SchemaRegistry.Location(document: loc.document, node: v)) }
        func nonNegativeInt(_ v: Int, _ k: String) throws -> Int {
            guard let d = tree.number(v), d >= 0, d == d.rounded(), d < 1e15 else { throw SchemaError.invalidKeyword(k, in: doc.name) }
            return Int(d)
        }
        func number(_ v: Int, _ k: String) throws -> Double {
            guard let d = tree.number(v) else { throw SchemaError.invalidKeyword(k, in: doc.name) }
            return d
        }
        func value(_ v: Int) -> SchemaValue {
            if tree.kind(v) == .string, let str = tree.string(v) { return .string(Array(str.utf8)) }
            return .other(document: loc.document, node: v)
        }
        func stringList(_ v: Int, _ k: String) throws -> [SchemaKey] {
            guard tree.kind(v) == .array else { throw SchemaError.invalidKeyword(k, in: doc.name) }
            return try tree.children(of: v).map {
                guard let str = tree.string($0) else { throw SchemaError.invalidKeyword(k, in: doc.name) }
                return SchemaKey(str)
            }
        }
        func schemaList(_ v: Int, _ k: String) throws -> [Int] {
            guard tree.kind(v) == .array else { throw SchemaError.invalidKeyword(k, in: doc.name) }
            return try tree.children(of: v).map { try sub($0) }
        }

        // `properties` (every occurrence of the keyword, in order), made into a table once at the end.
        var propertyKeys: [SchemaKey] = []
        var propertyChildren: [Int] = []
        for (k, v) in tree.members(of: n) {
            // The keyword looked up as bytes: a `String` per member and a comparison with each case before its
            // own were 1.0 M instructions of a check of a 5-record file (callgrind).
            guard tree.kind(k) == .string,
                  let id = tree.withDecodedBytes(k, { Self.keywordTable.lookup($0) }) else { continue }
            let keyword = Self.keywords[id]
            let key = keyword.rawValue
            switch keyword {
            case .ref:
                guard let ref = tree.string(v) else { throw SchemaError.invalidKeyword(key, in: doc.name) }
                let key = base + "\u{0}" + ref
                guard let l = try located[key] ?? registry.locateLoading(URIReference.resolve(ref, against: base)) else {
                    throw SchemaError.unresolvedReference(ref, in: doc.name)
                }
                located[key] = l
                s.ref = try compile(l)
            case .`type`:
                if let name = tree.string(v) {
                    guard let t = TypeSet(name: name) else { throw SchemaError.invalidKeyword(key, in: doc.name) }
                    s.types = t
                } else if tree.kind(v) == .array {
                    for c in tree.children(of: v) {
                        guard let name = tree.string(c), let t = TypeSet(name: name) else {
                            throw SchemaError.invalidKeyword(key, in: doc.name)
                        }
                        s.types.insert(t)
                    }
                } else {
                    throw SchemaError.invalidKeyword(key, in: doc.name)
                }
            case .enumeration:
                guard tree.kind(v) == .array else { throw SchemaError.invalidKeyword(key, in: doc.name) }
                s.enumValues = tree.children(of: v).map(value)
            case .const: s.constValue = value(v)
            case .required: s.required = try stringList(v, key)
            case .properties:
                guard tree.kind(v) == .object else { throw SchemaError.invalidKeyword(key, in: doc.name) }
                for (pk, pv) in tree.members(of: v) {
                    guard let pname = tree.string(pk) else { continue }
                    propertyKeys.append(SchemaKey(pname))
                    propertyChildren.append(try sub(pv))
                }
            case .patternProperties:
                guard tree.kind(v) == .object else { throw SchemaError.invalidKeyword(key, in: doc.name) }
                for (pk, pv) in tree.members(of: v) {
                    guard let p = tree.string(pk) else { continue }
                    guard let r = SchemaRegex.shared(p) else { throw SchemaError.invalidPattern(p, in: doc.name) }
                    s.patternProperties.append((r, try sub(pv)))
                }
            case .additionalProperties: s.additionalProperties = try sub(v)
            case .dependentRequired:
                guard tree.kind(v) == .object else { throw SchemaError.invalidKeyword(key, in: doc.name) }
                for (dk, dv) in tree.members(of: v) {
                    guard let dname = tree.string(dk) else { continue }
                    s.dependentRequired.append((SchemaKey(dname), try stringList(dv, key)))
                }
            case .dependentSchemas:
                guard tree.kind(v) == .object else { throw SchemaError.invalidKeyword(key, in: doc.name) }
                for (dk, dv) in tree.members(of: v) {
                    guard let dname = tree.string(dk) else { continue }
                    s.dependentSchemas.append((SchemaKey(dname), try sub(dv)))
                }
            case .unevaluatedProperties: s.unevaluatedProperties = try sub(v)
            case .multipleOf:
                let m = try number(v, key)
                guard m > 0 else { throw SchemaError.invalidKeyword(key, in: doc.name) }
                s.multipleOf = m
            case .minProperties: s.minProperties = try nonNegativeInt(v, key)
            case .maxProperties: s.maxProperties = try nonNegativeInt(v, key)
            case .pattern:
                guard let p = tree.string(v) else { throw SchemaError.invalidKeyword(key, in: doc.name) }
                guard let r = SchemaRegex.shared(p) else { throw SchemaError.invalidPattern(p, in: doc.name) }
                s.pattern = r
            case .minLength: s.minLength = try nonNegativeInt(v, key)
            case .maxLength: s.maxLength = try nonNegativeInt(v, key)
            case .format:
                if let f = tree.string(v) { s.format = StringFormat(rawValue: f) }
            case .minimum: s.minimum = try number(v, key)
            case .maximum: s.maximum = try number(v, key)
            case .exclusiveMinimum: s.exclusiveMinimum = try number(v, key)
            case .exclusiveMaximum: s.exclusiveMaximum = try number(v, key)
            case .items: s.items = try sub(v)
            case .prefixItems: s.prefixItems = try schemaList(v, key)
            case .minItems: s.minItems = try nonNegativeInt(v, key)
            case .maxItems: s.maxItems = try nonNegativeInt(v, key)
            case .uniqueItems: s.uniqueItems = tree.bool(v) ?? false
            case .allOf: s.allOf = try schemaList(v, key)
            case .anyOf: s.anyOf = try schemaList(v, key)
            case .oneOf: s.oneOf = try schemaList(v, key)
            case .`not`: s.not = try sub(v)
            case .ifSchema: s.ifSchema = try sub(v)
            case .thenSchema: s.thenSchema = try sub(v)
            case .elseSchema: s.elseSchema = try sub(v)
            case .since: s.since = tree.string(v)
            }  // other members (annotations, keywords outside the subset) are not in `keywordTable`
        }
        if !propertyKeys.isEmpty { s.properties = PropertyTable(keys: propertyKeys, children: propertyChildren) }
        if case .string(let b)? = s.constValue { s.constString = ByteKeyTable([b]) }
        s.requiredTable = ByteKeyTable(s.required.map(\.bytes))
        if let e = s.enumValues {
            var strings: [[UInt8]] = []
            for v in e { if case .string(let b) = v { strings.append(b) } }
            if strings.count == e.count { s.enumStrings = ByteKeyTable(strings) }
        }
        // `then`/`else` without `if` have no effect.
        if s.ifSchema == nil { s.thenSchema = nil; s.elseSchema = nil }
        s.finish()
        return s
    }

    // MARK: Discriminators

    /// Follows `$ref` (and single-entry `allOf`) to the node that carries the keywords.
    private func resolved(_ i: Int) -> Int {
        var i = i
        var steps = 0
        while steps < 32 {
            let n = nodes[i]
            if let r = n.ref, n.properties.isEmpty { i = r } else if n.allOf.count == 1, n.properties.isEmpty { i = n.allOf[0] } else { break }
            steps += 1
        }
        return i
    }

    /// The string constants a branch requires for each property (`properties.K.const` or a one-value `enum`).
    private func constants(of branch: Int) -> [(SchemaKey, [UInt8])] {
        var out: [(SchemaKey, [UInt8])] = []
        var seen = Set<Int>()
        var stack = [branch]
        while let b = stack.popLast() {
            let i = resolved(b)
            guard seen.insert(i).inserted else { continue }
            let n = nodes[i]
            for (k, c) in zip(n.properties.keys, n.properties.children) {
                let p = nodes[resolved(c)]
                if case .string(let bytes)? = p.constValue { out.append((k, bytes)) } else if let e = p.enumValues, e.count == 1, case .string(let bytes) = e[0] {
                    out.append((k, bytes))
                }
            }
            if let r = n.ref { stack.append(r) }
            stack.append(contentsOf: n.allOf)
        }
        return out
    }

    private func discriminator(for branches: [Int]) -> Discriminator? {
        guard branches.count >= 2 else { return nil }
        let perBranch = branches.map(constants(of:))
        for (key, _) in perBranch[0] {
            var cases: [(value: [UInt8], branch: Int)] = []
            for (b, consts) in perBranch.enumerated() {
                guard let c = consts.first(where: { $0.0.bytes == key.bytes }) else { cases = []; break }
                cases.append((c.1, b))
            }
            guard cases.count == branches.count else { continue }
            // Values must be distinct to discriminate.
            if Set(cases.map(\.value)).count == cases.count { return Discriminator(key: key, cases: cases) }
        }
        return nil
    }

    /// The test of an `if` that is exactly `{"properties": {K: {"const": V}}, "required": [K]}` (or an `enum` of
    /// strings): K and the accepted values; nil for anything else.
    private func simpleTest(_ c: Int) -> (key: SchemaKey, values: [[UInt8]])? {
        let n = nodes[c]
        guard !n.rejectsAll, n.types.rawValue == 0, n.keywords.subtracting(.object).isEmpty, n.has.contains(.plainRequired),
              n.properties.keys.count == 1, n.patternProperties.isEmpty, n.additionalProperties == nil,
              n.required.count == 1, n.required[0].bytes == n.properties.keys[0].bytes else { return nil }
        let p = nodes[n.properties.children[0]]
        guard !p.rejectsAll, p.types.rawValue == 0 || p.types == .string,
              p.keywords == .const || p.keywords == .enumeration else { return nil }
        var values: [[UInt8]] = []
        for v in (p.constValue.map { [$0] } ?? p.enumValues ?? []) {
            guard case .string(let bytes) = v else { return nil }
            values.append(bytes)
        }
        return values.isEmpty ? nil : (n.required[0], values)
    }

    /// Marks the nodes that accept any value of their `type` (`SchemaNode.passesWhenOfType`): after the same
    /// `$ref`-only hops as the validator, no keyword but `type`. Many fields are such a reference to a
    /// plain string or boolean definition; skipping the call for them saved 0.7% of a day's check (callgrind).
    mutating func computeShortcuts(from start: Int) {
        for i in start..<nodes.count {
            var s = i
            var hops = 0
            while nodes[s].keywords == .ref && nodes[s].types.rawValue == 0 && !nodes[s].rejectsAll && hops < 16,
                  let next = nodes[s].ref {
                s = next
                hops += 1
            }
            if nodes[s].keywords.isEmpty && !nodes[s].rejectsAll { nodes[i].passesWhenOfType = nodes[s].types }
        }
    }

    /// Finds `if`/`else if` chains on one member (see `SchemaNode.switchTable`). A link after the first must carry
    /// nothing but its `if`, `then` and `else`, so that skipping it is exact; the chain ends at the first `else`
    /// that is anything else, which becomes the fallback. The switch applies to objects whose `K` occurs at most
    /// once; the validator evaluates the `if`s one by one otherwise.
    mutating func computeSwitches(from start: Int) {
        for i in start..<nodes.count {
            guard let c = nodes[i].ifSchema, let first = simpleTest(c), KeyWords(first.key).isComplete else { continue }
            var table = ByteKeyTable()
            var targets: [Int] = []
            var link = i
            var test = first
            var fallback: Int
            while true {
                for value in test.values where table.lookup(value) == nil {
                    table.insert(value, id: targets.count)
                    targets.append(nodes[link].thenSchema ?? -1)
                }
                guard let e = nodes[link].elseSchema else { fallback = -1; break }
                let next = nodes[e]
                if !next.rejectsAll, next.types.rawValue == 0, next.keywords == .conditional, let c2 = next.ifSchema,
                   let t = simpleTest(c2), t.key.bytes == first.key.bytes {
                    link = e
                    test = t
                    continue
                }
                fallback = e
                break
            }
            // A single `if` too: one lookup instead of a `check` of the `if` and one of its `const`
            // (-0.6% instructions on 6,000 generated records, callgrind).
            nodes[i].switchKey = KeyWords(first.key)
            nodes[i].switchTable = table
            nodes[i].switchTargets = targets
            nodes[i].switchFallback = fallback
            nodes[i].switchView = table.view
        }
    }

    /// Finds `allOf` entries that are each nothing but `if {K: const V} then T` on one member `K` (see
    /// `SchemaNode.allOfSwitchView`). Such an entry applies `T` exactly when the instance, an object with one
    /// `K`, has the value `V` there: an absent `K` fails the `required`, another value the `const`. Non-objects
    /// (which pass every such `if`) and duplicated keys take the entries one by one.
    mutating func computeAllOfSwitches(from start: Int) {
        for i in start..<nodes.count where nodes[i].allOf.count >= 2 {
            var table = ByteKeyTable()
            var targets: [[Int]] = []
            var rest: [Int] = []
            var key: SchemaKey?
            for entry in nodes[i].allOf {
                let e = nodes[entry]
                guard !e.rejectsAll, e.types.rawValue == 0, e.keywords == .conditional, e.elseSchema == nil,
                      let c = e.ifSchema, let test = simpleTest(c), KeyWords(test.key).isComplete,
                      key == nil || key!.bytes == test.key.bytes else {
                    rest.append(entry)
                    continue
                }
                key = test.key
                for value in test.values {
                    if let id = table.lookup(value) {
                        if let t = e.thenSchema { targets[id].append(t) }
                    } else {
                        table.insert(value, id: targets.count)
                        targets.append(e.thenSchema.map { [$0] } ?? [])
                    }
                }
            }
            guard let key, nodes[i].allOf.count - rest.count >= 2 else { continue }
            nodes[i].allOfSwitchKey = KeyWords(key)
            nodes[i].allOfSwitchTable = table
            nodes[i].allOfSwitchTargets = targets
            nodes[i].allOfRest = rest
            nodes[i].allOfSwitchView = table.view
        }
    }

    mutating func computeDiscriminators(from start: Int) {
        for i in start..<nodes.count {
            if !nodes[i].anyOf.isEmpty { nodes[i].anyOfDiscriminator = discriminator(for: nodes[i].anyOf) }
            if !nodes[i].oneOf.isEmpty { nodes[i].oneOfDiscriminator = discriminator(for: nodes[i].oneOf) }
        }
    }
}
