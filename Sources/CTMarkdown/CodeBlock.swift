import CTCore

/// A fenced code block found in a Markdown page (the *host*), with its content extracted as an
/// *embedded* document.
///
/// The embedded document (`content`) is the block's text with, on every line, the container
/// prefix (block-quote markers, list-item indentation) and up to the fence's own indentation
/// removed. Line breaks are kept exactly as in the host (`\n`, `\r\n` or `\r`). Every embedded byte
/// is a copy of exactly one host byte, so mapping offsets between the two is a per-line shift.
///
/// All offsets are 0-based UTF-8 byte offsets: "host" offsets index the Markdown page, "embedded"
/// offsets index `content`.
package struct CodeBlock: Hashable, Sendable {
    /// One line of the block's content.
    package struct Line: Hashable, Sendable {
        /// Host offset (bytes) of the line's first byte, before its prefix.
        package let hostStart: Int
        /// The host bytes stripped from the start of the line (container prefix and fence indentation).
        package let prefix: [UInt8]
        /// Embedded offset (bytes) where the line's content starts.
        package let embeddedStart: Int
        /// Length in bytes of the line's content, without its line break.
        package let contentLength: Int
        /// The line's break as found in the host: `\n`, `\r\n`, `\r`, or empty for a last line without one.
        package let lineBreak: [UInt8]

        package init(hostStart: Int, prefix: [UInt8], embeddedStart: Int, contentLength: Int, lineBreak: [UInt8]) {
            self.hostStart = hostStart
            self.prefix = prefix
            self.embeddedStart = embeddedStart
            self.contentLength = contentLength
            self.lineBreak = lineBreak
        }

        /// Embedded length in bytes, including the line break.
        package var embeddedLength: Int { contentLength + lineBreak.count }
        /// Host offset (bytes) of the first content byte, just after the prefix.
        package var hostContentStart: Int { hostStart + prefix.count }
        /// Host offset (bytes) just past the line break.
        package var hostEnd: Int { hostContentStart + embeddedLength }
    }

    /// The fence character: `` ` `` (0x60) or `~` (0x7E).
    package let fenceCharacter: UInt8
    /// Length of the opening fence run (at least 3).
    package let fenceLength: Int
    /// Indentation of the opening fence in columns, relative to its container; up to this many
    /// columns of leading whitespace are stripped from every content line.
    package let fenceIndent: Int
    /// The info string after the opening fence, trimmed of surrounding whitespace.
    package let info: String
    /// The first word of the info string, lowercased, with Pandoc-style `{.lang}` braces removed;
    /// empty when there is no info string.
    package let language: String
    /// Host range from the first byte of the opening fence run to the end of the closing fence line
    /// (without its line break), or to the end of the content when the block is unclosed.
    package let range: TextRange
    /// Host range of the opening fence run and info string (no prefix, no line break).
    package let openingFence: TextRange
    /// Host range of the closing fence run and trailing whitespace (no prefix, no line break);
    /// `nil` when the block runs to the end of its container or of the document.
    package let closingFence: TextRange?
    /// Host range of the content lines, from the start of the first content line (its prefix
    /// included) to the start of the closing fence line, or to the end of the last content line
    /// (its break included) when unclosed. Empty when the block has no content lines.
    package let contentRange: TextRange
    /// The embedded document: the content lines with their prefixes removed.
    package let content: [UInt8]
    /// The content lines, in order; `lines[i].embeddedStart` is increasing.
    package let lines: [Line]
    /// The prefix written before lines that have no original counterpart (new lines, or blank lines
    /// that gain text): the container prefix of the block followed by the fence's indentation.
    package let continuationPrefix: [UInt8]
    /// The line break used for new lines: that of the opening fence line, or `\n`.
    package let lineEnding: [UInt8]
    /// Whether the opening fence line ends with a line break (false only for a fence on the last line).
    package let openingFenceHasLineBreak: Bool
    /// The HTML comment `<!-- cloudtrail-lint-disable-next-block [RULE, …] -->` in the nearest preceding non-blank
    /// lines, if any.
    package let directive: DisableDirective?

    /// Whether the whole block is excluded from linting: a directive that names no rule.
    package var isDisabled: Bool { directive.map { $0.ruleNames.isEmpty } ?? false }

    package init(fenceCharacter: UInt8, fenceLength: Int, fenceIndent: Int, info: String, language: String,
                range: TextRange, openingFence: TextRange, closingFence: TextRange?, contentRange: TextRange,
                content: [UInt8], lines: [Line], continuationPrefix: [UInt8], lineEnding: [UInt8],
                openingFenceHasLineBreak: Bool, directive: DisableDirective?) {
        self.fenceCharacter = fenceCharacter
        self.fenceLength = fenceLength
        self.fenceIndent = fenceIndent
        self.info = info
        self.language = language
        self.range = range
        self.openingFence = openingFence
        self.closingFence = closingFence
        self.contentRange = contentRange
        self.content = content
        self.lines = lines
        self.continuationPrefix = continuationPrefix
        self.lineEnding = lineEnding
        self.openingFenceHasLineBreak = openingFenceHasLineBreak
        self.directive = directive
    }

    /// Whether a closing fence was found.
    package var isClosed: Bool { closingFence != nil }

    /// Whether the content ends with a line break (or, when it has no lines, whether the opening
    /// fence line does): rewritten content keeps this shape, so what follows stays on its own line.
    package var contentEndsWithLineBreak: Bool {
        if let last = lines.last { return !last.lineBreak.isEmpty }
        return openingFenceHasLineBreak
    }

    /// Display width in columns of a line prefix that starts at column 0 (a tab advances to the
    /// next multiple of 4).
    package static func columns(of prefix: [UInt8]) -> Int {
        var c = 0
        for b in prefix { c = b == 0x09 ? (c / 4 + 1) * 4 : c + 1 }
        return c
    }

    /// Whether `line`'s prefix is narrower than `continuationPrefix`: a blank line whose container
    /// indentation was not written out, a line less indented than the fence, or a block-quote line
    /// without the optional space. Text written at the start of such a line needs the full prefix.
    func hasShortPrefix(_ line: Line) -> Bool {
        Self.columns(of: line.prefix) < Self.columns(of: continuationPrefix)
    }

    /// Languages that mark a block as JSON whatever its content.
    package static let jsonLanguages: Set<String> = ["json", "jsonc", "json5"]

    /// Whether the block should be linted as JSON: its info string names a JSON language, or the
    /// first non-whitespace byte of its content is `{` or `[`.
    package var isJSONLike: Bool {
        if Self.jsonLanguages.contains(language) { return true }
        var i = 0
        // Skip a UTF-8 byte-order mark.
        if content.count >= 3, content[0] == 0xEF, content[1] == 0xBB, content[2] == 0xBF { i = 3 }
        while i < content.count {
            switch content[i] {
            case 0x20, 0x09, 0x0A, 0x0D, 0x0C: i += 1
            case UInt8(ascii: "{"), UInt8(ascii: "["): return true
            default: return false
            }
        }
        return false
    }

    // MARK: - Offset mapping

    /// Index of the line whose content (or break) holds embedded `offset`; `lines.count` when the
    /// offset is the end of content that finishes with a line break (the "virtual" line after it).
    func lineIndex(forEmbedded offset: Int) -> Int {
        guard let last = lines.last else { return 0 }
        if offset >= last.embeddedStart + last.embeddedLength && !last.lineBreak.isEmpty { return lines.count }
        var lo = 0, hi = lines.count - 1
        while lo < hi {
            let mid = (lo + hi + 1) / 2
            if lines[mid].embeddedStart <= offset { lo = mid } else { hi = mid - 1 }
        }
        return lo
    }

    /// The host offset (bytes) of embedded `offset` (bytes, `0...content.count`).
    ///
    /// An offset at the start of a line maps to just after that line's prefix; `content.count`
    /// maps to `contentRange.end`. Offsets outside `0...content.count` are clamped.
    package func hostOffset(forEmbedded offset: Int) -> Int {
        let offset = Swift.max(0, Swift.min(offset, content.count))
        let index = lineIndex(forEmbedded: offset)
        guard index < lines.count else { return contentRange.end }
        let line = lines[index]
        return line.hostContentStart + (offset - line.embeddedStart)
    }

    /// The host range of an embedded range. A non-empty range maps to the host bytes of its first
    /// and last embedded bytes (so a range ending at a line start does not take in the next
    /// line's prefix); an empty range maps to an empty range at `hostOffset(forEmbedded:)`.
    package func hostRange(_ range: TextRange) -> TextRange {
        let start = hostOffset(forEmbedded: range.start)
        guard !range.isEmpty else { return TextRange(empty: start) }
        let end = hostOffset(forEmbedded: range.end - 1) + 1
        return TextRange(start: start, end: Swift.max(start, end))
    }

    /// The embedded offset of host `offset`, or `nil` when the host offset lies outside the
    /// content lines or inside a line prefix. `contentRange.end` maps to `content.count`.
    package func embeddedOffset(forHost offset: Int) -> Int? {
        if offset == contentRange.end { return content.count }
        guard contentRange.contains(offset), !lines.isEmpty else { return nil }
        var lo = 0, hi = lines.count - 1
        while lo < hi {
            let mid = (lo + hi + 1) / 2
            if lines[mid].hostStart <= offset { lo = mid } else { hi = mid - 1 }
        }
        let line = lines[lo]
        guard offset >= line.hostContentStart, offset < line.hostEnd else { return nil }
        return line.embeddedStart + (offset - line.hostContentStart)
    }

    /// The diagnostic, found in the embedded document, moved into host coordinates: its range and
    /// notes through `hostRange(_:)`, its fix's edits through `hostEdits(_:)` (the fix is dropped
    /// if its edits are invalid for this block).
    package func hostDiagnostic(_ diagnostic: Diagnostic) -> Diagnostic {
        var d = diagnostic
        d.range = hostRange(diagnostic.range)
        d.notes = diagnostic.notes.map { Note(message: $0.message, range: hostRange($0.range)) }
        if let fix = diagnostic.fix {
            if let edits = hostEdits(fix.edits) {
                d.fix = Fix(title: fix.title, edits: edits, applicability: fix.applicability)
            } else {
                d.fix = nil
            }
        }
        return d
    }
}

