import CTCore
#if canImport(Glibc)
import Glibc
#endif

/// One non-blank line of a JSON Lines stream.
package struct JSONLine: Sendable, Hashable {
    /// The line's bytes without its terminator (`\n`, or `\r\n`).
    package var bytes: [UInt8]
    /// 0-based byte offset of the line's first byte in the (decompressed) stream.
    package var offset: Int
    /// 1-based line number; blank lines are counted.
    package var number: Int

    package init(bytes: [UInt8], offset: Int, number: Int) {
        self.bytes = bytes
        self.offset = offset
        self.number = number
    }

    /// The line's bytes as a range of the whole (decompressed) stream.
    package var range: TextRange { TextRange(start: offset, end: offset + bytes.count) }
}

/// Where one non-blank line sits in an in-memory buffer.
package struct JSONLineSpan: Sendable, Hashable {
    /// The line's bytes without its terminator, as offsets into the buffer.
    package var range: TextRange
    /// 1-based line number; blank lines are counted.
    package var number: Int

    package init(range: TextRange, number: Int) {
        self.range = range
        self.number = number
    }
}

/// Iterates the lines of a JSON Lines input, gunzipping on the fly, with memory bounded by the
/// longest line plus one read chunk.
///
/// Lines end at `\n`; a `\r` just before it is dropped (CRLF). A lone `\r` is not a line break
/// (unlike `LineIndex`), since JSON Lines separates values with `\n` only. Lines holding only
/// spaces, tabs and `\r` are blank: skipped, but counted in line numbers. A final line without
/// terminator is returned.
///
/// I/O and gzip failures end the iteration and are left in `failure`; lines returned before it are
/// valid. A partial line cut off by a gzip failure is dropped. Not thread-safe.
///
/// ```swift
/// let reader = JSONLinesReader(source: source)
/// for line in reader { … }
/// if let failure = reader.failure { … }
/// ```
package final class JSONLinesReader: Sequence, IteratorProtocol {
    /// Default read size, in bytes (1 MiB).
    package static let defaultChunkSize = 1 << 20

    /// Why iteration stopped early (open/read failure or `gzipCorrupt`); nil after a clean end.
    package private(set) var failure: InputError?
    /// Whether the content turned out to be gzip (known once the first line has been requested).
    package var wasCompressed: Bool { stream?.wasCompressed ?? compressedInMemory }

    /// The input, read piece by piece (nil for bytes already in memory).
    private let stream: ByteStream?
    private var compressedInMemory = false
    /// Decompressed bytes not yet returned; `pending[pendingStart...]` is unconsumed.
    private var pending: [UInt8] = []
    private var pendingStart = 0
    /// Where to resume the newline search (bytes before it in the current line hold no `\n`).
    private var scanFrom = 0
    /// Stream offset of `pending[0]`.
    private var pendingBase = 0
    private var nextNumber = 1
    private var atEnd = false

    /// The longest line held in memory; a longer one (an endless device, a file without line breaks) ends the
    /// iteration with a `tooLarge` failure.
    private let maxLineBytes: Int

    /// Reads `source` lazily in `chunkSize`-byte reads (at least 4 KiB); lines longer than `maxLineBytes` fail.
    package init(source: InputSource, chunkSize: Int = JSONLinesReader.defaultChunkSize, maxLineBytes: Int = .max) {
        stream = ByteStream(source: source, chunkSize: chunkSize)
        self.maxLineBytes = maxLineBytes
    }

    /// Iterates bytes already in memory (gunzipped first when they start with the gzip magic).
    package init(bytes: [UInt8]) {
        stream = nil
        maxLineBytes = .max
        atEnd = true
        if Gzip.isGzip(bytes) {
            compressedInMemory = true
            switch Gzip.decompress(bytes) {
            case .success(let inflated): pending = inflated
            case .failure(let error): failure = InputError(path: "<memory>", reason: .gzipCorrupt(error))
            }
        } else {
            pending = bytes
        }
    }

    package func next() -> JSONLine? {
        while true {
            // memchr: a generic `firstIndex(of:)` over the slice was 8% of checking a JSON Lines file (callgrind).
            if let newline = Self.index(of: 0x0A, in: pending, from: scanFrom) {
                let start = pendingStart
                pendingStart = newline + 1
                scanFrom = pendingStart
                if let line = makeLine(start: start, terminator: newline) { return line }
                continue
            }
            scanFrom = pending.count
            if atEnd {
                guard pendingStart < pending.count else { return nil }
                let start = pendingStart
                pendingStart = pending.count
                return makeLine(start: start, terminator: pending.count)
            }
            refill()
        }
    }

    /// The first index at or after `from` of `byte` in `bytes`, or nil.
    static func index(of byte: UInt8, in bytes: [UInt8], from: Int) -> Int? {
        guard from < bytes.count else { return nil }
        return bytes.withUnsafeBufferPointer { b in
            let base = UnsafeRawPointer(b.baseAddress!)
            return memchr(base + from, Int32(byte), b.count - from).map { UnsafeRawPointer($0) - base }
        }
    }

    /// The line `pending[start..<terminator]` (dropping a final `\r`), or nil when it is blank.
    private func makeLine(start: Int, terminator: Int) -> JSONLine? {
        let number = nextNumber
        nextNumber += 1
        var end = terminator
        if end > start && pending[end - 1] == 0x0D { end -= 1 }
        let content = pending[start..<end]
        if JSONLinesReader.isBlank(content) { return nil }
        return JSONLine(bytes: Array(content), offset: pendingBase + start, number: number)
    }

    /// Drops consumed bytes and appends the next decompressed piece, or sets `atEnd`.
    private func refill() {
        if pendingStart > 0 {
            pending.removeSubrange(0..<pendingStart)
            pendingBase += pendingStart
            scanFrom -= pendingStart
            pendingStart = 0
        }
        guard let stream else { atEnd = true; return }
        if pending.count - pendingStart > maxLineBytes {
            let source = stream.sourceName
            atEnd = true
            // From gzip, a line past the limit is what a gzip bomb looks like, and is reported as one.
            failure = stream.wasCompressed
                ? InputError(path: source, reason: .gzipCorrupt(GzipError(kind: .tooLarge, message: "decompressed data exceeds \(maxLineBytes) bytes without a line break", offset: 0)))
                : InputError(path: source, reason: .tooLarge(limit: maxLineBytes))
            pending.removeAll()
            pendingStart = 0
            scanFrom = 0
            return
        }
        if stream.next({ pending.append(contentsOf: $0) }) { return }
        atEnd = true
        guard let error = stream.failure else { return }
        failure = error
        if case .gzipCorrupt = error.reason {
            // Keep complete lines inflated before the break; drop the cut-off tail.
            let keep = pending[pendingStart...].lastIndex(of: 0x0A).map { $0 + 1 } ?? pendingStart
            pending.removeSubrange(keep...)
            scanFrom = Swift.min(scanFrom, keep)
        }
    }

    /// Non-blank lines of an in-memory buffer, with the same rules as the streaming reader.
    package static func lineSpans(in bytes: [UInt8]) -> [JSONLineSpan] {
        var spans: [JSONLineSpan] = []
        var start = 0
        var number = 1
        let count = bytes.count
        while start < count {
            let newline = bytes[start...].firstIndex(of: 0x0A) ?? count
            var end = newline
            if end > start && bytes[end - 1] == 0x0D { end -= 1 }
            if !isBlank(bytes[start..<end]) {
                spans.append(JSONLineSpan(range: TextRange(start: start, end: end), number: number))
            }
            number += 1
            start = newline + 1
        }
        return spans
    }

    /// Whether a line holds only spaces, tabs and carriage returns.
    static func isBlank(_ line: ArraySlice<UInt8>) -> Bool {
        line.allSatisfy { $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }
    }
}
