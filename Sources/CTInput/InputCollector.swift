/// Turns command-line operands (paths, `-` for standard input) into an ordered input list.
///
/// - A file operand is taken whatever its extension; its kind comes from the name (JSON if unknown)
///   or `formatOverride`.
/// - A directory is walked recursively. Entries are visited in byte-wise order of their names at each
///   level (so `a/…` comes before `a.json`); only `*.json`, `*.json.gz`, `*.jsonl`, `*.jsonl.gz`,
///   `*.ndjson`, `*.ndjson.gz`, `*.md` and `*.markdown` files are taken; names starting with `.` are
///   skipped. Symbolic links are followed, each directory at most once (no loops, no duplicates).
/// - Missing or unreadable paths become `InputError` values in place, in operand order.
public struct InputCollector: Sendable {
    /// `--input-format`: forces the format of every input (compression is still sniffed).
    public var formatOverride: InputKind.Format?
    /// Directory that relative operands are resolved against (absolute path). Defaults to the
    /// process's current directory.
    public var currentDirectory: String

    public init(formatOverride: InputKind.Format? = nil, currentDirectory: String? = nil) {
        self.formatOverride = formatOverride
        self.currentDirectory = currentDirectory ?? FileSystem.currentDirectory() ?? "/"
    }

    /// The inputs named by `operands`, in order; directories expanded in place.
    public func collect(_ operands: [String]) -> [Result<InputSource, InputError>] {
        var results: [Result<InputSource, InputError>] = []
        var visited: Set<FileSystem.FileIdentity> = []
        for operand in operands {
            collect(operand: operand, into: &results, visited: &visited)
        }
        return results
    }

    private func collect(operand: String, into results: inout [Result<InputSource, InputError>],
                         visited: inout Set<FileSystem.FileIdentity>) {
        if operand == "-" {
            results.append(.success(.standardInput(format: formatOverride)))
            return
        }
        let absolute = InputCollector.absolutePath(operand, relativeTo: currentDirectory)
        switch FileSystem.status(absolute) {
        case .failure(let error):
            results.append(.failure(.from(errno: error.code, path: operand)))
        case .success(let status) where status.isDirectory:
            if let code = FileSystem.readabilityError(absolute) {
                results.append(.failure(.from(errno: code, path: operand)))
                return
            }
            visited.insert(status.identity)
            walk(directory: absolute, display: InputCollector.displayPrefix(for: operand),
                 into: &results, visited: &visited)
        case .success:
            results.append(fileSource(absolute: absolute, display: operand))
        }
    }

    private func fileSource(absolute: String, display: String) -> Result<InputSource, InputError> {
        if let code = FileSystem.readabilityError(absolute) {
            return .failure(.from(errno: code, path: display))
        }
        let kind = InputKind.detect(fileName: display, override: formatOverride)
        return .success(InputSource(displayName: display, location: .file(absolutePath: absolute), kind: kind))
    }

    /// Depth-first walk; `display` is the prefix for display names ("" or ending in "/").
    private func walk(directory: String, display: String, into results: inout [Result<InputSource, InputError>],
                      visited: inout Set<FileSystem.FileIdentity>) {
        let entries: [FileSystem.Entry]
        switch FileSystem.directoryEntries(directory) {
        case .success(let found): entries = found
        case .failure(let error):
            let shown = display.isEmpty ? "." : String(display.dropLast())
            results.append(.failure(.from(errno: error.code, path: shown)))
            return
        }
        let sorted = entries.sorted { $0.rawName.lexicographicallyPrecedes($1.rawName) }
        for entry in sorted {
            if entry.rawName.first == 0x2E { continue }  // hidden
            guard let name = entry.name else {
                let shown = display + String(decoding: entry.rawName, as: UTF8.self)
                results.append(.failure(InputError(path: shown, reason: .invalidFileName)))
                continue
            }
            let childPath = directory.hasSuffix("/") ? directory + name : directory + "/" + name
            let childDisplay = display + name
            var isDirectory = entry.isDirectoryHint
            var identity: FileSystem.FileIdentity?
            if isDirectory != false {
                switch FileSystem.status(childPath) {
                case .success(let status):
                    isDirectory = status.isDirectory
                    identity = status.identity
                case .failure(let error):
                    // A dangling link: report it only if it would have been taken.
                    if InputKind.isCollectedInDirectories(fileName: name) {
                        results.append(.failure(.from(errno: error.code, path: childDisplay)))
                    }
                    continue
                }
            }
            if isDirectory == true, let identity {
                guard visited.insert(identity).inserted else { continue }
                walk(directory: childPath, display: childDisplay + "/", into: &results, visited: &visited)
            } else if InputKind.isCollectedInDirectories(fileName: name) {
                results.append(fileSource(absolute: childPath, display: childDisplay))
            }
        }
    }

    /// The display-name prefix for files under a directory operand: the operand with one trailing
    /// `/`, or nothing for `.`.
    static func displayPrefix(for operand: String) -> String {
        var trimmed = Substring(operand)
        while trimmed.count > 1 && trimmed.hasSuffix("/") { trimmed = trimmed.dropLast() }
        if trimmed == "." { return "" }
        if trimmed == "/" { return "/" }
        return trimmed + "/"
    }

    /// `path` made absolute against `base`, with empty and `.` segments removed (`..` is kept,
    /// since resolving it lexically is wrong across symbolic links).
    static func absolutePath(_ path: String, relativeTo base: String) -> String {
        let joined = path.hasPrefix("/") ? path : base + "/" + path
        let segments = joined.split(separator: "/", omittingEmptySubsequences: true).filter { $0 != "." }
        return "/" + segments.joined(separator: "/")
    }
}
