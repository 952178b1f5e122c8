import CTCore

/// Parses JSON bytes into a lossless `SyntaxTree`, recovering from every error it can name.
///
/// The parser never throws and never recurses: containers live on an explicit stack, so any depth
/// (JSONTestSuite's 100 000 nested arrays included) is handled in linear time.
public enum JSONParser {
    /// Parses `bytes`. Every deviation from RFC 8259 becomes a `Diagnostic` in `tree.diagnostics`.
    public static func parse(_ bytes: [UInt8]) -> SyntaxTree {
        var result: (nodes: [Node], root: Int?, extra: [Int], diags: [Diagnostic], candidates: [Int]) = ([], nil, [], [], [])
        bytes.withUnsafeBufferPointer { buf in
            var parser = ParserState(ByteCursor(buf))
            parser.run()
            result = (parser.nodes, parser.root, parser.extraRoots, parser.diagnostics, parser.duplicateCandidates)
        }
        var diags = result.diags
        let tree0 = SyntaxTree(source: bytes, nodes: result.nodes, root: result.root, extraRoots: result.extra,
                               diagnostics: [])
        diags.append(contentsOf: DuplicateKeys.find(in: tree0, objects: result.candidates))
        let unplaced = diags.indices.filter { diags[$0].pointer == nil }
        for (i, pointer) in zip(unplaced, tree0.pointers(at: unplaced.map { diags[$0].range.start })) {
            diags[i].pointer = pointer
        }
        diags.sort()
        return SyntaxTree(source: bytes, nodes: result.nodes, root: result.root, extraRoots: result.extra,
                          diagnostics: diags)
    }
}

/// The outcome of `JSONParser.parseStrictValue(in:at:limit:)`.
public enum StrictValue: Sendable {
    /// A value without any syntax finding; `end` is the offset just past it.
    case value(SyntaxTree, end: Int)
    /// The bytes ran out inside the value: it may be whole once more bytes are there.
    case incomplete
    /// A syntax finding before the end of the bytes, or no value at all.
    case invalid
}

extension JSONParser {
    /// Parses the one value that starts at byte offset `start` of `bytes[0..<limit]` (after optional whitespace),
    /// as an element of a larger document: the tree's ranges are offsets into `bytes`, its root is that value.
    /// Used to check a large log file record by record, so that one record's nodes at a time are alive (a few
    /// KB that stay in cache) instead of a 16-byte node per value of the file.
    ///
    /// Anything short of strict JSON is `.invalid` (a duplicate key included), or `.incomplete` when the parser
    /// reached `limit`; the caller then reads more, or parses the whole document, whose recovery and messages
    /// know the context.
    public static func parseStrictValue(in bytes: [UInt8], at start: Int, limit: Int? = nil) -> StrictValue {
        var scratch = ParseScratch()
        return parseStrictValue(in: bytes, at: start, limit: limit, scratch: &scratch)
    }

    /// `parseStrictValue(in:at:limit:)` with the parser's arrays taken from and left in `scratch`, so that a
    /// caller parsing record after record allocates them once (the node array is shared with the returned tree,
    /// and reused once that tree is gone).
    public static func parseStrictValue(in bytes: [UInt8], at start: Int, limit: Int? = nil,
                                        scratch: inout ParseScratch) -> StrictValue {
        let limit = min(limit ?? bytes.count, bytes.count)
        var strict = scan(bytes, at: start, limit: limit, scratch: &scratch)
        if case .value(let root, let end) = strict.outcome {
            let tree = SyntaxTree(source: bytes, nodes: strict.nodes, root: root, extraRoots: [], diagnostics: [])
            if !strict.candidates.isEmpty, !DuplicateKeys.find(in: tree, objects: strict.candidates).isEmpty { return .invalid }
            return .value(tree, end: end)
        }
        strict.nodes = []  // so that the recovering parser reuses the node array without a copy
        return parseStrictValueByRecovery(in: bytes, at: start, limit: limit, scratch: &scratch)
    }

    /// The tree `parse(bytes)` gives when `bytes` is one strictly valid JSON value with nothing but whitespace
    /// around it (no byte-order mark, no comment, no repeated key): then that tree has no finding. Otherwise nil,
    /// and the caller parses with `parse`. For the lines of a JSON Lines file, with `scratch` kept from line to
    /// line (the recovering parser and its allocations per line were a fifth of checking such a file, callgrind).
    public static func parseStrictDocument(_ bytes: [UInt8], scratch: inout ParseScratch) -> SyntaxTree? {
        let strict = scan(bytes, at: 0, limit: bytes.count, scratch: &scratch)
        guard case .value(let root, let end) = strict.outcome else { return nil }
        var p = end
        while p < bytes.count && bytes[p].isJSONWhitespace { p += 1 }
        guard p == bytes.count else { return nil }
        let tree = SyntaxTree(source: bytes, nodes: strict.nodes, root: root, extraRoots: [], diagnostics: [])
        if !strict.candidates.isEmpty, !DuplicateKeys.find(in: tree, objects: strict.candidates).isEmpty { return nil }
        return tree
    }

    /// `StrictScanner` on the value at `start` of `bytes[0..<limit]`, with the arrays of `scratch`.
    private static func scan(_ bytes: [UInt8], at start: Int, limit: Int, scratch: inout ParseScratch)
        -> (nodes: [Node], outcome: StrictScanner.Outcome, candidates: [Int]) {
        guard limit <= Int(UInt32.max) else { return ([], .unsure, []) }
        return bytes.withUnsafeBufferPointer { buf in
            var scanner = StrictScanner(ByteCursor(UnsafeBufferPointer(rebasing: buf[0..<limit])), scratch: &scratch)
            let outcome = scanner.scan(at: start)
            defer { scratch.keep(scanner); scratch.lastValueIsPlain = scanner.isPlain }
            return (scanner.nodes, outcome, scanner.duplicateCandidates)
        }
    }

    /// `parseStrictValue` by the recovering parser alone: what `StrictScanner` falls back to, and what tests
    /// compare it with.
    static func parseStrictValueByRecovery(in bytes: [UInt8], at start: Int, limit: Int,
                                           scratch: inout ParseScratch) -> StrictValue {
        scratch.lastValueIsPlain = false
        var result: (nodes: [Node], root: Int?, end: Int, clean: Bool, atLimit: Bool, candidates: [Int]) = ([], nil, start, false, false, [])
        bytes.withUnsafeBufferPointer { buf in
            var parser = ParserState(ByteCursor(UnsafeBufferPointer(rebasing: buf[0..<limit])), scratch: &scratch)
            let began = parser.runValue(at: start)
            result = (parser.nodes, parser.root, parser.lastEnd, began && parser.diagnostics.isEmpty,
                      parser.p >= limit, parser.duplicateCandidates)
            scratch.keep(parser)
        }
        guard result.clean, let root = result.root else { return result.atLimit ? .incomplete : .invalid }
        let tree = SyntaxTree(source: bytes, nodes: result.nodes, root: root, extraRoots: [], diagnostics: [])
        if !result.candidates.isEmpty, !DuplicateKeys.find(in: tree, objects: result.candidates).isEmpty { return .invalid }
        return .value(tree, end: result.end)
    }
}

/// The parser's working arrays, kept between the values that `JSONParser.parseStrictValue` parses one after
/// another: allocated once, not per record (-1.5% instructions on a 9.5 MB log, callgrind).
public struct ParseScratch: Sendable {
    /// Whether the last value parsed strictly is one line of ASCII from its first byte to its last (no line break,
    /// no byte past 0x7F): positions inside it are then its start's plus the byte count.
    public internal(set) var lastValueIsPlain = false
    var nodes: [Node] = []
    var stack: [Frame] = []
    var keys = KeyLedger()
    /// `StrictScanner`'s node memory, made on first use.
    var nodeStorage: NodeStorage?

    public init() {}

    /// Takes the arrays back from a finished parser.
    mutating func keep(_ parser: ParserState) {
        nodes = parser.nodes
        stack = parser.stack
        keys = parser.keys
    }

