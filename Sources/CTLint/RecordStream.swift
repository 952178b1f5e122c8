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
    /// `fix` through the window: the fixer, and what it did so far.
    private var fixing: FixProgress?

    private struct FixProgress {
        let fixer: Fixer
        /// Read again from the start, for the bytes before the first fixed record, once there is one.
        let source: InputSource
        var applied: [RuleID: Int] = [:]
        var refusal: Diagnostic?
    }

    /// One record as `inspect` gives it.
    struct InspectedRecord {
        var findings: [Diagnostic] = []
        var eventID: Int??
        var resources: Int??
        var offending = false
    }

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
        guard let checked = inspect(tree, record: record, shift: shift, isFirst: index == 0) else { index += 1; return }
        place(checked, tree: tree, record: record, shift: shift)
    }

    /// What checking one record gives before it is placed in its file: its findings (judged, ranges in the file's
    /// offsets, pointers from the record), the members the run-level rules read, and whether its kind (Insights or
    /// not) is not the file name's. Nil with `--syntax-only`. Needs nothing of the records before it but whether it
    /// is the first, so a worker thread can check a stretch of records (see `checkInParallel`).
    private func inspect(_ tree: SyntaxTree, record: Int, shift: Int, isFirst: Bool) -> InspectedRecord? {
        guard let checks else { return nil }
        let context = DocumentContext(record: tree, isFirst: isFirst, origin: origin)
        var found: [Diagnostic] = []
        let fields = checks.check(record: record, of: context, into: &found)
        var out = InspectedRecord(eventID: fields.map { $0.eventID }, resources: fields.map { $0.resources })
        if !found.isEmpty {
            out.findings = linter.judged(CloudTrailChecks.dropSchemaEchoes(found, keepingSchema: linter.runs(.invalidValue)))
            if shift != 0 { out.findings = out.findings.map { $0.shifted(by: shift) } }
        }
        if let insightKind, DocumentChecker.isInsightRecord(tree, record, members: fields.map { ($0.eventType, $0.eventCategory) }) != (insightKind == .insight) {
            out.offending = true
        }
        return out
    }

    /// Places the record checked by `inspect` as the file's next: its findings' pointers, the facts of the
    /// run-level rules, the Insights count.
    private mutating func place(_ checked: InspectedRecord, tree: SyntaxTree, record: Int, shift: Int) {
        defer { index += 1 }
        if !checked.findings.isEmpty {
            let prefix = "/Records/\(index)"
            for var d in checked.findings {
                d.pointer = d.pointer.map { prefix + $0 }
                output.append(d)
            }
        }
        facts?.collect(RunRecord(record: record, shift: shift, arrayPointer: "/Records", index: index,
                                 eventID: checked.eventID, resources: checked.resources), in: tree)
        if checked.offending {
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
        stream.findings = FileFindings(maxFindings: maxFindings, policy: linter.policy)
        stream.keepSourceLines = keepSourceLines
        var window = Window(stream: ByteStream(source: source, chunkSize: chunkSize), limit: maxRecordBytes)
        guard stream.walk(&window), window.stream?.failure == nil, !window.overLimit else { return nil }
        return stream.outcome(displayName: source.displayName)
    }

    /// The outcome of a file read through the window (or in batches) once every record is placed.
    private func outcome(displayName: String) -> FileOutcome {
        var findings = self.findings!
        if let d = firstOffendingLocated, let final = mismatchFinding(), !linter.judged([final]).isEmpty {
            var located = d
            located.diagnostic = final
            findings.located.append(located)
            findings.located.sort { $0.diagnostic < $1.diagnostic }
        }
        return FileOutcome(report: findings.report(displayName: displayName), unreadable: false, facts: facts)
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
                let before = output.count
                add(tree, record: record, shift: window.base)
                if fixing != nil { fixRecord(in: &window, start: p, end: end, findingsFrom: before) }
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
        /// `fix`: the input as it passes, with records replaced (`replace`); nil when not rewriting.
        var sink: [UInt8]?
        /// Input offset up to which `sink` holds the input (or its replacement).
        private var copiedUpTo = 0

        /// Copies the input bytes before offset `end` (window coordinates plus `base`) not yet in `sink`.
        mutating func flush(upTo end: Int) {
            guard sink != nil, end > copiedUpTo else { return }
            let from = copiedUpTo - base, to = end - base
            bytes.withUnsafeBufferPointer { sink!.append(contentsOf: UnsafeBufferPointer(rebasing: $0[from..<to])) }
            copiedUpTo = end
        }

        /// Starts `sink` with `prefix`, the input's first `base` bytes (the window no longer holds them).
        mutating func startSink(_ prefix: [UInt8], capacity: Int) {
            precondition(prefix.count == base)
            sink = prefix
            // Room for the whole output at once (grown by doubling, a 200 MB log's copy peaked at 297 MB).
            sink!.reserveCapacity(capacity)
            copiedUpTo = base
        }

        /// Writes `replacement` to `sink` in place of window bytes `start..<end`.
        mutating func replace(_ start: Int, _ end: Int, with replacement: [UInt8]) {
            flush(upTo: base + start)
            sink!.append(contentsOf: replacement)
            copiedUpTo = base + end
        }

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
            self.init(bytes: bytes, base: 0, positions: PositionCursor())
        }

        /// Input bytes `base..<base + bytes.count` in memory (a batch of `checkInParallel`), with the cursor moved
        /// over the input before them: at or after `base`.
        init(bytes: [UInt8], count: Int? = nil, base: Int, positions: PositionCursor) {
            stream = nil
            self.bytes = bytes
            self.count = count ?? bytes.count
            limit = self.count
            self.base = base
            self.positions = positions
            ended = true
        }

        /// The cursor, moved over the bytes of the records passed.
        var cursor: PositionCursor { positions }

        /// Moves the bytes from `p` on to the front, with `Locator.margin` bytes before them for the excerpts of
        /// code frames (`p` moves with them).
        mutating func drop(before p: inout Int) {
            let cut = p - Locator.margin
            guard cut > 0, !ended else { return }
            flush(upTo: base + cut)
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

// MARK: Fixing through the window

extension RecordStream {
    /// `fix` of a strict log read through the window, as `check` reads it: each record with a fix to apply is fixed
    /// alone (the fixer's passes, strict re-parse and value guard over that record only), and the file is copied as
    /// it passes with those records replaced. The copy starts at the first fixed record (the bytes before it read
    /// again), so a file with nothing to fix holds no more than `check`. Nil where the window's `check` gives nil (not
    /// a strict log, reading failed): the caller then fixes the file read whole. `stamp` is the file's as it was read.
    ///
    /// Measured (200 MB log, 50 fixable eventSource values spread through it, one core, `/usr/bin/time`): the
    /// whole-file fixer took 27.7 s of CPU and peaked at 955 MB (whole-tree lints, a value inventory of the whole
    /// file); a check through the window, then this fix, 3.8 s and 223 MB; this fix alone, see the README.
    static func fix(_ source: InputSource, fixer: Fixer, maxRecordBytes: Int) -> (outcome: FixOutcome, stamp: FileStamp?)? {
        guard var stream = RecordStream(fileName: source.absolutePath, linter: fixer.linter, facts: nil) else { return nil }
        stream.fixing = FixProgress(fixer: fixer, source: source)
        let bytes = ByteStream(source: source)
        var window = Window(stream: bytes, limit: maxRecordBytes)
        guard stream.walk(&window), bytes.failure == nil, !window.overLimit else { return nil }
        window.flush(upTo: window.base + window.count)
        let progress = stream.fixing!
        var outcome = FixOutcome(output: window.sink ?? [])
        outcome.applied = progress.refusal == nil ? progress.applied : [:]
        outcome.refusal = progress.refusal
        outcome.remaining = stream.finished()
        fixer.linter.policy.suppress(&outcome.remaining)
        return (outcome, bytes.stamp)
    }

    /// The first `count` bytes of `source` (inflated), read again; nil when it has fewer now, or cannot be read.
    private static func prefix(of source: InputSource, count: Int) -> [UInt8]? {
        let stream = ByteStream(source: source)
        var out = [UInt8](repeating: 0, count: count + stream.largestPiece)
        var filled = 0
        while filled < count {
            let got = out.withUnsafeMutableBufferPointer { stream.next(into: UnsafeMutableBufferPointer(rebasing: $0[filled...])) }
            if got == 0 { return nil }
            filled += got
            if out.count - filled < stream.largestPiece { out.append(contentsOf: repeatElement(0, count: stream.largestPiece)) }
        }
        out.removeSubrange(count...)
        return out
    }

    /// Fixes the record just added (window bytes `start..<end`, its findings `output[first...]`) when one of its
    /// findings has a fix to apply; its findings become those of the fixed record.
    private mutating func fixRecord(in window: inout Window, start: Int, end: Int, findingsFrom first: Int) {
        guard var progress = fixing, progress.refusal == nil else { return }
        if !linter.policy.suppressions.isEmpty {
            // What the configuration suppresses is not fixed (the record's findings are placed: pointers are final).
            var placed = Array(output[first...])
            linter.policy.suppress(&placed)
            output.replaceSubrange(first..., with: placed)
        }
        guard output[first...].contains(where: progress.fixer.wouldFix) else { return }
        defer { fixing = progress }
        let original = Array(window.bytes[start..<end])
        // Fixed alone, as a document of one record: the fixable rules read the record only (no file name: the
        // file's own findings are not the record's to repeat).
        let fixed = progress.fixer.fix(original, format: .json, fileName: nil)
        if let refusal = fixed.refusal { progress.refusal = refusal; return }
        guard !fixed.applied.isEmpty else { return }
        // The fixed record checked again as the file's record: what is left of it.
        guard case .value(let tree, let after) = JSONParser.parseStrictValue(in: fixed.output, at: 0), after == fixed.output.count,
              let root = tree.root, tree.kind(root) == .object else {
            progress.refusal = Diagnostic(rule: .internalError, severity: .error,
                                          message: "not rewritten: a fixed record of the log is no longer one strict JSON object",
                                          range: TextRange(empty: 0))
            return
        }
        if window.sink == nil {
            guard let head = Self.prefix(of: progress.source, count: window.base) else {
                progress.refusal = Diagnostic(rule: .internalError, severity: .error,
                                              message: "not rewritten: the file changed while it was read", range: TextRange(empty: 0))
                return
            }
            let size = progress.source.regularFileSize ?? 0
            window.startSink(head, capacity: (progress.source.kind.isGzipped ? 8 : 1) * size + (1 << 20))
        }
        output.removeSubrange(first...)
        if let again = inspect(tree, record: root, shift: 0, isFirst: index == 1) { output += again.findings }
        for (rule, n) in fixed.applied { progress.applied[rule, default: 0] += n }
        window.replace(start, end, with: fixed.output)
    }
}

// MARK: Several threads on one file

extension RecordStream {
    /// What `checkInParallel` gives.
    enum ParallelOutcome {
        /// The file's outcome, or nil where the one-thread `check(_:linter:keepSourceLines:…)` gives nil (not a strict
        /// log, or reading failed).
        case done(FileOutcome?)
        /// The cuts did not hold (records that do not start alike, a cut that fell inside a record, a file that is
        /// not strict JSON past a cut): the file is to be checked on one thread, which decides.
        case oneThread
    }

    /// Files at least this large on disk (bytes) are checked on several threads; a gzip file from an eighth of it.
    static let minimumParallelFileSize = 8 << 20

    /// Whether `source` is at least `minimum` bytes large (a gzip file: an eighth of it), worth several threads.
    static func isWorthSplitting(_ source: InputSource, from minimum: Int = minimumParallelFileSize) -> Bool {
        guard let size = source.regularFileSize else { return false }
        return size >= (source.kind.isGzipped ? minimum / 8 : minimum)
    }

    /// Bytes of records per batch.
    static let batchSize = 1 << 20

    /// The batch size for `source` on `jobs` threads: `batchSize`, or smaller for a smaller file, so that each
    /// thread gets at least eight batches to share the work (64 KB at least). For logs and JSON Lines alike.
    static func batchSize(for source: InputSource, jobs: Int) -> Int {
        min(batchSize, max(1 << 16, (source.regularFileSize ?? 0) / (8 * max(jobs, 1))))
    }

    /// A stretch of whole records for a worker: input bytes `base..<base + count`, with `Locator.margin` bytes
    /// (where the input has them) before the end of the record before `start`, and after `end`.
    struct Batch: Sendable {
        /// `bytes[0..<count]` holds the input bytes; the rest is room the reader did not fill.
        var bytes: [UInt8]
        var count: Int
        var base: Int
        /// Input offsets: the batch's first record starts at `start`; the next batch's starts at `end` (the last
        /// batch: `end` is the input's end, past the closing `]}`).
        var start: Int
        var end: Int
        var isFirst: Bool
        var isLast: Bool
    }

    /// Stands for a tree the merge does not read.
    private static let emptyTree = JSONParser.parse([])

    /// One record of a batch, checked by a worker.
    struct CheckedRecord: Sendable {
        var tree: SyntaxTree
        var record: Int
        /// Offsets in the batch's bytes of the record's first byte and just past its last.
        var start: Int
        var end: Int
        var plain: Bool
        var inspected: InspectedRecord?
    }

    /// A batch with its records checked, or nil records when they do not end exactly at the batch's end (or are
    /// not strict JSON).
    struct CheckedBatch: Sendable {
        var batch: Batch
        var records: [CheckedRecord]?
    }

    /// `check(_:linter:keepSourceLines:maxFindings:…)` on `jobs` threads. This thread reads the file and cuts it into
    /// batches of about `batchSize` bytes of whole records, where the next record seems to start (see `BatchReader`);
    /// workers parse and check the batches' records (`inspect`); this thread takes the batches back in order and
    /// places each record as the one-thread walk does (`place`, `locateRecord`: pointers, the facts of the
    /// run-level rules, positions, the Insights count), so findings, their order and the run-level facts are exactly
    /// the one-thread walk's. A worker's records must end exactly where the next batch starts: that proves the cut
    /// (the first batch starts where the header ends, so each batch starts where a record really starts).
    static func checkInParallel(_ source: InputSource, linter: Linter, jobs: Int, keepSourceLines: Bool,
                                maxFindings: Int = FileReport.defaultMaxFindings,
                                chunkSize: Int = RecordStream.batchSize / 4, batchSize: Int = RecordStream.batchSize,
                                maxRecordBytes: Int = CheckOptions.defaultMaxDecompressedBytes) -> ParallelOutcome {
        let facts = linter.newFacts()
        guard var stream = RecordStream(fileName: source.absolutePath, linter: linter, facts: facts) else { return .done(nil) }
        let checker = stream
        stream.findings = FileFindings(maxFindings: maxFindings, policy: linter.policy)
        stream.keepSourceLines = keepSourceLines
        var reader = BatchReader(stream: ByteStream(source: source, chunkSize: chunkSize), batchSize: batchSize,
                                 limit: maxRecordBytes)
        guard reader.readHead() else { return reader.stream.failure == nil ? .oneThread : .done(nil) }
        let pipeline = OrderedPipeline<Batch, CheckedBatch>(workers: jobs, maxInFlight: jobs + 2,
                                                            state: { ParseScratch() }) { batch, scratch in
            CheckedBatch(batch: batch, records: checker.check(batch, scratch: &scratch))
        }
        var cursor = PositionCursor()
        var submitted = 0
        var taken = 0
        var failed = false
        func merge(waiting: Bool) {
            while !failed && taken < submitted {
                let next = waiting || submitted - taken >= pipeline.maxInFlight ? pipeline.take(taken) : pipeline.takeIfDone(taken)
                guard var next else { return }
                taken += 1
                guard next.records != nil else { failed = true; return }
                cursor = stream.place(next.records!, of: next.batch, from: cursor)
                // The trees go first: then the batch's array is the reader's alone again.
                next.records = nil
                reader.recycle(&next.batch.bytes)
            }
        }
        while !failed, let batch = reader.nextBatch() {
            pipeline.submit(batch)
            submitted += 1
            merge(waiting: false)
        }
        pipeline.close(discarding: failed)
        merge(waiting: true)
        if failed || reader.overLimit { return .oneThread }
        if reader.stream.failure != nil { return .done(nil) }
        return .done(stream.outcome(displayName: source.displayName))
    }

    /// Places the records of `batch`, checked by a worker, as the one-thread walk does; returns the cursor at the end
    /// of the last.
    private mutating func place(_ records: [CheckedRecord], of batch: Batch, from cursor: PositionCursor) -> PositionCursor {
        var window = Window(bytes: batch.bytes, count: batch.count, base: batch.base, positions: cursor)
        for r in records {
            if let inspected = r.inspected {
                place(inspected, tree: r.tree, record: r.record, shift: batch.base)
            } else {
                index += 1
            }
            locateRecord(in: &window, start: r.start, end: r.end, plain: r.plain)
        }
        return window.cursor
    }

    /// The records of `batch`, parsed and checked, or nil when they are not strict JSON objects separated by commas
    /// that end exactly at the batch's end (the last batch: followed by `]}` and whitespace only).
    private func check(_ batch: Batch, scratch: inout ParseScratch) -> [CheckedRecord]? {
        let bytes = batch.bytes
        let end = batch.end - batch.base
        precondition(end <= batch.count)
        var p = batch.start - batch.base
        var records: [CheckedRecord] = []
        records.reserveCapacity(Swift.max(16, (end - p) / 1024))
        // The merge needs a record's tree only for the facts of the run-level rules and an Insights mismatch: kept
        // alive otherwise, each tree's nodes are a fresh allocation (with every rule, 75 MB peak instead of 47 MB).
        let keepTrees = facts != nil || insightKind != nil
        func skipWhitespace() {
            while p < end, bytes[p] == 0x20 || bytes[p] == 0x0A || bytes[p] == 0x0D || bytes[p] == 0x09 { p += 1 }
        }
        while true {
            guard case .value(let tree, let after) = JSONParser.parseStrictValue(in: bytes, at: p, limit: end, scratch: &scratch),
                  let record = tree.root, tree.kind(record) == .object else { return nil }
            let inspected = inspect(tree, record: record, shift: batch.base, isFirst: batch.isFirst && records.isEmpty)
            records.append(CheckedRecord(tree: keepTrees ? tree : Self.emptyTree, record: record, start: p, end: after, plain: scratch.lastValueIsPlain,
                                         inspected: inspected))
            p = after
            skipWhitespace()
            guard p < end else { return nil }
            if bytes[p] == UInt8(ascii: ",") {
                p += 1
                skipWhitespace()
                if p == end { return batch.isLast ? nil : records }
                continue
            }
            guard batch.isLast, bytes[p] == UInt8(ascii: "]") else { return nil }
            p += 1
            skipWhitespace()
            guard p < end, bytes[p] == UInt8(ascii: "}") else { return nil }
            p += 1
            skipWhitespace()
            return p == end ? records : nil
        }
    }

    /// Reads a log piece by piece and cuts it into batches of whole records for `checkInParallel`: after about
    /// `batchSize` bytes, where the next record seems to start: the first record's first key (`"eventVersion"` in
    /// CloudTrail's files), after `{`, `,` and `}` with only whitespace between. A key inside a string has its quotes
    /// escaped, so the guess is wrong only where a nested object looks like that; the worker's parse finds it out.
    ///
    /// The input is read straight into the array that becomes the batch; only the bytes past the cut are copied, to
    /// the next batch's array. The arrays come back from the merged batches (`recycle`): fresh ones of a few MB for
    /// every batch were paged in and zeroed by the kernel, and a second copy of every byte cost as much again.
    struct BatchReader {
        let stream: ByteStream
        let batchSize: Int
        /// Bytes of records held without a cut, at most (then `overLimit`).
        let limit: Int
        /// `buffer[0..<count]` holds input bytes `base..<base + count`.
        private var buffer: [UInt8] = []
        private var count = 0
        private var base = 0
        private var ended = false
        private var done = false
        /// No cut was found within `limit` bytes.
        private(set) var overLimit = false
        /// Input offset of the next batch's first record, and of the end of the record before it (0 for the first
        /// batch: positions are counted from the input's start).
        private var next = 0
        private var previousEnd = 0
        private var isFirst = true
        /// The first record's first key, quotes included.
        private var needle: [UInt8] = []
        /// Arrays of merged batches, to be filled again.
        private var spare: [[UInt8]] = []

        init(stream: ByteStream, batchSize: Int, limit: Int) {
            self.stream = stream
            self.batchSize = batchSize
            self.limit = limit
            buffer = freshBuffer()
        }

        /// An array for a batch: one given back, or a new one.
        private mutating func freshBuffer() -> [UInt8] {
            let size = batchSize + batchSize / 2 + stream.largestPiece
            if var b = spare.popLast() {
                if b.count < size { b.append(contentsOf: repeatElement(0, count: size - b.count)) }
                return b
            }
            return [UInt8](repeating: 0, count: size)
        }

        /// Gives back a batch's array once nothing else holds it (its trees and window are gone).
        mutating func recycle(_ bytes: inout [UInt8]) {
            var b: [UInt8] = []
            swap(&b, &bytes)
            if spare.count < 4 { spare.append(b) }
        }

        /// Reads until the buffer holds the input up to offset `end`, or the input ends.
        private mutating func fill(upTo end: Int) {
            while base + count < end && !ended {
                if buffer.count - count < stream.largestPiece {
                    buffer.append(contentsOf: repeatElement(0, count: Swift.max(buffer.count, stream.largestPiece)))
                }
                let filled = count
                let got = buffer.withUnsafeMutableBufferPointer { stream.next(into: UnsafeMutableBufferPointer(rebasing: $0[filled...])) }
                if got == 0 { ended = true } else { count += got }
            }
        }

        private static func isWhitespace(_ b: UInt8) -> Bool { b == 0x20 || b == 0x0A || b == 0x0D || b == 0x09 }

        /// Reads `{"Records": [` and the first record's first key; false when the file does not start so within
        /// its first 64 KB (a key with escapes included).
        mutating func readHead() -> Bool {
            fill(upTo: 1 << 16)
            var p = 0
            func skip() { while p < count, Self.isWhitespace(buffer[p]) { p += 1 } }
            func expect(_ text: String) -> Bool {
                skip()
                for byte in text.utf8 {
                    guard p < count, buffer[p] == byte else { return false }
                    p += 1
                }
                return true
            }
            guard expect("{"), expect("\"Records\""), expect(":"), expect("[") else { return false }
            skip()
            let first = p
            guard expect("{"), expect("\"") else { return false }
            let key = p - 1
            while p < count, buffer[p] != UInt8(ascii: "\""), buffer[p] != UInt8(ascii: "\\") { p += 1 }
            guard p < count, buffer[p] == UInt8(ascii: "\"") else { return false }
            needle = Array(buffer[key...p])
            next = first
            return true
        }

        /// Where the next record starts at or after input offset `from`, and where the record before it ends; nil when
        /// the buffer holds no such place.
        private func cut(after from: Int) -> (start: Int, previousEnd: Int)? {
            var at = from - base
            while at + needle.count <= count {
                // Searched over about a record's length after each batch's nominal end: a plain loop does.
                var found: Int?
                while at + needle.count <= count {
                    if buffer[at] == needle[0] && buffer[at..<(at + needle.count)].elementsEqual(needle) { found = at; break }
                    at += 1
                }
                guard let m = found else { return nil }
                at = m + 1
                var j = m - 1
                func back() { while j >= 0, Self.isWhitespace(buffer[j]) { j -= 1 } }
                back()
                guard j >= 0, buffer[j] == UInt8(ascii: "{") else { continue }
                let start = j
                j -= 1
                back()
                guard j >= 0, buffer[j] == UInt8(ascii: ",") else { continue }
                j -= 1
                back()
                guard j >= 0, buffer[j] == UInt8(ascii: "}"), base + j >= next else { continue }
                return (base + start, base + j + 1)
            }
            return nil
        }

        /// The next batch: the records from the last cut to the next (or to the input's end); nil at the end, or when
        /// no cut was found within `limit` bytes (`overLimit`).
        mutating func nextBatch() -> Batch? {
            guard !done else { return nil }
            var from = next + batchSize
            var found: (start: Int, previousEnd: Int)?
            fill(upTo: from + Locator.margin)
            while true {
                if let c = cut(after: Swift.min(from, base + count)) {
                    found = c
                    break
                }
                if ended { break }
                from = Swift.max(from, base + count - needle.count)
                if base + count - next > limit {
                    overLimit = true
                    done = true
                    return nil
                }
                fill(upTo: base + count + 1)
            }
            let batchBase = base
            guard let found else {
                done = true
                return Batch(bytes: buffer, count: count, base: batchBase, start: next, end: base + count, isFirst: isFirst, isLast: true)
            }
            fill(upTo: found.start + Locator.margin)
            // The next batch's array starts `margin` bytes before the end of its first record's predecessor.
            let keep = Swift.max(0, found.previousEnd - Locator.margin) - base
            var following = freshBuffer()
            let rest = count - keep
            if following.count < rest + stream.largestPiece {
                following.append(contentsOf: repeatElement(0, count: rest + stream.largestPiece - following.count))
            }
            following.withUnsafeMutableBufferPointer { to in
                buffer.withUnsafeBufferPointer { from in to.baseAddress!.update(from: from.baseAddress! + keep, count: rest) }
            }
            let batch = Batch(bytes: buffer, count: count, base: batchBase, start: next, end: found.start, isFirst: isFirst,
                              isLast: false)
            buffer = following
            count = rest
            base += keep
            next = found.start
            previousEnd = found.previousEnd
            isFirst = false
            return batch
        }
    }
}
