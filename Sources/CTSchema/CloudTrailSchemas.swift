import CTCore
import CTJSON
import Synchronization

/// A CloudTrail `eventVersion` as integers: `1.10` is (1, 10), `1.1` is (1, 1), never a float.
package struct EventVersion: Hashable, Sendable, Comparable, CustomStringConvertible {
    package var major: Int
    package var minor: Int
    package init(major: Int, minor: Int) { self.major = major; self.minor = minor }

    /// Parses `digits.digits` (ASCII); nil for anything else.
    package init?(_ text: String) {
        var t = text
        guard let v = t.withUTF8({ EventVersion(bytes: $0) }) else { return nil }
        self = v
    }

    /// Parses `digits.digits` from UTF-8 bytes; nil for anything else.
    package init?(bytes b: UnsafeBufferPointer<UInt8>) {
        var i = 0
        func number() -> Int? {
            let start = i
            var v = 0
            while i < b.count, b[i] >= 0x30, b[i] <= 0x39, i - start < 9 {
                v = v * 10 + Int(b[i] - 0x30)
                i += 1
            }
            return i > start ? v : nil
        }
        guard let major = number(), i < b.count, b[i] == UInt8(ascii: "."), ({ i += 1; return true })(),
              let minor = number(), i == b.count else { return nil }
        self.major = major
        self.minor = minor
    }

    package static func < (a: EventVersion, b: EventVersion) -> Bool {
        (a.major, a.minor) < (b.major, b.minor)
    }

    /// Written as in index.json: at least two minor digits except `1.0` (`1.05`, `1.10`).
    package var description: String {
        minor < 10 && !(minor == 0) ? "\(major).0\(minor)" : "\(major).\(minor)"
    }
}

/// The CloudTrail schemas of `Schemas/` (embedded), each compiled on first use, once per process.
///
/// A class, so that the checker holding it copies one reference per use: as a struct of a dozen arrays and
/// tables, each per-record copy of the checker retained and released every one of them (swift_retain and
/// swift_release were 10% of a full check of a 200 MB log, perf).
///
/// Compiled lazily: a check compiles the schemas of the eventVersions its records have (and the identity
/// schemas, the routes and the digest schema when something needs them), in one `SchemaLibrary`, so that what
/// they share is still compiled once. Compiling all twelve versions, the routes, the identity and digest schemas
/// up front was 70 M of the 91.7 M instructions of a check of a 5-record file (versions 1.05 and 1.08,
/// callgrind); compiling 1.05, 1.08 and the identity schemas when first met, 58.6 M. A record reads its schema
/// through a `OnceSlot` (one acquiring load, no lock, nothing retained).
final class CloudTrailCatalog: Sendable {
    struct Version: Sendable {
        var version: EventVersion
        /// The spelling used in `Schemas/index.json`, e.g. `1.05`.
        var label: String
        /// The schema file, relative to `Schemas/`.
        var file: String
    }

    /// The identity schemas and the top-level `properties` of each: taken out of the schema nodes once, since
    /// copying a node per record cost more than the lookups themselves. (A record's own unknown members come out
    /// of its validation: `SchemaValidator.validate(_:node:against:unlisted:)`.)
    struct Identity: Sendable {
        let userIdentity: CompiledSchema
        let sessionContext: CompiledSchema
        /// Views into tables owned by the compiled schemas held above.
        let userIdentityFields: ByteKeyTable.View
        let sessionContextFields: ByteKeyTable.View
    }

    let library: SchemaLibrary
    /// Sorted by version, oldest first.
    let versions: [Version]
    private let versionSchemas: [OnceSlot<CompiledSchema>]
    /// eventType value → schema file whose `properties` also count as known record fields.
    let routes: [(eventType: [UInt8], file: String)]
    private let routeSchemas: [OnceSlot<CompiledSchema>]
    let digestFile: String?
    private let digestSchema = OnceSlot<CompiledSchema>()
    private let identitySchemas = OnceSlot<Identity>()
    static let identityFiles = ["defs/user-identity.schema.json", "defs/session-context.schema.json"]
    private let sinceTable = OnceSlot<[(key: SchemaKey, label: String, version: EventVersion)]>()
    /// The files compiled so far, in order.
    private let compiled = Mutex<[String]>([])

