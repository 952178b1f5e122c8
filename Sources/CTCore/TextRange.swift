/// A half-open range of UTF-8 byte offsets into one source buffer.
///
/// Offsets are 0-based byte positions from the start of the buffer. `start <= end` always holds.
public struct TextRange: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// First byte of the range (0-based, UTF-8 bytes).
    public var start: Int
    /// One past the last byte of the range (0-based, UTF-8 bytes).
    public var end: Int

    public init(start: Int, end: Int) {
        precondition(start <= end, "TextRange start \(start) after end \(end)")
        self.start = start
        self.end = end
    }

    /// An empty range at `offset`.
    public init(empty offset: Int) { self.init(start: offset, end: offset) }

    /// Length in bytes.
    public var length: Int { end - start }
    public var isEmpty: Bool { start == end }

    public func contains(_ offset: Int) -> Bool { offset >= start && offset < end }
    public func contains(_ other: TextRange) -> Bool { other.start >= start && other.end <= end }

    /// The smallest range covering both.
    public func union(_ other: TextRange) -> TextRange {
        TextRange(start: Swift.min(start, other.start), end: Swift.max(end, other.end))
    }

    /// Moves the range by `delta` bytes.
    public func shifted(by delta: Int) -> TextRange { TextRange(start: start + delta, end: end + delta) }

    public static func < (lhs: TextRange, rhs: TextRange) -> Bool {
        lhs.start != rhs.start ? lhs.start < rhs.start : lhs.end < rhs.end
    }

    public var description: String { "\(start)..<\(end)" }
}
