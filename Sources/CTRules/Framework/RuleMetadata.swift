import CTCore

/// Which layer produces a rule's findings.
package enum RuleCategory: String, Sendable, CaseIterable {
    /// JSON syntax, produced by the parser.
    case syntax
    /// CloudTrail schema validation, produced by the schema engine.
    case schema
    /// CloudTrail semantics, produced by a `RecordRule`.
    case semantic
    /// Input handling: files, compression, locations.
    case input
    /// Integrity of exported logs against CloudTrail digest files, produced by `verify`.
    case integrity
}

/// Whether a rule offers fixes.
package enum Fixability: String, Sendable {
    case none
    /// Some findings carry a fix.
    case sometimes
    /// Every finding carries a fix.
    case always
}

/// An example document for a rule. `source` is JSON; in invalid examples, `↓` (U+2193) marks where each
/// expected finding starts and is removed before parsing.
package struct RuleExample: Sendable, Hashable {
    package var source: String
    /// For fix examples: the document after applying every fix of this rule (safe and unsafe).
    package var fixed: String?
    /// Name of a file the example pretends to be (for file-location rules), or nil.
    package var fileName: String?

    package init(_ source: String, fixed: String? = nil, fileName: String? = nil) {
        self.source = source
        self.fixed = fixed
        self.fileName = fileName
    }

    /// The marker that shows where a finding starts in invalid examples.
    package static let marker: Character = "↓"

    /// The source without markers, and the UTF-8 offsets where markers stood.
    package func unmarked() -> (source: String, markers: [Int]) {
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
package struct RuleMetadata: Sendable, Hashable {
    /// Stable kebab-case id (never reused), declared in `RuleID`.
    package var id: RuleID
    package var category: RuleCategory
    /// One line, no trailing period.
    package var summary: String
    /// Why the rule exists; a short paragraph.
    package var rationale: String
    package var defaultSeverity: Severity
    package var fixability: Fixability
    /// Documents that must produce no finding of this rule.
    package var valid: [RuleExample]
    /// Documents that must produce this rule's findings, at the `↓` markers.
    package var invalid: [RuleExample]
    /// Documents whose fixes for this rule give `fixed`.
    package var fixes: [RuleExample]
    /// Why a fix is safe or unsafe, for the documentation.
    package var fixNote: String?
    /// Whether the rule reports only on the JSON blocks of Markdown pages (its examples are checked as such blocks).
    package var markdownOnly: Bool

    package init(id: RuleID, category: RuleCategory, summary: String, rationale: String, defaultSeverity: Severity,
                fixability: Fixability = .none, fixNote: String? = nil, markdownOnly: Bool = false,
                valid: [RuleExample] = [], invalid: [RuleExample] = [], fixes: [RuleExample] = []) {
        self.id = id
        self.category = category
        self.summary = summary
        self.rationale = rationale
        self.defaultSeverity = defaultSeverity
        self.fixability = fixability
        self.fixNote = fixNote
        self.markdownOnly = markdownOnly
        self.valid = valid
        self.invalid = invalid
        self.fixes = fixes
    }
}
