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
        func accepts(_ pc: Int, _ b: UInt32) -> Bool {
            switch insts[pc] {
            case .scalar(let c): return c == b
            case .any: return !(b == 0x0A || b == 0x0D)
            case .set(let s): return program.sets[s].contains(b)
            default: return false
            }
        }
        // A byte's signature is a bit vector over `consuming`; classes are few, so a new signature is compared with
        // each known one (a dictionary keyed by arrays cost more than the automaton's construction).
        let words = max(1, (consuming.count + 63) / 64)
        var signatures: [UInt64] = []  // class c: words c * words ..< (c + 1) * words
        var signature = [UInt64](repeating: 0, count: words)
        var classOf = [UInt8](repeating: 0, count: 256)
        var representative: [UInt32] = []
        for b in 0..<128 {
            for w in 0..<words { signature[w] = 0 }
            for (j, pc) in consuming.enumerated() where accepts(pc, UInt32(b)) { signature[j >> 6] |= 1 << UInt64(j & 63) }
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

        // States are (kernel, atStart); only state 0 is at the start of the input.
        struct Key: Hashable { var kernel: [Int32]; var atStart: Bool }
        var ids: [Key: Int32] = [:]
        var keys: [Key] = []
        func state(_ key: Key) -> Int32? {
            if let id = ids[key] { return id }
            guard keys.count < ByteDFA.maxStates else { return nil }
            let id = Int32(keys.count)
            ids[key] = id
            keys.append(key)
            return id
        }
        _ = state(Key(kernel: [0], atStart: true))
        // Which consuming instruction accepts which class, asked once (the set lookups per state and class, and
        // a `Set` per transition, were a quarter of the tool's start-up: 22 M instructions for 32 patterns).
        var acceptsClass = [Bool](repeating: false, count: n * classCount)
        for pc in consuming {
            for c in 0..<classCount { acceptsClass[pc * classCount + c] = accepts(pc, representative[c]) }
        }
        var inKernel = [Int](repeating: -1, count: n + 1)
        var kernelStamp = 0
        var targets: [Int32] = []
        var flags: [UInt8] = []
        var s = 0
        while s < keys.count {
            let key = keys[s]
            let now = closure(key.kernel, atStart: key.atStart, atEnd: false)
            let end = closure(key.kernel, atStart: key.atStart, atEnd: true)
            var f: UInt8 = (now.match ? 1 : 0) | (end.match ? 2 : 0)
            if key.kernel.isEmpty { f |= 4 }
            flags.append(f)
            for c in 0..<classCount {
                kernelStamp += 1
                var kernel: [Int32] = []
                if !anchored { kernel.append(0); inKernel[0] = kernelStamp }
                for pc in now.threads where acceptsClass[pc * classCount + c] && inKernel[pc + 1] != kernelStamp {
                    inKernel[pc + 1] = kernelStamp
                    kernel.append(Int32(pc + 1))
                }
                kernel.sort()
                guard let id = state(Key(kernel: kernel, atStart: false)) else { return nil }
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
