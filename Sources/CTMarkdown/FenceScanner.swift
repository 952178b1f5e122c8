import CTCore

/// Finds the fenced code blocks of a Markdown page, following the CommonMark block structure.
///
/// The scanner tracks the containers that matter for where a fence starts and ends — block
/// quotes and list items, nested in any combination — and the leaf blocks that can hide a fence
/// marker (indented code, HTML blocks, paragraphs with lazy continuation lines). Fences are runs
/// of at least three `` ` `` or `~`, indented at most 3 columns relative to their container; a
/// block closes at a run of the same character at least as long, or else at the end of its
/// container or of the document.
///
/// Columns follow CommonMark (a tab advances to the next multiple of 4). Where CommonMark would
/// split a tab into virtual spaces, the scanner strips the whole tab, so that every byte of an
/// embedded document is a copy of exactly one host byte.
package enum FenceScanner {
    /// The text of the HTML comment that excludes the next code block from linting:
    /// `<!-- cloudtrail-lint-disable-next-block -->` (a `: reason` or other words may follow it).
    package static let disableDirective = "cloudtrail-lint-disable-next-block"

    /// The fenced code blocks of `bytes` (a UTF-8 Markdown page), in document order.
    package static func blocks(in bytes: [UInt8]) -> [CodeBlock] {
        var scanner = BlockScanner(bytes: bytes)
        scanner.run()
        return scanner.blocks
    }
}

// MARK: - Byte constants

private let space: UInt8 = 0x20
private let tab: UInt8 = 0x09
private let lf: UInt8 = 0x0A
private let cr: UInt8 = 0x0D
private let backtick: UInt8 = 0x60
private let tilde: UInt8 = 0x7E
private let greaterThan: UInt8 = 0x3E
private let lessThan: UInt8 = 0x3C

@inline(__always) private func isSpaceOrTab(_ b: UInt8) -> Bool { b == space || b == tab }
@inline(__always) private func isDigit(_ b: UInt8) -> Bool { b >= 0x30 && b <= 0x39 }
@inline(__always) private func isLetter(_ b: UInt8) -> Bool { (b | 0x20) >= 0x61 && (b | 0x20) <= 0x7A }
@inline(__always) private func lowered(_ b: UInt8) -> UInt8 { b >= 0x41 && b <= 0x5A ? b | 0x20 : b }

// MARK: - The scanner

/// How an open HTML block ends (CommonMark HTML block types 1–7).
private enum HTMLEnd: Equatable {
    /// Type 1: a line containing `</pre>`, `</script>`, `</style>` or `</textarea>`.
    case rawTag
    /// Type 2: a line containing `-->`.
    case comment
    /// Type 3: a line containing `?>`.
    case processingInstruction
    /// Type 4: a line containing `>`.
    case declaration
    /// Type 5: a line containing `]]>`.
    case cdata
    /// Types 6 and 7: a blank line.
    case blankLine
}

private enum Leaf: Equatable {
    case none, paragraph, indentedCode, fenced
    case html(HTMLEnd)
}

private enum Container {
    case quote
    /// A list item whose content starts `width` columns after the item's container content start.
    case item(width: Int, hasContent: Bool)
}

/// A fenced block being read.
private struct OpenFence {
    var character: UInt8
    var length: Int
    var indent: Int
    var info: String
    var language: String
    var markerStart: Int
    var openingEnd: Int
    var lineStart: Int
    var contentStart: Int
    var lineBreak: [UInt8]
    var directive: DisableDirective?
    var lines: [CodeBlock.Line] = []
    var content: [UInt8] = []
}

private struct BlockScanner {
    let bytes: [UInt8]
    var blocks: [CodeBlock] = []

    private var containers: [Container] = []
    private var leaf: Leaf = .none
    private var fence: OpenFence?
    /// Whether the disable directive was seen since the last non-blank, non-comment content.
    private var pendingDirective: DisableDirective?
    /// Where the open HTML block starts (to place its directive).
    private var htmlStart = 0
    /// Text of the open HTML block (after container prefixes), for the disable directive.
    private var htmlText: [UInt8] = []

