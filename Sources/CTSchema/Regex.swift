import Foundation
import Synchronization

/// An ECMA-262 regular expression for the JSON Schema `pattern` and `patternProperties` keywords.
///
/// The supported subset (literals, `.`, classes and ranges, `\d \w \s \D \W \S \b \B`, `\p{…}`, anchors,
/// groups, alternation, greedy and lazy quantifiers `* + ? {m} {m,} {m,n}`) runs on a Pike VM over
/// Unicode scalars decoded from UTF-8 bytes: time is linear in input length × program size, with no
/// backtracking. Patterns with other constructs (look-around, back-references) fall back to
/// `NSRegularExpression`. Matching is a search (unanchored), as JSON Schema requires.
package final class SchemaRegex: Sendable {
    /// The pattern source as written in the schema.
    package let source: String
    private let engine: Engine
    /// The same program as an automaton over ASCII bytes, when it has one.
    private let dfa: ByteDFA?

    private enum Engine: Sendable {
        case pike(PikeProgram)
        case foundation(FoundationRegex)
    }

    /// Compiles `pattern`; returns nil only when neither engine accepts it.
    package init?(_ pattern: String) {
        source = pattern
        if let program = try? RegexCompiler.compile(pattern) {
            engine = .pike(program)
            dfa = ByteDFA(program)
        } else if let fallback = FoundationRegex(pattern) {
            engine = .foundation(fallback)
            dfa = nil
        } else {
            return nil
        }
    }

    /// Compiled patterns by source. The CloudTrail schemas repeat the same few patterns in every version, and
    /// building an automaton is the costly part of compiling (measured: 50 ms of startup without this cache).
    private static let cache = Mutex<[String: SchemaRegex]>([:])

    /// `SchemaRegex(pattern)`, shared with earlier compilations of the same pattern in this process.
    package static func shared(_ pattern: String) -> SchemaRegex? {
        if let r = cache.withLock({ $0[pattern] }) { return r }
        guard let r = SchemaRegex(pattern) else { return nil }
        cache.withLock { $0[pattern] = r }
        return r
    }

    /// True when this pattern runs on the built-in engine (no Foundation fallback).
    package var isNative: Bool { if case .pike = engine { return true } else { return false } }

    /// True when ASCII input runs on a precomputed automaton.
    var hasAutomaton: Bool { dfa != nil }

    /// The automaton's tables as a plain value (valid while this regex is alive), or nil.
    var automaton: ByteDFA.View? { dfa?.view }

    /// The Pike VM's answer, bypassing the automaton (for tests that compare the two).
    func matchesWithoutAutomaton(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        switch engine {
        case .pike(let p): return p.search(bytes)
        case .foundation(let f): return f.matches(String(decoding: bytes, as: UTF8.self))
        }
    }

    /// True when the pattern matches somewhere in the UTF-8 bytes.
    package func matches(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        if let dfa, let found = dfa.search(bytes) { return found }
        switch engine {
        case .pike(let p): return p.search(bytes)
        case .foundation(let f): return f.matches(String(decoding: bytes, as: UTF8.self))
        }
    }

    /// True when the pattern matches somewhere in `string`.
    package func matches(_ string: String) -> Bool {
        var s = string
        return s.withUTF8 { matches($0) }
    }

    /// True when the pattern matches somewhere in `bytes[range]`.
    package func matches(_ bytes: [UInt8], in range: Range<Int>) -> Bool {
        bytes.withUnsafeBufferPointer { buf in
            matches(UnsafeBufferPointer(rebasing: buf[range]))
        }
    }
}

/// `NSRegularExpression` is documented as thread-safe once built.
final class FoundationRegex: @unchecked Sendable {
    let regex: NSRegularExpression
    init?(_ pattern: String) {
        guard let r = try? NSRegularExpression(pattern: pattern, options: []) else { return nil }
        regex = r
    }
    func matches(_ s: String) -> Bool {
        regex.firstMatch(in: s, options: [], range: NSRange(s.startIndex..., in: s)) != nil
    }
}

