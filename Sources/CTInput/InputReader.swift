/// The bytes of one input, decompressed, with what was learned while reading them.
package struct LoadedInput: Sendable {
    package var source: InputSource
    /// The document bytes (after gunzip when the content was gzip).
    package var bytes: [UInt8]
    /// The source's kind with `isGzipped` set from the content's magic bytes.
    package var kind: InputKind
    /// The file as it was read (nil for standard input and anything that is not a regular file).
    package var stamp: FileStamp?

    package init(source: InputSource, bytes: [UInt8], kind: InputKind, stamp: FileStamp? = nil) {
        self.source = source
        self.bytes = bytes
        self.kind = kind
        self.stamp = stamp
    }

    /// Whether the bytes on disk were gzip (so a fix written back should be compressed too).
    package var wasCompressed: Bool { kind.isGzipped }
}

/// Reads whole inputs into memory.
package enum InputReader {
    /// The document bytes of `source`: the whole file (or standard input) in one read sized by
    /// `fstat`, gunzipped when it starts with the gzip magic whatever its name.
    ///
    /// - Parameter maxDecompressedBytes: larger gzip output fails as `gzipCorrupt(.tooLarge)`.
    package static func read(_ source: InputSource, maxDecompressedBytes: Int = .max) -> Result<[UInt8], InputError> {
        load(source, maxDecompressedBytes: maxDecompressedBytes).map(\.bytes)
    }

    /// Like `read`, keeping whether the content was compressed.
    package static func load(_ source: InputSource, maxDecompressedBytes: Int = .max) -> Result<LoadedInput, InputError> {
        switch readStamped(source, limit: maxDecompressedBytes) {
        case .success(let read): return load(source, raw: read.bytes, stamp: read.stamp, maxDecompressedBytes: maxDecompressedBytes)
        case .failure(let error): return .failure(error)
        }
    }

    /// The document of bytes already read from `source` (standard input read by the caller): gunzipped when they
    /// start with the gzip magic, under the same limit as a file.
    package static func load(_ source: InputSource, raw: [UInt8], stamp: FileStamp? = nil,
                            maxDecompressedBytes: Int = .max) -> Result<LoadedInput, InputError> {
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
    package static func readRaw(_ source: InputSource, limit: Int = .max) -> Result<[UInt8], InputError> {
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
    package var regularFileSize: Int? {
        guard let path = absolutePath, case .success(let status) = FileSystem.status(path), status.isRegularFile else { return nil }
        return status.size
    }
}

/// One input ready to lint: its source (name, location, kind) and its content, read whole or left to be read
/// piece by piece by the linter, or why it could not be read.
package struct Document: Sendable {
    package enum Content: Sendable {
        /// Read whole (and gunzipped).
        case loaded(LoadedInput)
        /// To be read piece by piece (a large log file through a window, a JSON Lines file line by line).
        case streamed
        case unreadable(InputError)
    }

    package var source: InputSource
    package var content: Content
    /// Standard input's bytes as they came (compressed or not, readable or not), for a filter that passes on
    /// what it does not change.
    package var standardInputBytes: [UInt8]?

    package init(source: InputSource, content: Content) {
        self.source = source
        self.content = content
    }

    /// The document of an operand the collector could not list.
    package init(_ error: InputError) {
        self.init(source: InputSource(displayName: error.path, location: .standardInput, kind: InputKind(format: .json)),
                  content: .unreadable(error))
    }

    /// Opens `source` as a document. `standardInput`: the bytes read for `-` (or why they could not be). With
    /// `streaming`, a JSON Lines file, and a JSON file of at least `windowedFrom` bytes on disk, are left to be
    /// read piece by piece; everything else is read whole, under `maxDecompressedBytes`.
    package static func open(_ source: InputSource, standardInput: Result<[UInt8], InputError>? = nil, streaming: Bool,
                            windowedFrom: Int, maxDecompressedBytes: Int) -> Document {
        if case .standardInput = source.location, let standardInput {
            var document: Document
            switch standardInput.flatMap({ InputReader.load(source, raw: $0, maxDecompressedBytes: maxDecompressedBytes) }) {
            case .success(let loaded): document = Document(source: source, content: .loaded(loaded))
            case .failure(let error): document = Document(source: source, content: .unreadable(error))
            }
            document.standardInputBytes = try? standardInput.get()
            return document
        }
        if streaming, source.absolutePath != nil {
            if source.kind.format == .jsonLines { return Document(source: source, content: .streamed) }
            if source.kind.format == .json, let size = source.regularFileSize, size >= windowedFrom {
                return Document(source: source, content: .streamed)
            }
        }
        switch InputReader.load(source, maxDecompressedBytes: maxDecompressedBytes) {
        case .success(let loaded): return Document(source: source, content: .loaded(loaded))
        case .failure(let error): return Document(source: source, content: .unreadable(error))
        }
    }
}
