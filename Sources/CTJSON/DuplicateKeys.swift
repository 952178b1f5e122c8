import CTCore

/// Finds members whose key repeats an earlier key of the same object.
enum DuplicateKeys {
    static func find(in tree: SyntaxTree) -> [Diagnostic] {
        var out: [Diagnostic] = []
        var keys: [(hash: UInt64, node: Int, value: Int)] = []
        for i in tree.nodes.indices where tree.nodes[i].kind == .object {
            keys.removeAll(keepingCapacity: true)
            var previousValueEnd = -1
            for (k, v) in tree.members(of: i) {
                defer { previousValueEnd = Int(tree.nodes[v].end) }
                guard tree.nodes[k].kind == .string else { continue }
                let h = keyHash(tree, k)
                if let first = keys.first(where: { $0.hash == h && keysEqual(tree, $0.node, k) }) {
                    let name = tree.string(k) ?? ""
                    var fix: Fix?
                    if previousValueEnd >= 0, ValueEquality.equal(tree, first.value, v) {
                        fix = Fix(title: "Remove the repeated member",
                                  edits: [.delete(TextRange(start: previousValueEnd, end: Int(tree.nodes[v].end)))],
                                  applicability: .safe)
                    }
                    out.append(Diagnostic(
                        rule: SyntaxRule.duplicateKey, severity: .warning,
                        message: "duplicate key `\(name)` in the same object",
                        range: tree.range(k),
                        notes: [Note(message: "`\(name)` first appears here", range: tree.range(first.node))],
                        fix: fix))
                } else {
                    keys.append((h, k, v))
                }
            }
        }
        return out
    }

    /// FNV-1a over the key's content bytes (raw; escaped keys are compared decoded on hash collision).
    private static func keyHash(_ tree: SyntaxTree, _ k: Int) -> UInt64 {
        if tree.stringFlags(k).contains(.hasEscapes) {
            var h: UInt64 = 0xcbf29ce484222325
            for b in (tree.string(k) ?? "").utf8 { h = (h ^ UInt64(b)) &* 0x100000001b3 }
            return h
        }
        let r = tree.contentRange(k)
        var h: UInt64 = 0xcbf29ce484222325
        var j = r.start
        while j < r.end { h = (h ^ UInt64(tree.source[j])) &* 0x100000001b3; j += 1 }
        return h
    }

    private static func keysEqual(_ tree: SyntaxTree, _ a: Int, _ b: Int) -> Bool {
        tree.string(a) == tree.string(b)
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