// MARK: - Character classes

/// A set of Unicode scalars: sorted ranges plus general-category predicates.
struct ScalarSet: Sendable, Hashable {
    var ranges: [ClosedRange<UInt32>] = []
    /// General-category groups (see `UnicodeProperty`) and whether each is negated.
    var properties: [UnicodePropertyTest] = []
    var negated = false

    func contains(_ c: UInt32) -> Bool {
        var hit = false
        for r in ranges where r.contains(c) { hit = true; break }
        if !hit {
            for p in properties where p.matches(c) { hit = true; break }
        }
        return hit != negated
    }

    static let digits = ScalarSet(ranges: [0x30...0x39])
    static let word = ScalarSet(ranges: [0x30...0x39, 0x41...0x5A, 0x5F...0x5F, 0x61...0x7A])
    static let space = ScalarSet(ranges: [0x09...0x0D, 0x20...0x20, 0xA0...0xA0, 0x1680...0x1680,
                                          0x2000...0x200A, 0x2028...0x2029, 0x202F...0x202F,
                                          0x205F...0x205F, 0x3000...0x3000, 0xFEFF...0xFEFF])

    /// The complement of plain ranges (no properties), as ranges.
    static func complement(_ ranges: [ClosedRange<UInt32>]) -> [ClosedRange<UInt32>] {
        var out: [ClosedRange<UInt32>] = []
        var next: UInt32 = 0
        for r in ranges.sorted(by: { $0.lowerBound < $1.lowerBound }) {
            if r.lowerBound > next { out.append(next...(r.lowerBound - 1)) }
            next = max(next, r.upperBound &+ 1)
        }
        if next <= 0x10FFFF { out.append(next...0x10FFFF) }
        return out
    }
}

/// A `\p{…}` test on a scalar's general category.
struct UnicodePropertyTest: Sendable, Hashable {
    var categories: Set<UInt8>
    var negated: Bool

    func matches(_ c: UInt32) -> Bool {
        guard let s = Unicode.Scalar(c) else { return negated }
        return categories.contains(UnicodePropertyTest.code(s.properties.generalCategory)) != negated
    }

    static func code(_ g: Unicode.GeneralCategory) -> UInt8 {
        switch g {
        case .uppercaseLetter: 0
        case .lowercaseLetter: 1
        case .titlecaseLetter: 2
        case .modifierLetter: 3
        case .otherLetter: 4
        case .nonspacingMark: 10
        case .spacingMark: 11
        case .enclosingMark: 12
        case .decimalNumber: 20
        case .letterNumber: 21
        case .otherNumber: 22
        case .connectorPunctuation: 30
        case .dashPunctuation: 31
        case .openPunctuation: 32
        case .closePunctuation: 33
        case .initialPunctuation: 34
        case .finalPunctuation: 35
        case .otherPunctuation: 36
        case .mathSymbol: 40
        case .currencySymbol: 41
        case .modifierSymbol: 42
        case .otherSymbol: 43
        case .spaceSeparator: 50
        case .lineSeparator: 51
        case .paragraphSeparator: 52
        case .control: 60
        case .format: 61
        case .surrogate: 62
        case .privateUse: 63
        case .unassigned: 64
        @unknown default: 64
        }
    }

