/// A 1-based line and column. Columns count Unicode scalars (what a person counts), not bytes.
public struct LineColumn: Hashable, Sendable, CustomStringConvertible {
    /// 1-based line number.
    public var line: Int
    /// 1-based column, in Unicode scalars from the start of the line.
    public var column: Int
    public init(line: Int, column: Int) { self.line = line; self.column = column }
    public var description: String { "\(line):\(column)" }
}

/// Maps UTF-8 byte offsets to line and column. Built once per source, used only at the reporting edge.
///
/// Line breaks are `\n`, `\r\n` and a lone `\r`; `\r\n` counts as one break.
public struct LineIndex: Sendable {
    /// Byte offset where each line starts; `lineStarts[0] == 0`.
    public let lineStarts: [Int]
    private let bytes: [UInt8]

    public init(_ bytes: [UInt8]) {
        var starts = [0]
        var i = 0
        let n = bytes.count
        while i < n {
            let b = bytes[i]
            if b == 0x0A {
                starts.append(i + 1)
            } else if b == 0x0D {
                if i + 1 < n && bytes[i + 1] == 0x0A { i += 1 }
                starts.append(i + 1)
            }
            i += 1
        }
        lineStarts = starts
        self.bytes = bytes
    }

    /// Number of lines (a buffer with no break has one line).
    public var lineCount: Int { lineStarts.count }

    /// 0-based line number containing `offset` (bytes).
    public func lineNumber(at offset: Int) -> Int {
        var lo = 0, hi = lineStarts.count - 1
        while lo < hi {
            let mid = (lo + hi + 1) / 2
            if lineStarts[mid] <= offset { lo = mid } else { hi = mid - 1 }
        }
        return lo
    }

    /// The 1-based line and scalar column of a byte offset. Offsets inside a multibyte scalar count
    /// as that scalar; offsets past the end clamp to the end.
    public func location(of offset: Int) -> LineColumn {
        let offset = Swift.max(0, Swift.min(offset, bytes.count))
        let line = lineNumber(at: offset)
        var column = 1
        var i = lineStarts[line]
        while i < offset {
            // Count only scalar-leading bytes (not 10xxxxxx continuation bytes).
            if bytes[i] & 0xC0 != 0x80 { column += 1 }
            i += 1
        }
        // If offset sits inside a scalar, we counted its lead byte; step back so the scalar's column is used.
        if offset < bytes.count, bytes[offset] & 0xC0 == 0x80, column > 1 { column -= 1 }
        return LineColumn(line: line + 1, column: column)
    }

    /// Locations of many offsets at once: one pass over each line's bytes, however many offsets fall on it.
    ///
    /// `location(of:)` counts scalars from the line start for each call, so N findings on one 200 MB line
    /// (a compact CloudTrail file is one line) cost O(N × line length); this costs O(line length + N log N).
    public func locations(of offsets: [Int]) -> [LineColumn] {
        let order = offsets.indices.sorted { offsets[$0] < offsets[$1] }
        var out = [LineColumn](repeating: LineColumn(line: 1, column: 1), count: offsets.count)
        var line = -1
        var cursor = 0
        var column = 1
        for i in order {
            let offset = Swift.max(0, Swift.min(offsets[i], bytes.count))
            let l = lineNumber(at: offset)
            if l != line || offset < cursor {
                line = l
                cursor = lineStarts[l]
                column = 1
            }
            while cursor < offset {
                if bytes[cursor] & 0xC0 != 0x80 { column += 1 }
                cursor += 1
            }
            var c = column
            if offset < bytes.count, bytes[offset] & 0xC0 == 0x80, c > 1 { c -= 1 }
            out[i] = LineColumn(line: l + 1, column: c)
        }
        return out
    }

    /// Byte range of a 0-based line, without its line break.
    public func lineRange(_ line: Int) -> TextRange {
        let start = lineStarts[line]
        var end = line + 1 < lineStarts.count ? lineStarts[line + 1] : bytes.count
        while end > start && (bytes[end - 1] == 0x0A || bytes[end - 1] == 0x0D) { end -= 1 }
        return TextRange(start: start, end: end)
    }
}
