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
    /// The source line holding the start, without its line break (for code frames).
    public var sourceLine: String?
}

/// Findings for one input, positions resolved once at the reporting edge.
public struct FileReport: Sendable {
    public var displayName: String
    public var diagnostics: [LocatedDiagnostic]

    public init(displayName: String, diagnostics: [LocatedDiagnostic]) {
        self.displayName = displayName
        self.diagnostics = diagnostics
    }

    /// Resolves line and column for each diagnostic against `source` (the bytes the ranges refer to).
    public init(displayName: String, source: [UInt8], diagnostics: [Diagnostic], keepSourceLines: Bool) {
        self.displayName = displayName
        guard !diagnostics.isEmpty else { self.diagnostics = []; return }
        let index = LineIndex(source)
        self.diagnostics = diagnostics.sorted().map { d in
            let start = index.location(of: d.range.start)
            var line: String?
            if keepSourceLines {
                let r = index.lineRange(start.line - 1)
                line = String(decoding: source[r.start..<r.end], as: UTF8.self)
            }
            return LocatedDiagnostic(diagnostic: d, start: start, end: index.location(of: d.range.end),
                                     noteStarts: d.notes.map { index.location(of: $0.range.start) }, sourceLine: line)
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

    public init() {}

    public mutating func add(_ report: FileReport) {
        files += 1
        for d in report.diagnostics {
            switch d.diagnostic.severity {
            case .error: errors += 1
            case .warning: warnings += 1
            case .info: infos += 1
            }
        }
    }
}
