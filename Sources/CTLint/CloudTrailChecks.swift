import CTCore
import CTJSON
import CTRules
import CTSchema
import Foundation

/// Schema validation plus the semantic rules, for one parsed document or one record at a time.
struct CloudTrailChecks {
    /// Whether any schema rule runs.
    let schema: Bool
    /// The semantic rules the linter runs.
    let rules: [any RecordRule]

    init(linter: Linter) {
        schema = CloudTrailSchemaChecker.ruleIDs.contains { linter.runs($0) }
        // `real-data` judges documentation samples: on other documents only when `--select` names it.
        let realData = linter.markdownBlocks || linter.policy.selection.select.contains(RuleID.realData.rawValue)
        rules = RuleRegistry.recordRules.filter { linter.runs(type(of: $0).metadata.id) && (realData || type(of: $0).metadata.id != .realData) }
    }

    /// Appends the schema and enabled semantic findings for record object `record` of `document.tree`
    /// (unfiltered by the selection, unsorted). Returns the record's fields when the rules read them.
    @discardableResult
    func check(record: Int, of document: DocumentContext, into found: inout [Diagnostic]) -> RecordFields? {
        guard !rules.isEmpty else {
            if schema { CloudTrailSchemaChecker.shared.checkRecord(document.tree, record: record, into: &found) }
            return nil
        }
        // The rules' fields first: they tell the schema check where eventVersion, userIdentity and eventType are,
        // which spares it a pass over the record's members. (Not an optional context: wrapping and unwrapping the
        // 900-byte value copied it three times per record, 3.7 M instructions on 6,000 records, callgrind.)
        let context = RecordContext(document: document, record: record)
        if schema {
            let members = CloudTrailSchemaChecker.RecordMembers(eventVersion: context.fields.eventVersion,
                                                                userIdentity: context.fields.userIdentity,
                                                                eventType: context.fields.eventType)
            CloudTrailSchemaChecker.shared.checkRecord(document.tree, record: record, members: members, into: &found)
        }
        // Called in place through the buffer: `for rule in rules` copied each existential per call (1.3% of a
        // full check, callgrind).
        rules.withUnsafeBufferPointer { list in
            for i in list.indices {
                let findings = list[i].check(context)
                if !findings.isEmpty { found.append(contentsOf: findings) }
            }
        }
        return context.fields
    }

    /// Runs the schema checks and the enabled semantic rules record by record, in one pass over the records,
    /// so that each record's nodes and bytes are read from memory once for both layers.
    static func check(_ tree: SyntaxTree, fileName: String?, checks: CloudTrailChecks) -> [Diagnostic] {
        check(tree, origin: DocumentOrigin(fileName: fileName), checks: checks)
    }

    /// `check(_:fileName:checks:)` with the file name's facts already at hand (a JSON Lines file's lines share them:
    /// looked up per line, they were 1% of checking such a file, callgrind).
    static func check(_ tree: SyntaxTree, origin: DocumentOrigin, checks: CloudTrailChecks) -> [Diagnostic] {
        let document = DocumentContext(tree: tree, origin: origin)
        var found: [Diagnostic] = []
        var out = CloudTrailSchemaChecker.shared.checkDocument(tree) { record in
            checks.check(record: record, of: document, into: &found)
        }
        out.append(contentsOf: found)
        return out
    }

    /// A value that fails a schema `pattern` or `format` and also a semantic rule (`arn-identity-mismatch`,
    /// `event-id`, `access-key-id`, …) is reported once, by the semantic rule, whose message names the real
    /// mistake (an IAMUser with an `sts` ARN) rather than the pattern it fails. Only `invalid-value` at exactly the
    /// same range is dropped; the semantic rule may be a warning, so the severity kept is the higher of the two.
    /// `keepingSchema`: whether `invalid-value` is reported at all (when not, its findings go without raising any).
    private static let schemaRuleIDs = Set(CloudTrailSchemaChecker.ruleIDs)

    static func dropSchemaEchoes(_ diagnostics: [Diagnostic], keepingSchema: Bool) -> [Diagnostic] {
        // Most records have no finding: no set, no table (building the set of schema rule ids for every line of a
        // JSON Lines file was 4% of checking it, callgrind).
        guard diagnostics.contains(where: { $0.rule == .invalidValue }) else { return diagnostics }
        guard keepingSchema else { return diagnostics.filter { $0.rule != .invalidValue } }
        let schemaRuleIDs = Self.schemaRuleIDs
        var semanticAt: [TextRange: Int] = [:]
        for (i, d) in diagnostics.enumerated() where !schemaRuleIDs.contains(d.rule) && semanticAt[d.range] == nil {
            semanticAt[d.range] = i
        }
        guard !semanticAt.isEmpty else { return diagnostics }
        var out = diagnostics
        var drop = IndexSet()
        for (i, d) in diagnostics.enumerated() where d.rule == .invalidValue {
            guard let j = semanticAt[d.range] else { continue }
            drop.insert(i)
            if d.severity > out[j].severity { out[j].severity = d.severity }
        }
        return out.enumerated().filter { !drop.contains($0.offset) }.map(\.element)
    }
}
