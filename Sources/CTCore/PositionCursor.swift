/// Line and column of a position in a byte stream, kept as the bytes pass: the `LineIndex` of a document that is
/// never held whole (a log read through a window, a JSON Lines file), and of facts that must be placed after the
/// bytes are gone (the run-level rules).
///
/// The same rules as `LineIndex`: breaks are `\n`, `\r\n` and a lone `\r`; columns count Unicode scalars, and an
/// offset inside a multibyte scalar takes that scalar's column.
///
/// The bytes are examined sixteen at a time (SIMD): a block with no `\n` or `\r` adds its scalar-leading bytes to the
/// column in a few instructions. (A byte loop cost about 4 instructions a byte, 2-3% of a check; eight bytes at a time
/// with a software popcount, 1.3 a byte; callgrind.)
public struct PositionCursor: Sendable, Hashable {
    /// The byte offset the cursor is at.
    public private(set) var offset: Int
    /// 1-based line at `offset`.
    public private(set) var line: Int
    /// Where the line of the last break passed starts (see `lineStart(next:)`).
    private var lineStart: Int
    /// 1 + the scalar-leading bytes from the line's start to `offset`.
    private var count: Int
    /// The byte before `offset` was a `\r`, counted on its line: the break ends after a `\n` that follows, else there.
    private var afterCR = false

    /// A cursor at `offset`, which is the start of line `line` (1-based).
    public init(offset: Int = 0, line: Int = 1) {
        self.offset = offset
        self.line = line
        lineStart = offset
        count = 1
    }

    /// The position at the cursor. `next` is the byte at the cursor (nil at the end): inside a multibyte
    /// scalar, the scalar's own column is given.
    public func position(next: UInt8?) -> LineColumn {
        if afterCR { return next == 0x0A ? LineColumn(line: line, column: count) : LineColumn(line: line + 1, column: 1) }
        var c = count
        if let next, next & 0xC0 == 0x80, c > 1 { c -= 1 }
        return LineColumn(line: line, column: c)
    }

    /// The offset where the line holding the cursor starts; `next` as for `position(next:)`.
    public func lineStart(next: UInt8?) -> Int {
        afterCR && next != 0x0A ? offset : lineStart
    }

    /// Moves the cursor over `bytes`, the input's bytes from `offset` on.
    public mutating func advance(over bytes: UnsafeBufferPointer<UInt8>) {
        guard let base = bytes.baseAddress, !bytes.isEmpty else { return }
        let n = bytes.count
        var i = 0
        let lf = SIMD16<UInt8>(repeating: 0x0A), cr = SIMD16<UInt8>(repeating: 0x0D)
        let high = SIMD16<UInt8>(repeating: 0x80), top = SIMD16<UInt8>(repeating: 0xC0)
        let ones: UInt64 = 0x0101_0101_0101_0101, highs: UInt64 = 0x8080_8080_8080_8080
        while i < n {
            if afterCR {
                afterCR = false
                line += 1; count = 1
                if base[i] == 0x0A { i += 1 }
                lineStart = offset + i
                continue
            }
            // Thirty-two bytes at a time while none is below 0x0E (so no line break) or past ASCII: a compact log. The test
            // may flag a block that has neither (a borrow across bytes); that block just takes the slower steps below.
            // (0.7 instructions a byte; SIMD masks tested with `any(_:)` were a generic reduction call per block, 1.9.)
            if n - i >= 32 {
                // Local copies and wrapping arithmetic: the loop keeps everything in registers (with `count` written
                // through `self` and overflow checks, it took 40 instructions a block).
                var c = count, j = i
                let last = n &- 32
                let low = ones &* 0x0E
                while j <= last {
                    let p = UnsafeRawPointer(base + j)
                    let w0 = p.loadUnaligned(as: UInt64.self), w1 = p.loadUnaligned(fromByteOffset: 8, as: UInt64.self)
                    let w2 = p.loadUnaligned(fromByteOffset: 16, as: UInt64.self), w3 = p.loadUnaligned(fromByteOffset: 24, as: UInt64.self)
                    if ((w0 &- low) | w0 | (w1 &- low) | w1 | (w2 &- low) | w2 | (w3 &- low) | w3) & highs != 0 { break }
                    c &+= 32
                    j &+= 32
                }
                count = c
                i = j
                if i == n { break }
            }
            // Sixteen bytes at a time while no line break is among them.
            if n - i >= 16 {
                let v = UnsafeRawPointer(base + i).loadUnaligned(as: SIMD16<UInt8>.self)
                let breaks = unsafeBitCast((v .== lf) .| (v .== cr), to: SIMD2<UInt64>.self)
                if breaks[0] | breaks[1] == 0 {
                    let words = unsafeBitCast(v, to: SIMD2<UInt64>.self)
                    if (words[0] | words[1]) & highs == 0 {
                        count += 16
                    } else {
                        // Continuation bytes (10xxxxxx) add no column: one bit per such byte, summed by a multiply.
                        let c = unsafeBitCast((v & top) .== high, to: SIMD2<UInt64>.self)
                        let n0 = Int(((c[0] & ones) &* ones) >> 56), n1 = Int(((c[1] & ones) &* ones) >> 56)
                        count += 16 - n0 - n1
                    }
                    i += 16
                    continue
                }
            }
            let byte = base[i]
            i += 1
            if byte == 0x0A {
                line += 1; count = 1
                lineStart = offset + i
            } else if byte == 0x0D {
                count += 1
                afterCR = true
            } else if byte & 0xC0 != 0x80 {
                count += 1
            }
        }
        offset += n
    }