    /// Category codes for a property name (`L`, `Letter`, `Lu`, `Uppercase_Letter`, `General_Category=L`…).
    static func categories(named rawName: String) -> Set<UInt8>? {
        var name = rawName
        for prefix in ["General_Category=", "gc="] where name.hasPrefix(prefix) { name = String(name.dropFirst(prefix.count)) }
        let table: [String: [UInt8]] = [
            "L": [0, 1, 2, 3, 4], "Letter": [0, 1, 2, 3, 4], "LC": [0, 1, 2], "Cased_Letter": [0, 1, 2],
            "Lu": [0], "Uppercase_Letter": [0], "Ll": [1], "Lowercase_Letter": [1], "Lt": [2], "Titlecase_Letter": [2],
            "Lm": [3], "Modifier_Letter": [3], "Lo": [4], "Other_Letter": [4],
            "M": [10, 11, 12], "Mark": [10, 11, 12], "Mn": [10], "Nonspacing_Mark": [10], "Mc": [11],
            "Spacing_Mark": [11], "Me": [12], "Enclosing_Mark": [12],
            "N": [20, 21, 22], "Number": [20, 21, 22], "Nd": [20], "Decimal_Number": [20], "digit": [20],
            "Nl": [21], "Letter_Number": [21], "No": [22], "Other_Number": [22],
            "P": [30, 31, 32, 33, 34, 35, 36], "Punctuation": [30, 31, 32, 33, 34, 35, 36], "punct": [30, 31, 32, 33, 34, 35, 36],
            "Pc": [30], "Pd": [31], "Ps": [32], "Pe": [33], "Pi": [34], "Pf": [35], "Po": [36],
            "S": [40, 41, 42, 43], "Symbol": [40, 41, 42, 43], "Sm": [40], "Sc": [41], "Sk": [42], "So": [43],
            "Z": [50, 51, 52], "Separator": [50, 51, 52], "Zs": [50], "Zl": [51], "Zp": [52],
            "C": [60, 61, 62, 63, 64], "Other": [60, 61, 62, 63, 64], "Cc": [60], "Control": [60], "Cf": [61],
            "Format": [61], "Cs": [62], "Co": [63], "Cn": [64], "Unassigned": [64],
        ]
        return table[name].map(Set.init)
    }
}

// MARK: - Program

enum Inst: Sendable, Hashable {
    case scalar(UInt32)
    /// `.`: any scalar except line terminators.
    case any
    case set(Int)
    case split(Int, Int)
    case jump(Int)
    case lineStart
    case lineEnd
    case wordBoundary(Bool)
    case match
}

struct PikeProgram: Sendable {
    var insts: [Inst]
    var sets: [ScalarSet]

    private static func isLineTerminator(_ c: UInt32) -> Bool {
        c == 0x0A || c == 0x0D || c == 0x2028 || c == 0x2029
    }

    private static func isWord(_ c: UInt32) -> Bool {
        (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5A) || c == 0x5F || (c >= 0x61 && c <= 0x7A)
    }

    /// Decodes one scalar at `i`; invalid sequences read as U+FFFD, one byte at a time.
    @inline(__always)
    static func decode(_ b: UnsafeBufferPointer<UInt8>, _ i: Int) -> (UInt32, Int) {
        let b0 = UInt32(b[i])
        if b0 < 0x80 { return (b0, 1) }
        func cont(_ j: Int) -> UInt32? {
            guard j < b.count, b[j] & 0xC0 == 0x80 else { return nil }
            return UInt32(b[j] & 0x3F)
        }
        if b0 & 0xE0 == 0xC0, let c1 = cont(i + 1) {
            let v = (b0 & 0x1F) << 6 | c1
            if v >= 0x80 { return (v, 2) }
        } else if b0 & 0xF0 == 0xE0, let c1 = cont(i + 1), let c2 = cont(i + 2) {
            let v = (b0 & 0x0F) << 12 | c1 << 6 | c2
            if v >= 0x800 { return (v, 3) }
        } else if b0 & 0xF8 == 0xF0, let c1 = cont(i + 1), let c2 = cont(i + 2), let c3 = cont(i + 3) {
            let v = (b0 & 0x07) << 18 | c1 << 12 | c2 << 6 | c3
            if v >= 0x10000 && v <= 0x10FFFF { return (v, 4) }
        }
        return (0xFFFD, 1)
    }

