/// The bytes of one input, decompressed, with what was learned while reading them.
public struct LoadedInput: Sendable {
    public var source: InputSource
    /// The document bytes (after gunzip when the content was gzip).
    public var bytes: [UInt8]
    /// The source's kind with `isGzipped` set from the content's magic bytes.
    public var kind: InputKind
    /// The file as it was read (nil for standard input and anything that is not a regular file).
    public var stamp: FileStamp?

    public init(source: InputSource, bytes: [UInt8], kind: InputKind, stamp: FileStamp? = nil) {
        self.source = source
        self.bytes = bytes
        self.kind = kind
        self.stamp = stamp
    }

    /// Whether the bytes on disk were gzip (so a fix written back should be compressed too).
    public var wasCompressed: Bool { kind.isGzipped }
}

/// Reads whole inputs into memory.
public enum InputReader {
    /// The document bytes of `source`: the whole file (or standard input) in one read sized by
    /// `fstat`, gunzipped when it starts with the gzip magic whatever its name.
    ///
    /// - Parameter maxDecompressedBytes: larger gzip output fails as `gzipCorrupt(.tooLarge)`.
    public static func read(_ source: InputSource, maxDecompressedBytes: Int = .max) -> Result<[UInt8], InputError> {
        load(source, maxDecompressedBytes: maxDecompressedBytes).map(\.bytes)
    }

    /// Like `read`, keeping whether the content was compressed.
    public static func load(_ source: InputSource, maxDecompressedBytes: Int = .max) -> Result<LoadedInput, InputError> {
        let raw: [UInt8]
        let stamp: FileStamp?
        switch readStamped(source, limit: maxDecompressedBytes) {
        case .success(let read): (raw, stamp) = read
        case .failure(let error): return .failure(error)
        }
        let kind = source.kind.sniffed(content: raw)
        guard kind.isGzipped else {
            return .success(LoadedInput(source: source, bytes: raw, kind: kind.refined(content: raw), stamp: stamp))
        }
        switch Gzip.decompress(raw, maxOutputBytes: maxDecompressedBytes) {
        case .success(let bytes):
            return .success(LoadedInput(source: source, bytes: bytes, kind: kind.refined(content: bytes), stamp: stamp))
        case .failure(let error):
            return .failure(InputError(path: source.displayName, reason: .gzipCorrupt(error)))
        }
    }

    /// The bytes exactly as stored, without decompression; more than `limit` of them fail as `tooLarge`.
    public static func readRaw(_ source: InputSource, limit: Int = .max) -> Result<[UInt8], InputError> {
        readStamped(source, limit: limit).map(\.bytes)
    }

    /// The stored bytes and, for a regular file, its stamp taken from the descriptor they were read through.
    static func readStamped(_ source: InputSource, limit: Int) -> Result<(bytes: [UInt8], stamp: FileStamp?), InputError> {
        let opened = open(source)
        guard case .success(let fd) = opened else { return opened.map { _ in ([], nil) } }
        defer { if fd != FileSystem.standardInput { FileSystem.closeFile(fd) } }
        var sizeHint = 0
        var stamp: FileStamp?
        if case .success(let status) = FileSystem.status(fd: fd) {
            if status.isDirectory { return .failure(InputError(path: source.displayName, reason: .isDirectory)) }
            if status.isRegularFile { sizeHint = status.size; stamp = status.stamp }
        }
        // The stamp is taken again after the read: a file that grew or changed while it was read then carries a
        // stamp that matches neither state, and a fix of it is refused before the rename.
        return FileSystem.readAll(fd: fd, sizeHint: sizeHint, limit: limit).map { bytes in
            guard stamp != nil, case .success(let after) = FileSystem.status(fd: fd) else { return (bytes, stamp) }
            var read = after.stamp
            if read.size != bytes.count || after.stamp != stamp { read.size = -1 }
            return (bytes, read)
        }.mapError {
            $0.code == FileSystem.tooLarge ? InputError(path: source.displayName, reason: .tooLarge(limit: limit))
                : InputError.from(errno: $0.code, path: source.displayName)
        }
    }

    /// Opens the source for reading; standard input is fd 0 and must not be closed.
    static func open(_ source: InputSource) -> Result<Int32, InputError> {
        switch source.location {
        case .standardInput:
            return .success(FileSystem.standardInput)
        case .file(let path):
            return FileSystem.openForReading(path).mapError { InputError.from(errno: $0.code, path: source.displayName) }
        }
    }
}

extension InputSource {
    /// The size in bytes of a regular file as stored (compressed, for gzip); nil for standard input, anything
    /// that is not a regular file, and a file that cannot be examined.
    public var regularFileSize: Int? {
        guard let path = absolutePath, case .success(let status) = FileSystem.status(path), status.isRegularFile else { return nil }
        return status.size
    }
}
