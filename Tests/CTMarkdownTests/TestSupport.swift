import CTCore
import Testing
import CTMarkdown

/// UTF-8 bytes of a string.
func bytes(_ s: String) -> [UInt8] { Array(s.utf8) }

/// A string from UTF-8 bytes.
func string<C: Collection>(_ b: C) -> String where C.Element == UInt8 { String(decoding: b, as: UTF8.self) }

/// The embedded content of a block, as a string.
func contentString(_ block: CodeBlock) -> String { string(block.content) }

/// Checks the invariants every block must satisfy against its host: every embedded byte maps to an
/// equal host byte and back, the line table tiles the content range, and splicing the unchanged
/// content gives back the host.
func checkInvariants(_ block: CodeBlock, in host: [UInt8], sourceLocation: SourceLocation = #_sourceLocation) {
    for offset in 0..<block.content.count {
        let h = block.hostOffset(forEmbedded: offset)
        guard h >= 0, h < host.count, host[h] == block.content[offset] else {
            Issue.record("embedded offset \(offset) maps to host \(h), bytes differ", sourceLocation: sourceLocation)
            return
        }
        if block.embeddedOffset(forHost: h) != offset {
            Issue.record("host offset \(h) does not map back to \(offset)", sourceLocation: sourceLocation)
            return
        }
    }
    #expect(block.hostOffset(forEmbedded: block.content.count) == block.contentRange.end, sourceLocation: sourceLocation)
    // Lines tile the content range and the content.
    var hostCursor = block.contentRange.start
    var embeddedCursor = 0
    for line in block.lines {
        #expect(line.hostStart == hostCursor, sourceLocation: sourceLocation)
        #expect(line.embeddedStart == embeddedCursor, sourceLocation: sourceLocation)
        #expect(Array(host[line.hostStart..<line.hostContentStart]) == line.prefix, sourceLocation: sourceLocation)
        hostCursor = line.hostEnd
        embeddedCursor += line.embeddedLength
    }
    #expect(hostCursor == block.contentRange.end, sourceLocation: sourceLocation)
    #expect(embeddedCursor == block.content.count, sourceLocation: sourceLocation)
    #expect(Splicer.splice(block.content, into: block, of: host) == host, sourceLocation: sourceLocation)
    #expect(block.hostEdits([]) == [], sourceLocation: sourceLocation)
}

/// Applies embedded `edits` to block `index` of `host` through `hostEdits`, scans the result and
/// checks that the block at the same index now holds the edited content (with line breaks written
/// in the block's `lineEnding`, and a final break kept when the content had one or the block is
/// closed). Returns the new host.
@discardableResult
func applyAndRescan(_ host: [UInt8], block index: Int, edits: [TextEdit],
                    sourceLocation: SourceLocation = #_sourceLocation) -> [UInt8] {
    let before = FenceScanner.blocks(in: host)
    let block = before[index]
    guard let hostEdits = block.hostEdits(edits) else {
        Issue.record("hostEdits returned nil", sourceLocation: sourceLocation)
        return host
    }
    let newHost = TextEdit.apply(hostEdits, to: host)
    let after = FenceScanner.blocks(in: newHost)
    #expect(after.count == before.count, sourceLocation: sourceLocation)
    guard after.count == before.count else { return newHost }
    let expected = TextEdit.apply(edits, to: block.content)
    let keepsBreak = block.isClosed || block.contentEndsWithLineBreak
    #expect(normalized(after[index].content, lineEnding: block.lineEnding, closed: keepsBreak)
            == normalized(expected, lineEnding: block.lineEnding, closed: keepsBreak),
            sourceLocation: sourceLocation)
    // Text outside the block's content is untouched.
    let newBlock = after[index]
    if block.openingFenceHasLineBreak {
        #expect(Array(newHost[..<newBlock.contentRange.start]) == Array(host[..<block.contentRange.start]),
                sourceLocation: sourceLocation)
    } else {
        // A fence on the last line gets a line break before new content.
        #expect(newHost.starts(with: host[..<block.contentRange.start]), sourceLocation: sourceLocation)
    }
    #expect(Array(newHost[newBlock.contentRange.end...]) == Array(host[block.contentRange.end...]),
            sourceLocation: sourceLocation)
    checkInvariants(newBlock, in: newHost, sourceLocation: sourceLocation)
    return newHost
}

/// `text` with every line break written as `lineEnding`, and a final break added to non-empty text when `closed`.
func normalized(_ text: [UInt8], lineEnding: [UInt8], closed: Bool) -> [UInt8] {
    var out: [UInt8] = []
    var i = 0
    while i < text.count {
        if text[i] == 0x0D || text[i] == 0x0A {
            if text[i] == 0x0D && i + 1 < text.count && text[i + 1] == 0x0A { i += 1 }
            out.append(contentsOf: lineEnding)
        } else {
            out.append(text[i])
        }
        i += 1
    }
    if closed && !out.isEmpty && !(out.last == 0x0A || out.last == 0x0D) { out.append(contentsOf: lineEnding) }
    return out
}