    static let shared: CloudTrailCatalog = {
        do {
            return try CloudTrailCatalog(files: EmbeddedSchemas.files)
        } catch {
            preconditionFailure("the embedded CloudTrail schemas are broken: \(error)")
        }
    }()

    /// Reads `index.json`; parses and compiles no schema (see `SchemaRegistry.init(lazilyLoading:)`).
    init(files: [(name: String, text: String)]) throws {
        let schemaFiles = files.filter { $0.name.hasSuffix(".schema.json") }
        let registry = SchemaRegistry(lazilyLoading: schemaFiles)
        library = SchemaLibrary(registry: registry)
        guard let indexText = files.first(where: { $0.name == "index.json" })?.text else {
            throw SchemaError.unknownSchema("index.json")
        }
        let index = JSONParser.parse(Array(indexText.utf8))
        guard let root = index.root, let versionMap = index.member("versions", of: root) else {
            throw SchemaError.invalidDocument(name: "index.json", detail: "no `versions` object")
        }
        var versions: [Version] = []
        for (k, v) in index.members(of: versionMap) {
            guard let label = index.string(k), let file = index.string(v), let version = EventVersion(label) else {
                throw SchemaError.invalidDocument(name: "index.json", detail: "bad `versions` entry")
            }
            guard registry.hasDocument(named: file) else { throw SchemaError.unknownSchema(file) }
            versions.append(Version(version: version, label: label, file: file))
        }
        var routes: [(eventType: [UInt8], file: String)] = []
        if let r = index.member("routes", of: root), let byType = index.member("eventType", of: r) {
            for (k, v) in index.members(of: byType) {
                guard let type = index.string(k), let file = index.string(v) else { continue }
                guard registry.hasDocument(named: file) else { throw SchemaError.unknownSchema(file) }
                routes.append((Array(type.utf8), file))
            }
        }
        digestFile = index.member("digest", of: root).flatMap { index.string($0) }
        for file in Self.identityFiles + (digestFile.map { [$0] } ?? []) where !registry.hasDocument(named: file) {
            throw SchemaError.unknownSchema(file)
        }
        versions.sort { $0.version < $1.version }
        guard !versions.isEmpty else {
            throw SchemaError.invalidDocument(name: "index.json", detail: "no versions")
        }
        self.versions = versions
        versionSchemas = versions.map { _ in OnceSlot() }
        self.routes = routes
        routeSchemas = routes.map { _ in OnceSlot() }
    }

    /// Record-level field → version that introduced it (from the newest schema's `x-since` annotations), read from
    /// its document when a record first has a field that its own version's schema does not list.
    var since: [(key: SchemaKey, label: String, version: EventVersion)] {
        sinceTable.value {
            let file = versions[versions.count - 1].file
            do {
                return try library.withRegistry { registry in
                    guard let top = try registry.locateLoading(file) else { throw SchemaError.unknownSchema(file) }
                    return Self.since(in: registry.documents[top.document].tree, schema: top.node)
                }
            } catch {
                preconditionFailure("the CloudTrail schema `\(file)` is broken: \(error)")
            }
        }
    }

    /// The `x-since` annotations of the `properties` of schema node `node`, read from its document as the compiler
    /// reads them (every `properties` member, every key; the last `x-since` of a property that is an object), so
    /// that an unknown field costs no compilation of the newest schema.
    private static func since(in tree: SyntaxTree, schema node: Int) -> [(key: SchemaKey, label: String, version: EventVersion)] {
        var since: [(key: SchemaKey, label: String, version: EventVersion)] = []
        guard tree.kind(node) == .object else { return since }
        for (k, v) in tree.members(of: node) where tree.string(k) == "properties" && tree.kind(v) == .object {
            for (pk, pv) in tree.members(of: v) {
                guard let name = tree.string(pk), tree.kind(pv) == .object else { continue }
                var label: String?
                for (xk, xv) in tree.members(of: pv) where tree.string(xk) == "x-since" { label = tree.string(xv) }
                if let label, let version = EventVersion(label) { since.append((SchemaKey(name), label, version)) }
            }
        }
        return since
    }

