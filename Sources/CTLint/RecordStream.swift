import CTCore
import CTInput
import CTJSON
import CTRules

/// Checks a delivered log file, `{"Records": [record, …]}`, one record at a time: each record is parsed into a
/// tree of its own, checked, and dropped, so the nodes alive at any moment are one record's few KB, which stay
/// in cache, instead of a 16-byte node per value of the whole file.
///
/// Two ways in:
/// - `check(_:fileName:linter:collectIDs:)` takes the document in memory and reports every finding.
/// - `check(_:linter:keepSourceLines:maxFindings:)` reads a file piece by piece through a window of a few MB and
///   never holds it whole. Each record's findings, and the facts for the run-level rules, are located while the
///   record's bytes are in the window (`Locator`), so the file is read once, findings or not.
///
/// Measured (release, one core, 200 MB compact log of 125,300 records, whole process, `perf stat -r 5`): the tree
/// of the whole file took 1.40 s and peaked at 428 MB; record by record in memory, 1.33 s and 239 MB; through the
/// window, see the README (reading the file whole spent 28% of the time in the kernel zeroing fresh pages).
///
/// Only the strict shape is taken this way. Anything else (a syntax finding anywhere, a member besides `Records`,
/// a record that is not an object, a digest by name) gives nil too, and the caller checks the whole document as a
/// tree, whose recovery and messages know the context. The findings are the same either way; `RecordStreamTests`
/// compares the paths.
struct RecordStream {
    private let linter: Linter
    private let checks: CloudTrailChecks?
    /// Where the records' facts for the run-level rules go (nil: none is collected).
    private let facts: RunFacts?
    /// The file name's kind when records of the other kind (Insights or not) are to be reported.
    private let insightKind: LogFileKind?
    /// What the file name says, shared by every record's context. (Keeping a whole `DocumentContext` here kept the
    /// last record's tree, and with it the window's buffer, alive: every read then copied the buffer, callgrind.)
    private let origin: DocumentOrigin
    private var index = 0
    private var offending = 0
    private var firstOffending: (range: TextRange, index: Int)?
    /// The findings of the records added and not yet located (all of them, in memory).
    private(set) var output: [Diagnostic] = []
    /// Reading through a window: the findings located so far (each record's as soon as it is checked), and the
    /// first offending record's finding, located when seen.
    private var findings: FileFindings?
    private var keepSourceLines = false
    private var firstOffendingLocated: LocatedDiagnostic?

    /// Nil when the file is named as a digest (never a `Records` file).
    private init?(fileName: String?, linter: Linter, facts: RunFacts?) {
        // One parse of the path gives both the delivery kind and the file-location facts.
        origin = DocumentOrigin(fileName: fileName)
        let named = origin.deliveryKind
        if named == .digest { return nil }
        self.linter = linter
        checks = linter.checks
        self.facts = facts
        insightKind = linter.checks != nil && linter.runs(.envelopeMismatch) ? named : nil
    }

    /// Checks the next record: `tree`'s root, whose ranges are offsets into the file minus `shift`.
    private mutating func add(_ tree: SyntaxTree, record: Int, shift: Int) {
        defer { index += 1 }
        guard let checks else { return }
        let context = DocumentContext(record: tree, index: index, origin: origin)
        var found: [Diagnostic] = []
        let fields = checks.check(record: record, of: context, into: &found)
        // The four members read below, taken out of the 600-byte fields once (each `fields.map` copied them whole).
        let known = fields.map { (eventID: $0.eventID, resources: $0.resources, eventType: $0.eventType,
                                  eventCategory: $0.eventCategory) }
        if !found.isEmpty {
            let prefix = "/Records/\(index)"
            for var d in linter.judged(CloudTrailChecks.dropSchemaEchoes(found, keepingSchema: linter.runs(.invalidValue))) {
                d.pointer = d.pointer.map { prefix + $0 }
                output.append(shift == 0 ? d : d.shifted(by: shift))
            }
        }
        facts?.collect(RunRecord(record: record, shift: shift, arrayPointer: "/Records", index: index,
                                 eventID: known.map { $0.eventID }, resources: known.map { $0.resources }), in: tree)
        if let insightKind, DocumentChecker.isInsightRecord(tree, record, members: known.map { ($0.eventType, $0.eventCategory) }) != (insightKind == .insight) {
            offending += 1
            if firstOffending == nil { firstOffending = (tree.headRange(record).shifted(by: shift), index) }
        }
    }

