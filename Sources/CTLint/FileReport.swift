import CTCore

/// Findings counted by severity.
package struct SeverityCounts: Sendable, Hashable {
    package var errors = 0
    package var warnings = 0
    package var infos = 0

    package init() {}

    package var total: Int { errors + warnings + infos }

    package mutating func add(_ severity: Severity) {
        switch severity {
        case .error: errors += 1
        case .warning: warnings += 1
        case .info: infos += 1
        }
    }

    package static func += (a: inout SeverityCounts, b: SeverityCounts) {
        a.errors += b.errors
        a.warnings += b.warnings
        a.infos += b.infos
    }

    /// Keeps the first `room` of `findings` (all when `room` is nil) and counts the others.
    mutating func cap<Finding>(_ findings: inout [Finding], room: Int?, severity: (Finding) -> Severity) {
        guard let room, findings.count > room else { return }
        for f in findings[room...] { add(severity(f)) }
        findings.removeSubrange(room...)
    }

    /// The room left under a per-file limit of `maxFindings` (0: no limit, nil) once `kept` findings are shown.
    static func room(under maxFindings: Int, kept: Int) -> Int? {
        maxFindings > 0 ? Swift.max(0, maxFindings - kept) : nil
    }
}

/// Findings for one input, positions resolved once at the reporting edge.
package struct FileReport: Sendable {
    package var displayName: String
    package var diagnostics: [LocatedDiagnostic]
    /// Findings past the per-file limit: counted (in the summary and the exit status too), not kept.
    package var omitted = SeverityCounts()
    /// Findings a suppression covers (`Diagnostic.suppression`): not reported, counted, carried by SARIF. At most
    /// the per-file limit are kept.
    package var suppressed: [LocatedDiagnostic] = []
    /// How many findings were suppressed, kept or not.
    package var suppressedCount = 0
    /// The configuration's `suppress` entries that covered a finding here, kept or not (for `unused-suppression`).
    package var suppressionsUsed: Set<Int> = []
    /// Findings the baseline hides (`--baseline`): counted only.
    package var baselined = 0

    /// How many findings a file keeps by default (`--max-findings-per-file`): a 2 GB JSON Lines file with a
    /// finding on every line held 4.25 GB of them.
    package static let defaultMaxFindings = 10_000

    package init(displayName: String, diagnostics: [LocatedDiagnostic], omitted: SeverityCounts = SeverityCounts()) {
        self.displayName = displayName
        self.diagnostics = diagnostics
        self.omitted = omitted
    }

    /// Resolves line and column for each diagnostic against `source` (the bytes the ranges refer to), keeping the
    /// first `maxFindings` (0: all) and counting the rest.
    package init(displayName: String, source: [UInt8], diagnostics: [Diagnostic], keepSourceLines: Bool,
                maxFindings: Int = FileReport.defaultMaxFindings) {
        self.displayName = displayName
        guard !diagnostics.isEmpty else { self.diagnostics = []; return }
        var findings = FileFindings(maxFindings: maxFindings)
        source.withUnsafeBufferPointer {
            findings.add(diagnostics, from: PositionCursor(), in: $0, windowBase: 0, keepSourceLines: keepSourceLines)
        }
        self = findings.report(displayName: displayName)
    }

    /// Moves the findings a suppression covers out of `diagnostics` (the run-level findings, judged at the end).
    package mutating func setAsideSuppressed(maxFindings: Int) {
        guard diagnostics.contains(where: { $0.diagnostic.suppression != nil }) else { return }
        var more = diagnostics.filter { $0.diagnostic.suppression != nil }
        diagnostics.removeAll { $0.diagnostic.suppression != nil }
        suppressedCount += more.count
        for d in more { suppressionsUsed.insert(d.diagnostic.suppression!.entry) }
        if let room = SeverityCounts.room(under: maxFindings, kept: suppressed.count), more.count > room { more.removeSubrange(room...) }
        suppressed += more
    }

    package func count(_ severity: Severity) -> Int { diagnostics.filter { $0.diagnostic.severity == severity }.count }
}

