import CTJSON

/// Byte-level reads of identity fields, for the rules' quick paths.
///
/// The identity rules explain findings with decoded Strings and the `ARN` type, which allocate; on a clean
/// record every rule instead first proves, on the source bytes, that it has nothing to report (`quickAccept`).
/// Only records (or fields) the quick path cannot vouch for take the explaining path, which stays the
/// authority: a quick path may send a clean record to the slow path, never the reverse (`QuickPathTests`).
/// Measured with `perf` on generated logs: the identity rules took about 33% of a full check before (ARN
/// Strings, `split`, `member` walks), about 10% of the (three times shorter) check with the quick paths.
struct SourceBytes {
    /// The tree's nodes and source bytes, valid inside `with`. (Holding the `SyntaxTree` itself made every
    /// copy of this value five retains.)
    let nodes: UnsafeBufferPointer<Node>
    let src: UnsafeBufferPointer<UInt8>

    /// Calls `body` with a view of `tree`'s nodes and source (valid only inside `body`).
    @inline(__always)
    static func with<R>(_ tree: SyntaxTree, _ body: (SourceBytes) -> R) -> R {
        tree.nodes.withUnsafeBufferPointer { nodes in
            tree.source.withUnsafeBufferPointer { body(SourceBytes(nodes: nodes, src: $0)) }
        }
    }

    /// The content range of string node `node` when its bytes are its value (`plainContent`); nil for absent
    /// nodes, other kinds and strings that need decoding.
    @inline(__always)
    func plain(_ node: Int?) -> Range<Int>? {
        guard let node else { return nil }
        let n = nodes[node]
        guard n.kind == .string, n.flags == 0 else { return nil }
        return (Int(n.start) + 1)..<(Int(n.end) - 1)
    }

    @inline(__always)
    func kind(_ node: Int) -> NodeKind { nodes[node].kind }

    /// True when `node` is an object with at least one member.
    @inline(__always)
    func isNonEmptyObject(_ node: Int?) -> Bool {
        guard let node, nodes[node].kind == .object else { return false }
        return Int(nodes[node].subtreeEnd) > node + 2
    }

    enum Field {
        case skip
        case plain(Range<Int>)
        case undecided
    }

    @inline(__always)
    func field(_ node: Int?) -> Field {
        guard let node, nodes[node].kind == .string else { return .skip }
        if let r = plain(node) { return .plain(r) }
        return .undecided
    }

    @inline(__always)
    func equals(_ r: Range<Int>, _ literal: StaticString) -> Bool {
        guard r.count == literal.utf8CodeUnitCount else { return false }
        return literal.withUTF8Buffer { memcmpEqual(src.baseAddress! + r.lowerBound, $0.baseAddress!, r.count) }
    }

    @inline(__always)
    func equals(_ a: Range<Int>, _ b: Range<Int>) -> Bool {
        a.count == b.count && memcmpEqual(src.baseAddress! + a.lowerBound, src.baseAddress! + b.lowerBound, a.count)
    }

    @inline(__always)
    func hasPrefix(_ r: Range<Int>, _ literal: StaticString) -> Bool {
        guard r.count >= literal.utf8CodeUnitCount else { return false }
        return literal.withUTF8Buffer { memcmpEqual(src.baseAddress! + r.lowerBound, $0.baseAddress!, $0.count) }
    }

    /// First index of `byte` in `r`, or nil.
    @inline(__always)
    func firstIndex(of byte: UInt8, in r: Range<Int>) -> Int? {
        var i = r.lowerBound
        while i < r.upperBound { if src[i] == byte { return i }; i += 1 }
        return nil
    }

    /// Exactly 12 ASCII digits (`AccountID.isValid`).
    @inline(__always)
    func isAccountID(_ r: Range<Int>) -> Bool {
        guard r.count == 12 else { return false }
        for i in r where src[i] < 0x30 || src[i] > 0x39 { return false }
        return true
    }

