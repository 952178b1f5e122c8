/// A unified diff of two byte buffers, by lines, with 3 lines of context.
///
/// Time and memory stay linear in practice and bounded always: lines are compared by hash and byte range (never
/// copied); the common prefix and suffix are trimmed; lines that occur once on each side anchor the rest
/// (patience diffing, recursively in the gaps); a gap without anchors gets Myers' O(ND) algorithm, which stores
/// only the live diagonals of each step and gives up past `maxEdits` edits, when the gap is shown replaced whole.
/// (The previous Myers kept a full copy of its diagonal array per step: 20.7 GB for a 120 KB file with 20,000
/// changed lines.)
package enum UnifiedDiff {
    /// The most edits Myers' search looks for in one gap before it shows the gap as replaced (its memory is about
    /// the square of this many integers).
    static let maxEdits = 1_000
    /// The most line comparisons Myers' search makes in one gap before it gives up the same way.
    static let maxWork = 50_000_000

    package static func render(old: [UInt8], new: [UInt8], oldName: String, newName: String, context: Int = 3) -> String {
        let a = Lines(old), b = Lines(new)
        let ops = diff(a, b)
        guard ops.contains(where: { $0.kind != .same }) else { return "" }
        var out = "--- \(oldName)\n+++ \(newName)\n"
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
                let text: ArraySlice<UInt8>
                switch op.kind {
                case .same: out += " "; text = a.text(op.oldIndex)
                case .delete: out += "-"; text = a.text(op.oldIndex)
                case .insert: out += "+"; text = b.text(op.newIndex)
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

    /// The lines of a buffer (each with its line feed) as byte ranges and hashes.
    struct Lines {
        let bytes: [UInt8]
        var starts: [Int] = []
        var hashes: [UInt64] = []

        init(_ bytes: [UInt8]) {
            self.bytes = bytes
            var start = 0
            func add(_ end: Int) {
                var h: UInt64 = 0xCBF2_9CE4_8422_2325  // FNV-1a
                for i in start..<end { h = (h ^ UInt64(bytes[i])) &* 0x100_0000_01B3 }
                starts.append(start)
                hashes.append(h)
                start = end
            }
            for i in bytes.indices where bytes[i] == 0x0A { add(i + 1) }
            if start < bytes.count { add(bytes.count) }
            starts.append(bytes.count)
        }

        var count: Int { hashes.count }
        func text(_ i: Int) -> ArraySlice<UInt8> { bytes[starts[i]..<starts[i + 1]] }
    }

    static func equal(_ a: Lines, _ i: Int, _ b: Lines, _ j: Int) -> Bool {
        a.hashes[i] == b.hashes[j] && a.text(i) == b.text(j)
    }

    static func diff(_ a: Lines, _ b: Lines) -> [Op] {
        var ops: [Op] = []
        ops.reserveCapacity(max(a.count, b.count))
        align(a, 0, a.count, b, 0, b.count, depth: 0, into: &ops)
        return ops
    }

    /// Appends the edit script of `a[aLo..<aHi]` against `b[bLo..<bHi]`.
    static func align(_ a: Lines, _ aLo: Int, _ aHi: Int, _ b: Lines, _ bLo: Int, _ bHi: Int, depth: Int, into ops: inout [Op]) {
        var aLo = aLo, bLo = bLo, aHi = aHi, bHi = bHi
        while aLo < aHi && bLo < bHi && equal(a, aLo, b, bLo) {
            ops.append(Op(kind: .same, oldIndex: aLo, newIndex: bLo)); aLo += 1; bLo += 1
        }
        var suffix = 0
        while aHi > aLo && bHi > bLo && equal(a, aHi - 1, b, bHi - 1) { aHi -= 1; bHi -= 1; suffix += 1 }
        defer { for k in 0..<suffix { ops.append(Op(kind: .same, oldIndex: aHi + k, newIndex: bHi + k)) } }
        if aLo == aHi || bLo == bHi {
            replace(aLo, aHi, bLo, bHi, into: &ops)
            return
        }
        let anchors = depth < 32 ? uniqueAnchors(a, aLo, aHi, b, bLo, bHi) : []
        if anchors.isEmpty {
            if let script = myers(a, aLo, aHi, b, bLo, bHi) { ops += script } else { replace(aLo, aHi, bLo, bHi, into: &ops) }
            return
        }
        var i = aLo, j = bLo
        for (x, y) in anchors {
            align(a, i, x, b, j, y, depth: depth + 1, into: &ops)
            ops.append(Op(kind: .same, oldIndex: x, newIndex: y))
            i = x + 1; j = y + 1
        }
        align(a, i, aHi, b, j, bHi, depth: depth + 1, into: &ops)
    }

    /// The gap shown as deleted, then inserted.
    static func replace(_ aLo: Int, _ aHi: Int, _ bLo: Int, _ bHi: Int, into ops: inout [Op]) {
        for i in aLo..<aHi { ops.append(Op(kind: .delete, oldIndex: i, newIndex: bLo)) }
        for j in bLo..<bHi { ops.append(Op(kind: .insert, oldIndex: aHi, newIndex: j)) }
    }

    /// Lines that occur exactly once in each range, as (old, new) pairs, reduced to the longest run increasing on
    /// both sides (patience sorting).
    static func uniqueAnchors(_ a: Lines, _ aLo: Int, _ aHi: Int, _ b: Lines, _ bLo: Int, _ bHi: Int) -> [(Int, Int)] {
        var seen: [UInt64: (a: Int, aCount: Int, bCount: Int, b: Int)] = [:]
        for i in aLo..<aHi { seen[a.hashes[i], default: (i, 0, 0, -1)].aCount += 1 }
        for j in bLo..<bHi where seen[b.hashes[j]] != nil {
            seen[b.hashes[j]]!.bCount += 1
            seen[b.hashes[j]]!.b = j
        }
        var pairs: [(Int, Int)] = []
        for i in aLo..<aHi {
            if let e = seen[a.hashes[i]], e.aCount == 1, e.bCount == 1, equal(a, i, b, e.b) { pairs.append((i, e.b)) }
        }
        guard !pairs.isEmpty else { return [] }
        // Longest increasing subsequence of the new-side positions (pairs are in old-side order).
        var tails: [Int] = []          // index into pairs of the smallest tail of each length
        var previous = [Int](repeating: -1, count: pairs.count)
        for (p, pair) in pairs.enumerated() {
            var lo = 0, hi = tails.count
            while lo < hi {
                let mid = (lo + hi) / 2
                if pairs[tails[mid]].1 < pair.1 { lo = mid + 1 } else { hi = mid }
            }
            if lo > 0 { previous[p] = tails[lo - 1] }
            if lo == tails.count { tails.append(p) } else { tails[lo] = p }
        }
        var result: [(Int, Int)] = []
        var p = tails.last!
        while p >= 0 { result.append(pairs[p]); p = previous[p] }
        return result.reversed()
    }

    /// Myers' shortest edit script of the two ranges, or nil when it needs more than `maxEdits` edits. Step `d`
    /// keeps only diagonals -d...d (so the trace holds about `maxEdits`² integers at most).
    static func myers(_ a: Lines, _ aLo: Int, _ aHi: Int, _ b: Lines, _ bLo: Int, _ bHi: Int) -> [Op]? {
        let n = aHi - aLo, m = bHi - bLo
        let limit = min(n + m, maxEdits)
        var trace: [[Int]] = []
        var v = [0, 0, 0]  // diagonals -1...1 of step 0's predecessor, offset by d + 1
        var found = false
        var work = 0
        for d in 0...limit {
            // next[k + d + 1] for k in -d...d; v holds step d-1's diagonals -(d-1)...(d-1) at k + d.
            var next = [Int](repeating: 0, count: 2 * d + 3)
            func previous(_ k: Int) -> Int { d == 0 ? 0 : v[k + d] }
            for k in stride(from: -d, through: d, by: 2) {
                var x: Int
                if d == 0 { x = 0 } else if k == -d || (k != d && previous(k - 1) < previous(k + 1)) { x = previous(k + 1) } else { x = previous(k - 1) + 1 }
                var y = x - k
                while x < n && y < m && equal(a, aLo + x, b, bLo + y) { x += 1; y += 1; work += 1 }
                work += 1
                next[k + d + 1] = x
                if x >= n && y >= m { found = true; break }
            }
            trace.append(next)
            v = next
            if found || work > maxWork { break }
        }
        guard found else { return nil }
        var ops: [Op] = []
        var x = n, y = m
        for d in stride(from: trace.count - 1, through: 0, by: -1) {
            let k = x - y
            var prevX = 0, prevY = 0
            if d > 0 {
                let before = trace[d - 1]
                func at(_ k: Int) -> Int { before[k + d] }
                let prevK = (k == -d || (k != d && at(k - 1) < at(k + 1))) ? k + 1 : k - 1
                prevX = at(prevK)
                prevY = prevX - prevK
            }
            while x > prevX && y > prevY { x -= 1; y -= 1; ops.append(Op(kind: .same, oldIndex: aLo + x, newIndex: bLo + y)) }
            if d > 0 {
                if x == prevX { y -= 1; ops.append(Op(kind: .insert, oldIndex: aLo + x, newIndex: bLo + y)) }
                else { x -= 1; ops.append(Op(kind: .delete, oldIndex: aLo + x, newIndex: bLo + y)) }
            }
        }
        return ops.reversed()
    }
}
