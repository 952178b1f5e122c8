import CTCore
import CTInput
import CTJSON
import CTMarkdown
import CTRules

/// `redact`: a document's identifiers replaced by documentation values, the same original by the same value across
/// the whole run.
///
/// Two steps, so that the output does not depend on threads: `scan` (on a worker) parses the document strictly and
/// finds its identifiers; `apply` (on the calling thread, in input order) gives each its replacement from the run's
/// one `Pseudonyms` table and writes the edits. Only the identifiers' bytes change; everything else of the document
/// stays byte for byte, and the result must parse strictly again or nothing is written.
struct Redactor: Sendable {
    let scanner: IdentifierScanner
    let shift: TimeShift?
    /// `--fix`: the safe fixes applied first, for a document that does not parse strictly.
    let fixer: Fixer?

    /// One string (or number) node with identifiers in it.
    struct Site: Sendable {
        /// The node's bytes in its segment (the document, or a Markdown block's content).
        var range: TextRange
        /// The value is the source bytes (a string without escapes, between its quotes; a number): edits go in place.
        var plain: Bool
        var isNumber: Bool
        /// The decoded value, for a string that is not plain (rewritten whole, quoted again).
        var value: [UInt8]
        var occurrences: [Occurrence]
        /// Where it is, for the warnings about identifiers found in free text (`/Records/0/errorMessage`).
        var pointer: String?
    }

    /// The identifiers of one part of a document: the whole JSON (or JSON Lines) document, or one Markdown block.
    struct Segment: Sendable {
        var block: CodeBlock?
        var sites: [Site]
    }

    /// What a worker found in one document.
    struct Scanned: Sendable {
        var bytes: [UInt8]
        var segments: [Segment] = []
        /// Why the document is not redacted (it does not parse strictly), with the offset of the first problem.
        var refusal: (message: String, rule: RuleID, offset: Int)?
        /// Safe fixes applied first (`--fix`), by rule.
        var fixed: [RuleID: Int] = [:]
    }