/// Totals over a run.
package struct RunSummary: Sendable {
    package var files = 0
    package var errors = 0
    package var warnings = 0
    package var infos = 0
    /// Inputs that could not be read (exit status 2).
    package var unreadable = 0
    /// Findings counted but not shown, past the per-file limit.
    package var omitted = 0
    /// Findings a suppression covers (not in the other counts).
    package var suppressed = 0
    /// Findings the baseline hides (not in the other counts), and its entries no longer found (`Baseline`).
    package var baselined = 0
    package var baselineFixed = 0

    package init() {}

    /// Adds another run's totals (a run split around standard input).
    package mutating func add(_ other: RunSummary) {
        files += other.files
        errors += other.errors
        warnings += other.warnings
        infos += other.infos
        unreadable += other.unreadable
        omitted += other.omitted
        suppressed += other.suppressed
        baselined += other.baselined
        baselineFixed += other.baselineFixed
    }

    package mutating func add(_ report: FileReport) {
        files += 1
        for d in report.diagnostics {
            switch d.diagnostic.severity {
            case .error: errors += 1
            case .warning: warnings += 1
            case .info: infos += 1
            }
        }
        errors += report.omitted.errors
        warnings += report.omitted.warnings
        infos += report.omitted.infos
        omitted += report.omitted.total
        suppressed += report.suppressedCount
        baselined += report.baselined
    }
}

/// Line, column and code-frame excerpt of findings, resolved over the input's bytes while they are at hand: a whole
/// document, a JSON Lines line, or the window of a log read piece by piece. The one place positions are computed.
enum Locator {
    /// Bytes a window keeps on each side of what it locates, so the excerpt of a long line (100 bytes before the
    /// finding, 200 in all) and a short line (at most 400 bytes) are whole.
    static let margin = 512

    /// `diagnostics`, sorted, located: every offset (starts, ends, notes) must be at or after `cursor.offset`, and
    /// `window` holds the input from `windowBase` on, with `margin` bytes around each finding (or the input's ends).
    static func locate(_ diagnostics: [Diagnostic], from cursor: PositionCursor, in window: UnsafeBufferPointer<UInt8>,
                       windowBase: Int, keepSourceLines: Bool) -> [LocatedDiagnostic] {
        guard !diagnostics.isEmpty else { return [] }
        var offsets: [Int] = []
        offsets.reserveCapacity(diagnostics.count * 2)
        for d in diagnostics {
            offsets.append(d.range.start)
            offsets.append(d.range.end)
            for n in d.notes { offsets.append(n.range.start) }
        }
        let end = windowBase + window.count
        let order = offsets.indices.sorted { offsets[$0] < offsets[$1] }
        var positions = [LineColumn](repeating: LineColumn(line: 1, column: 1), count: offsets.count)
        var lineStarts = [Int](repeating: 0, count: offsets.count)
        var c = cursor
        for i in order {
            let target = Swift.max(c.offset, Swift.min(offsets[i], end))
            positions[i] = c.move(to: target, in: window, windowBase: windowBase)
            lineStarts[i] = c.lineStart(next: target < end ? window[target - windowBase] : nil)
        }
        var k = 0
        return diagnostics.map { d in
            var located = place(d, k)
            located.valueHash = valueHash(d.range)
            k += 2 + d.notes.count
            return located
        }
        /// FNV-1a of the range's first 256 bytes (always in the window: it holds `margin` bytes past each finding).
        func valueHash(_ range: TextRange) -> UInt32 {
            var h: UInt32 = 2_166_136_261
            let from = Swift.max(range.start, windowBase), to = Swift.min(range.end, range.start + 256, end)
            guard from < to else { return h }
            for b in window[(from - windowBase)..<(to - windowBase)] { h = (h ^ UInt32(b)) &* 16_777_619 }
            return h
        }
        func place(_ d: Diagnostic, _ k: Int) -> LocatedDiagnostic {
            let start = positions[k], endAt = positions[k + 1], lineStart = lineStarts[k]
            let notes = Array(positions[(k + 2)..<(k + 2 + d.notes.count)])
            guard keepSourceLines else {
                return LocatedDiagnostic(diagnostic: d, start: start, end: endAt, noteStarts: notes, sourceLine: nil)
            }
            // The line's end: its first break at or after the finding (a CR LF pair ends at the CR).
            let at = Swift.max(lineStart, Swift.min(d.range.start, end))
            var lineEnd = at
            while lineEnd < end, window[lineEnd - windowBase] != 0x0A, window[lineEnd - windowBase] != 0x0D { lineEnd += 1 }
            if lineEnd > lineStart, lineEnd == at, lineEnd < end, window[lineEnd - windowBase] == 0x0A,
               window[lineEnd - 1 - windowBase] == 0x0D { lineEnd -= 1 }
            // A compact log is one long line: show at most 200 bytes around the finding.
            let long = lineEnd - lineStart > 400
            let from = long ? Swift.max(lineStart, Swift.min(d.range.start - 100, lineEnd - 200)) : lineStart
            let to = long ? Swift.min(lineEnd, from + 200) : lineEnd
            let text = String(decoding: UnsafeBufferPointer(rebasing: window[(from - windowBase)..<(to - windowBase)]), as: UTF8.self)
            var located = LocatedDiagnostic(diagnostic: d, start: start, end: endAt, noteStarts: notes, sourceLine: text)
            located.sourceLineContinues = to < lineEnd
            guard from > lineStart else { return located }
            var skipped = 0
            for b in window[(from - windowBase)..<(Swift.max(from, d.range.start) - windowBase)] where b & 0xC0 != 0x80 { skipped += 1 }
            located.sourceLineColumn = start.column - skipped
            return located
        }
    }
}

