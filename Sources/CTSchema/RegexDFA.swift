/// A deterministic automaton over ASCII bytes built from a `PikeProgram` ahead of time (subset construction),
/// so that a search costs one table load per byte instead of a thread list walk per scalar.
///
/// Input with a byte ≥ 0x80 is left to the Pike VM (`search` returns nil), as are programs with `\b`/`\B`
/// (they look at the next character) and programs whose automaton would exceed `maxStates`.
/// Measured with `perf` on generated logs (about 13 pattern searches per record: account IDs, ARNs,
/// timestamps, access key IDs): the Pike VM took 10.7% of a full check; the automaton's byte loop takes about
/// 4% of the (three times shorter) check, bound by the latency of one table load per byte.
///
/// A class holding its tables in manually allocated memory (immutable after `init`), so that reaching it
/// from a schema node costs one reference and no array bounds checks in the byte loop.
final class ByteDFA: @unchecked Sendable {
    /// Byte → equivalence class: ASCII bytes that every instruction treats alike share a class; every byte ≥ 0x80
    /// is in the last class, whose transitions all say "not decided here".
    private let classOf: UnsafeMutablePointer<UInt8>
    /// The number of classes, the non-ASCII one included (the width of a row of `next`).
    private let classCount: Int
    /// `state * classCount + class` → next state (see the encoding below).
    private let next: UnsafeMutablePointer<UInt32>
    /// Per state: bit 0 = a match ends here before the next byte, bit 1 = a match ends here at the end of input,
    /// bit 2 = dead (no match can follow).
    private let flags: UnsafeMutablePointer<UInt8>

    static let maxStates = 2048

