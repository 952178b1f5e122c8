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
        let category = RuleRegistry.metadata(for: rule)?.category.rawValue
        let id = rule.rawValue
        return patterns.contains { p in
            p == "ALL" || p == "all" || id == p || id.hasPrefix(p) || p == category
        }
    }

    /// Whether findings of rule `id` are kept. Input errors (unreadable files) are always kept.
    package func isEnabled(_ id: RuleID) -> Bool {
        // Whether an input could be read at all is never deselected: the other rules would see garbage.
        if id == .readError || id == .gzipCorrupt || id == .internalError || id == .textEncoding {
            return true
        }
        if !select.isEmpty && !Self.matches(id, select) { return false }
        if Self.matches(id, ignore) { return false }
        return true
    }

    /// Unknown names in `select`/`ignore`, each with a suggestion when one is close.
    package func unknownPatterns() -> [(pattern: String, suggestion: String?)] {
        let ids = RuleRegistry.all.map(\.id.rawValue)
        let categories = RuleCategory.allCases.map(\.rawValue)
        return (select + ignore).compactMap { p in
            if p == "ALL" || p == "all" || categories.contains(p) || ids.contains(where: { $0.hasPrefix(p) }) { return nil }
            return (p, RuleRegistry.suggestion(for: p))
        }
    }
}
