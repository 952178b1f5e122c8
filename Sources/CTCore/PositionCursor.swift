/// Line and column of a position in a byte stream, kept as the bytes pass: the `LineIndex` of a document that is
/// never held whole (a log read through a window, a JSON Lines file), and of facts that must be placed after the
/// bytes are gone (the run-level rules).
///
/// The same rules as `LineIndex`: breaks are `\n`, `\r\n` and a lone `\r`; columns count Unicode scalars, and an
/// offset inside a multibyte scalar takes that scalar's column.
///
/// The bytes are examined eight at a time: a word with no `\n` or `\r` adds its scalar-leading bytes to the column
/// in a few instructions. (A byte loop cost about 4 instructions a byte, 2-3% of a check; callgrind.)
package struct PositionCursor: Sendable, Hashable {
    /// The byte offset the cursor is at.
    package private(set) var offset: Int
    /// 1-based line at `offset`.
    package private(set) var line: Int
    /// Where the line of the last break passed starts (see `lineStart(next:)`).
    private var lineStart: Int
    /// 1 + the scalar-leading bytes from the line's start to `offset`.
    private var count: Int
    /// The byte before `offset` was a `\r`, counted on its line: the break ends after a `\n` that follows, else there.
    private var afterCR = false

    /// A cursor at `offset`, which is the start of line `line` (1-based).
    package init(offset: Int = 0, line: Int = 1) {
        self.offset = offset
        self.line = line
        lineStart = offset
        count = 1
    }

    /// The position at the cursor. `next` is the byte at the cursor (nil at the end): inside a multibyte
    /// scalar, the scalar's own column is given.
    package func position(next: UInt8?) -> LineColumn {
        if afterCR { return next == 0x0A ? LineColumn(line: line, column: count) : LineColumn(line: line + 1, column: 1) }
        var c = count
        if let next, next & 0xC0 == 0x80, c > 1 { c -= 1 }
        return LineColumn(line: line, column: c)
    }

    /// The offset where the line holding the cursor starts; `next` as for `position(next:)`.
    package func lineStart(next: UInt8?) -> Int {
        afterCR && next != 0x0A ? offset : lineStart
    }

    /// Moves the cursor over `bytes`, the input's bytes from `offset` on.
    package mutating func advance(over bytes: UnsafeBufferPointer<UInt8>) {
        guard let base = bytes.baseAddress, !bytes.isEmpty else { return }
        let n = bytes.count
        var i = 0
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        let lf = ones &* 0x0A, cr = ones &* 0x0D
        while i < n {
            if afterCR {
                afterCR = false
                line += 1; count = 1
                if base[i] == 0x0A { i += 1 }
                lineStart = offset + i
                continue
            }
            if n - i >= 8 {
                let w = UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self)
                let a = w ^ lf, b = w ^ cr
                let hasBreak = ((a &- ones) & ~a | (b &- ones) & ~b) & highs
                if hasBreak == 0 {
                    // Continuation bytes are 10xxxxxx: bit 7 set, bit 6 clear.
                    let continuation = w & ~(w << 1) & highs
                    count += 8 - continuation.nonzeroBitCount
                    i += 8
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

    /// Moves the cursor to `target` (at or after `offset`) over `window`, the input's bytes from `windowBase` on,
    /// and gives the position there.
    package mutating func move(to target: Int, in window: UnsafeBufferPointer<UInt8>, windowBase: Int) -> LineColumn {
        let from = offset - windowBase, to = target - windowBase
        precondition(from >= 0 && to >= from && to <= window.count, "cursor moved backwards or out of the window")
        advance(over: UnsafeBufferPointer(rebasing: window[from..<to]))
        return position(next: to < window.count ? window[to] : nil)
    }
}

/// A line and column in eight bytes: kept for every record of a run (the eventIDs), so it is packed.
package struct PackedPosition: Sendable, Hashable {
    private var line: UInt32 = 1
    private var column: UInt32 = 1

    package init() {}
    package init(_ p: LineColumn) {
        line = UInt32(clamping: p.line)
        column = UInt32(clamping: p.column)
    }

    package var lineColumn: LineColumn { LineColumn(line: Int(line), column: Int(column)) }
}
