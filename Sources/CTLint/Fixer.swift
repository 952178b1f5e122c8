import CTCore
import CTInput
import CTJSON
import CTMarkdown
import CTRules

/// What fixing one document did.
package struct FixOutcome: Sendable {
    /// The new bytes (equal to the input when nothing changed or the fix was refused).
    package var output: [UInt8]
    /// Fixes applied, per rule id.
    package var applied: [RuleID: Int] = [:]
    /// Findings left after fixing, from the fixer's last lint of each part (no second scan): in the output's
    /// coordinates, except in a Markdown block that was rewritten, where they sit at the block's start.
    package var remaining: [Diagnostic] = []
    /// Why the output was refused (the input is then left untouched), if it was.
    package var refusal: Diagnostic?

    package var changed: Bool { refusal == nil && !applied.isEmpty }
}

/// Applies fixes: safe ones by default, unsafe ones on request; re-lints until nothing changes (with a cap),
/// verifies that the result parses strictly and that no original value was lost.
package struct Fixer: Sendable {
    package var linter: Linter
    package var includeUnsafe: Bool
    /// Re-lint passes before giving up (each pass applies every non-overlapping fix).
    package var maxPasses = 12

    package init(linter: Linter, includeUnsafe: Bool) {
        self.linter = linter
        self.includeUnsafe = includeUnsafe
    }

    package func fix(_ bytes: [UInt8], format: InputKind.Format, fileName: String? = nil) -> FixOutcome {
        // A UTF-16 or UTF-32 document is transcoded first (an unsafe fix that keeps every character), then fixed as
        // UTF-8; without --unsafe-fixes, or when it is not valid text, it is left as it is with its finding.
        if let wide = Linter.encodingFinding(bytes) {
            guard includeUnsafe, let utf8 = wide.fix?.edits.first?.replacement else {
                var outcome = FixOutcome(output: bytes)
                outcome.remaining = [wide]
                return outcome
            }
            var outcome = fixUTF8(utf8, format: format, fileName: fileName)
            if outcome.refusal != nil { outcome.output = bytes; return outcome }
            // As for any repair, a JSON document is rewritten only when it then parses (a byte-order mark alone
            // transcodes to an empty document; the fuzzer found it).
            let left = format == .markdown ? [] : outcome.remaining.filter {
                $0.severity == .error && RuleRegistry.metadata(for: $0.rule)?.category == .syntax
            }
            if let first = left.first {
                var refused = FixOutcome(output: bytes)
                refused.remaining = [wide]
                refused.refusal = Diagnostic(rule: .unrepairable, severity: .error,
                                             message: "not rewritten: \(left.count) syntax error\(left.count == 1 ? "" : "s") would remain in UTF-8 (first: \(first.message))",
                                             range: TextRange(empty: 0))
                return refused
            }
            if outcome.applied.isEmpty { outcome.output = utf8 }
            outcome.applied[wide.rule, default: 0] += 1
            return outcome
        }
        return fixUTF8(bytes, format: format, fileName: fileName)
    }

    private func fixUTF8(_ bytes: [UInt8], format: InputKind.Format, fileName: String?) -> FixOutcome {
        switch format {
        case .json: return fixJSON(bytes, fileName: fileName)
        case .jsonLines: return fixLines(bytes, fileName: fileName)
        case .markdown: return fixMarkdown(bytes)
        }
    }

    /// Whether `fix` would apply `d`'s fix (when nothing else overlaps it).
    func wouldFix(_ d: Diagnostic) -> Bool {
        guard d.suppression == nil, let fix = d.fix, !fix.edits.isEmpty else { return false }
        return includeUnsafe || fix.applicability == .safe
    }

    /// Chooses non-overlapping fixes in order of position. Two insertions at the same offset overlap.
    /// A fix with an edit outside `0...length`, or with edits that overlap one another, is never chosen (a rule's
    /// bug then leaves the finding unfixed instead of stopping the run).
    static func nonOverlapping(_ diagnostics: [Diagnostic], includeUnsafe: Bool, length: Int) -> [Diagnostic] {
        var chosen: [Diagnostic] = []
        // The ranges taken so far, sorted by start (fixes come in order of position, so most land at the end). A clash
        // is searched near where the edit would go, not in every taken range: 500,000 missing commas took 96 s.
        var taken: [TextRange] = []
        func clashes(_ e: TextRange) -> Bool {
            let lo = ValueInventory.partition(taken) { $0.start < e.start }
            // Ranges never overlap one another, so only the neighbours of the insertion point can touch `e`; the
            // ones that start at `e.start` (an insertion and a replacement there) are all checked.
            var i = lo
            while i < taken.count && taken[i].start <= e.end {
                if Self.clash(e, taken[i]) { return true }
                i += 1
            }
            return lo > 0 && Self.clash(e, taken[lo - 1])
        }
        for d in diagnostics.sorted(by: { ($0.fix?.span?.start ?? 0, $0) < ($1.fix?.span?.start ?? 0, $1) }) {
            guard d.suppression == nil, let fix = d.fix, !fix.edits.isEmpty, includeUnsafe || fix.applicability == .safe,
                  TextEdit.areApplicable(fix.edits, toLength: length) else { continue }
            if fix.edits.contains(where: { clashes($0.range) }) { continue }
            chosen.append(d)
            for e in fix.edits {
                let r = e.range
                taken.insert(r, at: ValueInventory.partition(taken) { $0.start < r.start || $0.start == r.start && $0.end <= r.end })
            }
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
        // Built from the original tree once a fix is chosen: a document with nothing to fix (most logs) never needs
        // it, and building it eagerly, a set of every key and scalar, was 65% of `fix` on a clean 200 MB log.
        var inventory: ValueInventory?
        for _ in 0..<maxPasses {
            let chosen = Self.nonOverlapping(result.diagnostics, includeUnsafe: includeUnsafe, length: current.count)
            if chosen.isEmpty { break }
            if inventory == nil { inventory = ValueInventory(first.tree) }
            let edits = chosen.flatMap { $0.fix!.edits }
            // What the applied fixes say they remove: syntax fixes only what they delete outright (a placeholder
            // member, a repeated member); value fixes (a timestamp, an address) the values they rewrite.
            inventory!.exempt(valuesOf: result.tree, inside: edits.filter { $0.replacement.isEmpty }.map(\.range))
            let rewrites = chosen.filter { RuleRegistry.metadata(for: $0.rule)?.category != .syntax }.flatMap { $0.fix!.edits.map(\.range) }
            inventory!.exempt(valuesOf: result.tree, touchedBy: rewrites)
            current = TextEdit.apply(edits, to: current)
            for d in chosen { outcome.applied[d.rule, default: 0] += 1 }
            result = linter.lintJSON(current, fileName: fileName)
        }
        outcome.remaining = result.diagnostics
        guard !outcome.applied.isEmpty, let requiredValues = inventory else { return outcome }
        let finalTree = result.tree
        // A refused result leaves the input as it was, described by the first lint.
        func refused(_ rule: RuleID, _ message: String) -> FixOutcome {
            outcome.refusal = Diagnostic(rule: rule, severity: .error, message: "not rewritten: " + message, range: TextRange(empty: 0))
            outcome.output = original
            outcome.remaining = first.diagnostics
            return outcome
        }
        // Verification 1: the output parses strictly whenever the input could be repaired, but for the syntax errors
        // the configuration suppresses (kept as they are, on purpose).
        let accepted = Set(result.diagnostics.filter { $0.suppression != nil }.map { [$0.rule.rawValue, "\($0.range.start)"] })
        let left = finalTree.diagnostics.filter { $0.severity == .error && !accepted.contains([$0.rule.rawValue, "\($0.range.start)"]) }
        if !left.isEmpty {
            return refused(UnrepairableRule.metadata.id,
                           "\(left.count) syntax error\(left.count == 1 ? "" : "s") would remain without a fix (first: \(left[0].message))")
        }
        // Verification 2: no repair made two keys of one object equal (a JSON reader would keep one of them).
        if ValueInventory.repeatedKeys(finalTree, asInput: false) > requiredValues.repeatedKeys {
            return refused(UnrepairableRule.metadata.id, "the fixes would make two keys of one object equal, and a JSON reader would keep only one")
        }
        // Verification 3: every original value survives, except what applied fixes removed.
        if let lost = requiredValues.firstMissing(in: finalTree) {
            return refused(InternalErrorRule.metadata.id, "the fixes would lose the value `\(lost)`; please report this")
        }
        outcome.output = current
        return outcome
    }

    /// Each non-blank line is fixed as its own document; line breaks and blank lines are copied as they are.
    func fixLines(_ bytes: [UInt8], fileName: String?) -> FixOutcome {
        var out: [UInt8] = []
        var outcome = FixOutcome(output: bytes)
        var cursor = 0
        var remaining: [Diagnostic] = []
        for span in JSONLinesReader.lineSpans(in: bytes) {
            out.append(contentsOf: bytes[cursor..<span.range.start])
            let line = Array(bytes[span.range.start..<span.range.end])
            let r = fixJSON(line, fileName: fileName)
            if let refusal = r.refusal, outcome.refusal == nil { outcome.refusal = refusal.shifted(by: span.range.start) }
            for (k, v) in r.applied where r.refusal == nil { outcome.applied[k, default: 0] += v }
            // What the line's last lint found (a refused line is kept, and so are its findings).
            let at = out.count
            remaining += r.remaining.map { $0.shifted(by: at) }
            out.append(contentsOf: r.refusal == nil ? r.output : line)
            cursor = span.range.end
        }
        out.append(contentsOf: bytes[cursor...])
        if outcome.refusal != nil && outcome.applied.isEmpty { return outcome }
        outcome.refusal = nil
        outcome.output = out
        outcome.remaining = remaining
        return outcome
    }

    func fixMarkdown(_ page: [UInt8]) -> FixOutcome {
        var outcome = FixOutcome(output: page)
        var current = page
        // Last block first, so earlier blocks' offsets stay valid.
        var remaining: [Diagnostic] = []
        let blocks = FenceScanner.blocks(in: page)
        let everything = linter.forMarkdownBlocks(blocks)
        for block in blocks.reversed() where block.isLintable {
            var blockFixer = self
            blockFixer.linter = everything.suppressing(block.directive).0
            let r = blockFixer.fixJSON(block.content, fileName: nil)
            guard r.refusal == nil, !r.applied.isEmpty, r.output != block.content else {
                // Unchanged: the block's last lint describes it where it is.
                remaining += r.remaining.map { block.hostDiagnostic($0) }
                continue
            }
            current = Splicer.splice(r.output, into: block, of: current)
            for (k, v) in r.applied { outcome.applied[k, default: 0] += v }
            // Rewritten: its layout changed, so what is left is placed at the block's start (it is counted, not shown).
            remaining += r.remaining.map { d in
                var d = d
                d.range = TextRange(empty: block.contentRange.start)
                d.notes = []
                d.fix = nil
                return d
            }
        }
        outcome.output = current
        outcome.remaining = remaining.sorted()
        return outcome
    }
}

/// The distinct keys and scalar values of a document, to prove that fixing lost none of them.
struct ValueInventory {
    private var values: Set<[UInt8]> = []
    private var exempted: Set<[UInt8]> = []
    /// Members whose key repeats an earlier key of the same object, in the original.
    let repeatedKeys: Int

    init(_ tree: SyntaxTree) {
        for i in tree.nodes.indices { if let key = Self.key(tree, i) { values.insert(key) } }
        repeatedKeys = Self.repeatedKeys(tree, asInput: true)
    }

    /// How many members repeat a key of their object. Keys compare by their decoded text, except, in an input
    /// (`asInput`), a key whose bytes are not UTF-8, which compares by its bytes: `"\xff"` and `"\xfe"` are two
    /// keys there, and a repair that turns both into `"\ufffd"` (or one into a `"\ufffd"` already beside it) makes
    /// one of them disappear for any JSON reader. A fixed output parses strictly, so its keys all decode.
    static func repeatedKeys(_ tree: SyntaxTree, asInput: Bool) -> Int {
        var repeated = 0
        for i in tree.nodes.indices where tree.kind(i) == .object {
            var seen: Set<[UInt8]> = []
            for (key, _) in tree.members(of: i) {
                let raw = tree.source[tree.range(key).start..<tree.range(key).end]
                let identity: [UInt8]
                if let text = tree.string(key), !asInput || String(validating: raw, as: UTF8.self) != nil {
                    identity = [0x73] + Array(text.utf8)
                } else {
                    identity = [0x62] + Array(raw)
                }
                if !seen.insert(identity).inserted { repeated += 1 }
            }
        }
        return repeated
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

    // The edits of one pass never overlap, so sorted by start they are sorted by end too, and each node is
    // compared only with the edits around it (found by binary search), not with every edit: asking every edit
    // about every node was quadratic in a file with hundreds of thousands of fixes.

    /// Values wholly inside deleted ranges may disappear (a placeholder member, a repeated member).
    mutating func exempt(valuesOf tree: SyntaxTree, inside deletions: [TextRange]) {
        guard !deletions.isEmpty else { return }
        let sorted = deletions.sorted { $0.start < $1.start }
        for i in tree.nodes.indices {
            let r = tree.range(i)
            guard !r.isEmpty else { continue }
            // Only the last deletion that starts at or before the node can hold it.
            let j = Self.partition(sorted) { $0.start <= r.start } - 1
            if j >= 0, sorted[j].contains(r), let key = Self.key(tree, i) { exempted.insert(key) }
        }
    }

    /// Values a value-level fix rewrites (any overlap with an edit) may change.
    mutating func exempt(valuesOf tree: SyntaxTree, touchedBy edits: [TextRange]) {
        guard !edits.isEmpty else { return }
        let sorted = edits.sorted { $0.start < $1.start }
        for i in tree.nodes.indices where tree.kind(i) != .object && tree.kind(i) != .array {
            let r = tree.range(i)
            // An edit touches the value when it overlaps it, or inserts strictly inside it: either way it ends after
            // the value starts, and starts before the value ends.
            var j = Self.partition(sorted) { $0.end <= r.start }
            while j < sorted.count && sorted[j].start < r.end {
                let e = sorted[j]
                if e.start < r.end && r.start < e.end || (e.isEmpty && e.start > r.start && e.start < r.end) {
                    if let key = Self.key(tree, i) { exempted.insert(key) }
                    break
                }
                j += 1
            }
        }
    }

    /// The number of leading elements of `ranges` for which `isBefore` holds (it must hold for a prefix).
    static func partition(_ ranges: [TextRange], _ isBefore: (TextRange) -> Bool) -> Int {
        var lo = 0, hi = ranges.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if isBefore(ranges[mid]) { lo = mid + 1 } else { hi = mid }
        }
        return lo
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