    private func compile(_ file: String) -> CompiledSchema {
        do {
            let schema = try library.compile(file)
            compiled.withLock { $0.append(file) }
            return schema
        } catch {
            preconditionFailure("the CloudTrail schema `\(file)` is broken: \(error)")
        }
    }

    /// The schema of `versions[i]`.
    func schema(version i: Int) -> CompiledSchema {
        versionSchemas[i].value { compile(versions[i].file) }
    }

    /// `body` applied to the schema of `versions[i]`, read in place.
    @inline(__always)
    func withSchema<R>(version i: Int, _ body: (borrowing CompiledSchema) -> R) -> R {
        versionSchemas[i].withValue({ compile(versions[i].file) }, body)
    }

    /// The schema of `routes[i]`.
    func routeSchema(_ i: Int) -> CompiledSchema {
        routeSchemas[i].value { compile(routes[i].file) }
    }

    var digest: CompiledSchema? {
        guard let file = digestFile else { return nil }
        return digestSchema.value { compile(file) }
    }

    private func makeIdentity() -> Identity {
        let user = compile(Self.identityFiles[0]), session = compile(Self.identityFiles[1])
        return Identity(userIdentity: user, sessionContext: session,
                        userIdentityFields: user[node: user.root].propertyView,
                        sessionContextFields: session[node: session.root].propertyView)
    }

    var identity: Identity { identitySchemas.value(makeIdentity) }

    /// The top-level fields of `userIdentity` and of `sessionContext`, read in place.
    @inline(__always)
    var identityFields: (userIdentity: ByteKeyTable.View, sessionContext: ByteKeyTable.View) {
        identitySchemas.withValue(makeIdentity) { ($0.userIdentityFields, $0.sessionContextFields) }
    }

    var userIdentity: CompiledSchema { identity.userIdentity }
    var sessionContext: CompiledSchema { identity.sessionContext }

    /// The files compiled so far, in the order they were compiled.
    var compiledFiles: [String] { compiled.withLock { $0 } }

    /// Compiles every schema (for tests and tools that want them all).
    func compileAll() {
        for i in versions.indices { _ = schema(version: i) }
        for i in routes.indices { _ = routeSchema(i) }
        _ = identity
        _ = digest
    }

    /// Index in `versions` of the schema for a record version: the newest known version not after it (the
    /// oldest when it is older than every known version).
    func schemaIndex(for version: EventVersion) -> Int {
        var i = versions.count - 1
        while i > 0 && versions[i].version > version { i -= 1 }
        return i
    }

}

