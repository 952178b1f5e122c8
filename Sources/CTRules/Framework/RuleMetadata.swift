import CTCore

/// Which layer produces a rule's findings.
public enum RuleCategory: String, Sendable, CaseIterable {
    /// JSON syntax, produced by the parser.
    case syntax
    /// CloudTrail schema validation, produced by the schema engine.
    case schema
    /// CloudTrail semantics, produced by a `RecordRule`.
    case semantic
    /// Input handling: files, compression, locations.
    case input
}

/// Whether a rule offers fixes.
public enum Fixability: String, Sendable {
    case none
    /// Some findings carry a fix.
    case sometimes
    /// Every finding carries a fix.
    case always
}

/// An example document for a rule. `source` is JSON; in invalid examples, `↓` (U+2193) marks where each
/// expected finding starts and is removed before parsing.
public struct RuleExample: Sendable, Hashable {
    public var source: String
    /// For fix examples: the document after applying every fix of this rule (safe and unsafe).
    public var fixed: String?
    /// Name of a file the example pretends to be (for file-location rules), or nil.
    public var fileName: String?

    public init(_ source: String, fixed: String? = nil, fileName: String? = nil) {
        self.source = source
        self.fixed = fixed
        self.fileName = fileName
    }

    /// The marker that shows where a finding starts in invalid examples.
    public static let marker: Character = "↓"

    /// The source without markers, and the UTF-8 offsets where markers stood.
    public func unmarked() -> (source: String, markers: [Int]) {
        var out = ""
        var markers: [Int] = []
        var offset = 0
        for ch in source {
            if ch == Self.marker { markers.append(offset); continue }
            out.append(ch)
            offset += ch.utf8.count
        }
        return (out, markers)
    }
}

/// Everything known about a rule: drives tests, `explain`, `rules` and the README table.
public struct RuleMetadata: Sendable, Hashable {
    /// Stable kebab-case id (never reused), declared in `RuleID`.
    public var id: RuleID
    public var category: RuleCategory
    /// One line, no trailing period.
    public var summary: String
    /// Why the rule exists; a short paragraph.
    public var rationale: String
    public var defaultSeverity: Severity
    public var fixability: Fixability
    /// Documents that must produce no finding of this rule.
    public var valid: [RuleExample]
    /// Documents that must produce this rule's findings, at the `↓` markers.
    public var invalid: [RuleExample]
    /// Documents whose fixes for this rule give `fixed`.
    public var fixes: [RuleExample]
    /// Why a fix is safe or unsafe, for the documentation.
    public var fixNote: String?

    public init(id: RuleID, category: RuleCategory, summary: String, rationale: String, defaultSeverity: Severity,
                fixability: Fixability = .none, fixNote: String? = nil,
                valid: [RuleExample] = [], invalid: [RuleExample] = [], fixes: [RuleExample] = []) {
        self.id = id
        self.category = category
        self.summary = summary
        self.rationale = rationale
        self.defaultSeverity = defaultSeverity
        self.fixability = fixability
        self.fixNote = fixNote
        self.valid = valid
        self.invalid = invalid
        self.fixes = fixes
    }
}
