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
    /// Whether the documents are a Markdown page's blocks: a record lacking most of its required fields is then a
    /// `fragment` (a sample shown in part), not a series of `missing-field` findings.
    private(set) var markdownBlocks = false
    /// The `real-data` replacements of the Markdown page whose blocks this linter checks.
    private(set) var realDataPage: RealDataPage?

    package init(selection: RuleSelection = RuleSelection()) {
        self.selection = selection
        policy = Policy(selection: selection)
        resolve()
    }

    /// A linter that judges by `policy` (resolved from the command line and the configuration for some files).
    package init(policy: Policy) {
        selection = policy.selection
        self.policy = policy
        resolve(keeping: policy)
    }

    /// The rule list: with `--syntax-only`, the syntax and input rules only.
    private mutating func resolve(keeping given: Policy? = nil) {
        policy = given ?? Policy(selection: selection)
        let categories: Set<RuleCategory> = selection.syntaxOnly ? [.syntax, .input] : Set(RuleCategory.allCases)
        running = Set(RuleRegistry.all.filter { categories.contains($0.category) && policy.keeps($0.id) }.map(\.id))
        checks = selection.syntaxOnly ? nil : CloudTrailChecks(linter: self)
        runRules = RuleRegistry.runRules.filter { running.contains(type(of: $0).metadata.id) }
    }

    /// This linter with another policy that keeps the same rules (other levels or suppressions): no rule list to
    /// resolve again.
    package func judging(by other: Policy) -> Linter {
        var copy = self
        copy.policy = other
        return copy
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
        policy.suppress(&out)
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
        var r = lintDocument(bytes, fileName: fileName, cloudTrail: cloudTrail, facts: nil)
        policy.suppress(&r.diagnostics)
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
        let origin = origin ?? realDataPage.map { DocumentOrigin(fileName: fileName, realDataPage: $0) }
        if checks != nil && cloudTrail {
            let checked = DocumentChecker(linter: self, facts: facts, shift: shift, origin: origin).check(tree, fileName: fileName)
            if policy.nonCloudTrail != .check, checked.contains(where: { $0.rule == .notCloudTrail }) {
                // No CloudTrail record in it (a `tsconfig.json`, a `package.json`): `skip` passes over it when it is
                // JSON as such files are written (comments and trailing commas allowed); else only its syntax is
                // checked, strictly.
                if policy.nonCloudTrail == .skip && diags.allSatisfy({ Self.lenientSyntax.contains($0.rule) }) {
                    return DocumentResult(tree: tree, diagnostics: [])
                }
                return DocumentResult(tree: tree, diagnostics: judged(diags))
            }
            diags.append(contentsOf: CloudTrailChecks.dropSchemaEchoes(checked, keepingSchema: runs(.invalidValue)))
            if markdownBlocks { diags = Fragments.fold(diags, tree: tree) }
        }
        return DocumentResult(tree: tree, diagnostics: judged(diags))
    }

    /// What JSON written by hand for other tools allows (JSONC: `tsconfig.json`, VS Code settings), and the
    /// configuration file too.
    static let lenientSyntax: Set<RuleID> = [.comment, .trailingComma, .byteOrderMark]

    /// This linter judging a document's blocks or records as CloudTrail whatever they hold (a Markdown page's
    /// blocks: a policy or a response among records is checked for its syntax, as before `non-cloudtrail`).
    func checkingEverything() -> Linter {
        guard policy.nonCloudTrail != .check else { return self }
        var p = policy
        p.nonCloudTrail = .check
        return judging(by: p)
    }

    /// The linter of a Markdown page's blocks, for `check` and `fix` alike: every block judged as CloudTrail whatever it
    /// holds, a record shown in part is a `fragment`, and `real-data` replaces a value the same way in every block of
    /// the page (`blocks`).
    func forMarkdownBlocks(_ blocks: [CodeBlock]) -> Linter {
        var copy = checkingEverything().linting(markdownBlocks: true)
        if copy.checks?.rules.contains(where: { type(of: $0).metadata.id == .realData }) ?? false {
            copy.realDataPage = RealDataPage(blocks: blocks.filter(\.isLintable).map(\.content))
        }
        return copy
    }

    /// This linter, told whether its documents are a Markdown page's blocks (`fragment`, `real-data`).
    package func linting(markdownBlocks: Bool) -> Linter {
        var copy = self
        copy.markdownBlocks = markdownBlocks
        if !selection.syntaxOnly { copy.checks = CloudTrailChecks(linter: copy) }
        return copy
    }

    /// Every JSON-like fenced block of a Markdown page. Blocks holding CloudTrail records get the full checks;
    /// other JSON blocks get the syntax checks only.
    func lintMarkdown(_ bytes: [UInt8]) -> [Diagnostic] {
        var out: [Diagnostic] = []
        let blocks = FenceScanner.blocks(in: bytes)
        let linter = forMarkdownBlocks(blocks)
        for block in blocks where block.isLintable {
            let (blockLinter, named) = linter.suppressing(block.directive)
            let found = blockLinter.lintJSON(block.content, fileName: nil).diagnostics.map { block.hostDiagnostic($0) }
            out += found
            if let directive = block.directive {
                out += judged(Self.unusedDirectiveFindings(directive, named: named, found: found))
            }
        }
        return out
    }

    /// This linter with the in-source suppression of a block's directive (`<!-- cloudtrail-lint-disable-next-block
    /// RULE, … -->`), and each name with the rules it covers (none for a name that is no rule).
    func suppressing(_ directive: DisableDirective?) -> (Linter, [(name: String, rules: Set<RuleID>)]) {
        guard let directive, !directive.ruleNames.isEmpty else { return (self, []) }
        let named = directive.ruleNames.map { ($0, Set(RuleNames.isKnown($0) ? RuleNames.rules($0) : [])) }
        let mark = Suppression(kind: .inSource, justification: "cloudtrail-lint-disable-next-block \(directive.ruleNames.joined(separator: ", "))", entry: -1)
        let all = named.reduce(into: Set<RuleID>()) { $0.formUnion($1.1) }
        return (judging(by: policy.adding([Policy.Suppressing(rules: all, pointer: [], mark: mark)])), named)
    }

    /// `unused-suppression` for each rule a directive names that found nothing in its block (or names no rule).
    static func unusedDirectiveFindings(_ directive: DisableDirective, named: [(name: String, rules: Set<RuleID>)],
                                        found: [Diagnostic]) -> [Diagnostic] {
        named.compactMap { name, rules in
            let message: String
            if rules.isEmpty {
                message = "`\(name)` in `\(FenceScanner.disableDirective)` is not a rule"
                    + (RuleRegistry.suggestion(for: name).map { "; did you mean `\($0)`?" } ?? "")
            } else if !found.contains(where: { $0.suppression?.kind == .inSource && rules.contains($0.rule) }) {
                message = "`\(FenceScanner.disableDirective) \(name)`: no `\(name)` finding in the next block to suppress"
            } else {
                return nil
            }
            return Diagnostic(rule: .unusedSuppression, severity: UnusedSuppressionRule.metadata.defaultSeverity,
                              message: message, range: directive.range)
        }
    }
}