/// Validates CloudTrail documents against the schema of each record's own `eventVersion` and turns the
/// violations into diagnostics. Compiles the embedded schemas once per process; share `shared`.
package struct CloudTrailSchemaChecker: Sendable {
    /// Every rule id this checker can report.
    package static let ruleIDs: [RuleID] = RuleID.schema

    /// The process-wide checker.
    package static let shared = CloudTrailSchemaChecker()

    let catalog: CloudTrailCatalog

    /// Uses the embedded schemas (compiled on first use, then shared).
    package init() { catalog = CloudTrailCatalog.shared }

    /// Uses `catalog` (tests: a fresh catalog shows what a check compiles).
    init(catalog: CloudTrailCatalog) { self.catalog = catalog }

    /// The schema files compiled so far by the process-wide catalog, in order: a check compiles only the
    /// versions (and identity, route, digest schemas) that its input needs.
    package var compiledSchemaFiles: [String] { catalog.compiledFiles }

    /// The newest eventVersion the schemas know, e.g. `1.11`.
    package var newestEventVersion: String { catalog.versions.last!.label }

    // MARK: Document shape

    /// Record node indices of a CloudTrail document: the root of a single record, the elements of a
    /// `{"Records": [...]}` log file (objects only), or the elements of a JSON array of records. Nil when the
    /// document is not CloudTrail (including digest files, which hold no records).
    package static func records(in tree: SyntaxTree) -> [Int]? {
        guard let root = tree.root else { return nil }
        let nodes = tree.nodes
        switch nodes[root].kind {
        case .object:
            if let list = tree.member("Records", of: root) {
                guard nodes[list].kind == .array else { return [] }
                var out: [Int] = []
                var c = list + 1
                let end = Int(nodes[list].subtreeEnd)
                while c < end {
                    if nodes[c].kind == .object { out.append(c) }
                    c = Int(nodes[c].subtreeEnd)
                }
                return out
            }
            return looksLikeRecord(tree, root) ? [root] : nil
        case .array:
            let items = Array(tree.children(of: root))
            if items.isEmpty { return [] }
            guard items.allSatisfy({ tree.kind($0) == .object || tree.kind($0) == .invalid || tree.kind($0) == .missing }),
                  items.contains(where: { looksLikeRecord(tree, $0) }) else { return nil }
            return items.filter { tree.kind($0) == .object }
        default:
            return nil
        }
    }

    /// Loads one byte per cache line of the record after `item` (its nodes and its source text), so that its
    /// memory arrives while `item` is being checked: independent loads overlap, whereas the checks reach a
    /// record's nodes and keys one dependent load at a time.
    @inline(__always)
    static func touchAhead(_ tree: SyntaxTree, after item: Int, before end: Int) {
        let nodes = tree.nodes
        let next = Int(nodes[item].subtreeEnd)
        guard next < end else { return }
        let last = Int(nodes[next].subtreeEnd)
        var sink: UInt32 = 0
        nodes.withUnsafeBufferPointer { n in
            var i = next
            while i < last { sink &+= n[i].end; i += 4 }  // 16-byte nodes: four per 64-byte line
        }
        tree.source.withUnsafeBufferPointer { src in
            var i = Int(nodes[next].start)
            let stop = min(Int(nodes[next].end), src.count)
            while i < stop { sink &+= UInt32(src[i]); i += 64 }
        }
        if sink == 0x5EED_F00D { touchSink.withLock { $0 &+= 1 } }
    }

    /// Keeps `touchAhead`'s loads from being optimised away.
    static let touchSink = Mutex<UInt32>(0)

    /// A record has an `eventVersion`, or an `eventSource` with an `eventName` or `eventTime`. Decided at the
    /// first key that settles it (records start with `eventVersion`): a full pass with four comparisons per key
    /// was 22,000 instructions per line of a JSON Lines file (a third of its check, callgrind).
    static func looksLikeRecord(_ tree: SyntaxTree, _ i: Int) -> Bool {
        guard tree.kind(i) == .object else { return false }
        var source = false, nameOrTime = false
        for (k, _) in tree.members(of: i) {
            if tree.stringEquals(k, "eventVersion") { return true }
            if tree.stringEquals(k, "eventSource") { source = true }
            else if tree.stringEquals(k, "eventName") || tree.stringEquals(k, "eventTime") { nameOrTime = true }
            if source && nameOrTime { return true }
        }
        return false
    }

    static func isDigest(_ tree: SyntaxTree, _ i: Int) -> Bool {
        tree.kind(i) == .object && tree.member("digestStartTime", of: i) != nil && tree.member("logFiles", of: i) != nil
    }

    // MARK: Checking

    /// All schema findings for a document, sorted.
    package func check(_ tree: SyntaxTree) -> [Diagnostic] {
        var records: [Int] = []
        var out = checkDocument(tree) { records.append($0) }
        for r in records { checkRecord(tree, record: r, into: &out) }
        return out.sorted()
    }

    /// The findings about a document as a whole (a `Records` member that is not an array or holds non-objects,
    /// a digest file's schema, a document that is not CloudTrail), calling `record` with each record object
    /// of `records(in:)` on the way. With `checkRecord(_:record:into:)` on each record this is `check(_:)`,
    /// unsorted; callers that run more checks per record do so in `record`, so that each record's nodes are
    /// read from memory once for all of them (a separate pass over the 125,300 records of a 200 MB file cost
    /// about 30 ms in cache misses).
    package func checkDocument(_ tree: SyntaxTree, record: (Int) -> Void) -> [Diagnostic] {
        guard let root = tree.root else { return [] }
        var out: [Diagnostic] = []
        let nodes = tree.nodes
        if nodes[root].kind == .object, let list = tree.member("Records", of: root) {
            if nodes[list].kind == .array {
                var index = 0
                var item = list + 1
                let end = Int(nodes[list].subtreeEnd)
                while item < end {
                    let k = nodes[item].kind
                    if k == .object {
                        Self.touchAhead(tree, after: item, before: end)
                        record(item)
                    } else if k != .invalid && k != .missing {
                        out.append(Diagnostic(rule: .wrongType, severity: .error,
                                              message: "a record must be an object, found `\(tree.typeName(item))`",
                                              range: tree.range(item), pointer: "/Records/\(index)"))
                    }
                    index += 1
                    item = Int(nodes[item].subtreeEnd)
                }
            } else if nodes[list].kind != .invalid, nodes[list].kind != .missing {
                out.append(Diagnostic(rule: .wrongType, severity: .error,
                                      message: "`Records` must be an array of records, found `\(tree.typeName(list))`",
                                      range: tree.range(list), pointer: "/Records"))
            }
        } else if let records = Self.records(in: tree) {
            for r in records { record(r) }
        } else if Self.isDigest(tree, root), let digest = catalog.digest {
            for v in SchemaValidator().validate(tree, node: root, against: digest) {
                out.append(diagnostic(v, tree))
            }
        } else {
            out.append(Diagnostic(rule: .notCloudTrail, severity: .info,
                                  message: "not a CloudTrail document: expected a record, a `{\"Records\": [...]}` log file or an array of records",
                                  range: tree.headRange(root), pointer: ""))
        }
        return out
    }

    /// Schema findings for one record (an object node of `tree`), sorted.
    package func checkRecord(_ tree: SyntaxTree, record: Int) -> [Diagnostic] {
        var out: [Diagnostic] = []
        checkRecord(tree, record: record, into: &out)
        return out.sorted()
    }


    /// Where a record's `eventVersion`, `userIdentity` and `eventType` are (the last member of each name, nil
    /// when absent), when the caller has found them already: `checkRecord` then makes no pass of its own.
    package struct RecordMembers: Sendable {
        package var eventVersion: Int?
        package var userIdentity: Int?
        package var eventType: Int?

        package init(eventVersion: Int?, userIdentity: Int?, eventType: Int?) {
            self.eventVersion = eventVersion
            self.userIdentity = userIdentity
            self.eventType = eventType
        }
    }

    /// Appends the schema findings for one record (an object node of `tree`), unsorted.
    package func checkRecord(_ tree: SyntaxTree, record: Int, members: RecordMembers? = nil, into out: inout [Diagnostic]) {
        guard tree.kind(record) == .object else { return }
        let versions = catalog.versions
        let newestIndex = versions.count - 1
        var chosen = newestIndex
        var recordVersion: EventVersion?
        var versionNode: Int?
        var versionReported = false
        if let members {
            versionNode = members.eventVersion
        } else {
            tree.forEachMember(of: record) { k, v in if tree.keyIs(k, "eventVersion") { versionNode = v } }
        }
        if let v = versionNode {
            let kind = tree.kind(v)
            if kind == .string, let parsed = tree.withDecodedBytes(v, { EventVersion(bytes: $0) }) {
                recordVersion = parsed
                if parsed > versions[newestIndex].version {
                    let newest = versions[newestIndex].label
                    out.append(Diagnostic(rule: .unknownEventVersion, severity: .warning,
                                          message: "eventVersion `\(tree.string(v) ?? "")` is newer than the newest known version `\(newest)`; checked against `\(newest)`",
                                          range: tree.range(v), pointer: tree.pointer(of: v)))
                } else {
                    chosen = catalog.schemaIndex(for: parsed)
                    if parsed < versions[0].version {
                        let label = versions[chosen].label
                        out.append(Diagnostic(rule: .unknownEventVersion, severity: .warning,
                                              message: "eventVersion `\(tree.string(v) ?? "")` is older than the oldest known version `\(label)`; checked against `\(label)`",
                                              range: tree.range(v), pointer: tree.pointer(of: v)))
                    }
                }
            } else if kind != .invalid && kind != .missing {
                versionReported = true
                let shown = kind == .string ? "`\(tree.string(v) ?? "")`" : "\(tree.typeName(v)) `\(tree.text(v))`"
                out.append(Diagnostic(rule: .invalidEventVersion, severity: .error,
                                      message: "eventVersion must be a string of the form `major.minor`, found \(shown)",
                                      range: tree.range(v), pointer: tree.pointer(of: v)))
            }
        }

        // One finding per value: a value failing both `pattern` and `format` (or two patterns, from a shared
        // shape and an identity-type branch) is reported once, preferring the `format` message.
        var previous: (range: TextRange, index: Int)?
        var unlisted: [Int] = []
        let violations = catalog.withSchema(version: chosen) {
            SchemaValidator().validate(tree, node: record, against: $0, unlisted: &unlisted)
        }
        for violation in violations {
            if versionReported, violation.node == versionNode { continue }
            let d = diagnostic(violation, tree)
            if d.rule == .invalidValue, let p = previous, p.range == d.range, out[p.index].rule == .invalidValue {
                if case .invalidValue(keyword: "format", _) = violation.kind { out[p.index] = d }
                continue
            }
            previous = (d.range, out.count)
            out.append(d)
        }
        unknownFields(tree, record: record, recordVersion: recordVersion, unlisted: unlisted, members: members, into: &out)
    }

    /// `unknown-field` and `field-too-new` for the record's members, and `unknown-field` inside userIdentity
    /// and its sessionContext. `unknown`: the record's keys that its version's schema does not list.
    private func unknownFields(_ tree: SyntaxTree, record: Int, recordVersion: EventVersion?, unlisted unknown: [Int],
                               members: RecordMembers?, into out: inout [Diagnostic]) {
        // Routed schemas (aggregated, insight) add their own record-level fields.
        var routed: PropertyTable?
        var userIdentity: Int?
        // The last `eventType` that is a string.
        var eventType: Int?
        if let members, members.eventType.map({ tree.kind($0) == .string }) ?? true {
            userIdentity = members.userIdentity
            eventType = members.eventType
        } else {
            tree.forEachMember(of: record) { k, v in
                guard tree.nodes[k].kind == .string else { return }
                if tree.keyIs(k, "userIdentity") {
                    userIdentity = v
                } else if tree.keyIs(k, "eventType"), tree.nodes[v].kind == .string {
                    eventType = v
                }
            }
        }
        if !unknown.isEmpty, let v = eventType {
            for (i, route) in catalog.routes.enumerated() where Self.withBytes(tree, v, { $0.elementsEqual(route.eventType) }) {
                let schema = catalog.routeSchema(i)
                routed = schema[node: schema.root].properties
            }
        }
        for k in unknown {
            let (known, sinceIndex) = Self.withBytes(tree, k) { kb -> (Bool, Int?) in
                if routed?.index(of: kb) != nil { return (true, nil) }
                return (false, catalog.since.firstIndex { $0.key.bytes.elementsEqual(kb) })
            }
            if known { continue }
            let name = tree.string(k) ?? ""
            if let s = sinceIndex, let rv = recordVersion, catalog.since[s].version > rv {
                out.append(Diagnostic(rule: .fieldTooNew, severity: .warning,
                                      message: "`\(name)` was introduced in eventVersion `\(catalog.since[s].label)`, after this record's eventVersion `\(tree.string(tree.member("eventVersion", of: record)!) ?? "")`",
                                      range: tree.range(k), pointer: tree.pointer(of: k)))
            } else if sinceIndex == nil || recordVersion == nil {
                out.append(Diagnostic(rule: .unknownField, severity: .info,
                                      message: "`\(name)` is not a CloudTrail record field",
                                      range: tree.range(k), pointer: tree.pointer(of: k)))
            }
        }
        guard let ui = userIdentity, tree.kind(ui) == .object else { return }
        let fields = catalog.identityFields
        let uiProps = fields.userIdentity
        var session: Int?
        tree.forEachMember(of: ui) { k, v in
            guard tree.nodes[k].kind == .string else { return }
            if tree.keyIs(k, "sessionContext") { session = v }
            if tree.withDecodedBytes(k, { uiProps.lookup($0) != nil }) { return }
            out.append(Diagnostic(rule: .unknownField, severity: .info,
                                  message: "`\(tree.string(k) ?? "")` is not a userIdentity field",
                                  range: tree.range(k), pointer: tree.pointer(of: k)))
        }
        guard let sc = session, tree.kind(sc) == .object else { return }
        let scProps = fields.sessionContext
        tree.forEachMember(of: sc) { k, _ in
            guard tree.nodes[k].kind == .string else { return }
            if tree.withDecodedBytes(k, { scProps.lookup($0) != nil }) { return }
            out.append(Diagnostic(rule: .unknownField, severity: .info,
                                  message: "`\(tree.string(k) ?? "")` is not a sessionContext field",
                                  range: tree.range(k), pointer: tree.pointer(of: k)))
        }
    }

    /// Decoded UTF-8 bytes of a string node (a view of the source when it has no escapes).
    static func withBytes<R>(_ tree: SyntaxTree, _ i: Int, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        let f = tree.stringFlags(i)
        if f.contains(.hasEscapes) || f.contains(.singleQuoted) {
            var s = tree.string(i) ?? ""
            return s.withUTF8(body)
        }
        let r = tree.contentRange(i)
        return tree.source.withUnsafeBufferPointer { body(UnsafeBufferPointer(rebasing: $0[r.start..<r.end])) }
    }

    private func diagnostic(_ v: SchemaViolation, _ tree: SyntaxTree) -> Diagnostic {
        switch v.kind {
        case .missingProperty(let name):
            var message = v.message.hasPrefix("missing required member")
                ? "missing required field `\(name)`" : v.message.replacingFirst("missing member", with: "missing field")
            // Inside a member object (`userIdentity`, `sessionIssuer`, …), name it: the finding sits on that object.
            if let last = v.pointer.split(separator: "/").last, !last.allSatisfy(\.isNumber) {
                message += " in `\(JSONPointer.unescapeToken(String(last)))`"
            }
            return Diagnostic(rule: .missingField, severity: .error, message: message,
                              range: v.range, pointer: v.pointer)
        case .wrongType:
            let field = v.pointer.split(separator: "/").last.map { "`\(JSONPointer.unescapeToken(String($0)))`: " } ?? ""
            return Diagnostic(rule: .wrongType, severity: .error, message: field + v.message,
                              range: v.range, pointer: v.pointer)
        case .additionalProperty:
            return Diagnostic(rule: .unknownField, severity: .info, message: v.message, range: v.range, pointer: v.pointer)
        case .invalidValue:
            let field = v.pointer.split(separator: "/").last.map { "`\(JSONPointer.unescapeToken(String($0)))`: " } ?? ""
            return Diagnostic(rule: .invalidValue, severity: .error, message: field + v.message,
                              range: v.range, pointer: v.pointer)
        }
    }

    // MARK: Benchmark

    /// Runs the full schema check on `tree` and returns the number of diagnostics (for timing the engine).
    package static func benchmarkValidate(_ tree: SyntaxTree) -> Int {
        shared.check(tree).count
    }
}

private extension String {
    func replacingFirst(_ a: String, with b: String) -> String {
        guard hasPrefix(a) else { return self }
        return b + dropFirst(a.count)
    }
}

extension JSONPointer {
    /// Reverses `escape` (`~1` → `/`, `~0` → `~`).
    static func unescapeToken(_ token: String) -> String {
        guard token.contains("~") else { return token }
        var out = ""
        var it = token.unicodeScalars.makeIterator()
        while let c = it.next() {
            if c == "~", let n = it.next() {
                out.unicodeScalars.append(n == "1" ? "/" : n == "0" ? "~" : n)
            } else {
                out.unicodeScalars.append(c)
            }
        }
        return out
    }
}