    init?(_ program: PikeProgram) {
        let insts = program.insts
        let n = insts.count
        for inst in insts { if case .wordBoundary = inst { return nil } }
        let anchored = insts.first == .lineStart

        // Byte classes by the set of consuming instructions that accept each byte.
        var consuming: [Int] = []
        for (pc, inst) in insts.enumerated() {
            switch inst {
            case .scalar, .any, .set: consuming.append(pc)
            default: break
            }
        }
        // The ASCII bytes each consuming instruction accepts, as a 128-bit mask, asked once per distinct set: a
        // counted repetition is many copies of one set (`[A-Za-z0-9_]{16,128}`: 128), and asking each copy about
        // each byte, then each class, was half the cost of building the automata of a check of a 5-record file
        // (14.8 M instructions; 7.4 M with masks, callgrind).
        var setMasks: [(set: ScalarSet, mask: (UInt64, UInt64))] = []  // the copies share storage: `==` is quick
        func mask(_ accepts: (UInt32) -> Bool) -> (UInt64, UInt64) {
            var lo: UInt64 = 0, hi: UInt64 = 0
            for b in 0..<64 where accepts(UInt32(b)) { lo |= 1 << UInt64(b) }
            for b in 64..<128 where accepts(UInt32(b)) { hi |= 1 << UInt64(b - 64) }
            return (lo, hi)
        }
        var masks: [(lo: UInt64, hi: UInt64)] = []  // per consuming instruction, in `consuming` order
        masks.reserveCapacity(consuming.count)
        for pc in consuming {
            switch insts[pc] {
            case .scalar(let c): masks.append(c < 64 ? (1 << UInt64(c), 0) : c < 128 ? (0, 1 << UInt64(c - 64)) : (0, 0))
            case .any: masks.append(mask { !($0 == 0x0A || $0 == 0x0D) })
            case .set(let s):
                let set = program.sets[s]
                if let known = setMasks.first(where: { $0.set == set }) {
                    masks.append(known.mask)
                } else {
                    let m = mask { set.contains($0) }
                    setMasks.append((set, m))
                    masks.append(m)
                }
            default: masks.append((0, 0))
            }
        }
        @inline(__always) func accepts(_ m: (lo: UInt64, hi: UInt64), _ b: Int) -> Bool {
            b < 64 ? m.lo >> UInt64(b) & 1 != 0 : m.hi >> UInt64(b - 64) & 1 != 0
        }
        // Bytes are in one class when every consuming instruction treats them alike, that is every distinct mask.
        var distinct: [(lo: UInt64, hi: UInt64)] = []
        for m in masks where !distinct.contains(where: { $0 == m }) { distinct.append(m) }
        // A byte's signature is a bit vector over `distinct`; classes are few, so a new signature is compared with
        // each known one (a dictionary keyed by arrays cost more than the automaton's construction).
        let words = max(1, (distinct.count + 63) / 64)
        var signatures: [UInt64] = []  // class c: words c * words ..< (c + 1) * words
        var signature = [UInt64](repeating: 0, count: words)
        var classOf = [UInt8](repeating: 0, count: 256)
        var representative: [UInt32] = []
        for b in 0..<128 {
            for w in 0..<words { signature[w] = 0 }
            for (j, m) in distinct.enumerated() where accepts(m, b) { signature[j >> 6] |= 1 << UInt64(j & 63) }
            var c = 0
            while c < representative.count && !(0..<words).allSatisfy({ signatures[c * words + $0] == signature[$0] }) { c += 1 }
            if c == representative.count {
                guard c < 255 else { return nil }
                signatures.append(contentsOf: signature)
                representative.append(UInt32(b))
            }
            classOf[b] = UInt8(c)
        }
        let classCount = representative.count
        for b in 128..<256 { classOf[b] = UInt8(classCount) }

        // ε-closure of a kernel: the consuming instructions reached and whether `match` is reached.
        var marks = [Int](repeating: -1, count: n)
        var stamp = 0
        func closure(_ kernel: [Int32], atStart: Bool, atEnd: Bool) -> (threads: [Int], match: Bool) {
            stamp += 1
            var stack = kernel.reversed().map(Int.init)
            var threads: [Int] = []
            var match = false
            while let pc = stack.popLast() {
                if marks[pc] == stamp { continue }
                marks[pc] = stamp
                switch insts[pc] {
                case .jump(let t): stack.append(t)
                case .split(let a, let b): stack.append(b); stack.append(a)
                case .lineStart: if atStart { stack.append(pc + 1) }
                case .lineEnd: if atEnd { stack.append(pc + 1) }
                case .wordBoundary: break
                case .match: match = true
                case .scalar, .any, .set: threads.append(pc)
                }
            }
            return (threads, match)
        }

        // States are (kernel, atStart); only state 0 is at the start of the input. The kernels lie end to end in
        // `pool`, found by an open-addressing table of their hashes: a `Dictionary` keyed by a struct holding an
        // array, hashed and allocated on every transition, cost 2.2 M instructions of the automata of a check of
        // a 5-record file (0.8 M this way; the automata 7.4 M -> 5.3 M, callgrind).
        var pool: [Int32] = []
        var bounds: [Int] = [0]  // state i's kernel: pool[bounds[i] ..< bounds[i + 1]]
        var startsAt: [Bool] = []
        var hashes: [UInt64] = []
        var table = [Int32](repeating: -1, count: 64)
        func hash(_ kernel: [Int32], _ atStart: Bool) -> UInt64 {
            var h: UInt64 = atStart ? 0x9E37_79B9_7F4A_7C15 : 0xCBF2_9CE4_8422_2325
            for v in kernel { h = (h ^ UInt64(UInt32(bitPattern: v))) &* 0x0000_0100_0000_01B3 }
            return h ^ (h >> 29)
        }
        func state(_ kernel: [Int32], atStart: Bool) -> Int32? {
            let h = hash(kernel, atStart)
            var i = Int(truncatingIfNeeded: h) & (table.count - 1)
            while table[i] >= 0 {
                let id = Int(table[i])
                if hashes[id] == h, startsAt[id] == atStart, pool[bounds[id] ..< bounds[id + 1]].elementsEqual(kernel) {
                    return Int32(id)
                }
                i = (i + 1) & (table.count - 1)
            }
            guard startsAt.count < ByteDFA.maxStates else { return nil }
            let id = startsAt.count
            pool.append(contentsOf: kernel)
            bounds.append(pool.count)
            startsAt.append(atStart)
            hashes.append(h)
            table[i] = Int32(id)
            if startsAt.count * 2 > table.count {
                table = [Int32](repeating: -1, count: table.count * 2)
                for (j, hj) in hashes.enumerated() {
                    var k = Int(truncatingIfNeeded: hj) & (table.count - 1)
                    while table[k] >= 0 { k = (k + 1) & (table.count - 1) }
                    table[k] = Int32(j)
                }
            }
            return Int32(id)
        }
        _ = state([0], atStart: true)
        // Which consuming instruction accepts which class, asked once (the set lookups per state and class, and
        // a `Set` per transition, were a quarter of the tool's start-up: 22 M instructions for 32 patterns).
        var acceptsClass = [Bool](repeating: false, count: n * classCount)
        for (j, pc) in consuming.enumerated() {
            for c in 0..<classCount { acceptsClass[pc * classCount + c] = accepts(masks[j], Int(representative[c])) }
        }
        var inKernel = [Int](repeating: -1, count: n + 1)
        var kernelStamp = 0
        var targets: [Int32] = []
        var flags: [UInt8] = []
        var s = 0
        var kernel: [Int32] = []
        while s < startsAt.count {
            let current = Array(pool[bounds[s] ..< bounds[s + 1]])
            let now = closure(current, atStart: startsAt[s], atEnd: false)
            let end = closure(current, atStart: startsAt[s], atEnd: true)
            var f: UInt8 = (now.match ? 1 : 0) | (end.match ? 2 : 0)
            if current.isEmpty { f |= 4 }
            flags.append(f)
            for c in 0..<classCount {
                kernelStamp += 1
                kernel.removeAll(keepingCapacity: true)
                if !anchored { kernel.append(0); inKernel[0] = kernelStamp }
                for pc in now.threads where acceptsClass[pc * classCount + c] && inKernel[pc + 1] != kernelStamp {
                    inKernel[pc + 1] = kernelStamp
                    kernel.append(Int32(pc + 1))
                }
                kernel.sort()
                guard let id = state(kernel, atStart: false) else { return nil }
                targets.append(id)
            }
            s += 1
        }
        // Transitions hold the target's row offset (state × row width) shifted left by two, with the target's
        // "match now" and "dead" flags in the low bits: the byte loop then needs one load per byte. The non-ASCII
        // class's transitions are 3 (both flags, which no real state has: a dead state has no match).
        // Measured (callgrind, 6,000 generated records): 13 instructions per byte with a separate non-ASCII test
        // and signed entries, 10 with the extra class and unsigned ones (-4.4 M instructions in all).
        let width = classCount + 1
        guard flags.count * width < Int(UInt32.max >> 2) else { return nil }
        var next: [UInt32] = []
        next.reserveCapacity(flags.count * width)
        for (i, t) in targets.enumerated() {
            let f = flags[Int(t)]
            next.append(UInt32(Int(t) * width) << 2 | UInt32(f & 1) | UInt32((f >> 2) & 1) << 1)
            if i % classCount == classCount - 1 { next.append(3) }
        }
        self.classOf = .allocate(capacity: 256)
        self.classOf.initialize(from: classOf, count: 256)
        self.classCount = width
        self.next = .allocate(capacity: next.count)
        self.next.initialize(from: next, count: next.count)
        self.flags = .allocate(capacity: flags.count)
        self.flags.initialize(from: flags, count: flags.count)
    }

