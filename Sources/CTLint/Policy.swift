import CTCore
import CTRules

/// The one step that judges findings once the linter has made them: which are reported (`--select`, `--ignore`).
/// The layers to come (severity overrides, configuration, suppressions, a baseline) belong here too, so that
/// `check`, `fix` and `format` judge alike. The linter's exits (`Linter.judged`) and the run-level findings pass
/// through `judge`; the linter itself runs only the rules the selection enables, and decides nothing else.
package struct Policy: Sendable {
    package let selection: RuleSelection
    /// The rules whose findings are kept, resolved once (a match against the patterns per finding cost more than
    /// the finding).
    private let kept: Set<RuleID>

    package init(selection: RuleSelection) {
        self.selection = selection
        kept = Set(RuleID.all.filter { selection.isEnabled($0) })
    }

    /// Whether findings of rule `id` are reported.
    package func keeps(_ id: RuleID) -> Bool { kept.contains(id) }

    /// Drops what is not reported.
    package func judge(_ diagnostics: inout [Diagnostic]) {
        if diagnostics.contains(where: { !kept.contains($0.rule) }) { diagnostics.removeAll { !kept.contains($0.rule) } }
    }

    /// Drops what is not reported, of findings already placed (the run-level rules').
    package func judge(_ diagnostics: inout [LocatedDiagnostic]) {
        diagnostics.removeAll { !kept.contains($0.diagnostic.rule) }
    }
}
