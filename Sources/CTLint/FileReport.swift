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
        var sorted = diagnostics.sorted()
        omitted.cap(&sorted, room: SeverityCounts.room(under: maxFindings, kept: 0), severity: \.severity)
        let located = source.withUnsafeBufferPointer {
            Locator.locate(sorted, from: PositionCursor(), in: $0, windowBase: 0, keepSourceLines: keepSourceLines)
        }
        self.diagnostics = located
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

    package init() {}

    /// Adds another run's totals (a run split around standard input).
    package mutating func add(_ other: RunSummary) {
        files += other.files
        errors += other.errors
        warnings += other.warnings
        infos += other.infos
        unreadable += other.unreadable
        omitted += other.omitted
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
            let start = positions[k], endAt = positions[k + 1], lineStart = lineStarts[k]
            let notes = Array(positions[(k + 2)..<(k + 2 + d.notes.count)])
            k += 2 + d.notes.count
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
            guard from > lineStart else {
                return LocatedDiagnostic(diagnostic: d, start: start, end: endAt, noteStarts: notes, sourceLine: text)
            }
            var skipped = 0
            for b in window[(from - windowBase)..<(Swift.max(from, d.range.start) - windowBase)] where b & 0xC0 != 0x80 { skipped += 1 }
            return LocatedDiagnostic(diagnostic: d, start: start, end: endAt, noteStarts: notes, sourceLine: text,
                                     sourceLineColumn: start.column - skipped)
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

    init(maxFindings: Int) { self.maxFindings = maxFindings }

    /// Locates and keeps `batch` (see `Locator.locate` for what `cursor` and `window` must hold).
    mutating func add(_ batch: [Diagnostic], from cursor: PositionCursor, in window: UnsafeBufferPointer<UInt8>,
                      windowBase: Int, keepSourceLines: Bool) {
        guard !batch.isEmpty else { return }
        var sorted = batch.sorted()
        omitted.cap(&sorted, room: SeverityCounts.room(under: maxFindings, kept: located.count), severity: \.severity)
        guard !sorted.isEmpty else { return }
        located += Locator.locate(sorted, from: cursor, in: window, windowBase: windowBase, keepSourceLines: keepSourceLines)
    }

    func report(displayName: String) -> FileReport {
        FileReport(displayName: displayName, diagnostics: located, omitted: omitted)
    }
}
