import CTCore
import CTJSON
import CTRules
import CTSchema

/// Schema validation plus the semantic rules, for one parsed document.
enum CloudTrailChecks {
    static func check(_ tree: SyntaxTree, fileName: String?, selection: RuleSelection) -> [Diagnostic] {
        var out = CloudTrailSchemaChecker.shared.check(tree).filter { selection.isEnabled($0.rule) }
        guard let records = CloudTrailSchemaChecker.records(in: tree) else { return out }
        let rules = RuleRegistry.recordRules.filter { selection.isEnabled(type(of: $0).metadata.id) }
        guard !rules.isEmpty else { return out }
        for record in records where tree.kind(record) == .object {
            let context = RecordContext(tree: tree, record: record, fileName: fileName)
            for rule in rules { out.append(contentsOf: rule.check(context)) }
        }
        return out
    }
}
