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
/// one `Pseudonyms` table and writes the output. Only the identifiers' bytes change; everything else of the document
/// stays byte for byte, and the result must parse strictly again or nothing is written.
struct Redactor: Sendable {
    let scanner: IdentifierScanner
    let shift: TimeShift?
    /// `--fix`: the safe fixes applied first, for a document that does not parse strictly.
    let fixer: Fixer?

    /// One string (or number) node with identifiers in it. Plain values, with no per-site allocation: a 200 MB log
    /// has a million of them.
    struct Site: Sendable {
        /// The node's bytes in its segment (the document, or a Markdown block's content).
        var start: Int
        var end: Int
        /// The value is the source bytes (a string without escapes, between its quotes; a number): edits go in place.
        var plain: Bool
        var isNumber: Bool
        /// The decoded value of a string that is not plain (rewritten whole, quoted again), in `Segment.decoded`.
        var valueStart: Int
        var valueEnd: Int
        /// Its occurrences, in `Segment.occurrences`.
        var first: Int
        var count: Int
        /// Where it is (in `Segment.pointers`), for the warnings about identifiers found in free text; -1: none.
        var pointer: Int
    }

    /// The identifiers of one part of a document: the whole JSON (or JSON Lines) document, or one Markdown block.
    struct Segment: Sendable {
        var block: CodeBlock?
        var sites: [Site] = []
        var occurrences: [Occurrence] = []
        var decoded: [UInt8] = []
        var pointers: [String] = []
    }