    // The current line.
    private var lineStart = 0
    private var contentEnd = 0
    private var lineEnd = 0
    // The current position in the line, as a byte offset and a 0-based column.
    private var pos = 0
    private var col = 0
    /// How many containers the current line has matched (or opened).
    private var matched = 0

    init(bytes: [UInt8]) { self.bytes = bytes }

    mutating func run() {
        let n = bytes.count
        var start = 0
        while start < n {
            var end = start
            while end < n && bytes[end] != lf && bytes[end] != cr { end += 1 }
            var next = end
            if next < n {
                next += (bytes[next] == cr && next + 1 < n && bytes[next + 1] == lf) ? 2 : 1
            }
            lineStart = start
            contentEnd = end
            lineEnd = next
            processLine()
            start = next
        }
        if fence != nil { finishFence(closing: nil, end: n) }
        if case .html = leaf { finishHTML() }
    }

    // MARK: Line processing

    private mutating func processLine() {
        pos = lineStart
        col = 0
        matched = 0

        // 1. Match the open containers.
        matching: while matched < containers.count {
            switch containers[matched] {
            case .quote:
                guard matchQuoteMarker() else { break matching }
            case .item(let width, let hasContent):
                let (indent, next) = indentation()
                if next == contentEnd {
                    // A blank line continues an item unless the item is still empty.
                    guard hasContent else { break matching }
                    consumeColumns(width, overshoot: true)
                } else if indent >= width {
                    consumeColumns(width, overshoot: true)
                } else {
                    break matching
                }
            }
            matched += 1
        }
        var allMatched: Bool { matched == containers.count }

        // 2. Continue the open leaf block.
        switch leaf {
        case .fenced:
            if allMatched {
                if let closing = closingFence() {
                    finishFence(closing: closing, end: lineStart)
                    leaf = .none
                } else {
                    addFenceContentLine()
                }
                return
            }
            finishFence(closing: nil, end: lineStart)
            leaf = .none
        case .indentedCode:
            if allMatched {
                let (indent, next) = indentation()
                if next == contentEnd || indent >= 4 { return }
            }
            leaf = .none
        case .html(let end):
            if allMatched {
                let blank = indentation().next == contentEnd
                if end == .blankLine && blank {
                    finishHTML()
                    leaf = .none
                    return
                }
                appendHTMLText(from: pos)
                if htmlEnds(end, from: pos) {
                    finishHTML()
                    leaf = .none
                }
                return
            }
            finishHTML()
            leaf = .none
        case .paragraph, .none:
            break
        }

        // 3. Open new blocks.
        var opened = false
        while true {
            let (indent, q) = indentation()
            if q == contentEnd { break }
            // Indented code and type-7 HTML blocks never interrupt a paragraph, lazy or not; list
            // items are restricted only when the paragraph's own container matched (CommonMark).
            let interrupting = leaf == .paragraph && allMatched && !opened
            if indent >= 4 {
                if leaf == .paragraph { break }
                closeUnmatched()
                leaf = .indentedCode
                markContent()
                return
            }
            let b = bytes[q]
            if b == greaterThan {
                closeUnmatched()
                advance(to: q, columns: indent)
                pos += 1
                col += 1
                if pos < contentEnd && isSpaceOrTab(bytes[pos]) { consumeColumns(1, overshoot: true) }
                markContent()
                containers.append(.quote)
                matched = containers.count
                leaf = .none
                opened = true
                continue
            }
            if (b == backtick || b == tilde), openFence(at: q, indent: indent) {
                return
            }
            if interrupting && isSetextUnderline(at: q) {
                leaf = .none
                pendingDirective = nil
                return
            }
            if isThematicBreak(at: q) || isATXHeading(at: q) {
                closeUnmatched()
                leaf = .none
                pendingDirective = nil
                markContent()
                return
            }
            if b == lessThan, let end = htmlBlockStart(at: q, interrupting: leaf == .paragraph) {
                closeUnmatched()
                leaf = .html(end)
                htmlStart = q
                htmlText.removeAll(keepingCapacity: true)
                appendHTMLText(from: q)
                markContent()
                if end != .blankLine && htmlEnds(end, from: q) {
                    finishHTML()
                    leaf = .none
                }
                return
            }
            if let width = listItemStart(at: q, indent: indent, interrupting: interrupting) {
                markContent()
                containers.append(.item(width: width, hasContent: false))
                matched = containers.count
                leaf = .none
                opened = true
                continue
            }
            break
        }

        // 4. Paragraph text, or a blank line.
        if indentation().next == contentEnd {
            closeUnmatched()
            leaf = .none
            return
        }
        if leaf != .paragraph {
            closeUnmatched()
            leaf = .paragraph
        }
        // Otherwise a (possibly lazy) continuation line: unmatched containers stay open.
        pendingDirective = nil
        markContent()
    }