    func scan(_ original: [UInt8], format: InputKind.Format, fileName: String?) -> Scanned {
        var bytes = original
        var fixed: [RuleID: Int] = [:]
        if let fixer, !Self.isStrict(bytes, format: format) {
            let r = fixer.fix(bytes, format: format, fileName: fileName)
            if r.refusal == nil { bytes = r.output; fixed = r.applied }
        }
        var scanned = Scanned(bytes: bytes, fixed: fixed)
        func refuse(_ tree: SyntaxTree, shift: Int, block: CodeBlock?) {
            let first = tree.diagnostics.first
            let offset = block.map { $0.hostOffset(forEmbedded: first?.range.start ?? 0) } ?? ((first?.range.start ?? 0) + shift)
            let what = first.map { "\($0.message) [\($0.rule)]" } ?? "empty"
            scanned.refusal = ("not redacted: the document does not parse strictly (\(what)); run `cloudtrail-lint fix` first, or give `--fix`",
                               first?.rule ?? .emptyInput, offset)
        }
        switch format {
        case .json:
            let tree = JSONParser.parse(bytes)
            guard tree.isStrict else { refuse(tree, shift: 0, block: nil); return scanned }
            scanned.segments = [Segment(block: nil, sites: sites(tree, shift: 0, pointerPrefix: ""))]
        case .jsonLines:
            var all: [Site] = []
            for span in JSONLinesReader.lineSpans(in: bytes) {
                let line = Array(bytes[span.range.start..<span.range.end])
                if line.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) { continue }
                let tree = JSONParser.parse(line)
                guard tree.isStrict else { refuse(tree, shift: span.range.start, block: nil); return scanned }
                all += sites(tree, shift: span.range.start, pointerPrefix: "line \(span.number): ")
            }
            scanned.segments = [Segment(block: nil, sites: all)]
        case .markdown:
            for block in FenceScanner.blocks(in: bytes) where block.isLintable {
                let tree = JSONParser.parse(block.content)
                guard tree.isStrict else { refuse(tree, shift: 0, block: block); return scanned }
                scanned.segments.append(Segment(block: block, sites: sites(tree, shift: 0, pointerPrefix: "")))
            }
        }
        return scanned
    }

    static func isStrict(_ bytes: [UInt8], format: InputKind.Format) -> Bool {
        switch format {
        case .json: return JSONParser.parse(bytes).isStrict
        case .jsonLines:
            return JSONLinesReader.lineSpans(in: bytes).allSatisfy { span in
                let line = Array(bytes[span.range.start..<span.range.end])
                return line.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) || JSONParser.parse(line).isStrict
            }
        case .markdown:
            return FenceScanner.blocks(in: bytes).allSatisfy { !$0.isLintable || JSONParser.parse($0.content).isStrict }
        }
    }

    /// The nodes of `tree` holding identifiers, their ranges moved by `shift`.
    private func sites(_ tree: SyntaxTree, shift: Int, pointerPrefix: String) -> [Site] {
        var out: [Site] = []
        var current: [Occurrence] = []
        func flush() {
            guard let node = current.first?.node else { return }
            let r = tree.range(node)
            let isNumber = tree.kind(node) == .number
            let plain = isNumber || tree.plainContent(node) != nil
            let pointer = current.contains(where: \.inFreeText) ? tree.pointer(of: node).map { pointerPrefix + $0 } : nil
            out.append(Site(range: TextRange(start: r.start + shift, end: r.end + shift), plain: plain, isNumber: isNumber,
                            value: plain ? [] : Array((tree.string(node) ?? "").utf8), occurrences: current, pointer: pointer))
            current.removeAll()
        }
        for o in scanner.scan(tree) {
            if let last = current.last, last.node != o.node { flush() }
            current.append(o)
        }
        flush()
        return out
    }

    /// What applying the replacements gave.
    struct Applied {
        var output: [UInt8]
        /// Occurrences replaced, by kind.
        var replaced: [IdentifierKind: Int] = [:]
        /// Identifiers found in free text: (offset in the output's input bytes, pointer, kind).
        var freeText: [(offset: Int, pointer: String, kind: IdentifierKind)] = []
        /// The output does not parse strictly (never expected: a bug, reported as `internal-error`).
        var broken = false
    }

    /// The value bytes of each site's occurrences, in document order.
    private func forEachOccurrence(_ scanned: Scanned, _ body: (Segment, Site, [UInt8], Occurrence) -> Void) {
        for segment in scanned.segments {
            let source = segment.block?.content ?? scanned.bytes
            for site in segment.sites {
                let value = site.plain ? Array(source[(site.range.start + (site.isNumber ? 0 : 1))..<(site.range.end - (site.isNumber ? 0 : 1))]) : site.value
                for o in site.occurrences { body(segment, site, value, o) }
            }
        }
    }

    /// The first pass over a batch of documents: every identifier found by its field or shape gets its replacement,
    /// so that a name met in one document is known when the second pass meets it elsewhere (`onlyIfKnown`).
    func learn(_ scanned: Scanned, table: inout Pseudonyms) {
        forEachOccurrence(scanned) { _, _, value, o in
            guard !o.onlyIfKnown, o.kind != .time else { return }
            _ = table.replacement(for: String(decoding: value[o.start..<o.end], as: UTF8.self), kind: o.kind, field: o.field)
        }
    }

    /// The document with every identifier replaced through `table`, in document order.
    func apply(_ scanned: Scanned, format: InputKind.Format, table: inout Pseudonyms) -> Applied {
        var applied = Applied(output: scanned.bytes)
        var hostEdits: [TextEdit] = []
        for segment in scanned.segments {
            let source = segment.block?.content ?? scanned.bytes
            var edits: [TextEdit] = []
            for site in segment.sites {
                let value: [UInt8]
                if site.plain {
                    value = site.isNumber ? Array(source[site.range.start..<site.range.end]) : Array(source[(site.range.start + 1)..<(site.range.end - 1)])
                } else {
                    value = site.value
                }
                var pieces: [(Occurrence, [UInt8])] = []
                for o in site.occurrences {
                    let text = String(decoding: value[o.start..<o.end], as: UTF8.self)
                    let new: String
                    if o.onlyIfKnown {
                        guard let known = table.knownName(text) else { continue }
                        new = known
                    } else if o.kind == .time {
                        guard let shift, let moved = shift.shifted(Substring(text)) else { continue }
                        new = moved
                    } else {
                        new = table.replacement(for: text, kind: o.kind, field: o.field)
                    }
                    applied.replaced[o.kind, default: 0] += 1
                    if o.inFreeText, let pointer = site.pointer {
                        let offset = segment.block.map { $0.hostOffset(forEmbedded: site.range.start) } ?? site.range.start
                        applied.freeText.append((offset, pointer, o.kind))
                    }
                    if new.utf8.elementsEqual(value[o.start..<o.end]) { continue }
                    pieces.append((o, Array(new.utf8)))
                }
                guard !pieces.isEmpty else { continue }
                if site.plain {
                    let base = site.range.start + (site.isNumber ? 0 : 1)
                    for (o, new) in pieces { edits.append(TextEdit(range: TextRange(start: base + o.start, end: base + o.end), replacement: new)) }
                } else {
                    var rebuilt: [UInt8] = []
                    var cursor = 0
                    for (o, new) in pieces {
                        rebuilt += value[cursor..<o.start]
                        rebuilt += new
                        cursor = o.end
                    }
                    rebuilt += value[cursor...]
                    edits.append(TextEdit(range: site.range, replacement: Array(JSONWriter.quote(bytes: rebuilt).utf8)))
                }
            }
            if let block = segment.block {
                guard !edits.isEmpty else { continue }
                guard let mapped = block.hostEdits(edits) else { applied.broken = true; return applied }
                hostEdits += mapped
            } else {
                hostEdits += edits
            }
        }
        guard !hostEdits.isEmpty else { return applied }
        applied.output = TextEdit.apply(hostEdits.sorted(), to: scanned.bytes)
        applied.broken = !Self.isStrict(applied.output, format: format)
        return applied
    }
}
