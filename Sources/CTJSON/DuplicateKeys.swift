import CTCore

/// Finds members whose key repeats an earlier key of the same object.
enum DuplicateKeys {
    /// Exact duplicate check of the given objects (those whose key signatures collided while parsing).
    static func find(in tree: SyntaxTree, objects: [Int]) -> [Diagnostic] {
        var out: [Diagnostic] = []
        for i in objects.sorted() {
            var seen: [String: (key: Int, value: Int)] = [:]
            var previousValueEnd = -1
            for (k, v) in tree.members(of: i) {
                defer { previousValueEnd = Int(tree.nodes[v].end) }
                guard let name = tree.string(k) else { continue }
                if let first = seen[name] {
                    out.append(report(tree, first: first.key, firstValue: first.value, key: k, value: v,
                                      previousValueEnd: previousValueEnd))
                } else {
                    seen[name] = (k, v)
                }
            }
        }
        return out
    }

    private static func report(_ tree: SyntaxTree, first: Int, firstValue: Int, key: Int, value: Int,
                               previousValueEnd: Int) -> Diagnostic {
        let name = tree.string(key) ?? ""
        var fix: Fix?
        if previousValueEnd >= 0, ValueEquality.equal(tree, firstValue, value) {
            fix = Fix(title: "Remove the repeated member",
                      edits: [.delete(TextRange(start: previousValueEnd, end: Int(tree.nodes[value].end)))],
                      applicability: .safe)
        }
        return Diagnostic(
            rule: RuleID.duplicateKey, severity: .warning,
            message: "duplicate key `\(name)` in the same object",
            range: tree.range(key),
            notes: [Note(message: "`\(name)` first appears here", range: tree.range(first))],
            fix: fix)
    }
}

/// Structural equality of two values (numbers compared by spelling and then by value; keys order-insensitive).
public enum ValueEquality {
    public static func equal(_ tree: SyntaxTree, _ a: Int, _ b: Int) -> Bool {
        equal(tree, a, tree, b)
    }

    public static func equal(_ ta: SyntaxTree, _ a: Int, _ tb: SyntaxTree, _ b: Int) -> Bool {
        let ka = ta.kind(a), kb = tb.kind(b)
        guard ka == kb else { return false }
        switch ka {
        case .string: return ta.string(a) == tb.string(b)
        case .number: return ta.text(a) == tb.text(b) || ta.number(a) == tb.number(b)
        case .true, .false, .null: return true
        case .invalid, .missing: return ta.text(a) == tb.text(b)
        case .array:
            let ca = Array(ta.children(of: a)), cb = Array(tb.children(of: b))
            guard ca.count == cb.count else { return false }
            return zip(ca, cb).allSatisfy { equal(ta, $0, tb, $1) }
        case .object:
            let ma = Array(ta.members(of: a)), mb = Array(tb.members(of: b))
            guard ma.count == mb.count else { return false }
            var lookup: [String: Int] = [:]
            for m in mb { lookup[tb.string(m.key) ?? ""] = m.value }
            for m in ma {
                guard let v = lookup[ta.string(m.key) ?? ""], equal(ta, m.value, tb, v) else { return false }
            }
            return true
        }
    }
}