    // MARK: Containers

    private mutating func closeUnmatched() {
        if matched < containers.count { containers.removeLast(containers.count - matched) }
    }

    /// Records that the open list items have content (a child block), so blank lines no longer close them.
    private mutating func markContent() {
        for i in containers.indices {
            if case .item(let width, false) = containers[i] { containers[i] = .item(width: width, hasContent: true) }
        }
    }

    private mutating func matchQuoteMarker() -> Bool {
        let (indent, q) = indentation()
        guard indent <= 3, q < contentEnd, bytes[q] == greaterThan else { return false }
        advance(to: q, columns: indent)
        pos += 1
        col += 1
        if pos < contentEnd && isSpaceOrTab(bytes[pos]) { consumeColumns(1, overshoot: true) }
        return true
    }

    /// Opens a list item if a list marker starts at `q`; returns the item's content width in columns.
    private mutating func listItemStart(at q: Int, indent: Int, interrupting: Bool) -> Int? {
        var m = q
        let b = bytes[q]
        if b == UInt8(ascii: "-") || b == UInt8(ascii: "+") || b == UInt8(ascii: "*") {
            m += 1
        } else if isDigit(b) {
            var value = 0
            while m < contentEnd && isDigit(bytes[m]) && m - q < 9 {
                value = value * 10 + Int(bytes[m] - 0x30)
                m += 1
            }
            guard m < contentEnd, bytes[m] == UInt8(ascii: ".") || bytes[m] == UInt8(ascii: ")") else { return nil }
            if interrupting && value != 1 { return nil }
            m += 1
        } else {
            return nil
        }
        guard m == contentEnd || isSpaceOrTab(bytes[m]) else { return nil }
        let markerWidth = m - q
        // Measure the whitespace after the marker.
        var c = col + indent + markerWidth
        let markerEndColumn = c
        var p = m
        while p < contentEnd && isSpaceOrTab(bytes[p]) {
            c = bytes[p] == tab ? (c / 4 + 1) * 4 : c + 1
            p += 1
        }
        let blankAfter = p == contentEnd
        if interrupting && blankAfter { return nil }
        let spacing = c - markerEndColumn
        closeUnmatched()
        advance(to: q, columns: indent)
        pos = m
        col = markerEndColumn
        let padding: Int
        if blankAfter {
            padding = 1
        } else if spacing >= 5 {
            padding = 1
            consumeColumns(1, overshoot: true)
        } else {
            padding = spacing
            pos = p
            col = c
        }
        return indent + markerWidth + padding
    }

    // MARK: Fences

