import CTCore

/// Writes changed embedded content back into its Markdown host.
///
/// Lines keep the prefix they had in the host (block-quote markers, list indentation, fence
/// indentation) and their line break; lines with no original counterpart get the block's
/// `continuationPrefix` and `lineEnding`. Everything outside the block's content is left
/// byte-identical.
package enum Splicer {
    /// The host with the block's content replaced by `newContent` (embedded bytes).
    ///
    /// Splicing the block's own `content` gives back `host` unchanged.
    package static func splice(_ newContent: [UInt8], into block: CodeBlock, of host: [UInt8]) -> [UInt8] {
        TextEdit.apply([contentEdit(replacingContentWith: newContent, in: block)], to: host)
    }

    /// One host edit replacing the whole content of `block` with `newContent` (embedded bytes).
    package static func contentEdit(replacingContentWith newContent: [UInt8], in block: CodeBlock) -> TextEdit {
        let rendered = block.render(newContent[...], originalLines: 0..<block.lines.count, reachesEnd: true)
        return TextEdit(range: block.contentRange, replacement: rendered)
    }

    /// The host with embedded `edits` applied to `block`, or nil when the edits are out of range or overlap.
    package static func apply(_ edits: [TextEdit], to block: CodeBlock, of host: [UInt8]) -> [UInt8]? {
        guard let hostEdits = block.hostEdits(edits) else { return nil }
        return TextEdit.apply(hostEdits, to: host)
    }
}

extension CodeBlock {
    /// Maps edits of the embedded document to edits of the host.
    ///
    /// An edit that stays within a line's content and inserts no line break maps to the same
    /// bytes at the host offsets (`hostOffset(forEmbedded:)`). An edit that inserts line breaks,
    /// adds text on a blank line whose prefix is incomplete, adds text after the content's last
    /// line break, or removes that break is widened to whole lines, which are rewritten with
    /// their prefixes (new lines get `continuationPrefix`) and line breaks in the block's style.
    /// Applying the result to the host and scanning again yields the edited embedded document.
    ///
    /// - Parameter edits: non-overlapping edits with ranges in `0...content.count` (embedded bytes).
    /// - Returns: sorted, non-overlapping host edits, or nil when an edit is out of range or edits overlap.
    package func hostEdits(_ edits: [TextEdit]) -> [TextEdit]? {
        let sorted = edits.sorted()
        var previousEnd = 0
        for edit in sorted {
            guard edit.range.start >= previousEnd, edit.range.end <= content.count else { return nil }
            previousEnd = edit.range.end
        }

        struct Cluster {
            var firstLine: Int
            var lastLine: Int
            var rewrite: Bool
            var edits: [TextEdit]
        }
        var clusters: [Cluster] = []
        for edit in sorted {
            let first = lineIndex(forEmbedded: edit.range.start)
            let last = lineIndex(forEmbedded: edit.range.end)
            let rewrite = needsLineRewrite(edit, firstLine: first)
            if var current = clusters.last, first <= current.lastLine, rewrite || current.rewrite {
                current.lastLine = Swift.max(current.lastLine, last)
                current.rewrite = true
                current.edits.append(edit)
                clusters[clusters.count - 1] = current
            } else {
                clusters.append(Cluster(firstLine: first, lastLine: last, rewrite: rewrite, edits: [edit]))
            }
        }

        var out: [TextEdit] = []
        for cluster in clusters {
            guard cluster.rewrite else {
                for edit in cluster.edits {
                    let start = hostOffset(forEmbedded: edit.range.start)
                    let end = hostOffset(forEmbedded: edit.range.end)
                    out.append(TextEdit(range: TextRange(start: start, end: Swift.max(start, end)),
                                        replacement: edit.replacement))
                }
                continue
            }
            let first = cluster.firstLine, last = cluster.lastLine
            let embeddedStart = first < lines.count ? lines[first].embeddedStart : content.count
            let embeddedEnd = last < lines.count ? lines[last].embeddedStart + lines[last].embeddedLength : content.count
            let hostStart = first < lines.count ? lines[first].hostStart : contentRange.end
            let hostEnd = last < lines.count ? lines[last].hostEnd : contentRange.end
            var text: [UInt8] = []
            var cursor = embeddedStart
            for edit in cluster.edits {
                text.append(contentsOf: content[cursor..<edit.range.start])
                text.append(contentsOf: edit.replacement)
                cursor = edit.range.end
            }
            text.append(contentsOf: content[cursor..<embeddedEnd])
            let rendered = render(text[...], originalLines: first..<Swift.min(last + 1, lines.count),
                                  reachesEnd: last >= lines.count - 1)
            out.append(TextEdit(range: TextRange(start: hostStart, end: hostEnd), replacement: rendered))
        }
        return out
    }

