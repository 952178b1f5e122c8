/// A unified diff of two byte buffers, by lines (Myers' O(ND) algorithm), with 3 lines of context.
public enum UnifiedDiff {
    public static func render(old: [UInt8], new: [UInt8], oldName: String, newName: String, context: Int = 3) -> String {
        let a = lines(old), b = lines(new)
        let ops = diff(a, b)
        guard ops.contains(where: { $0.kind != .same }) else { return "" }
        var out = "--- \(oldName)\n+++ \(newName)\n"
        // Group into hunks.
        var i = 0
        while i < ops.count {
            guard let firstChange = ops[i...].firstIndex(where: { $0.kind != .same }) else { break }
            let start = max(i, firstChange - context)
            var end = firstChange
            var lastChange = firstChange
            while end < ops.count {
                if ops[end].kind != .same { lastChange = end }
                if end - lastChange > 2 * context { break }
                end += 1
            }
            end = min(ops.count, lastChange + context + 1)
            let hunk = ops[start..<end]
            let oldStart = hunk.first!.oldIndex, newStart = hunk.first!.newIndex
            let oldCount = hunk.filter { $0.kind != .insert }.count
            let newCount = hunk.filter { $0.kind != .delete }.count
            out += "@@ -\(oldCount == 0 ? oldStart : oldStart + 1),\(oldCount) +\(newCount == 0 ? newStart : newStart + 1),\(newCount) @@\n"
            for op in hunk {
                let text: [UInt8]
                switch op.kind {
                case .same: out += " "; text = a[op.oldIndex]
                case .delete: out += "-"; text = a[op.oldIndex]
                case .insert: out += "+"; text = b[op.newIndex]
                }
                var line = String(decoding: text, as: UTF8.self)
                if line.hasSuffix("\n") { line.removeLast() } else { line += "\n\\ No newline at end of file" }
                out += line + "\n"
            }
            i = end
        }
        return out
    }

    struct Op { enum Kind { case same, delete, insert }; var kind: Kind; var oldIndex: Int; var newIndex: Int }

    static func lines(_ bytes: [UInt8]) -> [[UInt8]] {
        var out: [[UInt8]] = []
        var start = 0
        for (i, b) in bytes.enumerated() where b == 0x0A {
            out.append(Array(bytes[start...i]))
            start = i + 1
        }
        if start < bytes.count { out.append(Array(bytes[start...])) }
        return out
    }

    static func diff(_ a: [[UInt8]], _ b: [[UInt8]]) -> [Op] {
        // Trim common prefix and suffix first; fixes are local, so this leaves a small middle.
        var prefix = 0
        while prefix < a.count && prefix < b.count && a[prefix] == b[prefix] { prefix += 1 }
        var suffix = 0
        while suffix < a.count - prefix && suffix < b.count - prefix && a[a.count - 1 - suffix] == b[b.count - 1 - suffix] { suffix += 1 }
        let am = Array(a[prefix..<(a.count - suffix)]), bm = Array(b[prefix..<(b.count - suffix)])
        var ops: [Op] = (0..<prefix).map { Op(kind: .same, oldIndex: $0, newIndex: $0) }
        ops += myers(am, bm).map { Op(kind: $0.kind, oldIndex: $0.oldIndex + prefix, newIndex: $0.newIndex + prefix) }
        for k in 0..<suffix { ops.append(Op(kind: .same, oldIndex: a.count - suffix + k, newIndex: b.count - suffix + k)) }
        return ops
    }

    static func myers(_ a: [[UInt8]], _ b: [[UInt8]]) -> [Op] {
        let n = a.count, m = b.count
        if n == 0 { return (0..<m).map { Op(kind: .insert, oldIndex: 0, newIndex: $0) } }
        if m == 0 { return (0..<n).map { Op(kind: .delete, oldIndex: $0, newIndex: 0) } }
        let max = n + m
        var v = [Int](repeating: 0, count: 2 * max + 2)
        var trace: [[Int]] = []
        outer: for d in 0...max {
            trace.append(v)
            for k in stride(from: -d, through: d, by: 2) {
                var x: Int
                if k == -d || (k != d && v[max + k - 1] < v[max + k + 1]) { x = v[max + k + 1] } else { x = v[max + k - 1] + 1 }
                var y = x - k
                while x < n && y < m && a[x] == b[y] { x += 1; y += 1 }
                v[max + k] = x
                if x >= n && y >= m { break outer }
            }
        }
        // Backtrack.
        var ops: [Op] = []
        var x = n, y = m
        for d in stride(from: trace.count - 1, through: 0, by: -1) {
            let v = trace[d]
            let k = x - y
            let prevK = (k == -d || (k != d && v[max + k - 1] < v[max + k + 1])) ? k + 1 : k - 1
            let prevX = d == 0 ? 0 : v[max + prevK]
            let prevY = prevX - prevK
            while x > prevX && y > prevY { x -= 1; y -= 1; ops.append(Op(kind: .same, oldIndex: x, newIndex: y)) }
            if d > 0 {
                if x == prevX { y -= 1; ops.append(Op(kind: .insert, oldIndex: x, newIndex: y)) }
                else { x -= 1; ops.append(Op(kind: .delete, oldIndex: x, newIndex: y)) }
            }
        }
        return ops.reversed()
    }
}