    /// Opens a fenced block if a fence starts at `q`; returns whether it did.
    private mutating func openFence(at q: Int, indent: Int) -> Bool {
        let ch = bytes[q]
        var r = q
        while r < contentEnd && bytes[r] == ch { r += 1 }
        let length = r - q
        guard length >= 3 else { return false }
        // Trim the info string.
        var infoStart = r
        while infoStart < contentEnd && isSpaceOrTab(bytes[infoStart]) { infoStart += 1 }
        var infoEnd = contentEnd
        while infoEnd > infoStart && isSpaceOrTab(bytes[infoEnd - 1]) { infoEnd -= 1 }
        if ch == backtick {
            var i = infoStart
            while i < infoEnd {
                if bytes[i] == backtick { return false }
                i += 1
            }
        }
        closeUnmatched()
        let infoBytes = bytes[infoStart..<infoEnd]
        var wordEnd = infoStart
        while wordEnd < infoEnd && !isSpaceOrTab(bytes[wordEnd]) { wordEnd += 1 }
        var word = Array(bytes[infoStart..<wordEnd])
        // Pandoc-style `{.json}`.
        while let first = word.first, first == UInt8(ascii: "{") || first == UInt8(ascii: ".") { word.removeFirst() }
        while let last = word.last, last == UInt8(ascii: "}") { word.removeLast() }
        fence = OpenFence(
            character: ch, length: length, indent: indent,
            info: String(decoding: infoBytes, as: UTF8.self),
            language: String(decoding: word.map(lowered), as: UTF8.self),
            markerStart: q, openingEnd: infoEnd > infoStart ? infoEnd : r,
            lineStart: lineStart, contentStart: lineEnd,
            lineBreak: Array(bytes[contentEnd..<lineEnd]),
            directive: pendingDirective)
        pendingDirective = nil
        leaf = .fenced
        markContent()
        return true
    }

    /// The host range of a closing fence for the open block on the current line, if it is one.
    private func closingFence() -> TextRange? {
        guard let fence else { return nil }
        let (indent, q) = indentation()
        guard indent <= 3 else { return nil }
        var r = q
        while r < contentEnd && bytes[r] == fence.character { r += 1 }
        guard r - q >= fence.length else { return nil }
        var t = r
        while t < contentEnd && isSpaceOrTab(bytes[t]) { t += 1 }
        guard t == contentEnd else { return nil }
        return TextRange(start: q, end: r)
    }

    private mutating func addFenceContentLine() {
        guard fence != nil else { return }
        consumeColumns(fence!.indent, overshoot: false)
        let line = CodeBlock.Line(
            hostStart: lineStart,
            prefix: Array(bytes[lineStart..<pos]),
            embeddedStart: fence!.content.count,
            contentLength: contentEnd - pos,
            lineBreak: Array(bytes[contentEnd..<lineEnd]))
        fence!.lines.append(line)
        fence!.content.append(contentsOf: bytes[pos..<lineEnd])
    }

    /// Closes the open fenced block. `end` is the host offset where its content stops.
    private mutating func finishFence(closing: TextRange?, end: Int) {
        guard let f = fence else { return }
        fence = nil
        let contentStart = Swift.min(f.contentStart, end)
        let contentRange = TextRange(start: contentStart, end: Swift.max(contentStart, end))
        let rangeEnd = closing.map { Swift.max($0.end, contentEnd) } ?? Swift.max(f.openingEnd, contentRange.end)
        // The continuation prefix: the fence line's prefix with list markers blanked out.
        // A quote marker gets its optional space, so content that starts with whitespace keeps it.
        var derived = Array(bytes[f.lineStart..<f.markerStart])
        for i in derived.indices where derived[i] != greaterThan && derived[i] != tab { derived[i] = space }
        if derived.last == greaterThan { derived.append(space) }
        var prefix = derived
        let width = CodeBlock.columns(of: derived)
        if let model = f.lines.last(where: { line in
            line.contentLength > 0 && CodeBlock.columns(of: line.prefix) == width
        }) {
            prefix = model.prefix
        }
        var lineEnding = f.lineBreak
        if lineEnding.isEmpty { lineEnding = f.lines.first(where: { !$0.lineBreak.isEmpty })?.lineBreak ?? [lf] }
        blocks.append(CodeBlock(
            fenceCharacter: f.character, fenceLength: f.length, fenceIndent: f.indent,
            info: f.info, language: f.language,
            range: TextRange(start: f.markerStart, end: rangeEnd),
            openingFence: TextRange(start: f.markerStart, end: f.openingEnd),
            closingFence: closing.map { TextRange(start: $0.start, end: contentEnd) },
            contentRange: contentRange,
            content: f.content, lines: f.lines,
            continuationPrefix: prefix, lineEnding: lineEnding,
            openingFenceHasLineBreak: !f.lineBreak.isEmpty,
            directive: f.directive))
    }