    /// The findings once every record has been added.
    private func finished() -> [Diagnostic] {
        var out = output
        if let d = mismatchFinding() { out += linter.judged([d]) }
        return out
    }

    /// The one finding for the records whose kind (Insights or not) is not what the file name says.
    private func mismatchFinding() -> Diagnostic? {
        guard let insightKind, let first = firstOffending else { return nil }
        return DocumentChecker.insightMismatch(named: insightKind, count: offending, range: first.range,
                                               pointer: "/Records/\(first.index)")
    }

    /// Locates what the record just added gives, while its bytes (`start..<end` of the window) are there: the facts
    /// of the run-level rules, and, through a window, its findings (with `Locator.margin` bytes around them). Then
    /// moves the window's cursor to the record's end. `plain`: the record is one line of ASCII (the strict scanner
    /// says so), so its positions are counted rather than scanned.
    private mutating func locateRecord(in window: inout Window, start: Int, end: Int, plain: Bool) {
        let windowed = findings != nil
        // Every record gives facts when any run-level rule runs (asking the collectors first cost 0.5 M instructions
        // on 6,000 records, callgrind); `locate` skips those with nothing new.
        let hasFacts = facts != nil
        guard windowed || hasFacts else { return }
        let hasFindings = windowed && !output.isEmpty
        let newOffender = windowed && firstOffending != nil && firstOffendingLocated == nil
        if hasFindings || newOffender { window.ensure(upTo: end + Locator.margin) }
        let cursor = window.cursor(at: start)
        let keep = keepSourceLines
        var moved = cursor
        window.withBytes { bytes, base in
            if hasFindings {
                findings!.add(output, from: cursor, in: bytes, windowBase: base, keepSourceLines: keep)
                output.removeAll(keepingCapacity: true)
            }
            if hasFacts, let facts {
                moved = facts.locate(from: cursor, in: bytes, windowBase: base, plainUpTo: plain ? base + end : nil)
            }
            if newOffender, let d = mismatchFinding() {
                firstOffendingLocated = Locator.locate([d], from: cursor, in: bytes, windowBase: base, keepSourceLines: keep).first
            }
        }
        window.pass(to: end, plain: plain, from: moved)
    }

    /// Files at least this large on disk (bytes) are read through the window (see `Document.open`).
    static let minimumWindowedFileSize = 1 << 20

    // MARK: Walking the records

    /// Every finding of the document `bytes`, or nil when it is not a strict `{"Records": [objects…]}` file.
    static func check(_ bytes: [UInt8], fileName: String?, linter: Linter, facts: RunFacts?) -> [Diagnostic]? {
        guard var stream = RecordStream(fileName: fileName, linter: linter, facts: facts) else { return nil }
        var window = Window(bytes: bytes)
        return stream.walk(&window) ? stream.finished() : nil
    }

    /// The report and facts of a log file read piece by piece, or nil at anything but a strict
    /// `{"Records": [objects…]}` file, or when reading fails (the caller then reads the file whole, and that read
    /// reports the failure, or checks the file as a tree, whose recovery and messages know the context).
    /// Gzip is inflated on the fly: a large `.json.gz` is never held whole either.
    /// `chunkSize`: bytes per read (tests make it small to move records across the window's edge).
    /// `maxRecordBytes`: a record larger than this (give or take one read) is not held (nil; the whole read then
    /// applies its own limit, so a gzip bomb of one endless record ends in `gzip-corrupt`, not in exhausted memory).
    static func check(_ source: InputSource, linter: Linter, keepSourceLines: Bool,
                      maxFindings: Int = FileReport.defaultMaxFindings,
                      chunkSize: Int = ByteStream.defaultChunkSize,
                      maxRecordBytes: Int = CheckOptions.defaultMaxDecompressedBytes) -> FileOutcome? {
        let facts = linter.newFacts()
        guard var stream = RecordStream(fileName: source.absolutePath, linter: linter, facts: facts) else { return nil }
        stream.findings = FileFindings(maxFindings: maxFindings)
        stream.keepSourceLines = keepSourceLines
        var window = Window(stream: ByteStream(source: source, chunkSize: chunkSize), limit: maxRecordBytes)
        guard stream.walk(&window), window.stream?.failure == nil, !window.overLimit else { return nil }
        var findings = stream.findings!
        if let d = stream.firstOffendingLocated, let final = stream.mismatchFinding(), !linter.judged([final]).isEmpty {
            var located = d
            located.diagnostic = final
            findings.located.append(located)
            findings.located.sort { $0.diagnostic < $1.diagnostic }
        }
        return FileOutcome(report: findings.report(displayName: source.displayName), unreadable: false, facts: facts)
    }

