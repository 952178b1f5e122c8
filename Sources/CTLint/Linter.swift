import CTCore
import CTInput
import CTJSON
import CTMarkdown
import CTRules
import CTSchema

/// Lints one document's bytes. A value: share it across threads.
public struct Linter: Sendable {
    public var selection: RuleSelection {
        didSet { resolve() }
    }
    /// The CloudTrail checks the selection enables (nil with `--syntax-only`), resolved once rather than for
    /// every file (matching rule ids against the selection per file was 0.5% of a day's check, perf).
    private(set) var checks: CloudTrailChecks?
    /// Whether eventIDs are collected for the run-level `duplicate-event-id` rule (resolved once: asked for every
    /// line of a JSON Lines file, the match against the selection cost 2,400 instructions a line, callgrind).
    private(set) var collectsEventIDs = false
    /// Whether bucket owners are collected for the run-level `bucket-owner` rule.
    private(set) var collectsBucketOwners = false

    public init(selection: RuleSelection = RuleSelection()) {
        self.selection = selection
        resolve()
    }

    private mutating func resolve() {
        checks = Self.checks(for: selection)
        collectsEventIDs = !selection.syntaxOnly && selection.isEnabled(DuplicateEventIDRule.metadata.id)
        collectsBucketOwners = !selection.syntaxOnly && selection.isEnabled(BucketOwnerRule.metadata.id)
    }

    private static func checks(for selection: RuleSelection) -> CloudTrailChecks? {
        selection.syntaxOnly ? nil : CloudTrailChecks(selection: selection)
    }

    /// All findings for a document, sorted, in the document's own byte coordinates.
    /// `fileName` is the path used for file-location checks (nil for stdin).
    public func lint(_ bytes: [UInt8], format: InputKind.Format, fileName: String? = nil) -> [Diagnostic] {
        lintWithEvents(bytes, format: format, fileName: fileName).diagnostics
    }

    /// Findings plus what the run-level rules need: the eventIDs seen (`duplicate-event-id`) and the bucket owners
    /// named (`bucket-owner`).
    func lintWithEvents(_ bytes: [UInt8], format: InputKind.Format, fileName: String?)
        -> (diagnostics: [Diagnostic], facts: RunFacts) {
        var out: [Diagnostic] = []
        var facts = RunFacts()
        if let wide = Self.encodingFinding(bytes) { return ([wide], facts) }
        let collectIDs = collectsRunFacts
        switch format {
        case .json:
            if let streamed = RecordStream.check(bytes, fileName: fileName, linter: self, collectIDs: collectIDs) {
                out = streamed.diagnostics
                facts = streamed.facts
            } else {
                let result = lintDocument(bytes, fileName: fileName, collectIDs: collectIDs)
                out = result.diagnostics
                facts = result.facts
            }
        case .jsonLines:
            for span in JSONLinesReader.lineSpans(in: bytes) {
                let start = span.range.start
                let result = lintDocument(Array(bytes[span.range.start..<span.range.end]), fileName: fileName, collectIDs: collectIDs)
                for d in result.diagnostics { out.append(d.shifted(by: start)) }
                facts.append(result.facts, range: { $0.shifted(by: start) })
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

    /// Whether anything is collected for the run-level rules.
    var collectsRunFacts: Bool { collectsEventIDs || collectsBucketOwners }

    /// Parses and checks one JSON document; returns the tree too (the fixer needs it). EventBridge events and
    /// `lookup-events` output get their records checked in place (see `ExportShape`).
    public func lintJSON(_ bytes: [UInt8], fileName: String? = nil, cloudTrail: Bool = true) -> (tree: SyntaxTree, diagnostics: [Diagnostic]) {
        let r = lintDocument(bytes, fileName: fileName, cloudTrail: cloudTrail, collectIDs: false)
        return (r.tree, r.diagnostics)
    }

    /// One JSON document checked, in its own byte coordinates (unsorted).
    struct DocumentResult {
        var tree: SyntaxTree
        var diagnostics: [Diagnostic]
        var facts: RunFacts
    }

    /// Parses one JSON document and runs the syntax, schema, semantic and envelope checks.
    func lintDocument(_ bytes: [UInt8], fileName: String?, cloudTrail: Bool = true, collectIDs: Bool) -> DocumentResult {
        lintDocument(JSONParser.parse(bytes), fileName: fileName, cloudTrail: cloudTrail, collectIDs: collectIDs)
    }

    /// `lintDocument` of one line of a JSON Lines file: a clean line is parsed by the strict scanner with the
    /// arrays of `scratch` (kept from line to line), any other by the recovering parser.
    func lintLine(_ bytes: [UInt8], fileName: String?, collectIDs: Bool, scratch: inout ParseScratch) -> DocumentResult {
        let tree = JSONParser.parseStrictDocument(bytes, scratch: &scratch) ?? JSONParser.parse(bytes)
        return lintDocument(tree, fileName: fileName, cloudTrail: true, collectIDs: collectIDs)
    }

    private func lintDocument(_ tree: SyntaxTree, fileName: String?, cloudTrail: Bool, collectIDs: Bool) -> DocumentResult {
        var diags = tree.diagnostics.filter { selection.isEnabled($0.rule) }
        var facts = RunFacts()
        if !selection.syntaxOnly && cloudTrail {
            let checked = DocumentChecker(linter: self, collectIDs: collectIDs).check(tree, fileName: fileName)
            diags.append(contentsOf: CloudTrailChecks.dropSchemaEchoes(checked.diagnostics))
            facts = checked.facts
        }
        return DocumentResult(tree: tree, diagnostics: diags, facts: facts)
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