    // MARK: Other leaf blocks

    private func isThematicBreak(at q: Int) -> Bool {
        let ch = bytes[q]
        guard ch == UInt8(ascii: "*") || ch == UInt8(ascii: "-") || ch == UInt8(ascii: "_") else { return false }
        var count = 0
        var i = q
        while i < contentEnd {
            if bytes[i] == ch { count += 1 } else if !isSpaceOrTab(bytes[i]) { return false }
            i += 1
        }
        return count >= 3
    }

    private func isATXHeading(at q: Int) -> Bool {
        var i = q
        while i < contentEnd && bytes[i] == UInt8(ascii: "#") { i += 1 }
        let level = i - q
        return level >= 1 && level <= 6 && (i == contentEnd || isSpaceOrTab(bytes[i]))
    }

    private func isSetextUnderline(at q: Int) -> Bool {
        let ch = bytes[q]
        guard ch == UInt8(ascii: "=") || ch == UInt8(ascii: "-") else { return false }
        var i = q
        while i < contentEnd && bytes[i] == ch { i += 1 }
        while i < contentEnd && isSpaceOrTab(bytes[i]) { i += 1 }
        return i == contentEnd
    }

    // MARK: HTML blocks

    private static let rawTags: [[UInt8]] = ["pre", "script", "style", "textarea"].map { Array($0.utf8) }
    private static let blockTags: Set<[UInt8]> = Set([
        "address", "article", "aside", "base", "basefont", "blockquote", "body", "caption", "center",
        "col", "colgroup", "dd", "details", "dialog", "dir", "div", "dl", "dt", "fieldset", "figcaption",
        "figure", "footer", "form", "frame", "frameset", "h1", "h2", "h3", "h4", "h5", "h6", "head",
        "header", "hr", "html", "iframe", "legend", "li", "link", "main", "menu", "menuitem", "nav",
        "noframes", "ol", "optgroup", "option", "p", "param", "search", "section", "summary", "table",
        "tbody", "td", "tfoot", "th", "thead", "title", "tr", "track", "ul",
    ].map { Array($0.utf8) })

    private func hasPrefix(_ literal: String, at i: Int, caseInsensitive: Bool = false) -> Bool {
        var j = i
        for c in literal.utf8 {
            guard j < contentEnd else { return false }
            let b = caseInsensitive ? lowered(bytes[j]) : bytes[j]
            if b != c { return false }
            j += 1
        }
        return true
    }

    /// The end condition of an HTML block starting at `q` (a `<`), or nil when none starts there.
    private func htmlBlockStart(at q: Int, interrupting: Bool) -> HTMLEnd? {
        let a = q + 1
        for tag in Self.rawTags {
            var j = a
            var ok = true
            for c in tag {
                if j >= contentEnd || lowered(bytes[j]) != c { ok = false; break }
                j += 1
            }
            if ok && (j == contentEnd || isSpaceOrTab(bytes[j]) || bytes[j] == greaterThan) { return .rawTag }
        }
        if hasPrefix("<!--", at: q) { return .comment }
        if hasPrefix("<?", at: q) { return .processingInstruction }
        if hasPrefix("<![CDATA[", at: q) { return .cdata }
        if hasPrefix("<!", at: q), a + 1 < contentEnd, isLetter(bytes[a + 1]) { return .declaration }
        // Type 6: a known block-level tag.
        var nameStart = a
        if nameStart < contentEnd && bytes[nameStart] == UInt8(ascii: "/") { nameStart += 1 }
        var nameEnd = nameStart
        while nameEnd < contentEnd && (isLetter(bytes[nameEnd]) || isDigit(bytes[nameEnd])) { nameEnd += 1 }
        if nameEnd > nameStart {
            let name = bytes[nameStart..<nameEnd].map(lowered)
            if Self.blockTags.contains(name) {
                if nameEnd == contentEnd || isSpaceOrTab(bytes[nameEnd]) || bytes[nameEnd] == greaterThan
                    || hasPrefix("/>", at: nameEnd) {
                    return .blankLine
                }
            }
        }
        // Type 7: a complete open or closing tag alone on the line.
        if !interrupting, let end = completeTagEnd(at: q) {
            var i = end
            while i < contentEnd && isSpaceOrTab(bytes[i]) { i += 1 }
            if i == contentEnd { return .blankLine }
        }
        return nil
    }

