import CTCore
import CTInput
import CTJSON
import CTMarkdown
import CTRules

/// What fixing one document did.
public struct FixOutcome: Sendable {
    /// The new bytes (equal to the input when nothing changed or the fix was refused).
    public var output: [UInt8]
    /// Fixes applied, per rule id.
    public var applied: [String: Int] = [:]
    /// Findings left after fixing, in the output's coordinates.
    public var remaining: [Diagnostic] = []
    /// Why the output was refused (the input is then left untouched), if it was.
    public var refusal: Diagnostic?

    public var changed: Bool { refusal == nil && !applied.isEmpty }
}

/// Applies fixes: safe ones by default, unsafe ones on request; re-lints until nothing changes (with a cap),
/// verifies that the result parses strictly and that no original value was lost.
public struct Fixer: Sendable {
    public var linter: Linter
    public var includeUnsafe: Bool
    /// Re-lint passes before giving up (each pass applies every non-overlapping fix).
    public var maxPasses = 12

    public init(linter: Linter, includeUnsafe: Bool) {
        self.linter = linter
        self.includeUnsafe = includeUnsafe
    }

    public func fix(_ bytes: [UInt8], format: DocumentFormat, fileName: String? = nil) -> FixOutcome {
        switch format {
        case .json: return fixJSON(bytes, fileName: fileName)
        case .jsonLines: return fixLines(bytes, fileName: fileName)
        case .markdown: return fixMarkdown(bytes)
        }
    }

    /// Chooses non-overlapping fixes in order of position. Two insertions at the same offset overlap.
    /// A fix with an edit outside `0...length`, or with edits that overlap one another, is never chosen (a rule's
    /// bug then leaves the finding unfixed instead of stopping the run).
    static func nonOverlapping(_ diagnostics: [Diagnostic], includeUnsafe: Bool, length: Int) -> [Diagnostic] {
        var chosen: [Diagnostic] = []
        var taken: [TextRange] = []
        for d in diagnostics.sorted(by: { ($0.fix?.span?.start ?? 0, $0) < ($1.fix?.span?.start ?? 0, $1) }) {
            guard let fix = d.fix, !fix.edits.isEmpty, includeUnsafe || fix.applicability == .safe,
                  TextEdit.areApplicable(fix.edits, toLength: length) else { continue }
            let clash = fix.edits.contains { e in taken.contains { Self.clash(e.range, $0) } }
            if clash { continue }
            chosen.append(d)
            taken.append(contentsOf: fix.edits.map(\.range))
        }
        return chosen
    }

    /// Two edits conflict when their ranges overlap, when both insert at one offset, or when one inserts
    /// strictly inside the other's range. Touching ranges do not conflict.
    static func clash(_ a: TextRange, _ b: TextRange) -> Bool {
        if a.isEmpty && b.isEmpty { return a.start == b.start }
        if a.isEmpty { return a.start > b.start && a.start < b.end }
        if b.isEmpty { return b.start > a.start && b.start < a.end }
        return a.start < b.end && b.start < a.end
    }

    func fixJSON(_ original: [UInt8], fileName: String?) -> FixOutcome {
        var current = original
        var outcome = FixOutcome(output: original)
        // Each pass lints once: the result of the last pass describes `current` when the loop ends.
        let first = linter.lintJSON(original, fileName: fileName)
        var result = first
        var requiredValues = ValueInventory(first.tree)
        for _ in 0..<maxPasses {
            let chosen = Self.nonOverlapping(result.diagnostics, includeUnsafe: includeUnsafe, length: current.count)
            if chosen.isEmpty { break }
            let edits = chosen.flatMap { $0.fix!.edits }
            // What the applied fixes say they remove: syntax fixes only what they delete outright (a placeholder
            // member, a repeated member); value fixes (a timestamp, an address) the values they rewrite.
            requiredValues.exempt(valuesOf: result.tree, inside: edits.filter { $0.replacement.isEmpty }.map(\.range))
            let rewrites = chosen.filter { RuleRegistry.metadata(for: $0.rule)?.category != .syntax }.flatMap { $0.fix!.edits.map(\.range) }
            requiredValues.exempt(valuesOf: result.tree, touchedBy: rewrites)
            current = TextEdit.apply(edits, to: current)
            for d in chosen { outcome.applied[d.rule, default: 0] += 1 }
            result = linter.lintJSON(current, fileName: fileName)
        }
        outcome.remaining = result.diagnostics
        if outcome.applied.isEmpty { return outcome }
        let finalTree = result.tree
        // Verification 1: the output parses strictly whenever the input could be repaired.
        if !finalTree.diagnostics.filter({ $0.severity == .error }).isEmpty {
            let left = finalTree.diagnostics.filter { $0.severity == .error }
            outcome.refusal = Diagnostic(
                rule: "unrepairable", severity: .error,
                message: "not rewritten: \(left.count) syntax error\(left.count == 1 ? "" : "s") would remain without a fix (first: \(left[0].message))",
                range: TextRange(empty: 0))
            outcome.output = original
            outcome.remaining = first.diagnostics
            return outcome
        }
        // Verification 2: every original value survives, except what applied fixes removed.
        if let lost = requiredValues.firstMissing(in: finalTree) {
            outcome.refusal = Diagnostic(
                rule: "internal-error", severity: .error,
                message: "not rewritten: the fixes would lose the value `\(lost)`; please report this",
                range: TextRange(empty: 0))
            outcome.output = original
            return outcome
        }
        outcome.output = current
        return outcome
    }

