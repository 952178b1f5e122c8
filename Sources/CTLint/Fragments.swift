import CTCore
import CTJSON
import CTRules
import CTSchema
import Foundation
import Synchronization

/// Records of Markdown blocks that show only part of a record (issue 20): a record lacking more than half of its
/// required fields gets one `fragment` finding at its head, listing the absent fields, in place of its
/// record-level `missing-field` findings. Its other findings (types, values, missing members of nested objects)
/// stay.
enum Fragments {
    /// `diagnostics` (of one document, `tree`) with each fragment's record-level `missing-field` findings folded.
    static func fold(_ diagnostics: [Diagnostic], tree: SyntaxTree) -> [Diagnostic] {
        guard diagnostics.contains(where: { $0.rule == .missingField }),
              let records = CloudTrailSchemaChecker.records(in: tree), !records.isEmpty else { return diagnostics }
        var drop = IndexSet()
        var added: [Diagnostic] = []
        for record in records {
            guard let pointer = tree.pointer(of: record) else { continue }
            let missing = diagnostics.indices.filter { diagnostics[$0].rule == .missingField && diagnostics[$0].pointer == pointer }
            guard !missing.isEmpty else { continue }
            let names = missing.compactMap { fieldName(diagnostics[$0].message) }
            guard names.count == missing.count else { continue }
            let required = requiredFields(tree, record: record).union(names)
            guard names.count * 2 > required.count else { continue }
            drop.formUnion(IndexSet(missing))
            let listed = names.sorted().joined(separator: ", ")
            added.append(Diagnostic(
                rule: .fragment, severity: FragmentRule.metadata.defaultSeverity,
                message: "a partial record (a sample?): \(names.count) of \(required.count) required fields are absent: \(listed)",
                range: tree.headRange(record), pointer: pointer))
        }
        guard !drop.isEmpty else { return diagnostics }
        return diagnostics.enumerated().filter { !drop.contains($0.offset) }.map(\.element) + added
    }

    /// The field a `missing-field` message names: "missing required field `NAME`".
    static func fieldName(_ message: String) -> String? {
        let prefix = "missing required field `"
        guard message.hasPrefix(prefix) else { return nil }
        let rest = message.dropFirst(prefix.count)
        guard let end = rest.firstIndex(of: "`") else { return nil }
        return String(rest[..<end])
    }

    /// The record-level fields required of a record with `record`'s eventVersion, eventType and eventCategory: the
    /// `missing-field` findings of a record holding only those three (cached by them).
    static func requiredFields(_ tree: SyntaxTree, record: Int) -> Set<String> {
        var routing: [(String, String)] = []
        for name in ["eventVersion", "eventType", "eventCategory"] {
            if let v = tree.member(named: name, of: record), tree.kind(v) == .string, let s = tree.string(v),
               s.utf8.count <= 64, s.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F && $0 != UInt8(ascii: "\"") && $0 != UInt8(ascii: "\\") }) {
                routing.append((name, s))
            }
        }
        let key = routing.map { "\"\($0.0)\":\"\($0.1)\"" }.joined(separator: ",")
        if let known = cache.withLock({ $0[key] }) { return known }
        var required = missingFields(of: "{\(key)}")
        // The routing members themselves: required when a record of the version without them misses them.
        let version = routing.first { $0.0 == "eventVersion" }.map { "\"eventVersion\":\"\($0.1)\"" } ?? ""
        let bare = missingFields(of: "{\(version)}")
        for (name, _) in routing where name == "eventVersion" || bare.contains(name) { required.insert(name) }
        cache.withLock { table in
            if table.count >= 64 { table.removeAll() }
            table[key] = required
        }
        return required
    }

    static let cache = Mutex<[String: Set<String>]>([:])

    private static func missingFields(of json: String) -> Set<String> {
        let tree = JSONParser.parse(Array(json.utf8))
        guard let root = tree.root else { return [] }
        let found = CloudTrailSchemaChecker.shared.checkRecord(tree, record: root)
        return Set(found.filter { $0.rule == .missingField && $0.pointer == "" }.compactMap { fieldName($0.message) })
    }
}