    /// The offset just past a complete HTML open or closing tag starting at `q`, if there is one on this line.
    private func completeTagEnd(at q: Int) -> Int? {
        var i = q + 1
        let closing = i < contentEnd && bytes[i] == UInt8(ascii: "/")
        if closing { i += 1 }
        guard i < contentEnd, isLetter(bytes[i]) else { return nil }
        while i < contentEnd && (isLetter(bytes[i]) || isDigit(bytes[i]) || bytes[i] == UInt8(ascii: "-")) { i += 1 }
        if closing {
            while i < contentEnd && isSpaceOrTab(bytes[i]) { i += 1 }
            return i < contentEnd && bytes[i] == greaterThan ? i + 1 : nil
        }
        while true {
            let wsStart = i
            while i < contentEnd && isSpaceOrTab(bytes[i]) { i += 1 }
            guard i < contentEnd else { return nil }
            if bytes[i] == greaterThan { return i + 1 }
            if hasPrefix("/>", at: i) { return i + 2 }
            // An attribute needs whitespace before it.
            guard i > wsStart else { return nil }
            let b = bytes[i]
            guard isLetter(b) || b == UInt8(ascii: "_") || b == UInt8(ascii: ":") else { return nil }
            while i < contentEnd, isLetter(bytes[i]) || isDigit(bytes[i])
                    || [UInt8(ascii: "_"), UInt8(ascii: "."), UInt8(ascii: ":"), UInt8(ascii: "-")].contains(bytes[i]) {
                i += 1
            }
            // Optional value.
            var j = i
            while j < contentEnd && isSpaceOrTab(bytes[j]) { j += 1 }
            if j < contentEnd && bytes[j] == UInt8(ascii: "=") {
                j += 1
                while j < contentEnd && isSpaceOrTab(bytes[j]) { j += 1 }
                guard j < contentEnd else { return nil }
                let quote = bytes[j]
                if quote == UInt8(ascii: "\"") || quote == UInt8(ascii: "'") {
                    j += 1
                    while j < contentEnd && bytes[j] != quote { j += 1 }
                    guard j < contentEnd else { return nil }
                    j += 1
                } else {
                    let start = j
                    while j < contentEnd, !isSpaceOrTab(bytes[j]),
                          !"\"'=<>`".utf8.contains(bytes[j]) {
                        j += 1
                    }
                    guard j > start else { return nil }
                }
                i = j
            }
        }
    }

    /// Whether the current line, from `start`, meets an HTML block's end condition.
    private func htmlEnds(_ end: HTMLEnd, from start: Int) -> Bool {
        func contains(_ literal: String, caseInsensitive: Bool = false) -> Bool {
            var i = start
            while i < contentEnd {
                if hasPrefix(literal, at: i, caseInsensitive: caseInsensitive) { return true }
                i += 1
            }
            return false
        }
        switch end {
        case .rawTag:
            return contains("</pre>", caseInsensitive: true) || contains("</script>", caseInsensitive: true)
                || contains("</style>", caseInsensitive: true) || contains("</textarea>", caseInsensitive: true)
        case .comment: return contains("-->")
        case .processingInstruction: return contains("?>")
        case .declaration: return contains(">")
        case .cdata: return contains("]]>")
        case .blankLine: return false
        }
    }

