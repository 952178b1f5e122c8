import CTCore
import CTJSON
import CTMarkdown
import CTRules
import CTSchema

/// The document formats the linter understands (after decompression).
public enum DocumentFormat: String, Sendable {
    case json, jsonLines, markdown
}

/// Lints one document's bytes. A value: share it across threads.
public struct Linter: Sendable {
    public var selection: RuleSelection

    public init(selection: RuleSelection = RuleSelection()) {
        self.selection = selection
    }

    /// All findings for a document, sorted, in the document's own byte coordinates.
    /// `fileName` is the path used for file-location checks (nil for stdin).
    public func lint(_ bytes: [UInt8], format: DocumentFormat, fileName: String? = nil) -> [Diagnostic] {
        lintWithEvents(bytes, format: format, fileName: fileName).diagnostics
    }

    /// Findings plus the eventIDs seen (for the run-level `duplicate-event-id` rule).
    func lintWithEvents(_ bytes: [UInt8], format: DocumentFormat, fileName: String?) -> (diagnostics: [Diagnostic], eventIDs: [DuplicateEventIDRule.Occurrence]) {
        var out: [Diagnostic] = []
        var ids: [DuplicateEventIDRule.Occurrence] = []
        let collectIDs = !selection.syntaxOnly && selection.isEnabled(DuplicateEventIDRule.metadata.id)
        switch format {
        case .json:
            let result = lintJSON(bytes, fileName: fileName)
            out = result.diagnostics
            if collectIDs { ids = DuplicateEventIDRule.collect(tree: result.tree, shift: 0) }
        case .jsonLines:
            forEachLine(bytes) { line, start in
                let result = lintJSON(line, fileName: fileName)
                for d in result.diagnostics {
                    var shifted = d.shifted(by: start)
                    shifted.pointer = d.pointer
                    out.append(shifted)
                }
                if collectIDs { ids.append(contentsOf: DuplicateEventIDRule.collect(tree: result.tree, shift: start)) }
            }
        case .markdown:
            out = lintMarkdown(bytes)
        }
        out.sort()
        return (out, ids)
    }

    /// One JSON document's findings, for tests (rules' examples).
    public func lintForTesting(_ bytes: [UInt8], fileName: String?) -> ([Diagnostic], SyntaxTree) {
        let r = lintJSON(bytes, fileName: fileName)
        return (r.diagnostics.sorted(), r.tree)
    }

    /// Parses and checks one JSON document; returns the tree too (the fixer needs it).
    public func lintJSON(_ bytes: [UInt8], fileName: String? = nil, cloudTrail: Bool = true) -> (tree: SyntaxTree, diagnostics: [Diagnostic]) {
        let tree = JSONParser.parse(bytes)
        var diags = tree.diagnostics.filter { selection.isEnabled($0.rule) }
        if !selection.syntaxOnly && cloudTrail {
            diags.append(contentsOf: CloudTrailChecks.check(tree, fileName: fileName, selection: selection))
        }
        return (tree, diags)
    }

    /// Calls `body` with each non-blank line of a JSON Lines document and its byte offset.
    func forEachLine(_ bytes: [UInt8], _ body: ([UInt8], Int) -> Void) {
        var start = 0
        let n = bytes.count
        while start < n {
            var end = start
            while end < n && bytes[end] != 0x0A { end += 1 }
            var contentEnd = end
            if contentEnd > start && bytes[contentEnd - 1] == 0x0D { contentEnd -= 1 }
            if bytes[start..<contentEnd].contains(where: { !($0 == 0x20 || $0 == 0x09) }) {
                body(Array(bytes[start..<contentEnd]), start)
            }
            start = end + 1
        }
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

extension CodeBlock {
    /// Languages whose blocks may start with `[` or `{` without being JSON (`[section]` in INI, TOML, shell tests…).
    static let otherLanguages: Set<String> = [
        "ini", "toml", "cfg", "conf", "bash", "sh", "shell", "console", "zsh", "powershell", "ps1", "yaml", "yml",
        "python", "py", "ruby", "go", "java", "rust", "c", "cpp", "csharp", "cs", "kotlin", "swift", "sql", "xml", "html",
        "typescript", "ts", "hcl", "terraform", "dockerfile", "makefile", "diff", "csv", "graphql",
    ]

    /// A JSON-like block that is not disabled and not marked as another language.
    public var isLintable: Bool {
        isJSONLike && !isDisabled && !Self.otherLanguages.contains(language)
    }
}