    /// Whether an embedded edit starting on line `firstLine` must be written as whole lines.
    private func needsLineRewrite(_ edit: TextEdit, firstLine: Int) -> Bool {
        if edit.replacement.contains(0x0A) || edit.replacement.contains(0x0D) { return true }
        // Text after the last line break has no prefix yet.
        if firstLine >= lines.count { return !edit.replacement.isEmpty }
        // Removing the final line break would join what follows the content.
        if edit.range.end == content.count && !edit.range.isEmpty && contentEndsWithLineBreak { return true }
        // Splitting a `\r\n` pair makes a new line.
        if splitsLineBreak(at: edit.range.start) || splitsLineBreak(at: edit.range.end) { return true }
        // Text at the start of a line whose prefix is short may need the full prefix.
        let line = lines[firstLine]
        if edit.range.start == line.embeddedStart && hasShortPrefix(line)
            && (!edit.replacement.isEmpty || !edit.range.isEmpty) {
            return true
        }
        return false
    }

    private func splitsLineBreak(at offset: Int) -> Bool {
        offset > 0 && offset < content.count && content[offset - 1] == 0x0D && content[offset] == 0x0A
    }

    /// Host bytes for embedded `text` written over the original lines `originalLines`: each line
    /// gets a prefix and a line break, chosen from the original line at the same position when
    /// there is one. `reachesEnd` says whether the text runs to the end of the content.
    func render(_ text: ArraySlice<UInt8>, originalLines: Range<Int>, reachesEnd: Bool) -> [UInt8] {
        var out: [UInt8] = []
        // Unchanged text keeps its host bytes exactly.
        if let first = originalLines.first, let last = originalLines.last {
            let start = lines[first].embeddedStart
            let end = lines[last].embeddedStart + lines[last].embeddedLength
            if text.elementsEqual(content[start..<end]) {
                for line in lines[originalLines] {
                    out.append(contentsOf: line.prefix)
                    out.append(contentsOf: content[line.embeddedStart..<(line.embeddedStart + line.embeddedLength)])
                }
                return out
            }
        }

        var trimmedPrefix = continuationPrefix
        while let last = trimmedPrefix.last, last == 0x20 || last == 0x09 { trimmedPrefix.removeLast() }
        out.reserveCapacity(text.count + (originalLines.count + 1) * (continuationPrefix.count + 1))
        if lines.isEmpty && !openingFenceHasLineBreak && !text.isEmpty {
            // The fence is the last line of the page: the content needs a line of its own.
            out.append(contentsOf: lineEnding)
        }
        var index = 0
        var i = text.startIndex
        var endsWithBreak = true
        while i < text.endIndex {
            var j = i
            while j < text.endIndex && text[j] != 0x0A && text[j] != 0x0D { j += 1 }
            var breakEnd = j
            if breakEnd < text.endIndex {
                breakEnd += (text[breakEnd] == 0x0D && breakEnd + 1 < text.endIndex && text[breakEnd + 1] == 0x0A) ? 2 : 1
            }
            let newLine = text[i..<j]
            let original = originalLines.lowerBound + index < originalLines.upperBound
                ? lines[originalLines.lowerBound + index] : nil
            out.append(contentsOf: prefix(for: newLine, replacing: original, trimmedPrefix: trimmedPrefix))
            out.append(contentsOf: newLine)
            if breakEnd > j {
                if let original, !original.lineBreak.isEmpty {
                    out.append(contentsOf: original.lineBreak)
                } else {
                    out.append(contentsOf: lineEnding)
                }
                endsWithBreak = true
            } else {
                endsWithBreak = false
            }
            index += 1
            i = breakEnd
        }
        if reachesEnd && !endsWithBreak && (isClosed || contentEndsWithLineBreak) {
            // Keep what follows the content (the closing fence, the rest of the page) on its own line.
            out.append(contentsOf: lineEnding)
        }
        return out
    }

    /// The prefix for a rewritten line with content `newLine` (no line break) that takes the place
    /// of `original`, if any.
    private func prefix(for newLine: ArraySlice<UInt8>, replacing original: Line?,
                        trimmedPrefix: [UInt8]) -> [UInt8] {
        guard let original else { return newLine.isEmpty ? trimmedPrefix : continuationPrefix }
        let originalContent = content[original.embeddedStart..<(original.embeddedStart + original.contentLength)]
        if newLine.elementsEqual(originalContent) { return original.prefix }
        if newLine.isEmpty { return original.contentLength == 0 ? original.prefix : trimmedPrefix }
        guard hasShortPrefix(original) else { return original.prefix }
        // A short prefix is enough only before text that is not blank and does not start with whitespace.
        let first = newLine[newLine.startIndex]
        if original.contentLength == 0 || first == 0x20 || first == 0x09 { return continuationPrefix }
        return original.prefix
    }
}