    private mutating func appendHTMLText(from start: Int) {
        guard htmlText.count < 65_536 else { return }
        htmlText.append(contentsOf: bytes[start..<contentEnd])
        htmlText.append(lf)
    }

    /// Ends the open HTML block: a block holding the disable directive arms it for the next fence;
    /// a comment-only block leaves it as it was; any other block disarms it.
    private mutating func finishHTML() {
        guard case .html(let end) = leaf else { return }
        if let arguments = Self.disableDirectiveArguments(htmlText) {
            pendingDirective = DisableDirective(arguments: arguments, range: directiveRange(from: htmlStart))
        } else if end != .comment {
            pendingDirective = nil
        }
        htmlText.removeAll(keepingCapacity: true)
    }

    /// What follows the disable directive in the first HTML comment of `text` whose body starts with it, up to a
    /// `:` or the comment's end (empty when nothing does); nil when no comment holds the directive.
    static func disableDirectiveArguments(_ text: [UInt8]) -> String? {
        let directive = Array(FenceScanner.disableDirective.utf8)
        let open = Array("<!--".utf8), close = Array("-->".utf8)
        func matches(_ literal: [UInt8], at i: Int) -> Bool {
            guard i + literal.count <= text.count else { return false }
            for k in literal.indices where text[i + k] != literal[k] { return false }
            return true
        }
        var i = 0
        while i < text.count {
            guard matches(open, at: i) else { i += 1; continue }
            var j = i + open.count
            while j < text.count && (isSpaceOrTab(text[j]) || text[j] == lf || text[j] == cr) { j += 1 }
            var k = j
            while k < text.count && !matches(close, at: k) { k += 1 }
            if k < text.count, matches(directive, at: j) {
                let after = j + directive.count
                if after == k || isSpaceOrTab(text[after]) || text[after] == lf || text[after] == cr
                    || text[after] == UInt8(ascii: ":") {
                    var end = after
                    while end < k && text[end] != UInt8(ascii: ":") { end += 1 }
                    return String(decoding: text[after..<end], as: UTF8.self)
                }
            }
            i = k + close.count
        }
        return nil
    }

    /// Whether `text` holds an HTML comment whose body starts with the disable directive.
    static func containsDisableDirective(_ text: [UInt8]) -> Bool { disableDirectiveArguments(text) != nil }

    /// The host range of the directive in the HTML block that starts at `start`: its first occurrence (the block's
    /// text was gathered without container prefixes, so it is found again in the page).
    private func directiveRange(from start: Int) -> TextRange {
        let directive = Array(FenceScanner.disableDirective.utf8)
        var i = start
        while i + directive.count <= bytes.count {
            if bytes[i] == directive[0] && bytes[i..<(i + directive.count)].elementsEqual(directive) {
                return TextRange(start: i, end: i + directive.count)
            }
            i += 1
        }
        return TextRange(empty: start)
    }

    // MARK: Columns

    /// Columns of whitespace at `pos` (relative to `col`) and the offset of the first other byte.
    private func indentation() -> (indent: Int, next: Int) {
        var c = col
        var p = pos
        while p < contentEnd && isSpaceOrTab(bytes[p]) {
            c = bytes[p] == tab ? (c / 4 + 1) * 4 : c + 1
            p += 1
        }
        return (c - col, p)
    }

    /// Moves to `q`, which is `columns` columns of whitespace after the current position.
    private mutating func advance(to q: Int, columns: Int) {
        pos = q
        col += columns
    }

    /// Consumes up to `n` columns of spaces and tabs. A tab that would go past `n` is consumed
    /// whole when `overshoot` is true, and left in place otherwise.
    private mutating func consumeColumns(_ n: Int, overshoot: Bool) {
        var consumed = 0
        while consumed < n && pos < contentEnd {
            let b = bytes[pos]
            if b == space {
                consumed += 1
                col += 1
            } else if b == tab {
                let w = 4 - col % 4
                if consumed + w > n && !overshoot { break }
                consumed += w
                col += w
            } else {
                break
            }
            pos += 1
        }
    }
}