/// `<!-- cloudtrail-lint-disable-next-block RULE[, RULE] -->` before a block: with rule names, only those rules'
/// findings in the block are suppressed; with none (or only words that name no rule: a reason), the block is not
/// linted at all.
package struct DisableDirective: Sendable, Hashable {
    /// The text after the directive, up to a `:` (a reason) or the comment's end.
    package var arguments: String
    /// The directive's range in the page.
    package var range: TextRange

    package init(arguments: String, range: TextRange) {
        self.arguments = arguments
        self.range = range
    }

    /// The words of `arguments` (separated by commas and white space).
    package var words: [String] {
        arguments.split(whereSeparator: { $0 == "," || $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" }).map(String.init)
    }

    /// The words, when they name rules: every word a rule id (lower-case kebab case with a `-`) or a category
    /// (`syntax`, `schema`, `semantic`, `input`, `all`). Other words are a reason, as they were before rules could
    /// be named (`<!-- cloudtrail-lint-disable-next-block truncated sample -->`): the whole block is skipped.
    package var ruleNames: [String] {
        let categories: Set<String> = ["syntax", "schema", "semantic", "input", "all", "ALL"]
        let named = words.allSatisfy { w in
            categories.contains(w)
                || (w.contains("-") && w.first != "-" && w.utf8.allSatisfy { ($0 >= 0x61 && $0 <= 0x7A) || ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x2D })
        }
        return named ? words : []
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
    package var isLintable: Bool {
        isJSONLike && !isDisabled && !Self.otherLanguages.contains(language)
    }
}
