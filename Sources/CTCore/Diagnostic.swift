/// How serious a finding is.
public enum Severity: String, Sendable, Hashable, Comparable, CaseIterable, Codable {
    case info, warning, error

    private var rank: Int { self == .info ? 0 : self == .warning ? 1 : 2 }
    public static func < (lhs: Severity, rhs: Severity) -> Bool { lhs.rank < rhs.rank }
}

/// Whether a fix may be applied without asking.
public enum Applicability: String, Sendable, Hashable, Codable {
    /// Meaning is preserved and nothing is lost; applied by `fix` by default.
    case safe
    /// Likely right, but it changes or drops data; applied only with `--unsafe-fixes`.
    case unsafe
}

/// One replacement of a byte range. Offsets are UTF-8 bytes into the source the fix was made for.
public struct TextEdit: Hashable, Sendable, Comparable {
    public var range: TextRange
    /// Replacement bytes (UTF-8).
    public var replacement: [UInt8]

    public init(range: TextRange, replacement: [UInt8]) {
        self.range = range
        self.replacement = replacement
    }
    public init(range: TextRange, replacement: String) {
        self.init(range: range, replacement: Array(replacement.utf8))
    }
    public static func delete(_ range: TextRange) -> TextEdit { TextEdit(range: range, replacement: []) }
    public static func insert(_ text: String, at offset: Int) -> TextEdit {
        TextEdit(range: TextRange(empty: offset), replacement: text)
    }

    public static func < (lhs: TextEdit, rhs: TextEdit) -> Bool { lhs.range < rhs.range }
}

/// A fix: a title, non-overlapping edits, and an applicability.
public struct Fix: Hashable, Sendable {
    /// Imperative description, e.g. "Remove the trailing comma".
    public var title: String
    /// Sorted, non-overlapping edits.
    public var edits: [TextEdit]
    public var applicability: Applicability

    public init(title: String, edits: [TextEdit], applicability: Applicability) {
        self.title = title
        self.edits = edits.sorted()
        self.applicability = applicability
    }

    /// The bytes of `source` with this fix's edits applied.
    public func apply(to source: [UInt8]) -> [UInt8] { TextEdit.apply(edits, to: source) }

    /// The range covering all edits.
    public var span: TextRange? {
        guard let first = edits.first, let last = edits.last else { return nil }
        return first.range.union(last.range)
    }
}

extension TextEdit {
    /// Whether `edits` lie within a source of `length` bytes and, sorted, do not overlap: the condition of `apply`.
    public static func areApplicable(_ edits: [TextEdit], toLength length: Int) -> Bool {
        var cursor = 0
        for edit in edits.sorted() {
            guard edit.range.start >= cursor, edit.range.start <= edit.range.end, edit.range.end <= length else { return false }
            cursor = edit.range.end
        }
        return true
    }

    /// Applies sorted, non-overlapping edits to `source`; they must be `areApplicable` to it.
    public static func apply(_ edits: [TextEdit], to source: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(source.count + 16)
        var cursor = 0
        for edit in edits.sorted() {
            precondition(edit.range.start >= cursor, "overlapping edits")
            out.append(contentsOf: source[cursor..<edit.range.start])
            out.append(contentsOf: edit.replacement)
            cursor = edit.range.end
        }
        out.append(contentsOf: source[cursor...])
        return out
    }
}

/// Why a finding is not reported: a suppression with a scope and a reason (SARIF's `suppressions[]`).
public struct Suppression: Hashable, Sendable {
    public enum Kind: String, Sendable, Hashable {
        /// In the configuration file (`suppress`).
        case external
        /// In the document itself (a Markdown page's `cloudtrail-lint-disable-next-block RULE`).
        case inSource
    }

    public var kind: Kind
    /// The reason given (SARIF's `justification`).
    public var justification: String
    /// Which suppression of the run it is, for the `unused-suppression` count (the configuration's entries are
    /// numbered across the run; -1 for an in-source directive, counted where it is read).
    public var entry: Int

    public init(kind: Kind, justification: String, entry: Int) {
        self.kind = kind
        self.justification = justification
        self.entry = entry
    }
}

/// A secondary location attached to a diagnostic.
public struct Note: Hashable, Sendable {
    public var message: String
    public var range: TextRange
    public init(message: String, range: TextRange) { self.message = message; self.range = range }
}

/// A finding. A value: parsers, the schema engine and rules all produce these; nothing throws.
public struct Diagnostic: Hashable, Sendable {
    /// The rule that found it, e.g. `.trailingComma`.
    public var rule: RuleID
    public var severity: Severity
    /// States the problem, quoting values in backticks; no trailing period.
    public var message: String
    /// Primary range (UTF-8 bytes into the document's source).
    public var range: TextRange
    public var notes: [Note]
    public var fix: Fix?
    /// JSON Pointer (RFC 6901) of the nearest enclosing value, if any.
    public var pointer: String?
    /// Set by the policy step when a suppression (the configuration's `suppress`, a Markdown directive) covers the
    /// finding: it is then counted and carried by SARIF, not reported.
    public var suppression: Suppression?

    public init(rule: RuleID, severity: Severity, message: String, range: TextRange,
                notes: [Note] = [], fix: Fix? = nil, pointer: String? = nil) {
        self.rule = rule
        self.severity = severity
        self.message = message
        self.range = range
        self.notes = notes
        self.fix = fix
        self.pointer = pointer
    }

    /// Moves every range (primary, notes, fix edits) by `delta` bytes; used when an embedded
    /// document's findings are mapped into its host file.
    public func shifted(by delta: Int) -> Diagnostic {
        var d = self
        d.range = range.shifted(by: delta)
        d.notes = notes.map { Note(message: $0.message, range: $0.range.shifted(by: delta)) }
        if var f = fix {
            f.edits = f.edits.map { TextEdit(range: $0.range.shifted(by: delta), replacement: $0.replacement) }
            d.fix = f
        }
        return d
    }
}

extension Diagnostic: Comparable {
    /// Deterministic order: start offset, end offset, rule, message.
    public static func < (a: Diagnostic, b: Diagnostic) -> Bool {
        if a.range.start != b.range.start { return a.range.start < b.range.start }
        if a.range.end != b.range.end { return a.range.end < b.range.end }
        if a.rule != b.rule { return a.rule < b.rule }
        return a.message < b.message
    }
}

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
    /// Whether the line goes on past the end of `sourceLine` (an excerpt of a long line): a code frame marks the cut.
    public var sourceLineContinues = false
    /// FNV-1a of the offending bytes (the first 256 of the primary range), for the baseline's key: it names the
    /// value, not where it is, so a finding keeps its key when records are added or removed around it.
    public var valueHash: UInt32 = 0

    public init(diagnostic: Diagnostic, start: LineColumn, end: LineColumn, noteStarts: [LineColumn], sourceLine: String?,
                sourceLineColumn: Int = 1) {
        self.diagnostic = diagnostic
        self.start = start
        self.end = end
        self.noteStarts = noteStarts
        self.sourceLine = sourceLine
        self.sourceLineColumn = sourceLineColumn
    }
}