    /// Moves the cursor over `n` bytes known to hold no line break and nothing past ASCII (a value the strict scanner
    /// found to be one plain line), without reading them.
    public mutating func skipPlain(_ n: Int) {
        guard n > 0 else { return }
        if afterCR {
            // The first byte is not a `\n`: the break was the `\r` alone.
            afterCR = false
            line += 1; count = 1
            lineStart = offset
        }
        count &+= n
        offset &+= n
    }

    /// The position `n` bytes on, when they are one plain line (see `skipPlain`), without moving.
    public func plainPosition(after n: Int) -> LineColumn {
        afterCR ? LineColumn(line: line + 1, column: 1 + n) : LineColumn(line: line, column: count + n)
    }

    /// Moves the cursor to `target` (at or after `offset`) over `window`, the input's bytes from `windowBase` on,
    /// and gives the position there.
    public mutating func move(to target: Int, in window: UnsafeBufferPointer<UInt8>, windowBase: Int) -> LineColumn {
        let from = offset - windowBase, to = target - windowBase
        precondition(from >= 0 && to >= from && to <= window.count, "cursor moved backwards or out of the window")
        advance(over: UnsafeBufferPointer(rebasing: window[from..<to]))
        return position(next: to < window.count ? window[to] : nil)
    }
}

/// A line and column in eight bytes: kept for every record of a run (the eventIDs), so it is packed.
public struct PackedPosition: Sendable, Hashable {
    private var line: UInt32 = 1
    private var column: UInt32 = 1

    public init() {}
    public init(_ p: LineColumn) {
        line = UInt32(clamping: p.line)
        column = UInt32(clamping: p.column)
    }

    public var lineColumn: LineColumn { LineColumn(line: Int(line), column: Int(column)) }
}

/// Resolves offsets to positions over a window of the input, moving a cursor forward from where it starts; an
/// offset before the cursor is resolved again from the start (the facts of one record come in any order).
public struct PositionResolver {
    public let start: PositionCursor
    /// The furthest the cursor has moved.
    public private(set) var current: PositionCursor
    private let window: UnsafeBufferPointer<UInt8>
    private let windowBase: Int

    /// Offsets from `start` up to this one are in one plain line (see `PositionCursor.skipPlain`).
    private let plainEnd: Int

    /// `window` holds the input from `windowBase` on; `start` is at or before every offset to be resolved.
    /// `plainUpTo`: the bytes from `start` to this offset are one line of ASCII (positions there are counted, not
    /// scanned: a scan of every record for its eventID's position cost 2.6% of a check, callgrind).
    public init(from start: PositionCursor, in window: UnsafeBufferPointer<UInt8>, windowBase: Int, plainUpTo: Int? = nil) {
        self.start = start
        current = start
        self.window = window
        self.windowBase = windowBase
        plainEnd = plainUpTo ?? start.offset
    }

    public mutating func position(of offset: Int) -> PackedPosition {
        if offset >= start.offset && offset <= plainEnd { return PackedPosition(start.plainPosition(after: offset - start.offset)) }
        let end = windowBase + window.count
        let target = Swift.max(start.offset, Swift.min(offset, end))
        if target >= current.offset { return PackedPosition(current.move(to: target, in: window, windowBase: windowBase)) }
        var again = start
        return PackedPosition(again.move(to: target, in: window, windowBase: windowBase))
    }
}