    /// Unanchored search: true when some substring matches. Uses stack-allocated thread lists.
    func search(_ input: UnsafeBufferPointer<UInt8>) -> Bool {
        let n = insts.count
        return withUnsafeTemporaryAllocation(of: Int32.self, capacity: 3 * n + 2) { mem -> Bool in
            // mem[0..<n]: current list, mem[n..<2n]: next list, mem[2n..<3n]: closure stack.
            return withUnsafeTemporaryAllocation(of: UInt32.self, capacity: n) { marks -> Bool in
                marks.initialize(repeating: 0)
                var generation: UInt32 = 0
                var cur = 0, nxt = n
                var curCount = 0, nxtCount = 0
                var pos = 0
                var prev: UInt32 = 0xFFFF_FFFF  // none
                let end = input.count
                let anchored = insts.first == .lineStart

                // Adds the ε-closure of `pc` to the list at `base`, for the position between `prev` and `next`.
                func add(_ pc0: Int, base: Int, count: inout Int, next: UInt32) -> Bool {
                    var sp = 0
                    let stack = 2 * n
                    mem[stack] = Int32(pc0); sp = 1
                    while sp > 0 {
                        sp -= 1
                        let pc = Int(mem[stack + sp])
                        if marks[pc] == generation { continue }
                        marks[pc] = generation
                        switch insts[pc] {
                        case .jump(let t):
                            mem[stack + sp] = Int32(t); sp += 1
                        case .split(let a, let b):
                            mem[stack + sp] = Int32(b); sp += 1
                            mem[stack + sp] = Int32(a); sp += 1
                        case .lineStart:
                            if prev == 0xFFFF_FFFF { mem[stack + sp] = Int32(pc + 1); sp += 1 }
                        case .lineEnd:
                            if next == 0xFFFF_FFFF { mem[stack + sp] = Int32(pc + 1); sp += 1 }
                        case .wordBoundary(let want):
                            let a = prev != 0xFFFF_FFFF && PikeProgram.isWord(prev)
                            let b = next != 0xFFFF_FFFF && PikeProgram.isWord(next)
                            if (a != b) == want { mem[stack + sp] = Int32(pc + 1); sp += 1 }
                        case .match:
                            return true
                        case .scalar, .any, .set:
                            mem[base + count] = Int32(pc); count += 1
                        }
                    }
                    return false
                }

                while true {
                    var next: UInt32 = 0xFFFF_FFFF
                    var width = 0
                    if pos < end { (next, width) = PikeProgram.decode(input, pos) }
                    // Threads carried from the previous step were added under the previous generation
                    // when the list was built; start a fresh generation for this position's closure.
                    generation &+= 1
                    // Re-mark carried threads so the new start thread does not duplicate them.
                    for k in 0..<curCount { marks[Int(mem[cur + k])] = generation }
                    if pos == 0 || !anchored, add(0, base: cur, count: &curCount, next: next) { return true }
                    if curCount == 0 && anchored && pos > 0 { return false }
                    if pos >= end { return false }
                    generation &+= 1
                    nxtCount = 0
                    var after: UInt32 = 0xFFFF_FFFF
                    if pos + width < end { after = PikeProgram.decode(input, pos + width).0 }
                    prev = next  // the closures below sit after this scalar
                    var k = 0
                    while k < curCount {
                        let pc = Int(mem[cur + k])
                        k += 1
                        let ok: Bool
                        switch insts[pc] {
                        case .scalar(let c): ok = c == next
                        case .any: ok = !PikeProgram.isLineTerminator(next)
                        case .set(let s): ok = sets[s].contains(next)
                        default: ok = false
                        }
                        if ok, add(pc + 1, base: nxt, count: &nxtCount, next: after) { return true }
                    }
                    pos += width
                    swap(&cur, &nxt)
                    curCount = nxtCount
                }
            }
        }
    }
}

// MARK: - Parser and compiler

enum RegexError: Error { case unsupported, syntax, tooLarge }

private indirect enum RegexNode {
    case empty
    case scalar(UInt32)
    case any
    case set(ScalarSet)
    case lineStart, lineEnd
    case wordBoundary(Bool)
    case concat([RegexNode])
    case alternation([RegexNode])
    case repeatNode(RegexNode, min: Int, max: Int?)  // max nil: unbounded
}

enum RegexCompiler {
    static let maxInstructions = 20_000