/// The findings of one input as they are located, batch by batch in input order (a record, a line, a whole
/// document), keeping the first `maxFindings` (0: all) and counting the rest, so memory stays bounded whatever
/// the input holds.
struct FileFindings {
    var located: [LocatedDiagnostic] = []
    var omitted = SeverityCounts()
    let maxFindings: Int
    /// Marks what a suppression covers, once pointers are final (nil: already marked).
    let policy: Policy?

    init(maxFindings: Int, policy: Policy? = nil) {
        self.maxFindings = maxFindings
        self.policy = policy
    }

    /// Locates and keeps `batch` (see `Locator.locate` for what `cursor` and `window` must hold).
    mutating func add(_ batch: [Diagnostic], from cursor: PositionCursor, in window: UnsafeBufferPointer<UInt8>,
                      windowBase: Int, keepSourceLines: Bool) {
        guard !batch.isEmpty else { return }
        var sorted = batch.sorted()
        policy?.suppress(&sorted)
        // Suppressed findings are set aside before the limit: they take no room from the reported ones.
        var covered: [Diagnostic] = []
        if sorted.contains(where: { $0.suppression != nil }) {
            covered = sorted.filter { $0.suppression != nil }
            sorted.removeAll { $0.suppression != nil }
            suppressedCount += covered.count
            for d in covered { suppressionsUsed.insert(d.suppression!.entry) }
            if let room = SeverityCounts.room(under: maxFindings, kept: suppressed.count), covered.count > room { covered.removeSubrange(room...) }
        }
        omitted.cap(&sorted, room: SeverityCounts.room(under: maxFindings, kept: located.count), severity: \.severity)
        // Located together: the cursor only moves forward.
        let all = covered.isEmpty ? sorted : (sorted + covered).sorted()
        guard !all.isEmpty else { return }
        for d in Locator.locate(all, from: cursor, in: window, windowBase: windowBase, keepSourceLines: keepSourceLines) {
            if d.diagnostic.suppression == nil { located.append(d) } else { suppressed.append(d) }
        }
    }

    var suppressed: [LocatedDiagnostic] = []
    var suppressedCount = 0
    var suppressionsUsed: Set<Int> = []

    func report(displayName: String) -> FileReport {
        var report = FileReport(displayName: displayName, diagnostics: located, omitted: omitted)
        report.suppressed = suppressed
        report.suppressedCount = suppressedCount
        report.suppressionsUsed = suppressionsUsed
        return report
    }
}
