/// The bytes of one input, decompressed, with what was learned while reading them.
public struct LoadedInput: Sendable {
    public var source: InputSource
    /// The document bytes (after gunzip when the content was gzip).
    public var bytes: [UInt8]
    /// The source's kind with `isGzipped` set from the content's magic bytes.
    public var kind: InputKind

    public init(source: InputSource, bytes: [UInt8], kind: InputKind) {
        self.source = source
        self.bytes = bytes
        self.kind = kind
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
        switch readRaw(source) {
        case .success(let bytes): raw = bytes
        case .failure(let error): return .failure(error)
        }
        let kind = source.kind.sniffed(content: raw)
        guard kind.isGzipped else { return .success(LoadedInput(source: source, bytes: raw, kind: kind.refined(content: raw))) }
        switch Gzip.decompress(raw, maxOutputBytes: maxDecompressedBytes) {
        case .success(let bytes):
            return .success(LoadedInput(source: source, bytes: bytes, kind: kind.refined(content: bytes)))
        case .failure(let error):
            return .failure(InputError(path: source.displayName, reason: .gzipCorrupt(error)))
        }
    }

    /// The bytes exactly as stored, without decompression.
    public static func readRaw(_ source: InputSource) -> Result<[UInt8], InputError> {
        let opened = open(source)
        guard case .success(let fd) = opened else { return opened.map { _ in [] } }
        defer { if fd != FileSystem.standardInput { FileSystem.closeFile(fd) } }
        var sizeHint = 0
        if case .success(let status) = FileSystem.status(fd: fd) {
            if status.isDirectory { return .failure(InputError(path: source.displayName, reason: .isDirectory)) }
            if status.isRegularFile { sizeHint = status.size }
        }
        return FileSystem.readAll(fd: fd, sizeHint: sizeHint)
            .mapError { InputError.from(errno: $0.code, path: source.displayName) }
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