    deinit {
        classOf.deallocate()
        next.deallocate()
        flags.deallocate()
    }

    /// True when the pattern matches somewhere in `input`; nil when the input has non-ASCII bytes.
    @inline(__always)
    func search(_ input: UnsafeBufferPointer<UInt8>) -> Bool? { view.search(input) }

    /// The tables as a plain value, valid while this automaton is alive (see `ByteKeyTable.View`).
    var view: View { View(classOf: classOf, classCount: classCount, next: next, flags: flags) }

    struct View: @unchecked Sendable {
        let classOf: UnsafePointer<UInt8>
        let classCount: Int
        let next: UnsafePointer<UInt32>
        let flags: UnsafePointer<UInt8>

        init(classOf: UnsafeMutablePointer<UInt8>, classCount: Int, next: UnsafeMutablePointer<UInt32>, flags: UnsafeMutablePointer<UInt8>) {
            self.classOf = UnsafePointer(classOf)
            self.classCount = classCount
            self.next = UnsafePointer(next)
            self.flags = UnsafePointer(flags)
        }

        /// True when the pattern matches somewhere in `input`; nil when the input has non-ASCII bytes.
        @inline(__always)
        func search(_ input: UnsafeBufferPointer<UInt8>) -> Bool? {
            // A match found on an ASCII prefix stands whatever follows, and nothing revives a dead state, so
            // both answers are final even if non-ASCII bytes come later. State 0 (the start) is the only one
            // entered without a transition.
            if flags[0] & 1 != 0 { return true }
            if flags[0] & 4 != 0 { return false }
            var row = 0
            for b in input {
                let t = next[row &+ Int(classOf[Int(b)])]
                if t & 3 != 0 { return t & 3 == 3 ? nil : t & 1 != 0 }
                row = Int(t >> 2)
            }
            return flags[row / classCount] & 2 != 0
        }
    }
}