    /// Adds every record of the window's input; false when the input is not a strict `{"Records": [objects…]}`
    /// document.
    private mutating func walk(_ window: inout Window) -> Bool {
        var p = 0
        var scratch = ParseScratch()
        guard window.expect(UInt8(ascii: "{"), at: &p), window.expectRecordsKey(at: &p),
              window.expect(UInt8(ascii: ":"), at: &p), window.expect(UInt8(ascii: "["), at: &p) else { return false }
        // `{"Records": []}` gains nothing from this path.
        window.skipWhitespace(at: &p)
        guard let first = window.peek(at: &p), first != UInt8(ascii: "]") else { return false }
        while true {
            switch JSONParser.parseStrictValue(in: window.bytes, at: p, limit: window.count, scratch: &scratch) {
            case .value(let tree, let end):
                guard let record = tree.root, tree.kind(record) == .object else { return false }
                let plain = scratch.lastValueIsPlain
                add(tree, record: record, shift: window.base)
                locateRecord(in: &window, start: p, end: end, plain: plain)
                p = end
            case .incomplete:
                // The record runs past the window: keep it and read at least as much again (a huge record
                // costs O(n log n) re-parsing, not O(n²)).
                window.drop(before: &p)
                guard window.read(atLeast: max(window.count, 1 << 16)) else { return false }
                continue
            case .invalid:
                return false
            }
            window.skipWhitespace(at: &p)
            switch window.peek(at: &p) {
            case UInt8(ascii: ","):
                p += 1
                window.skipWhitespace(at: &p)
                guard let next = window.peek(at: &p), next != UInt8(ascii: "]") else { return false }
            case UInt8(ascii: "]"):
                p += 1
                guard window.expect(UInt8(ascii: "}"), at: &p) else { return false }
                window.skipWhitespace(at: &p)
                return window.peek(at: &p) == nil
            default:
                return false
            }
        }
    }

    /// The bytes of an input from offset `base` on: all of them in memory, or read on demand into one reused
    /// buffer. Nothing else holds `bytes` while the window reads, so it is never copied.
    private struct Window {
        let stream: ByteStream?
        /// `bytes[0..<count]` holds input bytes `base..<base + count`; the rest is spare room.
        private(set) var bytes: [UInt8]
        private(set) var count: Int
        private(set) var base = 0
        private var ended: Bool

        /// Bytes the window may hold before reading gives up.
        private let limit: Int
        /// At or before `base`: moved over the bytes before they are dropped, so positions can be resolved.
        private var positions = PositionCursor()
        /// Reading stopped at `limit`, not at the end of the input.
        private(set) var overLimit = false

        /// A window on a stream, 64 KB to start with, grown to hold the pieces the stream delivers (1 MB at most
        /// for a file) and a larger record, up to `limit` bytes.
        init(stream: ByteStream, limit: Int) {
            self.stream = stream
            self.limit = limit
            bytes = [UInt8](repeating: 0, count: 1 << 16)
            count = 0
            ended = false
        }

        /// The whole input, already in memory.
        init(bytes: [UInt8]) {
            stream = nil
            limit = bytes.count
            self.bytes = bytes
            count = bytes.count
            ended = true
        }

