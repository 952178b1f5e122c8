import CTCore

/// One input to lint: a file or standard input.
package struct InputSource: Sendable, Hashable, CustomStringConvertible {
    /// Where the bytes live.
    package enum Location: Sendable, Hashable {
        /// A file; the path is absolute and lexically normalised (`.` segments and doubled `/` removed).
        case file(absolutePath: String)
        case standardInput
    }

    /// Name used in reports: the operand as given, or the operand joined with the path relative to it
    /// (`logs/2024/a.json`); `<stdin>` for standard input.
    package var displayName: String
    package var location: Location
    /// The kind announced by the name (or the `--input-format` override); gzip is re-detected from
    /// the content when reading.
    package var kind: InputKind
    /// Standard input given a file's name (`--stdin-filename`), as an absolute path: it then gets the file-name
    /// checks a file of that name gets.
    package var standardInputPath: String?

    package init(displayName: String, location: Location, kind: InputKind) {
        self.displayName = displayName
        self.location = location
        self.kind = kind
    }

    /// Standard input, JSON unless `format` says otherwise. With `name` (`--stdin-filename`; `path`: it made
    /// absolute), it is reported under that name, its format is what the name says (unless `format` says
    /// otherwise), and the file-name checks read the name.
    package static func standardInput(format: InputKind.Format? = nil, name: String? = nil, path: String? = nil) -> InputSource {
        guard let name else {
            return InputSource(displayName: "<stdin>", location: .standardInput, kind: InputKind(format: format ?? .json, formatFromContent: format == nil))
        }
        var source = InputSource(displayName: name, location: .standardInput, kind: InputKind.detect(fileName: name, override: format))
        source.standardInputPath = path ?? name
        return source
    }

    /// The absolute path to write fixes back to; nil for standard input.
    package var absolutePath: String? {
        if case .file(let path) = location { return path }
        return nil
    }

    /// The path the file-name checks read (`file-location`, the delivery kind): the file's, or the name given to
    /// standard input.
    package var checkedPath: String? { absolutePath ?? standardInputPath }

    package var description: String { displayName }
}

/// An input that could not be found or read. A value in the input list, not a thrown error, so
/// one bad operand does not stop the others.
public struct InputError: Error, Sendable, Hashable, CustomStringConvertible {
    package enum Reason: Sendable, Hashable {
        /// The path does not exist (or is a broken symbolic link).
        case notFound
        /// The file or directory exists but may not be read.
        case permissionDenied
        /// A directory where a file was needed.
        case isDirectory
        /// Any other operating-system failure, with its `errno`.
        case system(errno: Int32)
        /// The content starts like gzip but does not decompress; reported as rule `gzip-corrupt`.
        case gzipCorrupt(GzipError)
        /// The input holds more than `limit` bytes, the most one document may take in memory (`--max-decompressed-size`).
        case tooLarge(limit: Int)
        /// Standard input was named (`-`) but is closed.
        case closedStandardInput
    }

    /// The path as shown to the user (display name), or `<stdin>`.
    package var path: String
    package var reason: Reason

    package init(path: String, reason: Reason) {
        self.path = path
        self.reason = reason
    }

    /// The rule id for reporting: `gzip-corrupt` for broken gzip, else `read-error`.
    package var ruleID: RuleID {
        if case .gzipCorrupt = reason { return .gzipCorrupt }
        return .readError
    }

    /// The gzip failure, when that is the reason.
    package var gzipError: GzipError? {
        if case .gzipCorrupt(let error) = reason { return error }
        return nil
    }

    /// A one-line human message, without the path.
    package var message: String {
        switch reason {
        case .notFound: return "no such file or directory"
        case .permissionDenied: return "permission denied"
        case .isDirectory: return "is a directory"
        case .system(let code): return FileSystem.message(for: code).lowercased()
        case .gzipCorrupt(let error): return "gzip data is corrupt: \(error)"
        case .tooLarge(let limit):
            return "not checked: larger than \(InputError.sizeText(limit)), the limit of --max-decompressed-size for one document"
        case .closedStandardInput: return "standard input is closed"
        }
    }

    public var description: String { "\(path): \(message)" }

    /// `4 GiB`, `512 MiB`, `100 KiB` or bytes.
    package static func sizeText(_ bytes: Int) -> String {
        for (unit, size) in [("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)] where bytes >= size && bytes % size == 0 {
            return "\(bytes / size) \(unit)"
        }
        return "\(bytes) bytes"
    }

    static func from(errno code: Int32, path: String) -> InputError {
        switch code {
        case FileSystem.notFound: return InputError(path: path, reason: .notFound)
        case FileSystem.permissionDenied: return InputError(path: path, reason: .permissionDenied)
        case FileSystem.isDirectory: return InputError(path: path, reason: .isDirectory)
        default: return InputError(path: path, reason: .system(errno: code))
        }
    }
}