    static func compile(_ pattern: String) throws -> PikeProgram {
        var parser = RegexParser(scalars: Array(pattern.unicodeScalars.map(\.value)))
        let tree = try parser.parseAlternation()
        guard parser.pos == parser.scalars.count else { throw RegexError.syntax }
        var emitter = Emitter()
        try emitter.emit(tree)
        emitter.insts.append(.match)
        return PikeProgram(insts: emitter.insts, sets: emitter.sets)
    }

    private struct Emitter {
        var insts: [Inst] = []
        var sets: [ScalarSet] = []

        mutating func emit(_ node: RegexNode) throws {
            if insts.count > RegexCompiler.maxInstructions { throw RegexError.tooLarge }
            switch node {
            case .empty: break
            case .scalar(let c): insts.append(.scalar(c))
            case .any: insts.append(.any)
            case .set(let s):
                if let i = sets.firstIndex(of: s) { insts.append(.set(i)) } else { sets.append(s); insts.append(.set(sets.count - 1)) }
            case .lineStart: insts.append(.lineStart)
            case .lineEnd: insts.append(.lineEnd)
            case .wordBoundary(let b): insts.append(.wordBoundary(b))
            case .concat(let parts): for p in parts { try emit(p) }
            case .alternation(let alts):
                // split L1, next; L1: alt0; jump end; next: split L2, … ; last alt
                var jumps: [Int] = []
                for (i, a) in alts.enumerated() {
                    if i < alts.count - 1 {
                        let split = insts.count
                        insts.append(.split(split + 1, -1))
                        try emit(a)
                        jumps.append(insts.count)
                        insts.append(.jump(-1))
                        insts[split] = .split(split + 1, insts.count)
                    } else {
                        try emit(a)
                    }
                }
                for j in jumps { insts[j] = .jump(insts.count) }
            case .repeatNode(let inner, let min, let max):
                for _ in 0..<min { try emit(inner) }
                if let max {
                    // Optional copies: split body, end; nested so each copy depends on the previous.
                    var splits: [Int] = []
                    for _ in min..<max {
                        splits.append(insts.count)
                        insts.append(.split(insts.count + 1, -1))
                        try emit(inner)
                    }
                    for s in splits { insts[s] = .split(s + 1, insts.count) }
                } else {
                    // L: split body, end; body; jump L
                    let loop = insts.count
                    insts.append(.split(loop + 1, -1))
                    try emit(inner)
                    insts.append(.jump(loop))
                    insts[loop] = .split(loop + 1, insts.count)
                }
            }
        }
    }
}

private struct RegexParser {
    let scalars: [UInt32]
    var pos = 0

    init(scalars: [UInt32]) { self.scalars = scalars }

    var atEnd: Bool { pos >= scalars.count }
    func peek() -> UInt32? { pos < scalars.count ? scalars[pos] : nil }
    mutating func take() throws -> UInt32 {
        guard pos < scalars.count else { throw RegexError.syntax }
        defer { pos += 1 }
        return scalars[pos]
    }
    func ch(_ s: Unicode.Scalar) -> UInt32 { s.value }

    mutating func parseAlternation() throws -> RegexNode {
        var alts = [try parseConcat()]
        while peek() == ch("|") {
            pos += 1
            alts.append(try parseConcat())
        }
        return alts.count == 1 ? alts[0] : .alternation(alts)
    }

    mutating func parseConcat() throws -> RegexNode {
        var parts: [RegexNode] = []
        while let c = peek(), c != ch("|"), c != ch(")") {
            var atom = try parseAtom()
            atom = try parseQuantifier(atom)
            parts.append(atom)
        }
        return parts.count == 1 ? parts[0] : (parts.isEmpty ? .empty : .concat(parts))
    }

