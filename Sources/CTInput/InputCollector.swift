#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Turns command-line operands (paths, `-` for standard input) into an ordered input list.
///
/// - A file operand is taken whatever its extension; its kind comes from the name (JSON if unknown)
///   or `formatOverride`.
/// - A directory is walked recursively. Entries are visited in byte-wise order of their names at each
///   level (so `a/…` comes before `a.json`); only `*.json`, `*.json.gz`, `*.jsonl`, `*.jsonl.gz`,
///   `*.ndjson`, `*.ndjson.gz`, `*.md` and `*.markdown` files are taken; names starting with `.` are
///   skipped. Symbolic links inside a directory are not followed (they could lead out of the tree, to a
///   secret or to files `fix` must not rewrite) unless `followSymlinks` is set; then each directory and file is
///   taken at most once (no loops, no duplicates). Anything that is not a regular file or a directory (a FIFO,
///   a socket, a device) is skipped in a walk: reading it could block forever.
/// - An operand is taken as named: a symbolic link is followed, and a FIFO or `/dev/fd/N` is read as a stream.
/// - Missing or unreadable paths become `InputError` values in place, in operand order.
package struct InputCollector: Sendable {
    /// An entry a directory walk passed over, and why (shown with `--verbose`).
    package struct Skipped: Sendable, Hashable {
        package var path: String
        package var reason: String

        package init(path: String, reason: String) {
            self.path = path
            self.reason = reason
        }
    }

    /// `--input-format`: forces the format of every input (compression is still sniffed).
    package var formatOverride: InputKind.Format?
    /// `--follow-symlinks`: walks follow symbolic links to files and directories.
    package var followSymlinks = false
    /// Directory that relative operands are resolved against (absolute path). Defaults to the
    /// process's current directory.
    package var currentDirectory: String
    /// Globs (`fnmatch(3)`) of what directory walks pass over: a pattern without `/` is matched against each entry's
    /// name, one with `/` against its path as shown (relative to the current directory, or as the operand was
    /// written). A matching directory is not entered. A file named as an operand is always taken.
    package var excludes: [String] = InputCollector.defaultExcludes
    /// `--stdin-filename`: the name standard input is reported, detected and checked under.
    package var standardInputName: String?
    /// The configuration's `exclude` for an entry of a walk (its absolute path): the glob that excludes it, if any.
    package var configuredExclusion: (@Sendable (String) -> String?)?
    /// Walks pass over what git ignores (`.gitignore`, `.git/info/exclude`, the global excludes file); a file named
    /// as an operand is taken all the same (`--no-respect-gitignore` turns it off).
    package var respectGitignore = true

    /// What walks pass over unless `--exclude` says otherwise (`--extend-exclude` adds to it): other tools' package
    /// and build folders, full of JSON that is not CloudTrail. Hidden entries (`.git`, `.venv`) are skipped anyway.
    package static let defaultExcludes = ["node_modules", "__pypackages__", "site-packages", "buck-out", "bower_components"]

    /// The first pattern of `excludes` that `name` (at `path`, as shown) matches.
    package func exclusion(name: String, path: String) -> String? {
        for pattern in excludes {
            let subject = pattern.contains("/") ? path : name
            if fnmatch(pattern, subject, 0) == 0 { return pattern }
            // `dir/**` and `dir/` also name everything below `dir`.
            if pattern.hasSuffix("/**") || pattern.hasSuffix("/") {
                let stem = String(pattern.hasSuffix("/**") ? pattern.dropLast(3) : pattern.dropLast())
                if fnmatch(stem, stem.contains("/") ? path : name, 0) == 0 { return pattern }
            }
        }
        return nil
    }

    package init(formatOverride: InputKind.Format? = nil, currentDirectory: String? = nil, followSymlinks: Bool = false) {
        self.formatOverride = formatOverride
        self.currentDirectory = currentDirectory ?? FileSystem.currentDirectory() ?? "/"
        self.followSymlinks = followSymlinks
    }

    /// The inputs named by `operands`, in order; directories expanded in place.
    package func collect(_ operands: [String]) -> [Result<InputSource, InputError>] {
        var skipped: [Skipped] = []
        return collect(operands, skipped: &skipped)
    }

    /// The inputs named by `operands`, and in `skipped` what the walks passed over.
    package func collect(_ operands: [String], skipped: inout [Skipped]) -> [Result<InputSource, InputError>] {
        var walk = Walk()
        for operand in operands {
            collect(operand: operand, into: &walk)
        }
        skipped += walk.skipped
        return walk.results
    }

    /// The state of one collection: results in order, what was passed over, and the directories and (when
    /// following links) files already taken.
    private struct Walk {
        var results: [Result<InputSource, InputError>] = []
        var skipped: [Skipped] = []
        var visited: Set<FileSystem.FileIdentity> = []
        var files: Set<FileSystem.FileIdentity> = []
    }

    private func collect(operand: String, into walk: inout Walk) {
        if operand == "-" {
            walk.results.append(.success(.standardInput(format: formatOverride, name: standardInputName,
                                                        path: standardInputName.map { InputCollector.absolutePath($0, relativeTo: currentDirectory) })))
            return
        }
        let absolute = InputCollector.absolutePath(operand, relativeTo: currentDirectory)
        switch FileSystem.status(absolute) {
        case .failure(let error):
            walk.results.append(.failure(.from(errno: error.code, path: operand)))
        case .success(let status) where status.isDirectory:
            if let code = FileSystem.readabilityError(absolute) {
                walk.results.append(.failure(.from(errno: code, path: operand)))
                return
            }
            walk.visited.insert(status.identity)
            self.walk(directory: absolute, display: InputCollector.displayPrefix(for: operand),
                      ignore: respectGitignore ? GitIgnore.start(at: absolute) : nil, into: &walk)
        case .success:
            walk.results.append(fileSource(absolute: absolute, display: operand))
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
    private func walk(directory: String, display: String, ignore: GitIgnore?, into walk: inout Walk) {
        let entries: [FileSystem.Entry]
        switch FileSystem.directoryEntries(directory) {
        case .success(let found): entries = found
        case .failure(let error):
            let shown = display.isEmpty ? "." : String(display.dropLast())
            walk.results.append(.failure(.from(errno: error.code, path: shown)))
            return
        }
        let sorted = entries.sorted { $0.rawName.lexicographicallyPrecedes($1.rawName) }
        for entry in sorted {
            if entry.rawName.first == 0x2E { continue }  // hidden
            let name = entry.name
            let childPath = directory.hasSuffix("/") ? directory + name : directory + "/" + name
            let childDisplay = display + name
            if !excludes.isEmpty, let pattern = exclusion(name: name, path: childDisplay) {
                walk.skipped.append(Skipped(path: childDisplay, reason: "excluded by `\(pattern)`"))
                continue
            }
            if let configuredExclusion, let pattern = configuredExclusion(childPath) {
                walk.skipped.append(Skipped(path: childDisplay, reason: "excluded by `\(pattern)` in the configuration"))
                continue
            }
            // A regular file by `d_type` (never a link) needs no system call unless files are deduplicated.
            /// Whether git ignores the entry (then noted as passed over).
            func ignored(isDirectory: Bool) -> Bool {
                guard let ignore, ignore.ignores(childPath, isDirectory: isDirectory) else { return false }
                walk.skipped.append(Skipped(path: childDisplay, reason: "ignored by git (--no-respect-gitignore takes it)"))
                return true
            }
            if entry.isDirectoryHint == false && !followSymlinks {
                if InputKind.isCollectedInDirectories(fileName: name) && !ignored(isDirectory: false) {
                    walk.results.append(fileSource(absolute: childPath, display: childDisplay))
                }
                continue
            }
            /// The status, or nil after reporting the failure where the entry would have been taken (a dangling link).
            func examine(_ found: Result<FileSystem.Status, FileSystem.SystemError>) -> FileSystem.Status? {
                switch found {
                case .success(let status): return status
                case .failure(let error):
                    if InputKind.isCollectedInDirectories(fileName: name) {
                        walk.results.append(.failure(.from(errno: error.code, path: childDisplay)))
                    }
                    return nil
                }
            }
            // `lstat` first: a link is followed only on request, and never counted as what it points to.
            guard let status = examine(FileSystem.linkStatus(childPath)) else { continue }
            var target = status
            if status.isSymbolicLink {
                guard followSymlinks else {
                    walk.skipped.append(Skipped(path: childDisplay, reason: "a symbolic link (--follow-symlinks follows it)"))
                    continue
                }
                guard let found = examine(FileSystem.status(childPath)) else { continue }
                target = found
            }
            if ignored(isDirectory: target.isDirectory) { continue }
            if target.isDirectory {
                guard walk.visited.insert(target.identity).inserted else {
                    walk.skipped.append(Skipped(path: childDisplay, reason: "a directory already walked"))
                    continue
                }
                var deeper = ignore
                deeper?.enter(childPath)
                self.walk(directory: childPath, display: childDisplay + "/", ignore: deeper, into: &walk)
            } else if InputKind.isCollectedInDirectories(fileName: name) {
                guard target.isRegularFile else {
                    walk.skipped.append(Skipped(path: childDisplay, reason: "not a regular file (a FIFO, socket or device could block)"))
                    continue
                }
                if followSymlinks && !walk.files.insert(target.identity).inserted {
                    walk.skipped.append(Skipped(path: childDisplay, reason: "a file already taken"))
                    continue
                }
                walk.results.append(fileSource(absolute: childPath, display: childDisplay))
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
    package static func absolutePath(_ path: String, relativeTo base: String) -> String {
        let joined = path.hasPrefix("/") ? path : base + "/" + path
        let segments = joined.split(separator: "/", omittingEmptySubsequences: true).filter { $0 != "." }
        return "/" + segments.joined(separator: "/")
    }
}