    /// Each non-blank line is fixed as its own document; line breaks and blank lines are copied as they are.
    func fixLines(_ bytes: [UInt8], fileName: String?) -> FixOutcome {
        var out: [UInt8] = []
        var outcome = FixOutcome(output: bytes)
        var cursor = 0
        for span in JSONLinesReader.lineSpans(in: bytes) {
            out.append(contentsOf: bytes[cursor..<span.range.start])
            let line = Array(bytes[span.range.start..<span.range.end])
            let r = fixJSON(line, fileName: fileName)
            if let refusal = r.refusal, outcome.refusal == nil { outcome.refusal = refusal.shifted(by: span.range.start) }
            for (k, v) in r.applied where r.refusal == nil { outcome.applied[k, default: 0] += v }
            out.append(contentsOf: r.refusal == nil ? r.output : line)
            cursor = span.range.end
        }
        out.append(contentsOf: bytes[cursor...])
        if outcome.refusal != nil && outcome.applied.isEmpty { return outcome }
        outcome.refusal = nil
        outcome.output = out
        outcome.remaining = linter.lint(out, format: .jsonLines, fileName: fileName)
        return outcome
    }

    func fixMarkdown(_ page: [UInt8]) -> FixOutcome {
        var outcome = FixOutcome(output: page)
        var current = page
        // Last block first, so earlier blocks' offsets stay valid.
        for block in FenceScanner.blocks(in: page).reversed() where block.isLintable {
            let r = fixJSON(block.content, fileName: nil)
            guard r.refusal == nil, !r.applied.isEmpty, r.output != block.content else { continue }
            current = Splicer.splice(r.output, into: block, of: current)
            for (k, v) in r.applied { outcome.applied[k, default: 0] += v }
        }
        outcome.output = current
        outcome.remaining = linter.lint(current, format: .markdown)
        return outcome
    }
}

/// The distinct keys and scalar values of a document, to prove that fixing lost none of them.
struct ValueInventory {
    private var values: Set<[UInt8]> = []
    private var exempted: Set<[UInt8]> = []

    init(_ tree: SyntaxTree) {
        for i in tree.nodes.indices { if let key = Self.key(tree, i) { values.insert(key) } }
    }

    /// A value's identity: kind tag + decoded content (strings) or spelling (numbers, literals).
    static func key(_ tree: SyntaxTree, _ i: Int) -> [UInt8]? {
        let n = tree.nodes[i]
        switch n.kind {
        case .string:
            let f = tree.stringFlags(i)
            if f.contains(.unterminated) { return nil }
            guard let s = tree.string(i), !s.unicodeScalars.contains("\u{FFFD}") else { return nil }
            return [0x73] + Array(s.utf8)
        case .number, .true, .false, .null:
            return [0x6E] + Array(tree.source[Int(n.start)..<Int(n.end)])
        default:
            return nil
        }
    }

    /// Values wholly inside deleted ranges may disappear (a placeholder member, a repeated member).
    mutating func exempt(valuesOf tree: SyntaxTree, inside deletions: [TextRange]) {
        guard !deletions.isEmpty else { return }
        for i in tree.nodes.indices {
            let r = tree.range(i)
            if deletions.contains(where: { $0.contains(r) && !r.isEmpty }), let key = Self.key(tree, i) {
                exempted.insert(key)
            }
        }
    }

    /// Values a value-level fix rewrites (any overlap with an edit) may change.
    mutating func exempt(valuesOf tree: SyntaxTree, touchedBy edits: [TextRange]) {
        guard !edits.isEmpty else { return }
        for i in tree.nodes.indices where tree.kind(i) != .object && tree.kind(i) != .array {
            let r = tree.range(i)
            if edits.contains(where: { $0.start < r.end && r.start < $0.end || ($0.isEmpty && $0.start > r.start && $0.start < r.end) }),
               let key = Self.key(tree, i) {
                exempted.insert(key)
            }
        }
    }

    /// The first original value that no longer appears in `tree`, rendered for a message; nil when all survive.
    func firstMissing(in tree: SyntaxTree) -> String? {
        var present: Set<[UInt8]> = []
        for i in tree.nodes.indices { if let key = Self.key(tree, i) { present.insert(key) } }
        for v in values.sorted(by: { $0.lexicographicallyPrecedes($1) }) where !present.contains(v) && !exempted.contains(v) {
            return String(decoding: v.dropFirst(), as: UTF8.self)
        }
        return nil
    }
}