    /// Takes the arrays back from a finished strict scanner.
    mutating func keep(_ scanner: StrictScanner) {
        nodes = scanner.nodes
        stack = scanner.stack
        keys = scanner.keys
    }
}

enum FrameState: UInt8 {
    /// Just after `{` or `[`.
    case start
    /// Object only: a key was read, `:` expected.
    case afterKey
    /// Object only: `:` was read, a value expected.
    case afterColon
    /// A value was read; `,` or the closer expected.
    case afterValue
    /// A `,` was read; a member or element expected.
    case afterComma
}

struct Frame {
    var node: Int
    var isObject: Bool
    var state: FrameState = .start
    /// Offset of the last `,` not yet followed by a member/element, or -1.
    var pendingComma: Int = -1
    /// A placeholder's removal fix already covers the pending comma.
    var commaAbsorbed = false
    /// Index in `keySignatures` where this object's keys start.
    var keyBase = 0
    /// Two keys of this object share a signature: checked exactly after parsing.
    var maybeDuplicateKeys = false
    /// The enclosing object's `ParserState.keyBloom`, restored when this frame closes.
    var enclosingKeyBloom: UInt64 = 0
}

struct ParserState {
    let c: ByteCursor
    let n: Int
    var p = 0
    var nodes: [Node] = []
    var diagnostics: [Diagnostic] = []
    var root: Int?
    var extraRoots: [Int] = []
    var stack: [Frame] = []
    /// End offset of the last significant (non-trivia) token, in bytes.
    var lastEnd = 0
    /// Signatures of the keys of every open object (see `noteKey`). The innermost object's Bloom filter is kept
    /// here, not in the frame: a write into the frame array per key costs a uniqueness check.
    var keys = KeyLedger()
    /// Objects in which two keys may be equal; `DuplicateKeys` checks only these.
    var duplicateCandidates: [Int] = []
    /// The last forward scan of `closingQuoteOfBareString`: where it started and the byte it stopped at.
    var bareScan = (start: -1, stop: -1)

    /// Parses with the arrays of `scratch` (emptied, their capacity kept); `ParseScratch.keep` takes them back.
    init(_ c: ByteCursor, scratch: inout ParseScratch) {
        self.c = c
        self.n = c.count
        swap(&nodes, &scratch.nodes)
        swap(&stack, &scratch.stack)
        swap(&keys, &scratch.keys)
        nodes.removeAll(keepingCapacity: true)
        stack.removeAll(keepingCapacity: true)
        keys.reset()
        // Room for a record's nodes, nesting and keys up front, instead of the dozen doublings of these arrays that
        // a first record would go through (parsing record by record cost 40% more than parsing the whole file at
        // once before this, release, 200 MB).
        if nodes.capacity < 512 { nodes.reserveCapacity(512) }
        if stack.capacity < 32 { stack.reserveCapacity(32) }
    }

    init(_ c: ByteCursor) {
        self.c = c
        self.n = c.count
        // Estimate: one node per ~12 input bytes for CloudTrail-shaped data.
        nodes.reserveCapacity(max(16, n / 12))
    }

    // MARK: Diagnostics

    mutating func report(_ rule: RuleID, _ message: String, _ range: TextRange,
                         notes: [Note] = [], fix: Fix? = nil) {
        report(rule, .error, message, range, notes: notes, fix: fix)
    }

    mutating func report(_ rule: RuleID, _ severity: Severity, _ message: String, _ range: TextRange,
                         notes: [Note] = [], fix: Fix? = nil) {
        diagnostics.append(Diagnostic(rule: rule, severity: severity, message: message, range: range,
                                      notes: notes, fix: fix))
    }

    /// Up to `limit` bytes of the source for a message: stops at a line break (messages are one line).
    func snippet(_ r: TextRange, limit: Int = 40) -> String {
        var end = min(r.end, r.start + limit)
        var k = r.start
        while k < end { if c[k] == .lf || c[k] == .cr { end = k; break }; k += 1 }
        while end > r.start && end < r.end && c[end] & 0xC0 == 0x80 { end -= 1 }
        var bytes: [UInt8] = []
        for i in r.start..<end {
            let b = c[i]
            // Other control characters (a run of NUL bytes, say) would print as nothing: shown as `\u0000`.
            if b < 0x20 && b != .tab || b == 0x7F {
                bytes.append(contentsOf: Array("\\u00".utf8))
                bytes.append(contentsOf: Array(hex2(b).utf8))
            } else {
                bytes.append(b)
            }
        }
        let s = String(decoding: bytes, as: UTF8.self)
        return end < r.end ? s + "…" : s
    }

    // MARK: Driver

    mutating func run() {
        if n >= 3 && c[0] == 0xEF && c[1] == 0xBB && c[2] == 0xBF {
            report(.byteOrderMark, .warning, "file starts with a UTF-8 byte-order mark",
                   TextRange(start: 0, end: 3),
                   fix: Fix(title: "Remove the byte-order mark", edits: [.delete(TextRange(start: 0, end: 3))],
                            applicability: .safe))
            p = 3
            lastEnd = 3
        }
        skipTrivia()
        if p >= n {
            report(.emptyInput, "document is empty: expected a JSON value", TextRange(start: 0, end: n))
            return
        }
        if isFilterPattern(at: p) {
            // One finding for the block, and no repair: the rest is a query, not damaged JSON.
            let first = TextRange(start: p, end: lineEnd(from: p))
            report(.filterPattern, .warning,
                   "a CloudWatch Logs filter pattern, not JSON: `\(snippet(first, limit: 60))`; it is not checked or repaired",
                   first)
            p = n
            return
        }
        root = nodes.count
        if !beginTopLevelValue() { root = nil }
        drain()
        // Whatever follows the document: extra brackets, a trailing comma, or more values (a pasted
        // sequence of records). A sequence gets one finding whose fix wraps the values in an array.
        var commas: [Int] = []
        var lastCommaUnfollowed = -1
        var firstExtraStart = -1
        var rootEnd = lastEnd
        while true {
            skipTrivia()
            guard p < n else { break }
            let b = c[p]
            if b == .closeBrace || b == .closeBracket {
                let r = TextRange(start: p, end: p + 1)
                report(.unbalanced, "unexpected `\(Character(Unicode.Scalar(b)))` after the end of the document",
                       r, fix: Fix(title: "Remove the extra bracket", edits: [.delete(r)], applicability: .unsafe))
                p += 1
                continue
            }
            if b == .comma {
                commas.append(p)
                lastCommaUnfollowed = p
                p += 1
                continue
            }
            let start = p
            let index = nodes.count
            let began = beginTopLevelValue()
            drain()
            if began && root == nil {
                root = index
                rootEnd = lastEnd
            } else if began {
                extraRoots.append(index)
                if firstExtraStart < 0 { firstExtraStart = start }
                lastCommaUnfollowed = -1
                rootEnd = lastEnd
            }
        }
        if let root, !extraRoots.isEmpty {
            // `[` before the first value, `,` between values that lack one, `]` after the last; a comma after the
            // last value is dropped.
            var edits: [TextEdit] = [.insert("[", at: Int(nodes[root].start))]
            let all = [root] + extraRoots
            for (a, b) in zip(all, all.dropFirst()) {
                let gapStart = Int(nodes[a].end), gapEnd = Int(nodes[b].start)
                if !commas.contains(where: { $0 >= gapStart && $0 < gapEnd }) { edits.append(.insert(",", at: gapStart)) }
            }
            if lastCommaUnfollowed >= 0 { edits.append(.delete(TextRange(start: lastCommaUnfollowed, end: lastCommaUnfollowed + 1))) }
            edits.append(.insert("]", at: rootEnd))
            let r = TextRange(start: firstExtraStart, end: Int(nodes[extraRoots[0]].end))
            report(.trailingContent,
                   "\(extraRoots.count + 1) values follow one another; a JSON document holds one value (use an array or JSON Lines)",
                   r, fix: Fix(title: "Wrap the values in an array", edits: edits, applicability: .unsafe))
        } else if lastCommaUnfollowed >= 0 && root != nil {
            let r = TextRange(start: lastCommaUnfollowed, end: lastCommaUnfollowed + 1)
            report(.trailingComma, "trailing comma after the end of the document", r,
                   fix: Fix(title: "Remove the trailing comma", edits: [.delete(r)], applicability: .safe))
        }
    }

