import CTCore
import CTRules

/// The one step that judges findings once the linter has made them, for `check`, `fix` and `format` alike:
/// - which rules are reported (`--select`, `--ignore`, the configuration's `select`/`ignore` and `overrides`);
/// - at what level (`severity`, `off` drops the rule);
/// - which findings a suppression covers (the configuration's `suppress`): marked, counted, carried by SARIF, never
///   reported or fixed;
/// - what to do with a document that holds no CloudTrail record (`non-cloudtrail`).
///
/// A policy is resolved per file (overrides and suppressions depend on the path) by `RunSettings`, before any input
/// is read. The linter's exits (`Linter.judged`) and the run-level findings pass through `judge`. The baseline, which
/// needs the offending bytes and counts across a file, is judged where findings are located (`Baseline`).
package struct Policy: Sendable {
    /// A `suppress` entry as it applies to one file.
    package struct Suppressing: Sendable, Hashable {
        package var rules: Set<RuleID>
        /// Tokens of the pointer pattern (`*`: one token); empty: the whole document.
        package var pointer: [String]
        package var mark: Suppression

        package init(rules: Set<RuleID>, pointer: [String], mark: Suppression) {
            self.rules = rules
            self.pointer = pointer
            self.mark = mark
        }

        func covers(_ d: Diagnostic) -> Bool {
            guard rules.contains(d.rule) else { return false }
            if pointer.isEmpty { return true }
            guard let p = d.pointer else { return false }
            return JSONPointerPattern.matches(pointer, p)
        }
    }

    package let selection: RuleSelection
    /// The rules whose findings are kept, resolved once (a match against the patterns per finding cost more than
    /// the finding).
    private let kept: Set<RuleID>
    /// Levels other than the rules' own.
    private let levels: [RuleID: Severity]
    package private(set) var suppressions: [Suppressing] = []
    package var nonCloudTrail: NonCloudTrailPolicy = .check

    package init(selection: RuleSelection) {
        self.selection = selection
        kept = Set(RuleID.all.filter { selection.isEnabled($0) })
        levels = [:]
    }

    /// A policy resolved from layers (see `RunSettings`): `kept` already holds every layer's choice of rules.
    package init(selection: RuleSelection, kept: Set<RuleID>, levels: [RuleID: Severity], suppressions: [Suppressing],
                 nonCloudTrail: NonCloudTrailPolicy) {
        self.selection = selection
        self.kept = kept.union(RuleSelection.alwaysKept)
        self.levels = levels
        self.suppressions = suppressions
        self.nonCloudTrail = nonCloudTrail
    }

    /// The level rule `id` is reported at, when it is not the rule's own.
    package func level(of id: RuleID) -> Severity? { levels[id] }

    /// Whether findings of rule `id` are reported.
    package func keeps(_ id: RuleID) -> Bool { kept.contains(id) }

    /// The same policy with `more` suppressions (a Markdown block's directive) ahead of the others.
    package func adding(_ more: [Suppressing]) -> Policy {
        var p = self
        p.suppressions = more + suppressions
        return p
    }

    /// Drops what is not reported and sets levels.
    package func judge(_ diagnostics: inout [Diagnostic]) {
        if diagnostics.contains(where: { !kept.contains($0.rule) }) { diagnostics.removeAll { !kept.contains($0.rule) } }
        guard !levels.isEmpty else { return }
        for i in diagnostics.indices { if let level = levels[diagnostics[i].rule] { diagnostics[i].severity = level } }
    }

    /// Drops what is not reported, of findings already placed (the run-level rules'), and sets levels.
    package func judge(_ diagnostics: inout [LocatedDiagnostic]) {
        diagnostics.removeAll { !kept.contains($0.diagnostic.rule) }
        guard !levels.isEmpty else { return }
        for i in diagnostics.indices { if let level = levels[diagnostics[i].diagnostic.rule] { diagnostics[i].diagnostic.severity = level } }
    }

    /// Marks the findings a suppression covers. Done where pointers are final (a record's findings are judged with
    /// pointers from the record, and placed in the file after): at the end of a document's lint, and where a
    /// streamed input's findings are located (`FileFindings`).
    package func suppress(_ diagnostics: inout [Diagnostic]) {
        guard !suppressions.isEmpty else { return }
        for i in diagnostics.indices where diagnostics[i].suppression == nil {
            if let s = suppressions.first(where: { $0.covers(diagnostics[i]) }) { diagnostics[i].suppression = s.mark }
        }
    }

    package func suppress(_ diagnostics: inout [LocatedDiagnostic]) {
        guard !suppressions.isEmpty else { return }
        for i in diagnostics.indices where diagnostics[i].diagnostic.suppression == nil {
            if let s = suppressions.first(where: { $0.covers(diagnostics[i].diagnostic) }) { diagnostics[i].diagnostic.suppression = s.mark }
        }
    }
}
