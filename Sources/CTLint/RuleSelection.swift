import CTCore
import CTRules

/// Which rules run and at what severity: `--select`, `--ignore`, `--strict`, `--syntax-only`.
package struct RuleSelection: Sendable {
    /// Rule ids, id prefixes (`arn` matches `arn-syntax`) or categories (`syntax`, `schema`, `semantic`, `input`).
    package var select: [String] = []
    package var ignore: [String] = []
    /// Only JSON syntax rules run; no CloudTrail checks.
    package var syntaxOnly = false

    package init(select: [String] = [], ignore: [String] = [], syntaxOnly: Bool = false) {
        self.select = select
        self.ignore = ignore
        self.syntaxOnly = syntaxOnly
    }

    private static func matches(_ rule: RuleID, _ patterns: [String]) -> Bool {
        patterns.contains { RuleNames.covers($0, rule) }
    }

    /// What is never deselected: whether an input could be read at all (the other rules would see garbage).
    package static let alwaysKept: Set<RuleID> = [.readError, .gzipCorrupt, .internalError, .textEncoding]

    /// Whether findings of rule `id` are kept. Input errors (unreadable files) are always kept.
    package func isEnabled(_ id: RuleID) -> Bool {
        if Self.alwaysKept.contains(id) { return true }
        if !select.isEmpty && !Self.matches(id, select) { return false }
        if Self.matches(id, ignore) { return false }
        return true
    }

    /// Unknown names in `select`/`ignore`, each with a suggestion when one is close.
    package func unknownPatterns() -> [(pattern: String, suggestion: String?)] {
        (select + ignore).compactMap { p in RuleNames.isKnown(p) ? nil : (p, RuleRegistry.suggestion(for: p)) }
    }
}

/// Names of rules as users write them (`--select`, `--ignore`, the configuration, directives): an id, an id prefix
/// (`arn` covers `arn-syntax`), a category or `ALL`. The one matcher of them all.
package enum RuleNames {
    /// Whether `name` covers rule `rule`.
    package static func covers(_ name: String, _ rule: RuleID) -> Bool {
        name == "ALL" || name == "all" || rule.rawValue.hasPrefix(name)
            || RuleRegistry.metadata(for: rule)?.category.rawValue == name
    }

    package static func isKnown(_ name: String) -> Bool {
        !name.isEmpty && RuleID.all.contains { covers(name, $0) }
    }

    /// The rules `name` covers.
    package static func rules(_ name: String) -> [RuleID] { RuleID.all.filter { covers(name, $0) } }

    /// How specific a name is: a category or `ALL` < a prefix < an exact id. Levels apply from the least specific
    /// to the most, so `{"semantic": "warning", "arn-syntax": "error"}` means what it says in either order.
    static func specificity(_ name: String) -> Int {
        if name == "ALL" || name == "all" || RuleCategory(rawValue: name) != nil { return 0 }
        return RuleID(rawValue: name) == nil ? 1 : 2
    }
}
