import CTCore

/// A diagnostic with its positions resolved for reporting.
public struct LocatedDiagnostic: Sendable {
    public var diagnostic: Diagnostic
    /// 1-based line/column (columns in Unicode scalars) of the range start.
    public var start: LineColumn
    /// 1-based line/column of the range end (exclusive).
    public var end: LineColumn
    /// Positions of the notes, in order.
    public var noteStarts: [LineColumn]
    /// The source line holding the start, without its line break (for code frames); for very long lines, an
    /// excerpt around the finding.
    public var sourceLine: String?
    /// The 1-based column where `sourceLine` starts (1 unless it is an excerpt).
    public var sourceLineColumn: Int = 1
}

/// Findings counted by severity.
public struct SeverityCounts: Sendable, Hashable {
    public var errors = 0
    public var warnings = 0
    public var infos = 0

    public init() {}

    public var total: Int { errors + warnings + infos }

    public mutating func add(_ severity: Severity) {
        switch severity {
        case .error: errors += 1
        case .warning: warnings += 1
        case .info: infos += 1
        }
    }

    public static func += (a: inout SeverityCounts, b: SeverityCounts) {
        a.errors += b.errors
        a.warnings += b.warnings
        a.infos += b.infos
    }

    /// Keeps the first `limit` of `diagnostics` (all when `limit` is 0) and counts the others.
    mutating func cap(_ diagnostics: inout [Diagnostic], keeping limit: Int) {
        guard limit > 0 && diagnostics.count > limit else { return }
        for d in diagnostics[limit...] { add(d.severity) }
        diagnostics.removeSubrange(limit...)
    }
}

/// Findings for one input, positions resolved once at the reporting edge.
public struct FileReport: Sendable {
    public var displayName: String
    public var diagnostics: [LocatedDiagnostic]
    /// Findings past the per-file limit: counted (in the summary and the exit status too), not kept.
    public var omitted = SeverityCounts()

    /// How many findings a file keeps by default (`--max-findings-per-file`): a 2 GB JSON Lines file with a
    /// finding on every line held 4.25 GB of them.
    public static let defaultMaxFindings = 10_000

    public init(displayName: String, diagnostics: [LocatedDiagnostic], omitted: SeverityCounts = SeverityCounts()) {
        self.displayName = displayName
        self.diagnostics = diagnostics
        self.omitted = omitted
    }

    /// Resolves line and column for each diagnostic against `source` (the bytes the ranges refer to), keeping the
    /// first `maxFindings` (0: all) and counting the rest.
    public init(displayName: String, source: [UInt8], diagnostics: [Diagnostic], keepSourceLines: Bool,
                maxFindings: Int = FileReport.defaultMaxFindings) {
        self.displayName = displayName
        guard !diagnostics.isEmpty else { self.diagnostics = []; return }
        let index = LineIndex(source)
        var sorted = diagnostics.sorted()
        omitted.cap(&sorted, keeping: maxFindings)
        // All offsets resolved in one pass (starts, ends, notes).
        var offsets: [Int] = []
        offsets.reserveCapacity(sorted.count * 2)
        for d in sorted {
            offsets.append(d.range.start)
            offsets.append(d.range.end)
            for n in d.notes { offsets.append(n.range.start) }
        }
        let located = index.locations(of: offsets)
        var k = 0
        self.diagnostics = sorted.map { d in
            let start = located[k], end = located[k + 1]
            let notes = Array(located[(k + 2)..<(k + 2 + d.notes.count)])
            k += 2 + d.notes.count
            var line: String?
            if keepSourceLines {
                let r = index.lineRange(start.line - 1)
                // A compact log is one long line: show at most 200 bytes around the finding.
                let from = r.length > 400 ? max(r.start, min(d.range.start - 100, r.end - 200)) : r.start
                let to = r.length > 400 ? min(r.end, from + 200) : r.end
                line = String(decoding: source[from..<to], as: UTF8.self)
                if from > r.start { return LocatedDiagnostic(diagnostic: d, start: start, end: end, noteStarts: notes,
                                                             sourceLine: line, sourceLineColumn: start.column - source[from..<max(from, d.range.start)].filter { $0 & 0xC0 != 0x80 }.count) }
            }
            return LocatedDiagnostic(diagnostic: d, start: start, end: end, noteStarts: notes, sourceLine: line)
        }
    }

    public func count(_ severity: Severity) -> Int { diagnostics.filter { $0.diagnostic.severity == severity }.count }
}

/// Totals over a run.
public struct RunSummary: Sendable {
    public var files = 0
    public var errors = 0
    public var warnings = 0
    public var infos = 0
    /// Inputs that could not be read (exit status 2).
    public var unreadable = 0
    /// Findings counted but not shown, past the per-file limit.
    public var omitted = 0

    public init() {}

    /// Adds another run's totals (a run split around standard input).
    public mutating func add(_ other: RunSummary) {
        files += other.files
        errors += other.errors
        warnings += other.warnings
        infos += other.infos
        unreadable += other.unreadable
        omitted += other.omitted
    }

    public mutating func add(_ report: FileReport) {
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