    /// What a worker found in one document.
    struct Scanned: Sendable {
        var bytes: [UInt8]
        var segments: [Segment] = []
        /// Why the document is not redacted (it does not parse strictly), with the offset of the first problem.
        var refusal: (message: String, rule: RuleID, offset: Int)?
        /// Safe fixes applied first (`--fix`), by rule.
        var fixed: [RuleID: Int] = [:]
        /// Whether some value is replaced only if met as a name elsewhere (`learn` is then needed).
        var hasCandidates = false
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
        var scratch = ParseScratch()
        switch format {
        case .json:
            let tree = Self.tree(bytes, &scratch)
            guard tree.isStrict else { refuse(tree, shift: 0, block: nil); return scanned }
            var segment = Segment(block: nil)
            add(tree, shift: 0, pointerPrefix: "", to: &segment, candidates: &scanned.hasCandidates)
            scanned.segments = [segment]
        case .jsonLines:
            var segment = Segment(block: nil)
            for span in JSONLinesReader.lineSpans(in: bytes) {
                let line = Array(bytes[span.range.start..<span.range.end])
                if line.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) { continue }
                let tree = Self.tree(line, &scratch)
                guard tree.isStrict else { refuse(tree, shift: span.range.start, block: nil); return scanned }
                add(tree, shift: span.range.start, pointerPrefix: "line \(span.number): ", to: &segment, candidates: &scanned.hasCandidates)
            }
            scanned.segments = [segment]
        case .markdown:
            for block in FenceScanner.blocks(in: bytes) where block.isLintable {
                let tree = JSONParser.parse(block.content)
                guard tree.isStrict else { refuse(tree, shift: 0, block: block); return scanned }
                var segment = Segment(block: block)
                add(tree, shift: 0, pointerPrefix: "", to: &segment, candidates: &scanned.hasCandidates)
                scanned.segments.append(segment)
            }
        }
        return scanned
    }

    /// The tree of `bytes`: by the strict scanner when they are strict JSON (about three times the recovering
    /// parser's speed), else by the recovering parser (with its findings).
    static func tree(_ bytes: [UInt8], _ scratch: inout ParseScratch) -> SyntaxTree {
        // (The strict scanner was no faster on a 200 MB document and held 200 MB more: a line's worth only.)
        bytes.count < 1 << 20 ? JSONParser.parseStrictDocument(bytes, scratch: &scratch) ?? JSONParser.parse(bytes) : JSONParser.parse(bytes)
    }

    static func isStrict(_ bytes: [UInt8], format: InputKind.Format) -> Bool {
        var scratch = ParseScratch()
        switch format {
        case .json: return tree(bytes, &scratch).isStrict
        case .jsonLines:
            return JSONLinesReader.lineSpans(in: bytes).allSatisfy { span in
                let line = Array(bytes[span.range.start..<span.range.end])
                return line.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) || tree(line, &scratch).isStrict
            }
        case .markdown:
            return FenceScanner.blocks(in: bytes).allSatisfy { !$0.isLintable || JSONParser.parse($0.content).isStrict }
        }
    }

    /// Adds the nodes of `tree` holding identifiers to `segment`, their ranges moved by `shift`.
    private func add(_ tree: SyntaxTree, shift: Int, pointerPrefix: String, to segment: inout Segment, candidates: inout Bool) {
        let found = scanner.scan(tree)
        var i = 0
        while i < found.count {
            let node = found[i].node
            var j = i
            var free = false
            while j < found.count && found[j].node == node {
                if found[j].onlyIfKnown { candidates = true }
                if found[j].inFreeText { free = true }
                j += 1
            }
            let r = tree.range(node)
            let isNumber = tree.kind(node) == .number
            let plain = isNumber || tree.plainContent(node) != nil
            var site = Site(start: r.start + shift, end: r.end + shift, plain: plain, isNumber: isNumber, valueStart: 0, valueEnd: 0,
                            first: segment.occurrences.count, count: j - i, pointer: -1)
            if !plain {
                site.valueStart = segment.decoded.count
                segment.decoded += Array((tree.string(node) ?? "").utf8)
                site.valueEnd = segment.decoded.count
            }
            if free, let p = tree.pointer(of: node) {
                site.pointer = segment.pointers.count
                segment.pointers.append(pointerPrefix + p)
            }
            segment.occurrences += found[i..<j]
            segment.sites.append(site)
            i = j
        }
    }

    /// The value bytes of `site` (in `source`, the segment's text, or its decoded values) to `body`.
    private static func withValue<R>(_ site: Site, _ segment: Segment, _ source: UnsafeBufferPointer<UInt8>,
                                     _ decoded: UnsafeBufferPointer<UInt8>, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        if site.plain {
            let inner = site.isNumber ? site.start..<site.end : (site.start + 1)..<(site.end - 1)
            return body(UnsafeBufferPointer(rebasing: source[inner]))
        }
        return body(UnsafeBufferPointer(rebasing: decoded[site.valueStart..<site.valueEnd]))
    }

    /// The first pass over a batch of documents: every name found by its field or shape gets its replacement, so that
    /// a name met in one document is known when the second pass meets it elsewhere (`onlyIfKnown`). (Names only: the
    /// other kinds are given theirs by `apply`, in the same order every run.)
    func learn(_ scanned: Scanned, table: inout Pseudonyms) {
        for segment in scanned.segments {
            (segment.block?.content ?? scanned.bytes).withUnsafeBufferPointer { source in
                segment.decoded.withUnsafeBufferPointer { decoded in
                    for site in segment.sites {
                        Self.withValue(site, segment, source, decoded) { value in
                            for o in segment.occurrences[site.first..<(site.first + site.count)] where !o.onlyIfKnown && o.kind.isName {
                                _ = table.replacement(for: String(decoding: UnsafeBufferPointer(rebasing: value[o.start..<o.end]), as: UTF8.self),
                                                      kind: o.kind, field: field(o))
                            }
                        }
                    }
                }
            }
        }
    }

    private func field(_ o: Occurrence) -> String? {
        o.fieldIndex >= 0 && Int(o.fieldIndex) < scanner.fields.count ? scanner.fields[Int(o.fieldIndex)] : nil
    }

    /// What applying the replacements gave.
    struct Applied {
        var output: [UInt8]
        /// Occurrences replaced, by kind.
        var replaced: [IdentifierKind: Int] = [:]
        /// Identifiers found in free text: (offset in the input's bytes, pointer, kind).
        var freeText: [(offset: Int, pointer: String, kind: IdentifierKind)] = []
        /// The output does not parse strictly (never expected: a bug, reported as `internal-error`).
        var broken = false
    }

    /// The document with every identifier replaced through `table`, in document order. A JSON or JSON Lines
    /// document is written in one pass, the bytes between identifiers copied; a Markdown block's edits go through
    /// `CodeBlock.hostEdits` (its lines keep their prefixes).
    func apply(_ scanned: Scanned, format: InputKind.Format, table: inout Pseudonyms) -> Applied {
        var applied = Applied(output: [])
        var counts = [Int](repeating: 0, count: IdentifierKind.allCases.count)
        var hostEdits: [TextEdit] = []
        var changed = false
        var unsafeText = false
        // The last original of each kind and its replacement: a record repeats its account in four or five places
        // (a lookup each was a String and a hash).
        var lastOriginal = [[UInt8]](repeating: [], count: IdentifierKind.allCases.count)
        var lastReplacement = [String](repeating: "", count: IdentifierKind.allCases.count)
        for segment in scanned.segments {
            let sourceArray = segment.block?.content ?? scanned.bytes
            // Where the segment's output goes: the document itself (no block), or the block's new content.
            var out: [UInt8] = []
            out.reserveCapacity(sourceArray.count + sourceArray.count / 32)
            var cursor = 0
            sourceArray.withUnsafeBufferPointer { source in
                segment.decoded.withUnsafeBufferPointer { decoded in
                    for site in segment.sites {
                        let occurrences = segment.occurrences[site.first..<(site.first + site.count)]
                        Self.withValue(site, segment, source, decoded) { value in
                            var rebuilt: [UInt8] = []
                            var valueCursor = 0
                            let base = site.isNumber ? site.start : site.start + 1
                            for o in occurrences {
                                let original = UnsafeBufferPointer(rebasing: value[o.start..<o.end])
                                let k = o.kind.index
                                let new: String
                                if !o.onlyIfKnown && o.kind != .time && o.fieldIndex < 0 && !lastOriginal[k].isEmpty && lastOriginal[k].elementsEqual(original) {
                                    new = lastReplacement[k]
                                } else if o.onlyIfKnown {
                                    let text = String(decoding: original, as: UTF8.self)
                                    guard let known = table.knownName(text) else { continue }
                                    new = known
                                } else if o.kind == .time {
                                    guard let shift, let moved = shift.shifted(Substring(decoding: original, as: UTF8.self)) else { continue }
                                    new = moved
                                } else {
                                    new = table.replacement(for: String(decoding: original, as: UTF8.self), kind: o.kind, field: field(o))
                                    if o.fieldIndex < 0 { lastOriginal[k] = Array(original); lastReplacement[k] = new }
                                }
                                counts[o.kind.index] += 1
                                if o.inFreeText, site.pointer >= 0 {
                                    let offset = segment.block.map { $0.hostOffset(forEmbedded: site.start) } ?? site.start
                                    applied.freeText.append((offset, segment.pointers[site.pointer], o.kind))
                                }
                                if new.utf8.elementsEqual(original) { continue }
                                changed = true
                                // What goes between a plain string's quotes must need no escape (a number: digits).
                                if site.plain && !new.utf8.allSatisfy({ $0 >= 0x20 && $0 != 0x22 && $0 != 0x5C && $0 != 0x7F }) { unsafeText = true }
                                if site.plain {
                                    out.append(contentsOf: UnsafeBufferPointer(rebasing: source[cursor..<(base + o.start)]))
                                    out.append(contentsOf: new.utf8)
                                    cursor = base + o.end
                                } else {
                                    rebuilt.append(contentsOf: UnsafeBufferPointer(rebasing: value[valueCursor..<o.start]))
                                    rebuilt.append(contentsOf: new.utf8)
                                    valueCursor = o.end
                                }
                            }
                            if !site.plain && valueCursor > 0 {
                                rebuilt.append(contentsOf: UnsafeBufferPointer(rebasing: value[valueCursor...]))
                                out.append(contentsOf: UnsafeBufferPointer(rebasing: source[cursor..<site.start]))
                                out.append(contentsOf: JSONWriter.quote(bytes: rebuilt).utf8)
                                cursor = site.end
                            }
                        }
                    }
                    out.append(contentsOf: UnsafeBufferPointer(rebasing: source[cursor...]))
                }
            }
            if let block = segment.block {
                if out != block.content { hostEdits.append(Splicer.contentEdit(replacingContentWith: out, in: block)) }
            } else {
                applied.output = out
            }
        }
        for kind in IdentifierKind.allCases where counts[kind.index] > 0 { applied.replaced[kind] = counts[kind.index] }
        if format == .markdown {
            applied.output = hostEdits.isEmpty ? scanned.bytes : TextEdit.apply(hostEdits.sorted(), to: scanned.bytes)
        } else if scanned.segments.isEmpty {
            applied.output = scanned.bytes
        }
        // Replacements that need no escape inside plain strings, and strings written whole through `JSONWriter.quote`,
        // keep a strict document strict: a log is not parsed again for it (that was 7% of redacting a 200 MB log and
        // its size again in memory); a Markdown page, whose blocks go back through `Splicer`, is.
        if changed && (unsafeText || format == .markdown) { applied.broken = !Self.isStrict(applied.output, format: format) }
        return applied
    }
}