        /// Moves the bytes from `p` on to the front, with `Locator.margin` bytes before them for the excerpts of
        /// code frames (`p` moves with them).
        mutating func drop(before p: inout Int) {
            let cut = p - Locator.margin
            guard cut > 0, !ended else { return }
            if positions.offset < base + cut {
                let target = base + cut
                bytes.withUnsafeBufferPointer { b in
                    _ = positions.move(to: target, in: UnsafeBufferPointer(rebasing: b[0..<count]), windowBase: base)
                }
            }
            let keep = count - cut
            bytes.withUnsafeMutableBufferPointer { b in
                guard let start = b.baseAddress, keep > 0 else { return }
                start.update(from: start + cut, count: keep)
            }
            count = keep
            base += cut
            p -= cut
        }

        /// Reads until the window holds the input up to offset `end` (window coordinates) or the input ends.
        mutating func ensure(upTo end: Int) {
            if end > count { _ = read(atLeast: end - count) }
        }

        /// A cursor at window offset `p`, moved there from the last one (`p` must not go backwards).
        mutating func cursor(at p: Int) -> PositionCursor {
            let target = base + p
            // The gap since the last record is usually a comma: counted when it is plain ASCII on one line.
            let gap = target - positions.offset
            if gap > 0 && gap <= 16 && positions.offset >= base {
                var plain = true
                for i in (positions.offset - base)..<p where bytes[i] < 0x0E || bytes[i] >= 0x80 { plain = false; break }
                if plain { positions.skipPlain(gap); return positions }
            }
            if positions.offset < target {
                bytes.withUnsafeBufferPointer { b in
                    _ = positions.move(to: target, in: UnsafeBufferPointer(rebasing: b[0..<count]), windowBase: base)
                }
            }
            return positions
        }

        /// Moves the window's cursor to window offset `end`, the end of a record whose bytes the cursor `from` has
        /// partly passed already: counted when the record is one plain line, else scanned.
        mutating func pass(to end: Int, plain: Bool, from: PositionCursor) {
            let target = base + end
            if from.offset > positions.offset && from.offset <= target { positions = from }
            guard positions.offset < target else { return }
            if plain {
                positions.skipPlain(target - positions.offset)
            } else {
                bytes.withUnsafeBufferPointer { b in
                    _ = positions.move(to: target, in: UnsafeBufferPointer(rebasing: b[0..<count]), windowBase: base)
                }
            }
        }

        /// The bytes held and the input offset of the first.
        func withBytes<R>(_ body: (UnsafeBufferPointer<UInt8>, Int) -> R) -> R {
            bytes.withUnsafeBufferPointer { body(UnsafeBufferPointer(rebasing: $0[0..<count]), base) }
        }

        /// Reads until `minimum` more bytes are there or the input ends. False when nothing more came.
        mutating func read(atLeast minimum: Int) -> Bool {
            guard let stream else { return false }
            let start = count
            let room = stream.largestPiece
            while !ended && count - start < minimum {
                guard count < limit else { ended = true; overLimit = true; return false }
                if bytes.count - count < room { bytes.append(contentsOf: repeatElement(0, count: max(bytes.count, room))) }
                let filled = count
                let got = bytes.withUnsafeMutableBufferPointer { b in
                    stream.next(into: UnsafeMutableBufferPointer(rebasing: b[filled...]))
                }
                if got == 0 { ended = true } else { count += got }
            }
            return count > start
        }

        /// The byte at `p`, reading more when the window is used up; nil at the end of the input.
        mutating func peek(at p: inout Int) -> UInt8? {
            if p >= count {
                drop(before: &p)
                guard read(atLeast: 1) else { return nil }
            }
            return bytes[p]
        }

        mutating func skipWhitespace(at p: inout Int) {
            while let b = peek(at: &p), b == 0x20 || b == 0x0A || b == 0x0D || b == 0x09 { p += 1 }
        }

        /// Skips whitespace, then consumes `byte`.
        mutating func expect(_ byte: UInt8, at p: inout Int) -> Bool {
            skipWhitespace(at: &p)
            guard peek(at: &p) == byte else { return false }
            p += 1
            return true
        }

        /// Skips whitespace, then consumes the key `"Records"` written without escapes.
        mutating func expectRecordsKey(at p: inout Int) -> Bool {
            skipWhitespace(at: &p)
            for byte in "\"Records\"".utf8 {
                guard peek(at: &p) == byte else { return false }
                p += 1
            }
            return true
        }
    }
}