    /// 16–128 upper-case ASCII letters and digits (`IAMIdentifier.isWellFormed`).
    @inline(__always)
    func isWellFormedIAMID(_ r: Range<Int>) -> Bool {
        guard r.count >= 16, r.count <= 128 else { return false }
        for i in r {
            let b = src[i]
            if !((b >= 0x41 && b <= 0x5A) || (b >= 0x30 && b <= 0x39)) { return false }
        }
        return true
    }

    /// The identity type of a `type` field: a known one, `.other` for the rest, nil when it cannot be read
    /// on the bytes.
    func identityKind(_ node: Int?) -> IdentityKind? {
        switch field(node) {
        case .skip: return IdentityKind.none
        case .undecided: return nil
        case .plain(let r):
            if equals(r, "AssumedRole") { return .assumedRole }
            if equals(r, "IAMUser") { return .iamUser }
            if equals(r, "Root") { return .root }
            if equals(r, "FederatedUser") { return .federatedUser }
            if equals(r, "Role") { return .role }
            return .other
        }
    }
}

/// `userIdentity.type` / `sessionIssuer.type` as the identity rules distinguish them.
enum IdentityKind {
    /// No `type` string.
    case none
    case iamUser, assumedRole, root, federatedUser, role
    /// Another (or an empty) type.
    case other
}

/// `userIdentity.arn` and `sessionIssuer.arn` parsed once per record for the identity rules, which each parsed
/// them again (`ARNSpan` and `isClean` four times over were 2.5% of a day's check, callgrind).
struct PrincipalARNs: Sendable {
    struct Entry: Sendable {
        var node = -1
        var span: ARNSpan?
        var isClean = false
    }
    private var identity = Entry()
    private var issuer = Entry()

    init() {}

    init(_ fields: RecordFields, _ b: SourceBytes) {
        identity = Self.entry(fields.identity.arn, b)
        issuer = Self.entry(fields.issuer.arn, b)
    }

    private static func entry(_ node: Int?, _ b: SourceBytes) -> Entry {
        guard let node, let r = b.plain(node) else { return Entry() }
        let span = ARNSpan(b, r)
        return Entry(node: node, span: span, isClean: span?.isClean(b) ?? false)
    }

    /// `ARNSpan(b, r)` for string node `node`, whose plain content is `r`.
    @inline(__always)
    func span(_ node: Int?, _ r: Range<Int>, _ b: SourceBytes) -> ARNSpan? {
        if let node {
            if node == identity.node { return identity.span }
            if node == issuer.node { return issuer.span }
        }
        return ARNSpan(b, r)
    }

    /// `ARNSpan(b, r)?.isClean(b) == true` for string node `node`, whose plain content is `r`.
    @inline(__always)
    func isClean(_ node: Int?, _ r: Range<Int>, _ b: SourceBytes) -> Bool {
        if let node {
            if node == identity.node { return identity.isClean }
            if node == issuer.node { return issuer.isClean }
        }
        return ARNSpan(b, r)?.isClean(b) == true
    }
}

/// An ARN in the source: the byte ranges of its five parts (`ARN` without copies). Parses exactly like
/// `ARN.init`: `arn:` and at least four more colons; the resource keeps any further colons.
struct ARNSpan {
    let partition: Range<Int>
    let service: Range<Int>
    let region: Range<Int>
    let account: Range<Int>
    let resource: Range<Int>

    init?(_ b: SourceBytes, _ r: Range<Int>) {
        guard b.hasPrefix(r, "arn:") else { return nil }
        var colons = (0, 0, 0, 0)
        var found = 0
        var i = r.lowerBound + 4
        while found < 4, i < r.upperBound {
            if b.src[i] == 0x3A {
                switch found {
                case 0: colons.0 = i
                case 1: colons.1 = i
                case 2: colons.2 = i
                default: colons.3 = i
                }
                found += 1
            }
            i += 1
        }
        guard found == 4 else { return nil }
        partition = (r.lowerBound + 4)..<colons.0
        service = (colons.0 + 1)..<colons.1
        region = (colons.1 + 1)..<colons.2
        account = (colons.2 + 1)..<colons.3
        resource = (colons.3 + 1)..<r.upperBound
    }