    /// Parses one value starting at `start` (after whitespace) and stops after it (see
    /// `JSONParser.parseStrictValue`). False when no value started there.
    mutating func runValue(at start: Int) -> Bool {
        p = start
        lastEnd = start
        skipTrivia()
        guard p < n else { return false }
        root = nodes.count
        guard beginValue(inObjectValue: false) else { return false }
        drain()
        return true
    }

    /// Starts a value at top level. Returns false when nothing value-like started (the bytes were reported and skipped).
    private mutating func beginTopLevelValue() -> Bool {
        if isPlaceholderStart(p) {
            let r = scanPlaceholder()
            report(.placeholder, "placeholder `\(snippet(r))` stands where a JSON value should be", r,
                   fix: Fix(title: "Remove the placeholder", edits: [.delete(r)], applicability: .unsafe))
            return false
        }
        if !beginValue(inObjectValue: false) {
            skipUnexpected()
            return false
        }
        return true
    }

    /// Runs the container stack until it is empty.
    private mutating func drain() {
        while !stack.isEmpty {
            skipTrivia()
            if p >= n { closeAllAtEOF(); return }
            if stack[stack.count - 1].isObject { objectStep() } else { arrayStep() }
        }
    }

    // MARK: Containers

    private mutating func open(_ kind: NodeKind) {
        // The enclosing frame will expect `,` or its closer once this value finishes.
        if !stack.isEmpty { stack[stack.count - 1].state = .afterValue }
        let index = nodes.count
        nodes.append(Node(start: UInt32(p), end: UInt32(p), subtreeEnd: 0, kind: kind, flags: 0))
        stack.append(Frame(node: index, isObject: kind == .object, keyBase: keys.count, enclosingKeyBloom: keys.bloom))
        keys.bloom = 0
        p += 1
        lastEnd = p
    }

    /// Records the key just appended to the object at `top`: its signature (length and first/last eight
    /// bytes) is compared with the object's earlier keys, so exact duplicate checks run only where two
    /// signatures collide.
    ///
    /// Measured (release, 200 MB compact log, one core): a separate pass over all objects after parsing was
    /// 21% of the parse (it re-reads every node and key); signatures while the key is hot in cache cost ~3%.
    @inline(__always)
    private mutating func noteKey(_ top: Int) {
        let signature = KeyLedger.signature(of: nodes[nodes.count - 1], in: c)
        if keys.note(signature, base: stack[top].keyBase) { stack[top].maybeDuplicateKeys = true }
    }

    private mutating func close(at end: Int, consume: Bool) {
        let f = stack.removeLast()
        keys.bloom = f.enclosingKeyBloom
        if f.isObject && (f.state == .afterKey || f.state == .afterColon) { appendMissing() }
        if f.isObject {
            if f.maybeDuplicateKeys { duplicateCandidates.append(f.node) }
            keys.count = f.keyBase
        }
        nodes[f.node].end = UInt32(end)
        nodes[f.node].subtreeEnd = UInt32(nodes.count)
        if consume { p += 1; lastEnd = p }
    }

    private mutating func appendMissing() {
        nodes.append(Node(start: UInt32(lastEnd), end: UInt32(lastEnd), subtreeEnd: UInt32(nodes.count + 1),
                          kind: .missing, flags: 0))
    }

    private mutating func appendLeaf(_ kind: NodeKind, _ start: Int, _ end: Int, flags: UInt8 = 0) {
        nodes.append(Node(start: UInt32(start), end: UInt32(end), subtreeEnd: UInt32(nodes.count + 1),
                          kind: kind, flags: flags))
        lastEnd = end
    }

    private mutating func closeAllAtEOF() {
        var closers: [UInt8] = []
        for f in stack.reversed() { closers.append(f.isObject ? .closeBrace : .closeBracket) }
        let names = closers.count == 1 ? "`\(Character(Unicode.Scalar(closers[0])))`"
            : "\(closers.count) closing brackets"
        let openAt = nodes[stack[stack.count - 1].node].start
        report(.unbalanced, "document ends before it is complete: missing \(names)",
               TextRange(empty: n),
               notes: [Note(message: "the innermost unclosed bracket opens here",
                            range: TextRange(start: Int(openAt), end: Int(openAt) + 1))],
               fix: Fix(title: "Close the open brackets", edits: [TextEdit(range: TextRange(empty: lastEnd), replacement: closers)],
                        applicability: .unsafe))
        while !stack.isEmpty { close(at: lastEnd, consume: false) }
    }

    /// A closer of the other kind (`]` in an object, `}` in an array).
    private mutating func mismatchedCloser(_ b: UInt8) {
        let inObject = stack[stack.count - 1].isObject
        let expected = inObject ? "}" : "]"
        // `]` in an object whose parent is an array (or `}` in an array whose parent is an object) most likely
        // closes that parent after a forgotten closer; anywhere else the bracket is more likely extra. Closing
        // only one level keeps one slip from cascading into errors for every enclosing container.
        let wantsOther = stack.count >= 2 && stack[stack.count - 2].isObject != inObject
        let r = TextRange(start: p, end: p + 1)
        if wantsOther {
            let openAt = Int(nodes[stack[stack.count - 1].node].start)
            report(.unbalanced, "missing `\(expected)` before `\(Character(Unicode.Scalar(b)))`",
                   TextRange(empty: lastEnd),
                   notes: [Note(message: "the unclosed bracket opens here", range: TextRange(start: openAt, end: openAt + 1))],
                   fix: Fix(title: "Insert `\(expected)`", edits: [.insert(expected, at: lastEnd)], applicability: .unsafe))
            close(at: lastEnd, consume: false)
        } else {
            report(.unbalanced, "unexpected `\(Character(Unicode.Scalar(b)))`: expected `\(expected)`", r,
                   fix: Fix(title: "Remove the extra bracket", edits: [.delete(r)], applicability: .unsafe))
            p += 1
        }
    }

