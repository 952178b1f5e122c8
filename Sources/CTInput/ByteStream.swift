/// The bytes of an input read piece by piece, gunzipped on the fly when the content starts with the gzip
/// magic (whatever the name), so that a reader holds one piece at a time and never the whole input.
///
/// I/O and gzip failures end the stream and are left in `failure`; pieces delivered before it are valid.
/// Not thread-safe.
///
/// ```swift
/// let stream = ByteStream(source: source)
/// while stream.next({ piece in … }) {}
/// if let failure = stream.failure { … }
/// ```
package final class ByteStream {
    /// Default read size, in bytes (1 MiB).
    package static let defaultChunkSize = 1 << 20

    /// Why the stream ended early (open/read failure or `gzipCorrupt`); nil after a clean end.
    package private(set) var failure: InputError?
    /// Whether the content turned out to be gzip (known once the first piece has been requested).
    package private(set) var wasCompressed = false
    /// A regular file's stamp, taken from the descriptor it is read through (once the first piece was requested), so
    /// a rewrite can make sure the file did not change meanwhile.
    package private(set) var stamp: FileStamp?

    private let source: InputSource
    /// The source's name in reports.
    package var sourceName: String { source.displayName }
    private let chunkSize: Int
    private var fd: Int32?
    private var inflater: GzipInflater?
    private var started = false
    private var atEnd = false
    /// Reused for every read of raw bytes (a fresh array per read would fault in fresh pages each time).
    private var buffer: [UInt8] = []

    /// Reads `source` lazily in `chunkSize`-byte reads (at least 4 KiB).
    package init(source: InputSource, chunkSize: Int = ByteStream.defaultChunkSize) {
        self.source = source
        self.chunkSize = Swift.max(chunkSize, 4096)
    }

    deinit { closeFile() }

    /// Calls `body` with the next piece (at least one byte; valid only during the call). Returns false, without
    /// calling `body`, at the end of the input or after a failure.
    package func next(_ body: (UnsafeBufferPointer<UInt8>) -> Void) -> Bool {
        guard !atEnd else { return false }
        if !started {
            started = true
            switch InputReader.open(source) {
            case .success(let descriptor): fd = descriptor
            case .failure(let error): stop(error); return false
            }
            var size = chunkSize
            if case .success(let status) = FileSystem.status(fd: fd!) {
                if status.isDirectory {
                    stop(InputError(path: source.displayName, reason: .isDirectory))
                    return false
                }
                // A small file needs no 1 MB buffer (2,000 files a day would fault in 2 GB of fresh pages).
                if status.isRegularFile {
                    size = Swift.min(chunkSize, Swift.max(4096, status.size + 1))
                    stamp = status.stamp
                }
            }
            buffer = [UInt8](repeating: 0, count: size)
            // The first read decides: gzip magic, or the raw bytes.
            guard let count = readRaw() else { return false }
            guard count > 0 else { finish(); return false }
            if Gzip.isGzip(buffer[0..<count]) {
                wasCompressed = true
                let created = GzipInflater()
                created.supply(buffer[0..<count])
                inflater = created
            } else {
                return deliver(count, body)
            }
        }
        guard let inflater else {
            guard let count = readRaw() else { return false }
            return deliver(count, body)
        }
        while true {
            switch inflater.inflateNext(body) {
            case .produced:
                return true
            case .finished:
                finish()
                return false
            case .failed(let error):
                stop(InputError(path: source.displayName, reason: .gzipCorrupt(error)))
                return false
            case .needsInput:
                guard let count = readRaw() else { return false }
                if count == 0 { inflater.endInput() } else { inflater.supply(buffer[0..<count]) }
            }
        }
    }

    /// The largest piece `next` delivers, in bytes: room `next(into:)` needs.
    package var largestPiece: Int { Swift.max(chunkSize, GzipInflater.defaultOutputBufferSize) }

    /// Reads the next bytes into `destination`, which must have room for `largestPiece` bytes, and returns their
    /// count (0 at the end of the input or after a failure). After the first read a plain file is read straight
    /// into `destination`, without a copy through the stream's own buffer (a 200 MB log spent 3% of its check in
    /// that copy, perf); gzip output is inflated straight into `destination` too.
    package func next(into destination: UnsafeMutableBufferPointer<UInt8>) -> Int {
        if started, !atEnd, let inflater {
            while true {
                let step = inflater.inflateNext(into: destination)
                switch step.status {
                case .produced:
                    return step.count
                case .finished:
                    finish()
                    return 0
                case .failed(let error):
                    stop(InputError(path: source.displayName, reason: .gzipCorrupt(error)))
                    return 0
                case .needsInput:
                    guard let count = readRaw() else { return 0 }
                    if count == 0 { inflater.endInput() } else { inflater.supply(buffer[0..<count]) }
                }
            }
        }
        if started, !atEnd, inflater == nil, let fd {
            switch FileSystem.readSome(fd: fd, into: destination) {
            case .success(let count):
                if count == 0 { finish() }
                return count
            case .failure(let error):
                stop(.from(errno: error.code, path: source.displayName))
                return 0
            }
        }
        var produced = 0
        _ = next { piece in
            precondition(piece.count <= destination.count, "ByteStream.next(into:) needs room for largestPiece bytes")
            destination.baseAddress!.update(from: piece.baseAddress!, count: piece.count)
            produced = piece.count
        }
        return produced
    }

    /// Hands the first `count` bytes of `buffer` to `body`; at 0, ends the stream instead.
    private func deliver(_ count: Int, _ body: (UnsafeBufferPointer<UInt8>) -> Void) -> Bool {
        guard count > 0 else { finish(); return false }
        buffer.withUnsafeBufferPointer { body(UnsafeBufferPointer(rebasing: $0[0..<count])) }
        return true
    }

    /// One read into `buffer`: the byte count (0 at end of file), or nil after a failure (then stopped).
    private func readRaw() -> Int? {
        guard let fd else { return 0 }
        let result = buffer.withUnsafeMutableBufferPointer { FileSystem.readSome(fd: fd, into: $0) }
        switch result {
        case .success(let count): return count
        case .failure(let error):
            stop(.from(errno: error.code, path: source.displayName))
            return nil
        }
    }

    private func finish() {
        atEnd = true
        closeFile()
    }

    private func stop(_ error: InputError) {
        failure = error
        finish()
    }

    private func closeFile() {
        if let fd, fd != FileSystem.standardInput { FileSystem.closeFile(fd) }
        fd = nil
    }
}