    mutating func parseQuantifier(_ atom: RegexNode) throws -> RegexNode {
        guard let c = peek() else { return atom }
        var minCount: Int, maxCount: Int?
        switch c {
        case ch("*"): minCount = 0; maxCount = nil; pos += 1
        case ch("+"): minCount = 1; maxCount = nil; pos += 1
        case ch("?"): minCount = 0; maxCount = 1; pos += 1
        case ch("{"):
            let save = pos
            pos += 1
            guard let m = parseInt() else { pos = save; return atom }  // literal `{` (Annex B)
            minCount = m
            if peek() == ch(",") {
                pos += 1
                maxCount = parseInt()
            } else {
                maxCount = m
            }
            guard peek() == ch("}") else { pos = save; return atom }
            pos += 1
            if let mx = maxCount, mx < minCount { throw RegexError.syntax }
            if minCount > 1000 || (maxCount ?? 0) > 1000 { throw RegexError.tooLarge }
        default:
            return atom
        }
        switch atom {
        case .lineStart, .lineEnd, .wordBoundary: throw RegexError.syntax
        default: break
        }
        if peek() == ch("?") { pos += 1 }  // lazy: same language for a yes/no search
        if case .repeatNode = atom { if peek() == ch("*") || peek() == ch("+") { throw RegexError.syntax } }
        return .repeatNode(atom, min: minCount, max: maxCount)
    }

    mutating func parseInt() -> Int? {
        var v = 0, any = false
        while let c = peek(), c >= 0x30, c <= 0x39 {
            v = min(v * 10 + Int(c - 0x30), 100_000); any = true; pos += 1
        }
        return any ? v : nil
    }

    mutating func parseAtom() throws -> RegexNode {
        let c = try take()
        switch c {
        case ch("."): return .any
        case ch("^"): return .lineStart
        case ch("$"): return .lineEnd
        case ch("("):
            if peek() == ch("?") {
                pos += 1
                let k = try take()
                if k == ch(":") {
                    // non-capturing
                } else if k == ch("<"), let n = peek(), n != ch("="), n != ch("!") {
                    while let x = peek(), x != ch(">") { pos += 1 }
                    guard peek() == ch(">") else { throw RegexError.syntax }
                    pos += 1
                } else {
                    throw RegexError.unsupported  // look-around
                }
            }
            let inner = try parseAlternation()
            guard peek() == ch(")") else { throw RegexError.syntax }
            pos += 1
            return inner
        case ch(")"): throw RegexError.syntax
        case ch("["): return .set(try parseClass())
        case ch("*"), ch("+"), ch("?"): throw RegexError.syntax
        case ch("\\"): return try parseEscape()
        default: return .scalar(c)
        }
    }

    mutating func parseEscape() throws -> RegexNode {
        let e = try take()
        switch e {
        case ch("b"): return .wordBoundary(true)
        case ch("B"): return .wordBoundary(false)
        case ch("1")...ch("9"): throw RegexError.unsupported  // back-reference
        case ch("k"): throw RegexError.unsupported
        default:
            pos -= 1
            let item = try parseClassEscape(inClass: false)
            switch item {
            case .scalar(let s): return .scalar(s)
            case .set(let s): return .set(s)
            }
        }
    }

    enum ClassItem { case scalar(UInt32), set(ScalarSet) }

