import CTCore
import CTInput
import CTJSON
import CTMarkdown
import CTRules
import CTSchema

/// Lints one document's bytes. A value: share it across threads.
///
/// The linter runs the rules the selection enables (its rule list, resolved once) and hands every finding it makes
/// to the policy step (`judged`) on its way out.
package struct Linter: Sendable {
    package var selection: RuleSelection {
        didSet { resolve() }
    }
    /// What is reported of what the rules find.
    private(set) var policy: Policy
    /// The CloudTrail checks the selection enables (nil with `--syntax-only`), resolved once rather than for
    /// every file (matching rule ids against the selection per file was 0.5% of a day's check, perf).
    private(set) var checks: CloudTrailChecks?
    /// The run-level rules the selection enables, in catalog order (resolved once: asked for every line of a JSON
    /// Lines file, the match against the selection cost 2,400 instructions a line, callgrind).
    private(set) var runRules: [any RunRule] = []
    /// Every rule the linter runs.
    private var running: Set<RuleID> = []

    package init(selection: RuleSelection = RuleSelection()) {
        self.selection = selection
        policy = Policy(selection: selection)
        resolve()
    }

    /// The rule list: with `--syntax-only`, the syntax and input rules only.
    private mutating func resolve() {
        policy = Policy(selection: selection)
        let categories: Set<RuleCategory> = selection.syntaxOnly ? [.syntax, .input] : Set(RuleCategory.allCases)
        running = Set(RuleRegistry.all.filter { categories.contains($0.category) && policy.keeps($0.id) }.map(\.id))
        checks = selection.syntaxOnly ? nil : CloudTrailChecks(linter: self)
        runRules = RuleRegistry.runRules.filter { running.contains(type(of: $0).metadata.id) }
    }

    /// Whether the linter runs rule `id`.
    func runs(_ id: RuleID) -> Bool { running.contains(id) }

    /// The linter's exit: findings judged by the policy.
    func judged(_ diagnostics: [Diagnostic]) -> [Diagnostic] {
        var out = diagnostics
        policy.judge(&out)
        return out
    }

    /// Whether anything is collected for the run-level rules.
    var collectsRunFacts: Bool { !runRules.isEmpty }

    /// An empty set of facts for the run-level rules, or nil when none runs.
    func newFacts() -> RunFacts? { runRules.isEmpty ? nil : RunFacts(rules: runRules) }

    /// All findings for a document, sorted, in the document's own byte coordinates.
    /// `fileName` is the path used for file-location checks (nil for stdin).
    package func lint(_ bytes: [UInt8], format: InputKind.Format, fileName: String? = nil) -> [Diagnostic] {
        lintWithEvents(bytes, format: format, fileName: fileName).diagnostics
    }

    /// Findings plus what the run-level rules need (`RunFacts`, ranges not yet placed).
    func lintWithEvents(_ bytes: [UInt8], format: InputKind.Format, fileName: String?)
        -> (diagnostics: [Diagnostic], facts: RunFacts?) {
        var out: [Diagnostic] = []
        var facts = format == .markdown ? nil : newFacts()
        if let wide = Self.encodingFinding(bytes) { return (judged([wide]), facts) }
        switch format {
        case .json:
            if let streamed = RecordStream.check(bytes, fileName: fileName, linter: self, facts: facts) {
                out = streamed
            } else {
                // What the record stream collected before it gave up is dropped with it.
                facts = newFacts()
                out = lintDocument(bytes, fileName: fileName, facts: facts).diagnostics
            }
        case .jsonLines:
            for span in JSONLinesReader.lineSpans(in: bytes) {
                let start = span.range.start
                let result = lintDocument(Array(bytes[span.range.start..<span.range.end]), fileName: fileName, facts: facts, shift: start)
                for d in result.diagnostics { out.append(d.shifted(by: start)) }
            }
        case .markdown:
            out = lintMarkdown(bytes)
        }
        out.sort()
        return (out, facts)
    }

    /// The `text-encoding` finding for a UTF-16 or UTF-32 document, with the whole file transcoded to UTF-8 as an
    /// unsafe fix when the text is valid in its encoding; nil for anything else. Such a document is not parsed.
    static func encodingFinding(_ bytes: [UInt8]) -> Diagnostic? {
        guard let (encoding, mark) = TextEncoding.detect(bytes) else { return nil }
        let utf8 = encoding.utf8(bytes, markLength: mark)
        return Diagnostic(
            rule: TextEncodingRule.metadata.id, severity: .error,
            message: "the document is \(encoding.rawValue)\(mark > 0 ? " with a byte-order mark" : ""), not UTF-8"
                + (utf8 == nil ? ", and not valid text in that encoding either" : ""),
            range: TextRange(start: 0, end: min(bytes.count, max(mark, 2))),
            fix: utf8.map { Fix(title: "Convert the file to UTF-8", edits: [TextEdit(range: TextRange(start: 0, end: bytes.count), replacement: $0)],
                                applicability: .unsafe) })
    }

    /// Parses and checks one JSON document; returns the tree too (the fixer needs it). EventBridge events and
    /// `lookup-events` output get their records checked in place (see `ExportShape`).
    package func lintJSON(_ bytes: [UInt8], fileName: String? = nil, cloudTrail: Bool = true) -> (tree: SyntaxTree, diagnostics: [Diagnostic]) {
        let r = lintDocument(bytes, fileName: fileName, cloudTrail: cloudTrail, facts: nil)
        return (r.tree, r.diagnostics)
    }

    /// One JSON document checked, in its own byte coordinates (unsorted).
    struct DocumentResult {
        var tree: SyntaxTree
        var diagnostics: [Diagnostic]
    }

    /// Parses one JSON document and runs the syntax, schema, semantic and envelope checks. The records' facts for
    /// the run-level rules go to `facts`, their ranges moved by `shift` (the document's offset in its input).
    func lintDocument(_ bytes: [UInt8], fileName: String?, cloudTrail: Bool = true, facts: RunFacts?, shift: Int = 0) -> DocumentResult {
        lintDocument(JSONParser.parse(bytes), fileName: fileName, cloudTrail: cloudTrail, facts: facts, shift: shift)
    }

    /// `lintDocument` of one line of a JSON Lines file: a clean line is parsed by the strict scanner with the
    /// arrays of `scratch` (kept from line to line), any other by the recovering parser.
    /// `plain` is set when the line is one strictly valid value of ASCII with no line break in it.
    func lintLine(_ bytes: [UInt8], fileName: String?, origin: DocumentOrigin? = nil, facts: RunFacts?, shift: Int,
                  scratch: inout ParseScratch, plain: inout Bool) -> DocumentResult {
        var tree: SyntaxTree
        if let strict = JSONParser.parseStrictDocument(bytes, scratch: &scratch) {
            tree = strict
            plain = scratch.lastValueIsPlain
        } else {
            tree = JSONParser.parse(bytes)
            plain = false
        }
        return lintDocument(tree, fileName: fileName, origin: origin, cloudTrail: true, facts: facts, shift: shift)
    }

    private func lintDocument(_ tree: SyntaxTree, fileName: String?, origin: DocumentOrigin? = nil, cloudTrail: Bool, facts: RunFacts?,
                              shift: Int) -> DocumentResult {
        var diags = tree.diagnostics
        if checks != nil && cloudTrail {
            let checked = DocumentChecker(linter: self, facts: facts, shift: shift, origin: origin).check(tree, fileName: fileName)
            diags.append(contentsOf: CloudTrailChecks.dropSchemaEchoes(checked, keepingSchema: runs(.invalidValue)))
        }
        return DocumentResult(tree: tree, diagnostics: judged(diags))
    }

    /// Every JSON-like fenced block of a Markdown page. Blocks holding CloudTrail records get the full checks;
    /// other JSON blocks get the syntax checks only.
    func lintMarkdown(_ bytes: [UInt8]) -> [Diagnostic] {
        var out: [Diagnostic] = []
        for block in FenceScanner.blocks(in: bytes) where block.isLintable {
            let result = lintJSON(block.content, fileName: nil)
            for d in result.diagnostics { out.append(block.hostDiagnostic(d)) }
        }
        return out
    }
}