    /// `ARN.resourceType`: the resource up to its first `/` or `:`, nil when it has neither.
    func resourceType(_ b: SourceBytes) -> Range<Int>? {
        var i = resource.lowerBound
        while i < resource.upperBound {
            if b.src[i] == 0x2F || b.src[i] == 0x3A { return resource.lowerBound..<i }
            i += 1
        }
        return nil
    }

    /// `ARN.resourceName`: the resource after its last `/`.
    func resourceName(_ b: SourceBytes) -> Range<Int> {
        var i = resource.upperBound
        while i > resource.lowerBound {
            if b.src[i - 1] == 0x2F { return i..<resource.upperBound }
            i -= 1
        }
        return resource
    }

    /// True when `ARNSyntax.check` finds no problem at all (not even a soft one).
    func isClean(_ b: SourceBytes) -> Bool {
        for i in partition.lowerBound..<account.upperBound where ARNSyntax.isWhitespace(b.src[i]) { return false }
        guard let p = Partitions.index(named: b, partition), !service.isEmpty else { return false }
        for i in service {
            let c = b.src[i]
            if !(Partitions.isLowerAlnum(c) || c == 0x2D) { return false }
        }
        if !region.isEmpty {
            if b.equals(service, "iam") || b.equals(service, "sts") { return false }
            guard Partitions.index(forRegion: b, region) == p else { return false }
        }
        guard account.isEmpty || b.equals(account, "aws") || b.isAccountID(account) else { return false }
        return !resource.isEmpty
    }
}

extension Partitions {
    /// Partition ids and region prefixes as bytes, in `all` order.
    static let idBytes: [[UInt8]] = all.map { Array($0.id.utf8) }
    static let prefixBytes: [[[UInt8]]] = all.map { $0.regionPrefixes.map { Array($0.utf8) } }
    /// Every known region code; the id is the index in `all` of its partition.
    static let knownRegionTable: ByteKeyTable = {
        var t = ByteKeyTable()
        for (i, p) in all.enumerated() { for r in p.knownRegions { t.insert(Array(r.utf8), id: i) } }
        return t
    }()

    /// Index in `all` of the partition whose id is the bytes `r`, or nil (`named(_:)`).
    static func index(named b: SourceBytes, _ r: Range<Int>) -> Int? {
        for (i, id) in idBytes.enumerated() where id.count == r.count {
            if id.withUnsafeBufferPointer({ memcmpEqual(b.src.baseAddress! + r.lowerBound, $0.baseAddress!, r.count) }) { return i }
        }
        return nil
    }

    /// Index in `all` of the partition whose region pattern the bytes `r` fit, or nil (`partition(forRegion:)`).
    static func index(forRegion b: SourceBytes, _ r: Range<Int>) -> Int? {
        if let known = knownRegionTable.lookup(b.src.baseAddress! + r.lowerBound, r.count) { return known }
        for (i, prefixes) in prefixBytes.enumerated() {
            for p in prefixes {
                guard r.count > p.count + 1, b.src[r.lowerBound + p.count] == 0x2D,
                      p.withUnsafeBufferPointer({ memcmpEqual(b.src.baseAddress! + r.lowerBound, $0.baseAddress!, p.count) })
                else { continue }
                if isWordDashDigits(ArraySlice(b.src[(r.lowerBound + p.count + 1)..<r.upperBound])) { return i }
            }
        }
        return nil
    }

    /// True when the bytes `r` are a known region code (`RegionStatus` would say `.known`).
    static func isKnownRegion(_ b: SourceBytes, _ r: Range<Int>) -> Bool {
        knownRegionTable.lookup(b.src.baseAddress! + r.lowerBound, r.count) != nil
    }
}
