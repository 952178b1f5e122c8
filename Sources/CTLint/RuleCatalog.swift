import CTCore
import CTRules

/// Renders the rule metadata: the `rules` table, `explain`, and the README table.
package enum RuleCatalog {
    static func fixable(_ m: RuleMetadata) -> String {
        switch m.fixability { case .none: "no"; case .sometimes: "sometimes"; case .always: "yes" }
    }

    package static func textTable() -> String {
        let rules = RuleRegistry.all
        let w0 = max(4, rules.map(\.id.rawValue.count).max() ?? 0)
        func pad(_ s: String, _ w: Int) -> String { s + String(repeating: " ", count: max(0, w - s.count)) }
        var out = pad("RULE", w0) + "  " + pad("CATEGORY", 9) + "  " + pad("SEVERITY", 8) + "  " + pad("FIXABLE", 9) + "  SUMMARY\n"
        for m in rules {
            out += pad(m.id.rawValue, w0) + "  " + pad(m.category.rawValue, 9) + "  " + pad(m.defaultSeverity.rawValue, 8) + "  "
                + pad(fixable(m), 9) + "  " + m.summary + "\n"
        }
        return out
    }

    /// The README's rule table (kept in sync by a test).
    package static func markdownTable() -> String {
        var out = "| Rule | Category | Severity | Fixable | Summary |\n|---|---|---|---|---|\n"
        for m in RuleRegistry.all {
            out += "| `\(m.id.rawValue)` | \(m.category.rawValue) | \(m.defaultSeverity.rawValue) | \(fixable(m)) | \(m.summary.replacingAll("|", "\\|")) |\n"
        }
        return out
    }

    package static func json() -> String {
        let items = RuleRegistry.all.map { m in
            JSONWriter.object([
                ("id", JSONWriter.quote(m.id.rawValue)), ("category", JSONWriter.quote(m.category.rawValue)),
                ("severity", JSONWriter.quote(m.defaultSeverity.rawValue)), ("fixable", JSONWriter.quote(m.fixability.rawValue)),
                ("summary", JSONWriter.quote(m.summary)), ("rationale", JSONWriter.quote(m.rationale)),
            ])
        }
        return "[\n" + items.joined(separator: ",\n") + "\n]\n"
    }

    package static func explain(_ m: RuleMetadata) -> String {
        var out = "\(m.id.rawValue) (\(m.category.rawValue), \(m.defaultSeverity.rawValue)"
        out += m.fixability == .none ? ")\n\n" : ", fixable: \(fixable(m)))\n\n"
        out += m.summary + "\n\n" + m.rationale + "\n"
        if let note = m.fixNote { out += "\nFix: " + note + "\n" }
        func block(_ title: String, _ examples: [String]) {
            guard !examples.isEmpty else { return }
            out += "\n\(title):\n"
            for e in examples { out += e.split(separator: "\n", omittingEmptySubsequences: false).map { "    " + $0 }.joined(separator: "\n") + "\n\n" }
        }
        block("Valid", m.valid.map(\.source))
        block("Invalid (↓ marks each finding)", m.invalid.map(\.source))
        for f in m.fixes {
            block("Fix: before", [f.source])
            block("Fix: after", [f.fixed ?? ""])
        }
        return out
    }
}

/// Rule id lists for callers that do not import CTRules.
package enum CTRulesCatalog {
    package static var syntaxRuleIDs: [String] { RuleRegistry.syntaxRules.map(\.id.rawValue) }
    package static var allRuleIDs: [String] { RuleRegistry.all.map(\.id.rawValue) }
}