    /// Parses an escape after the backslash (shared by atoms and classes).
    mutating func parseClassEscape(inClass: Bool) throws -> ClassItem {
        let e = try take()
        switch e {
        case ch("d"): return .set(.digits)
        case ch("D"): return .set(ScalarSet(ranges: ScalarSet.complement(ScalarSet.digits.ranges)))
        case ch("w"): return .set(.word)
        case ch("W"): return .set(ScalarSet(ranges: ScalarSet.complement(ScalarSet.word.ranges)))
        case ch("s"): return .set(.space)
        case ch("S"): return .set(ScalarSet(ranges: ScalarSet.complement(ScalarSet.space.ranges)))
        case ch("n"): return .scalar(0x0A)
        case ch("r"): return .scalar(0x0D)
        case ch("t"): return .scalar(0x09)
        case ch("v"): return .scalar(0x0B)
        case ch("f"): return .scalar(0x0C)
        case ch("0"):
            if let n = peek(), n >= 0x30, n <= 0x39 { throw RegexError.unsupported }
            return .scalar(0)
        case ch("b") where inClass: return .scalar(0x08)
        case ch("-") where inClass: return .scalar(e)
        case ch("c"):
            let l = try take()
            guard (l >= 0x41 && l <= 0x5A) || (l >= 0x61 && l <= 0x7A) else { throw RegexError.unsupported }
            return .scalar(l % 32)
        case ch("x"):
            guard let v = parseHex(count: 2) else { throw RegexError.syntax }
            return .scalar(v)
        case ch("u"):
            if peek() == ch("{") {
                pos += 1
                var v: UInt32 = 0, digits = 0
                while let h = peek(), let d = hexDigit(h) { v = v &* 16 &+ d; digits += 1; pos += 1 }
                guard digits > 0, peek() == ch("}"), v <= 0x10FFFF else { throw RegexError.syntax }
                pos += 1
                return .scalar(v)
            }
            guard let hi = parseHex(count: 4) else { throw RegexError.syntax }
            // Surrogate pair written as two \u escapes.
            if hi >= 0xD800 && hi <= 0xDBFF, peek() == ch("\\"), pos + 1 < scalars.count, scalars[pos + 1] == ch("u") {
                let save = pos
                pos += 2
                if let lo = parseHex(count: 4), lo >= 0xDC00 && lo <= 0xDFFF {
                    return .scalar(0x10000 + (hi - 0xD800) << 10 + (lo - 0xDC00))
                }
                pos = save
            }
            return .scalar(hi)
        case ch("p"), ch("P"):
            guard peek() == ch("{") else { throw RegexError.unsupported }
            pos += 1
            var name = ""
            while let x = peek(), x != ch("}") { name.unicodeScalars.append(Unicode.Scalar(x)!); pos += 1 }
            guard peek() == ch("}") else { throw RegexError.syntax }
            pos += 1
            guard let cats = UnicodePropertyTest.categories(named: name) else { throw RegexError.unsupported }
            return .set(ScalarSet(properties: [UnicodePropertyTest(categories: cats, negated: e == ch("P"))]))
        default:
            // Identity escape of a syntax character (or `/`).
            let syntax = "^$\\.*+?()[]{}|/"
            if syntax.unicodeScalars.contains(where: { $0.value == e }) { return .scalar(e) }
            throw RegexError.unsupported
        }
    }

    func hexDigit(_ c: UInt32) -> UInt32? {
        switch c {
        case 0x30...0x39: c - 0x30
        case 0x41...0x46: c - 0x41 + 10
        case 0x61...0x66: c - 0x61 + 10
        default: nil
        }
    }

    mutating func parseHex(count: Int) -> UInt32? {
        guard pos + count <= scalars.count else { return nil }
        var v: UInt32 = 0
        for k in 0..<count {
            guard let d = hexDigit(scalars[pos + k]) else { return nil }
            v = v * 16 + d
        }
        pos += count
        return v
    }

    mutating func parseClass() throws -> ScalarSet {
        var set = ScalarSet()
        if peek() == ch("^") { set.negated = true; pos += 1 }
        var first = true
        while true {
            guard let c = peek() else { throw RegexError.syntax }
            if c == ch("]") && !(first && false) { pos += 1; break }
            first = false
            let lo = try classAtom()
            if peek() == ch("-"), pos + 1 < scalars.count, scalars[pos + 1] != ch("]") {
                pos += 1
                let hi = try classAtom()
                guard case .scalar(let a) = lo, case .scalar(let b) = hi else { throw RegexError.syntax }
                guard a <= b else { throw RegexError.syntax }
                set.ranges.append(a...b)
            } else {
                switch lo {
                case .scalar(let a): set.ranges.append(a...a)
                case .set(let s):
                    if s.negated { throw RegexError.unsupported }
                    set.ranges.append(contentsOf: s.ranges)
                    set.properties.append(contentsOf: s.properties)
                }
            }
        }
        return set
    }

    mutating func classAtom() throws -> ClassItem {
        let c = try take()
        if c == ch("\\") { return try parseClassEscape(inClass: true) }
        return .scalar(c)
    }
}
