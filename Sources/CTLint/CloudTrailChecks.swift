import CTCore
import CTJSON
import CTRules
import CTSchema

/// Schema validation plus the semantic rules, for one parsed document.
enum CloudTrailChecks {
    /// Runs the schema checks and the enabled semantic rules record by record, in one pass over the records,
    /// so that each record's nodes and bytes are read from memory once for both layers.
    static func check(_ tree: SyntaxTree, fileName: String?, selection: RuleSelection) -> [Diagnostic] {
        let checker = CloudTrailSchemaChecker.shared
        let schema = CloudTrailSchemaChecker.ruleIDs.contains { selection.isEnabled($0) }
        let rules = RuleRegistry.recordRules.filter { selection.isEnabled(type(of: $0).metadata.id) }
        let document = DocumentContext(tree: tree, fileName: fileName)
        var found: [Diagnostic] = []
        var out = checker.checkDocument(tree) { record in
            if schema { checker.checkRecord(tree, record: record, into: &found) }
            if rules.isEmpty { return }
            let context = RecordContext(document: document, record: record)
            for rule in rules { found.append(contentsOf: rule.check(context)) }
        }
        out.append(contentsOf: found)
        return out.filter { selection.isEnabled($0.rule) }
    }
}