    private mutating func trailingCommaCheck() {
        let f = stack[stack.count - 1]
        guard f.state == .afterComma, f.pendingComma >= 0, !f.commaAbsorbed else { return }
        let r = TextRange(start: f.pendingComma, end: f.pendingComma + 1)
        report(.trailingComma, "trailing comma before `\(f.isObject ? "}" : "]")`", r,
               fix: Fix(title: "Remove the trailing comma", edits: [.delete(r)], applicability: .safe))
    }

    private mutating func extraComma() {
        let r = TextRange(start: p, end: p + 1)
        let what = stack[stack.count - 1].state == .start ? "before the first \(stack[stack.count - 1].isObject ? "member" : "element")"
            : "with nothing between it and the previous comma"
        report(.extraComma, "extra comma \(what)", r,
               fix: Fix(title: "Remove the extra comma", edits: [.delete(r)], applicability: .safe))
        p += 1
        lastEnd = p
    }

    private mutating func missingComma() {
        report(.missingComma, "missing comma between \(stack[stack.count - 1].isObject ? "members" : "elements")",
               TextRange(empty: lastEnd),
               fix: Fix(title: "Insert a comma", edits: [.insert(",", at: lastEnd)], applicability: .safe))
        stack[stack.count - 1].state = .afterComma
        stack[stack.count - 1].pendingComma = -1
    }

    /// `1598296624"` at the end of a line: a quote glued to the value before it, with nothing after it on the line.
    private mutating func strayQuote() -> Bool {
        guard c[p] == .quote, p == lastEnd, restOfLineIsBlank(from: p + 1) else { return false }
        let r = TextRange(start: p, end: p + 1)
        report(.unexpectedCharacter, "stray `\"` after a value", r,
               fix: Fix(title: "Remove the stray quote", edits: [.delete(r)], applicability: .unsafe))
        p += 1
        return true
    }

    /// A placeholder where a member or element should be: report it with a fix that removes it and one adjacent comma.
    private mutating func placeholderItem(itemPrevEnd: Int, comma: Int, what: String) {
        let r = scanPlaceholder()
        let afterEnd = p
        // Peek for a following comma.
        var q = p
        while q < n && c[q].isJSONWhitespace { q += 1 }
        var edit: TextEdit
        var absorbed = false
        if c[q] == .comma {
            // From just after the preceding separator (`,` or the opening bracket) through the following comma.
            edit = .delete(TextRange(start: comma >= 0 ? comma + 1 : itemPrevEnd, end: q + 1))
            p = q + 1
            lastEnd = itemPrevEnd
        } else if comma >= 0 {
            edit = .delete(TextRange(start: comma, end: afterEnd))
            absorbed = true
        } else {
            edit = .delete(TextRange(start: itemPrevEnd, end: afterEnd))
        }
        report(.placeholder, "placeholder `\(snippet(r))` stands for omitted \(what)", r,
               fix: Fix(title: "Remove the placeholder", edits: [edit], applicability: .unsafe))
        if absorbed { stack[stack.count - 1].commaAbsorbed = true }
    }

    /// Strict members (`"key": value,`) or elements (`value,`) in a loop that keeps the frame's state in locals;
    /// a container value is opened and the loop returns true so `drain` continues inside it. Anything unusual
    /// returns false (with the state written back) and the general state machine takes over.
    ///
    /// Measured (release, 200 MB compact log, one core): going through `drain`/`objectStep` for every token
    /// cost 20% of the parse in frame reads and writes (and uniqueness checks on `stack`); this loop halves it.
    @inline(__always)
    private mutating func fastPath(_ top: Int, isObject: Bool) -> Bool {
        var state = stack[top].state
        var pendingComma = stack[top].pendingComma
        var progressed = false
        defer {
            if progressed {
                stack[top].state = state
                stack[top].pendingComma = pendingComma
                stack[top].commaAbsorbed = false
            }
        }
        while true {
            if state == .afterValue {
                guard c[p] == .comma else { return false }
                pendingComma = p
                p += 1
                state = .afterComma
                progressed = true
                skipWhitespace()
                continue
            }
            guard state == .start || state == .afterComma else { return false }
            if isObject {
                guard c[p] == .quote else { return false }
                progressed = true
                scanString()
                noteKey(top)
                state = .afterKey
                skipWhitespace()
                guard c[p] == .colon else { return false }
                p += 1
                lastEnd = p
                state = .afterColon
                skipWhitespace()
            }
            let v = c[p]
            if v == .quote {
                scanString()
            } else if v.isDigit || v == .minus {
                scanNumber()
            } else if (v == .openBrace || v == .openBracket) && c[p + 1] != .openBrace {
                stack[top].state = .afterValue
                stack[top].pendingComma = pendingComma
                stack[top].commaAbsorbed = false
                progressed = false
                open(v == .openBrace ? .object : .array)
                return true
            } else if v == UInt8(ascii: "t") || v == UInt8(ascii: "f") || v == UInt8(ascii: "n") {
                scanWord()
            } else {
                return false
            }
            progressed = true
            state = .afterValue
            skipWhitespace()
        }
    }

    /// Plain JSON whitespace; comments are left to `skipTrivia`.
    @inline(__always)
    private mutating func skipWhitespace() {
        while p < n && c.unchecked(p).isJSONWhitespace { p &+= 1 }
    }

    private mutating func objectStep() {
        let top = stack.count - 1
        if fastPath(top, isObject: true) { return }
        skipTrivia()
        if p >= n { return }
        let b = c[p]
        switch stack[top].state {
        case .start, .afterComma:
            if b == .closeBrace { trailingCommaCheck(); close(at: p + 1, consume: true); return }
            if b == .comma { extraComma(); return }
            if b == .closeBracket { mismatchedCloser(b); return }
            if isPlaceholderStart(p) || isAngleMemberPlaceholder(p) {
                placeholderItem(itemPrevEnd: lastEnd, comma: stack[top].pendingComma, what: "members")
                return
            }
            stack[top].commaAbsorbed = false
            if b == .colon && (c[p + 1] == .quote || c[p + 1] == .apostrophe) {
                // `:"aws:SourceIp" => [...]`: a Ruby symbol with a quoted name; the quotes stay, the colon goes.
                let r = TextRange(start: p, end: p + 1)
                report(.unquotedKey, "object key is a Ruby symbol (`:` before its quoted name)", r,
                       fix: Fix(title: "Remove the symbol's colon", edits: [.delete(r)], applicability: .safe))
                p += 1
                lastEnd = p
                return
            }
            if b == .colon && c[p + 1].isASCIILetter {
                // `:awsRegion => "us-east-1"`: a Ruby symbol as a key.
                let start = p
                p += 1
                while p < n && c[p].isIdentifierByte { p += 1 }
                let r = TextRange(start: start, end: p)
                report(.unquotedKey, "object key `\(snippet(r))` is a Ruby symbol, not a string", r,
                       fix: Fix(title: "Quote the key", edits: [TextEdit(range: TextRange(start: start, end: start + 1), replacement: "\""),
                                                              .insert("\"", at: p)], applicability: .safe))
                appendLeaf(.string, start + 1, p, flags: StringFlags.unquoted.rawValue)
                noteKey(top)
                stack[top].state = .afterKey
                return
            }
            // (A lone word in braces, `{object}`, is a bare value: see `.afterKey`.)
            if let end = strayTextEnd(at: p), !(stack[top].state == .start && nextOnLine(end).byte == .closeBrace) {
                let r = TextRange(start: p, end: end)
                var removal = commentRemovalRange(r)
                if removal == r { while c[removal.end] == .space || c[removal.end] == .tab { removal.end += 1 } }
                report(.strayText, "stray text `\(snippet(r))` where a member should be", r,
                       fix: Fix(title: "Remove the stray text", edits: [.delete(removal)], applicability: .unsafe))
                p = end
                return
            }
            if b == .colon {
                report(.missingKey, "member has no name before `:`", TextRange(start: p, end: p + 1))
                appendMissing()
                stack[top].state = .afterKey
                return
            }
            if scanKey() { noteKey(top); stack[top].state = .afterKey } else { skipUnexpected() }
        case .afterKey:
            if b == .colon { p += 1; lastEnd = p; stack[top].state = .afterColon; return }
            if b == UInt8(ascii: "=") && c[p + 1] == .greaterThan {
                let r = TextRange(start: p, end: p + 2)
                // `"a" => 1` becomes `"a": 1`: the spaces before the arrow go with it.
                var from = p
                while from > lastEnd && (c[from - 1] == .space || c[from - 1] == .tab) { from -= 1 }
                report(.missingColon, "`=>` (Ruby hash syntax) where JSON has `:`", r,
                       fix: Fix(title: "Replace `=>` with `:`", edits: [TextEdit(range: TextRange(start: from, end: p + 2), replacement: ":")],
                                applicability: .safe))
                p += 2
                lastEnd = p
                stack[top].state = .afterColon
                return
            }
            if let colon = swallowedColon(inKey: nodes.count - 1) {
                // The key's closing quote is missing before its colon: the key ends there, and what it swallowed is
                // read again as the member's value (its old closing quote opens the value).
                let key = nodes.count - 1
                let start = Int(nodes[key].start)
                diagnostics.removeAll { $0.range.start == start && $0.rule == .unterminatedString }
                report(.unterminatedString, "key `\(snippet(TextRange(start: start + 1, end: colon)))` has no closing quote before its `:`",
                       TextRange(start: start, end: colon),
                       fix: Fix(title: "Close the key", edits: [.insert("\"", at: colon)], applicability: .unsafe))
                nodes[key].end = UInt32(colon)
                nodes[key].flags |= StringFlags.unterminated.rawValue
                p = colon
                lastEnd = colon
                return
            }
            if b == .closeBrace, nodes.count - 1 == stack[top].node + 1, stack[top].pendingComma < 0 {
                // `{ "arn:aws:s3:::bucket" }`: braces around one bare value.
                let open = Int(nodes[stack[top].node].start), key = nodes.count - 1
                let keyRange = TextRange(start: Int(nodes[key].start), end: Int(nodes[key].end))
                // The key's own finding quotes it when it is a bare word (`{object}` becomes `"object"`).
                let edits: [TextEdit] = [.delete(TextRange(start: open, end: keyRange.start)), .delete(TextRange(start: keyRange.end, end: p + 1))]
                report(.missingValue, "braces hold a bare value `\(snippet(keyRange))`, not a member", keyRange,
                       fix: Fix(title: "Remove the braces around the value", edits: edits, applicability: .unsafe))
                appendMissing()
                stack[top].state = .afterValue
                return
            }
            if b == .comma || b == .closeBrace {
                let key = nodes.count - 1
                report(.missingValue, "member `\(snippet(nodes[key].range))` has no `:` and no value",
                       nodes[key].range)
                appendMissing()
                stack[top].state = .afterValue
                return
            }
            if startsValue(p) {
                report(.missingColon, "missing `:` between member name and value", TextRange(empty: lastEnd),
                       fix: Fix(title: "Insert `:`", edits: [.insert(":", at: lastEnd)], applicability: .safe))
                stack[top].state = .afterColon
                return
            }
            skipUnexpected()
        case .afterColon:
            if b == .comma || b == .closeBrace || b == .closeBracket {
                report(.missingValue, "member has no value after `:`", TextRange(empty: lastEnd))
                appendMissing()
                stack[top].state = .afterValue
                return
            }
            if isPlaceholderStart(p) {
                // The member's key is real data; the placeholder becomes `null` so the key survives.
                let r = scanPlaceholder()
                report(.placeholder, "placeholder `\(snippet(r))` stands for an omitted value", r,
                       fix: Fix(title: "Replace the placeholder with `null`", edits: [TextEdit(range: r, replacement: "null")],
                                applicability: .unsafe))
                stack[top].state = .afterValue
                appendLeaf(.invalid, r.start, r.end)
                return
            }
            stack[top].state = .afterValue
            if !beginValue(inObjectValue: true) {
                stack[top].state = .afterColon
                skipUnexpected()
            }
        case .afterValue:
            if b == .comma { stack[top].pendingComma = p; stack[top].commaAbsorbed = false; p += 1; stack[top].state = .afterComma; return }
            if b == .closeBrace { close(at: p + 1, consume: true); return }
            if b == .closeBracket { mismatchedCloser(b); return }
            if isPlaceholderStart(p) {
                placeholderItem(itemPrevEnd: lastEnd, comma: -1, what: "members")
                return
            }
            if strayQuote() { return }
            if b == .quote || b == .apostrophe || SmartQuote.width(c, p) > 0 || b.isASCIILetter || startsValue(p) {
                missingComma()
                return
            }
            skipUnexpected()
        }
    }

    private mutating func arrayStep() {
        let top = stack.count - 1
        if fastPath(top, isObject: false) { return }
        skipTrivia()
        if p >= n { return }
        let b = c[p]
        switch stack[top].state {
        case .start, .afterComma:
            if b == .closeBracket { trailingCommaCheck(); close(at: p + 1, consume: true); return }
            if b == .comma { extraComma(); return }
            if b == .closeBrace { mismatchedCloser(b); return }
            if isPlaceholderStart(p) {
                placeholderItem(itemPrevEnd: lastEnd,
                                comma: stack[top].commaAbsorbed ? -1 : stack[top].pendingComma, what: "elements")
                return
            }
            stack[top].state = .afterValue
            stack[top].commaAbsorbed = false
            if !beginValue(inObjectValue: false) {
                stack[top].state = .afterComma
                skipUnexpected()
            }
        case .afterValue:
            if b == .comma { stack[top].pendingComma = p; stack[top].commaAbsorbed = false; p += 1; stack[top].state = .afterComma; return }
            if b == .closeBracket { close(at: p + 1, consume: true); return }
            if b == .closeBrace { mismatchedCloser(b); return }
            if isPlaceholderStart(p) {
                placeholderItem(itemPrevEnd: lastEnd, comma: -1, what: "elements")
                return
            }
            if strayQuote() { return }
            if startsValue(p) || b.isASCIILetter { missingComma(); return }
            skipUnexpected()
        default:
            preconditionFailure("array frame in object state")
        }
    }

    // MARK: Values

    /// True when the byte at `i` can begin a value (string of any quoting, number, literal, container).
    private func startsValue(_ i: Int) -> Bool {
        let b = c[i]
        return b == .quote || b == .apostrophe || b == .openBrace || b == .openBracket || b.isDigit || b == .minus
            || b == .plus || SmartQuote.width(c, i) > 0 || b.isASCIILetter || b == .lessThan
            || (b == .dot && c[i + 1].isDigit)
    }

    /// Begins the value at `p`. Containers are pushed; scalars are appended. Returns false when no value starts here.
    private mutating func beginValue(inObjectValue: Bool) -> Bool {
        let b = c[p]
        if let end = templateEnd(at: p) {
            // `{{event_time}}`, `${aws:userid}`: a template's placeholder where a value should be.
            let start = p
            p = max(end, bareTextEnd(from: end))
            quoteBareText(TextRange(start: start, end: p), what: "template placeholder")
            return true
        }
        switch b {
        case .openBrace: open(.object)
        case .openBracket: open(.array)
        case .quote: scanString()
        case .apostrophe: scanAltString(open: 1, smart: false)
        case .minus, .plus, .dot: scanNumber()
        default:
            if b.isDigit { scanNumber() }
            else if stringPrefixWidth(at: p) > 0 { scanPrefixedString() }
            else if SmartQuote.width(c, p) > 0 { scanAltString(open: 3, smart: true) }
            else if b.isASCIILetter || b == .lessThan || b == UInt8(ascii: "_") || b == UInt8(ascii: "$") { scanWord() }
            else { return false }
        }
        return true
    }

    /// Skips bytes that cannot start anything, reporting them once per run.
    private mutating func skipUnexpected() {
        let start = p
        // Unicode whitespace look-alikes in layout position: replace with a space.
        if c[p] == 0xC2 && c[p + 1] == 0xA0 || c[p] == 0xE2 && c[p + 1] == 0x80 && (c[p + 2] == 0x8B || c[p + 2] == 0xAF)
            || c[p] == 0xEF && c[p + 1] == 0xBB && c[p + 2] == 0xBF {
            let w = c[p] == 0xC2 ? 2 : 3
            let r = TextRange(start: p, end: p + w)
            report(.unexpectedCharacter, "non-ASCII space `\(snippet(r))` (U+\(scalarHex(p))) outside a string", r,
                   fix: Fix(title: "Replace with a plain space", edits: [TextEdit(range: r, replacement: " ")], applicability: .safe))
            p += w
            return
        }
        if c[p] >= 0x80 && utf8SequenceLength(c, p) == 0 {
            var q = p
            while q < n && c[q] >= 0x80 && utf8SequenceLength(c, q) == 0 { q += 1 }
            report(.invalidUTF8, "invalid UTF-8 byte sequence", TextRange(start: p, end: q))
            p = q
            return
        }
        // A run of bytes that are not structural, not whitespace, not quotes.
        while p < n {
            let b = c[p]
            if b.isJSONWhitespace || b == .comma || b == .colon || b == .openBrace || b == .closeBrace
                || b == .openBracket || b == .closeBracket || b == .quote { break }
            if p > start && SmartQuote.width(c, p) > 0 { break }
            let w = max(1, utf8SequenceLength(c, p))
            p += w
        }
        if p == start { p += 1 }
        let r = TextRange(start: start, end: p)
        report(.unexpectedCharacter, "unexpected `\(snippet(r))`", r,
               fix: Fix(title: "Remove the unexpected text", edits: [.delete(r)], applicability: .unsafe))
    }

    private func scalarHex(_ i: Int) -> String {
        var v: UInt32 = 0
        let w = utf8SequenceLength(c, i)
        switch w {
        case 2: v = UInt32(c[i] & 0x1F) << 6 | UInt32(c[i + 1] & 0x3F)
        case 3: v = UInt32(c[i] & 0x0F) << 12 | UInt32(c[i + 1] & 0x3F) << 6 | UInt32(c[i + 2] & 0x3F)
        case 4: v = UInt32(c[i] & 0x07) << 18 | UInt32(c[i + 1] & 0x3F) << 12 | UInt32(c[i + 2] & 0x3F) << 6 | UInt32(c[i + 3] & 0x3F)
        default: v = UInt32(c[i])
        }
        let s = String(v, radix: 16, uppercase: true)
        return String(repeating: "0", count: max(0, 4 - s.count)) + s
    }

    // MARK: Trivia

    mutating func skipTrivia() {
        while p < n {
            let b = c.unchecked(p)
            if b.isJSONWhitespace { p &+= 1; continue }
            if b == .slash && c[p + 1] == .slash || b == .hash { skipLineComment(); continue }
            if b == .slash && c[p + 1] == .star { skipBlockComment(); continue }
            if b == UInt8(ascii: "!") || b == .lessThan || b == UInt8(ascii: "(") || b == 0xE2, let (end, what) = markupEnd(at: p) {
                let r = TextRange(start: p, end: end)
                report(.markup, "\(what) `\(snippet(r))` inside a JSON block", r,
                       fix: Fix(title: "Remove the \(what)",
                                edits: [.delete(commentRemovalRange(r))], applicability: .safe))
                p = end
                continue
            }
            return
        }
    }

    private mutating func skipLineComment() {
        let start = p
        while p < n && c[p] != .lf && c[p] != .cr { p += 1 }
        let r = TextRange(start: start, end: p)
        report(.comment, "comments are not allowed in JSON: `\(snippet(r, limit: 30))`", r,
               fix: Fix(title: "Remove the comment", edits: [.delete(commentRemovalRange(r))], applicability: .unsafe))
    }

    private mutating func skipBlockComment() {
        let start = p
        p += 2
        var closed = false
        while p < n {
            if c[p] == .star && c[p + 1] == .slash { p += 2; closed = true; break }
            p += 1
        }
        let r = TextRange(start: start, end: p)
        if closed {
            report(.comment, "comments are not allowed in JSON: `\(snippet(r, limit: 30))`", r,
                   fix: Fix(title: "Remove the comment", edits: [.delete(commentRemovalRange(r))], applicability: .unsafe))
        } else {
            report(.comment, "unterminated block comment runs to the end of the file", r)
        }
    }

    /// The comment plus its line when the comment is alone on its line, so removal leaves no blank line.
    private func commentRemovalRange(_ r: TextRange) -> TextRange {
        var s = r.start
        while s > 0 && (c[s - 1] == .space || c[s - 1] == .tab) { s -= 1 }
        var e = r.end
        while e < n && (c[e] == .space || c[e] == .tab) { e += 1 }
        let startsLine = s == 0 || c[s - 1] == .lf || c[s - 1] == .cr
        let endsLine = e >= n || c[e] == .lf || c[e] == .cr
        if startsLine && endsLine && e < n {
            if c[e] == .cr && c[e + 1] == .lf { e += 2 } else { e += 1 }
            return TextRange(start: s, end: e)
        }
        if endsLine { return TextRange(start: s, end: r.end) }
        return r
    }

    // MARK: Placeholders

    /// `...`, `..more`, `…` where a value, member or element should be.
    private func isPlaceholderStart(_ i: Int) -> Bool {
        if c[i] == UInt8(ascii: "(") { return isPlaceholderStart(i + 1) }
        return (c[i] == .dot && c[i + 1] == .dot) || (c[i] == 0xE2 && c[i + 1] == 0x80 && c[i + 2] == 0xA6)
    }

    /// `<same contents as above>` standing where object members should be (not a value: `"id": <id>` is a bare word).
    private func isAngleMemberPlaceholder(_ i: Int) -> Bool {
        guard c[i] == .lessThan else { return false }
        var q = i + 1
        while q < n && c[q] != .greaterThan && c[q] != .lf && c[q] != .cr { q += 1 }
        guard c[q] == .greaterThan else { return false }
        q += 1
        while q < n && (c[q] == .space || c[q] == .tab) { q += 1 }
        return q >= n || c[q] == .lf || c[q] == .cr || c[q] == .comma || c[q] == .closeBrace
    }

    /// Consumes a placeholder: the dots and any words after them up to `,`, `}`, `]` or the end of the line.
    private mutating func scanPlaceholder() -> TextRange {
        let start = p
        var lastNonSpace = p
        while p < n {
            let b = c[p]
            if b == .comma || b == .closeBrace || b == .closeBracket || b == .lf || b == .cr { break }
            if b == .quote && p > start { break }
            p += max(1, utf8SequenceLength(c, p))
            if !(b == .space || b == .tab) { lastNonSpace = p }
        }
        p = lastNonSpace
        return TextRange(start: start, end: p)
    }

    // MARK: Strings

    /// Reads an object key: a string of any quoting, or a bare identifier / number (`unquoted-key`).
    private mutating func scanKey() -> Bool {
        let b = c[p]
        if b == .quote { scanString(); return true }
        if b == .apostrophe { scanAltString(open: 1, smart: false); return true }
        if SmartQuote.width(c, p) > 0 { scanAltString(open: 3, smart: true); return true }
        if stringPrefixWidth(at: p) > 0 { scanPrefixedString(); return true }
        if b.isIdentifierByte, let end = closingQuoteOfBareKey(from: p) {
            let r = TextRange(start: p, end: end)
            report(.unquotedKey, "object key `\(snippet(TextRange(start: p, end: end - 1)))` is missing its opening quote", r,
                   fix: Fix(title: "Insert the opening quote", edits: [.insert("\"", at: p)], applicability: .safe))
            // The node holds the name without the closing quote, read as an unquoted key.
            appendLeaf(.string, p, end - 1, flags: StringFlags.unquoted.rawValue)
            p = end
            lastEnd = end
            return true
        }
        if b.isIdentifierByte {
            let start = p
            while p < n && c[p].isIdentifierByte { p += 1 }
            let r = TextRange(start: start, end: p)
            let name = snippet(r, limit: 200)
            report(.unquotedKey, "object key `\(name)` is not quoted", r,
                   fix: Fix(title: "Quote the key", edits: [.insert("\"", at: r.start), .insert("\"", at: r.end)],
                            applicability: .safe))
            appendLeaf(.string, start, p, flags: StringFlags.unquoted.rawValue)
            return true
        }
        if b == .openBrace || b == .openBracket {
            report(.missingKey, "expected a member name, found `\(Character(Unicode.Scalar(b)))`",
                   TextRange(start: p, end: p + 1))
            appendMissing()
            return true
        }
        return false
    }

    /// A double-quoted string starting at `p`. The common case (no escapes, no control or non-ASCII bytes)
    /// is handled here; everything else goes to `scanIrregularString`.
    ///
    /// Measured (callgrind, 20 MB compact log): one combined loop cost ~92 instructions per string outside the
    /// byte scan; this split brings the common case to about a third of that.
    @inline(__always)
    private mutating func scanString() {
        let start = p
        let q = c.skipPlainStringBytes(from: p &+ 1)
        if q < n && c.unchecked(q) == .quote {
            p = q &+ 1
            appendLeaf(.string, start, p)
            return
        }
        scanIrregularString()
    }

    @inline(never)
    private mutating func scanIrregularString() {
        let start = p
        p += 1
        var flags: StringFlags = []
        while true {
            // Hot loop: plain bytes of a simple string, eight at a time, then byte by byte.
            p = c.skipPlainStringBytes(from: p)
            if p >= n {
                flags.insert(.unterminated)
                let r = TextRange(start: start, end: n)
                report(.unterminatedString, "string is not terminated before the end of the file",
                       TextRange(start: start, end: min(n, start + 1)),
                       fix: Fix(title: "Close the string", edits: [.insert("\"", at: trimmedEnd(r))], applicability: .unsafe))
                break
            }
            let b = c.unchecked(p)
            if b == .quote { p += 1; break }
            if b == .backslash { flags.insert(.hasEscapes); scanEscape(); continue }
            if b >= 0x80 {
                let w = utf8SequenceLength(c, p)
                if w == 0 {
                    var q = p + 1
                    while q < n && c[q] >= 0x80 && c[q] & 0xC0 == 0x80 { q += 1 }
                    report(.invalidUTF8, "invalid UTF-8 byte sequence in a string", TextRange(start: p, end: q),
                           fix: Fix(title: "Replace with U+FFFD", edits: [TextEdit(range: TextRange(start: p, end: q), replacement: "\\ufffd")],
                                    applicability: .unsafe))
                    flags.insert(.irregular)
                    p = q
                } else {
                    p += w
                }
                continue
            }
            // A raw control character.
            if b == .lf || b == .cr {
                if newlineContinuesString(from: p) {
                    let w = b == .cr && c[p + 1] == .lf ? 2 : 1
                    let r = TextRange(start: p, end: p + w)
                    report(.controlCharacter, "raw line break inside a string", r,
                           fix: Fix(title: "Escape the line break", edits: [TextEdit(range: r, replacement: w == 2 ? "\\r\\n" : (b == .lf ? "\\n" : "\\r"))],
                                    applicability: .safe))
                    flags.insert(.irregular)
                    p += w
                    continue
                }
                flags.insert(.unterminated)
                let insertAt = unterminatedInsertionPoint(start: start + 1, lineEnd: p)
                report(.unterminatedString, "string is not terminated before the end of the line",
                       TextRange(start: start, end: p),
                       fix: Fix(title: "Close the string", edits: [.insert("\"", at: insertAt)], applicability: .unsafe))
                // The string node ends at the end of the line content; the rest of the line is re-read.
                p = insertAt
                break
            }
            let r = TextRange(start: p, end: p + 1)
            report(.controlCharacter, "raw control character U+00\(hex2(b)) inside a string", r,
                   fix: Fix(title: "Escape the control character", edits: [TextEdit(range: r, replacement: escapeFor(b))],
                            applicability: .safe))
            flags.insert(.irregular)
            p += 1
        }
        appendLeaf(.string, start, p, flags: flags.rawValue)
    }

    func hex2(_ b: UInt8) -> String {
        let digits = Array("0123456789ABCDEF".utf8)
        return String(decoding: [digits[Int(b >> 4)], digits[Int(b & 15)]], as: UTF8.self)
    }

    private func escapeFor(_ b: UInt8) -> String {
        switch b {
        case .tab: "\\t"
        case 0x08: "\\b"
        case 0x0C: "\\f"
        default: "\\u00" + hex2(b).lowercased()
        }
    }

    /// Decides whether a raw line break belongs to a multi-line string (true) or ends an unterminated one.
    /// The string continues when the next `"` is followed by `,`, `:`, `}`, `]` or the end of input.
    private func newlineContinuesString(from i: Int) -> Bool {
        var q = i
        while q < n {
            let b = c[q]
            if b == .backslash { q += 2; continue }
            if b == .quote { break }
            q += 1
        }
        guard q < n else { return false }
        var r = q + 1
        while r < n && (c[r] == .space || c[r] == .tab) { r += 1 }
        if r >= n { return true }
        let a = c[r]
        return a == .comma || a == .closeBrace || a == .closeBracket || a == .colon || a == .lf || a == .cr
    }

    /// Where to insert the missing closing quote: the end of the line's content, before a trailing comma.
    private func unterminatedInsertionPoint(start: Int, lineEnd: Int) -> Int {
        var e = lineEnd
        while e > start && (c[e - 1] == .space || c[e - 1] == .tab) { e -= 1 }
        if e > start && c[e - 1] == .comma { e -= 1 }
        return e
    }

    private func trimmedEnd(_ r: TextRange) -> Int {
        var e = r.end
        while e > r.start + 1 && c[e - 1].isJSONWhitespace { e -= 1 }
        return e
    }

    private mutating func scanEscape() {
        let valid = c.validEscapeLength(at: p)
        if valid > 0 { p += valid; return }
        let e = c[p + 1]
        switch e {
        case UInt8(ascii: "u"):
            var q = p + 2
            while q < p + 6 && hexValue(c[q]) != nil { q += 1 }
            report(.invalidEscape, "`\\u` escape needs four hex digits", TextRange(start: p, end: q))
            p = q
        case .apostrophe:
            let r = TextRange(start: p, end: p + 2)
            report(.invalidEscape, "`\\'` is not a JSON escape; an apostrophe needs no escape", r,
                   fix: Fix(title: "Remove the backslash", edits: [.delete(TextRange(start: p, end: p + 1))], applicability: .safe))
            p += 2
        default:
            if p + 1 >= n {
                report(.invalidEscape, "backslash at the end of a string", TextRange(start: p, end: p + 1))
                p += 1
                return
            }
            if e < 0x20 {
                // The control character after it is reported (and escaped) on its own; the backslash is escaped too,
                // so the repaired string still holds a backslash followed by that character.
                report(.invalidEscape, "backslash before a raw control character", TextRange(start: p, end: p + 1),
                       fix: Fix(title: "Escape the backslash", edits: [.insert("\\", at: p)], applicability: .unsafe))
                p += 1
                return
            }
            let w = max(1, utf8SequenceLength(c, p + 1))
            let r = TextRange(start: p, end: p + 1 + w)
            report(.invalidEscape, "invalid escape `\(snippet(r))`", r,
                   fix: Fix(title: "Escape the backslash", edits: [.insert("\\", at: p)], applicability: .unsafe))
            p += 1 + w
        }
    }

    /// A string delimited by `'` or by typographic quotes. Reported, and fixed to a double-quoted string.
    private mutating func scanAltString(open: Int, smart: Bool) {
        let start = p
        p += open
        var flags: StringFlags = smart ? [.smartQuoted] : [.singleQuoted]
        var closeWidth = 0
        var innerQuotes: [Int] = []
        while p < n {
            let b = c[p]
            if !smart && b == .apostrophe { closeWidth = 1; break }
            if smart {
                let w = SmartQuote.width(c, p)
                if w > 0 { closeWidth = w; break }
                if b == .quote { closeWidth = 1; break }
            }
            // A backslash escapes the next byte; at the end of the input there is none (the string ends there).
            if b == .backslash { flags.insert(.hasEscapes); p = min(p + 2, n); continue }
            if b == .lf || b == .cr { break }
            if b == .quote { innerQuotes.append(p) }
            p += max(1, utf8SequenceLength(c, p))
        }
        let r: TextRange
        if closeWidth > 0 {
            p += closeWidth
            r = TextRange(start: start, end: p)
            var edits: [TextEdit] = [TextEdit(range: TextRange(start: start, end: start + open), replacement: "\"")]
            for q in innerQuotes { edits.append(.insert("\\", at: q)) }
            // `\'` inside a single-quoted string means a plain apostrophe.
            if !smart {
                var q = start + 1
                while q < p - 1 {
                    if c[q] == .backslash { if c[q + 1] == .apostrophe { edits.append(.delete(TextRange(start: q, end: q + 1))) }; q += 2 } else { q += 1 }
                }
            }
            edits.append(TextEdit(range: TextRange(start: p - closeWidth, end: p), replacement: "\""))
            if smart {
                report(.smartQuotes, "typographic quotes used as string delimiters in `\(snippet(r))`", r,
                       fix: Fix(title: "Replace with straight double quotes", edits: edits, applicability: .safe))
            } else {
                report(.singleQuotedString, "string `\(snippet(r))` uses single quotes", r,
                       fix: Fix(title: "Use double quotes", edits: edits, applicability: .safe))
            }
        } else {
            flags.insert(.unterminated)
            r = TextRange(start: start, end: p)
            report(smart ? .smartQuotes : .singleQuotedString,
                   "string `\(snippet(r))` opens with \(smart ? "a typographic quote" : "a single quote") and is never closed", r)
        }
        appendLeaf(.string, start, p, flags: flags.rawValue)
    }

    /// `u'userName'`, `b"…"`: a Python string prefix, removed; the string itself is read as any other.
    private mutating func scanPrefixedString() {
        let w = stringPrefixWidth(at: p)
        let r = TextRange(start: p, end: p + w)
        report(.singleQuotedString, "Python string prefix `\(snippet(r))` before a string", r,
               fix: Fix(title: "Remove the string prefix", edits: [.delete(r)], applicability: .safe))
        p += w
        if c[p] == .quote { scanString() } else { scanAltString(open: 1, smart: false) }
    }

    // MARK: Numbers and words

    private mutating func scanNumber() {
        let start = p
        // Strict RFC 8259 grammar first (the hot path: one byte more is read to see that the number ends there).
        let strictEnd = c.strictNumberEnd(from: p)
        if let end = strictEnd, !(c[end] == .minus || c[end] == .slash || c[end] == .colon) {
            p = end
            appendLeaf(.number, start, p)
            return
        }
        if c[start].isDigit, let end = closingQuoteOfBareString(from: start) {
            // `192.0.2.15",`, `2023-05-04T17:20:00Z",`: a value that lost its opening quote.
            missingOpeningQuote(TextRange(start: start, end: end))
            return
        }
        if let end = bareDateEnd(from: p) {
            // `2019-03-04T18:20:31Z`, `2020/01/15 12:00:00`, `192.0.2.01`: text that lost its quotes.
            p = end
            quoteBareText(TextRange(start: start, end: end), what: "date, time or address")
            return
        }
        if let end = strictEnd {
            p = end
            appendLeaf(.number, start, p)
            return
        }
        // Lenient run for the diagnostic.
        var q = start
        while q < n && (ByteCursor.isNumberJunk(c[q]) || c[q] == .minus || c[q] == .plus) { q += 1 }
        p = max(q, start + 1)
        let r = TextRange(start: start, end: p)
        let text = snippet(r, limit: 200)
        if text == "-Infinity" || text == "+Infinity" {
            invalidNumber(r, "`\(text)` is not a JSON number", replacement: "null", applicability: .unsafe)
        } else {
            let (message, replacement, applicability) = Self.diagnoseNumber(text)
            invalidNumber(r, message, replacement: replacement, applicability: applicability)
        }
    }


    private mutating func invalidNumber(_ r: TextRange, _ message: String, replacement: String?, applicability: Applicability) {
        let fix = replacement.map {
            Fix(title: "Replace with `\($0)`", edits: [TextEdit(range: r, replacement: $0)], applicability: applicability)
        }
        report(.invalidNumber, message, r, fix: fix)
        appendLeaf(.invalid, r.start, r.end)
    }

    /// Names what is wrong with a number-like run and proposes a replacement where the intent is clear.
    static func diagnoseNumber(_ text: String) -> (String, String?, Applicability) {
        var body = Substring(text)
        var sign = ""
        if body.hasPrefix("-") { sign = "-"; body = body.dropFirst() }
        else if body.hasPrefix("+") { body = body.dropFirst()
            if !body.isEmpty && body.allSatisfy({ $0.isNumber || $0 == "." || $0 == "e" || $0 == "E" || $0 == "-" || $0 == "+" }),
               Double(String(body)) != nil, !body.hasPrefix(".") {
                return ("number `\(text)` has a leading `+`", String(body), .safe)
            }
            return ("number `\(text)` has a leading `+`", nil, .unsafe)
        }
        let lower = body.lowercased()
        if lower.hasPrefix("0x"), let v = UInt64(lower.dropFirst(2), radix: 16) {
            return ("hexadecimal number `\(text)` is not allowed in JSON", sign + String(v), .unsafe)
        }
        if body.count > 1, body.hasPrefix("0"), body.allSatisfy({ $0.isASCII && $0.isNumber }) {
            // Twelve digits with a leading zero is an AWS account ID that lost its quotes.
            if body.count == 12 && sign.isEmpty {
                return ("number `\(text)` has a leading zero; an account ID must be a string", "\"\(body)\"", .unsafe)
            }
            var trimmed = body.drop { $0 == "0" }
            if trimmed.isEmpty { trimmed = "0" }
            return ("number `\(text)` has leading zeros", sign + trimmed, .unsafe)
        }
        if body.hasPrefix("."), Double("0" + body) != nil {
            return ("number `\(text)` needs a digit before the decimal point", sign + "0" + body, .safe)
        }
        if body.hasSuffix("."), Double(String(body.dropLast())) != nil, !body.dropLast().isEmpty {
            return ("number `\(text)` needs a digit after the decimal point", sign + body.dropLast(), .safe)
        }
        return ("`\(text)` is not a valid JSON number", nil, .unsafe)
    }

    /// A bare word in value position: a literal, a misspelt literal, `NaN`/`Infinity`, or a placeholder such as `String` or `<id>`.
    private mutating func scanWord() {
        let start = p
        // Literals first, by bytes: building the word as a String cost 1,000 instructions per literal (callgrind).
        if let (kind, length) = c.literal(at: p), !c[p + length].isIdentifierByte {
            p += length
            appendLeaf(kind, start, p)
            return
        }
        if c[p] == .lessThan {
            var q = p + 1
            while q < n && c[q] != .greaterThan && c[q] != .lf && c[q] != .cr && c[q] != .comma { q += 1 }
            if c[q] == .greaterThan { p = q + 1 } else { p = q }
        } else {
            while p < n && (c[p].isIdentifierByte) { p += 1 }
        }
        let wordEnd = p
        let word = snippet(TextRange(start: start, end: wordEnd), limit: 200)
        switch word {
        case "true": appendLeaf(.true, start, p); return
        case "false": appendLeaf(.false, start, p); return
        case "null": appendLeaf(.null, start, p); return
        case _ where Self.foreignLiterals.contains(word):
            // Another language's literal, when it stands alone (`None,`): not the start of longer text.
            if endsValue(at: p) { misspeltLiteral(TextRange(start: start, end: p)); return }
        default: break
        }
        // `arn:aws:iam::111122223333:user/Alice",`: a string that lost its opening quote.
        if c[start] != .lessThan, let end = closingQuoteOfBareString(from: start) {
            missingOpeningQuote(TextRange(start: start, end: end))
            return
        }
        // Extend over further words on the same line (`John Smith`, `Jun 21, 2018 10:06:27 PM`), stopping at structure.
        p = max(p, bareTextEnd(from: p))
        let r = TextRange(start: start, end: p)
        if Self.foreignLiterals.contains(snippet(r, limit: 10)) {
            misspeltLiteral(r)
            return
        }
        quoteBareText(r, what: "text")
    }

    /// `NaN`, `Infinity`, and other languages' spellings of `true`, `false` and `null`.
    static let foreignLiterals: Set<String> = ["NaN", "Infinity", "True", "TRUE", "False", "FALSE", "Null", "NULL", "None", "nil"]

    /// `NaN`, `Infinity`, or another language's spelling of `true`, `false` or `null`, at `r` (already consumed).
    private mutating func misspeltLiteral(_ r: TextRange) {
        let text = snippet(r, limit: 10)
        if text == "NaN" || text == "Infinity" {
            invalidNumber(r, "`\(text)` is not a JSON number", replacement: "null", applicability: .unsafe)
            return
        }
        let lit = text == "None" || text == "nil" ? "null" : text.lowercased()
        report(.bareWord, "`\(text)` is not a JSON literal; JSON spells it `\(lit)`", r,
               fix: Fix(title: "Replace with `\(lit)`", edits: [TextEdit(range: r, replacement: lit)], applicability: .unsafe))
        appendLeaf(.invalid, r.start, r.end)
    }

    /// A value at `r` (up to and with its closing quote) that lost its opening quote: consumed and reported.
    private mutating func missingOpeningQuote(_ r: TextRange) {
        p = r.end
        report(.bareWord, "string `\(snippet(TextRange(start: r.start, end: r.end - 1)))` is missing its opening quote", r,
               fix: Fix(title: "Insert the opening quote", edits: [.insert("\"", at: r.start)], applicability: .unsafe))
        appendLeaf(.invalid, r.start, r.end)
    }

    /// Reports unquoted text at `r` (already consumed) with a fix that quotes it.
    private mutating func quoteBareText(_ r: TextRange, what: String) {
        report(.bareWord, "unquoted \(what) `\(snippet(r))` where a value should be", r,
               fix: Fix(title: "Quote it as a string", edits: [TextEdit(range: r, replacement: quoted(r))], applicability: .unsafe))
        appendLeaf(.invalid, r.start, r.end)
    }
}
