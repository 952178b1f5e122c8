#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The ignore rules git applies to a directory walk: the `.gitignore` of each directory (and of the directories above
/// a walk's start, up to the repository's root), the repository's `.git/info/exclude`, and the user's global excludes
/// file (`$XDG_CONFIG_HOME/git/ignore`, else `~/.config/git/ignore`). A later rule wins over an earlier one, a deeper
/// file over a shallower one, and `!` re-includes.
///
/// Patterns follow gitignore(5): `#` comments and blank lines are skipped; a trailing `/` matches directories only; a
/// pattern with a `/` before its end is anchored to its file's directory, one without matches a name at any depth;
/// `**` matches any number of directories. Each path segment is matched by `fnmatch(3)`. Patterns that would make
/// matching backtrack without bound (more than 4 `**`, a segment with more than 16 `*`) are dropped.
package struct GitIgnore: Sendable {
    /// One file's rules, with the directory (absolute) they are relative to.
    struct RuleSet: Sendable {
        var base: String
        var rules: [Rule]
    }

    package struct Rule: Sendable, Hashable {
        package var segments: [String]
        package var negated: Bool
        package var directoryOnly: Bool
        /// Matched against the path relative to the base (else against the name only).
        package var anchored: Bool
    }

    /// The rule sets in force, shallowest first.
    private(set) var sets: [RuleSet] = []

    /// The rules of the walk that starts at `directory` (absolute): the global and repository excludes, and every
    /// `.gitignore` from the repository's root down to `directory`. Outside a repository: only `directory`'s own.
    package static func start(at directory: String) -> GitIgnore {
        var ignore = GitIgnore()
        var chain: [String] = []
        var d = directory
        var root: String?
        while true {
            chain.append(d)
            if case .success = FileSystem.linkStatus(join(d, ".git")) { root = d; break }
            guard let slash = d.lastIndex(of: "/"), d != "/" else { break }
            d = slash == d.startIndex ? "/" : String(d[..<slash])
        }
        if root == nil { chain = [directory] }
        if let global = globalExcludesFile(), let rules = read(global) { ignore.sets.append(RuleSet(base: root ?? directory, rules: rules)) }
        if let root, let rules = read(join(root, ".git/info/exclude")) { ignore.sets.append(RuleSet(base: root, rules: rules)) }
        for dir in chain.reversed() { ignore.enter(dir) }
        return ignore
    }

    /// Adds the rules of `directory`'s `.gitignore`, if it has one (a walk entering it).
    package mutating func enter(_ directory: String) {
        if let rules = Self.read(Self.join(directory, ".gitignore")) { sets.append(RuleSet(base: directory, rules: rules)) }
    }

    /// Whether the entry at `path` (absolute) is ignored; `isDirectory` for a directory.
    package func ignores(_ path: String, isDirectory: Bool) -> Bool {
        var ignored = false
        for set in sets {
            guard path.hasPrefix(set.base) else { continue }
            var relative = Substring(path.dropFirst(set.base.count))
            guard set.base.hasSuffix("/") || relative.first == "/" else { continue }
            while relative.first == "/" { relative = relative.dropFirst() }
            guard !relative.isEmpty else { continue }
            let segments = relative.split(separator: "/").map(String.init)
            for rule in set.rules where !rule.directoryOnly || isDirectory {
                let matched = rule.anchored ? Self.match(rule.segments[...], segments[...])
                    : segments.last.map { Self.match(rule.segments[...], [$0][...]) } ?? false
                if matched { ignored = !rule.negated }
            }
        }
        return ignored
    }

    /// Segment-wise match; `**` stands for any number of segments.
    package static func match(_ pattern: ArraySlice<String>, _ path: ArraySlice<String>) -> Bool {
        guard let head = pattern.first else { return path.isEmpty }
        if head == "**" {
            var rest = path
            while true {
                if match(pattern.dropFirst(), rest) { return true }
                guard !rest.isEmpty else { return false }
                rest = rest.dropFirst()
            }
        }
        guard let first = path.first, fnmatch(head, first, 0) == 0 else { return false }
        return match(pattern.dropFirst(), path.dropFirst())
    }

    /// The rules of one ignore file, or nil when it cannot be read.
    static func read(_ path: String) -> [Rule]? {
        guard case .success(let fd) = FileSystem.openForReading(path) else { return nil }
        defer { close(fd) }
        guard case .success(let bytes) = FileSystem.readAll(fd: fd, sizeHint: 4096, limit: 1 << 20) else { return nil }
        return parse(String(decoding: bytes, as: UTF8.self))
    }

    /// The rules of an ignore file's text.
    package static func parse(_ text: String) -> [Rule] {
        var rules: [Rule] = []
        for raw in text.split(omittingEmptySubsequences: true, whereSeparator: { $0 == "\n" || $0 == "\r\n" }) {
            var line = Substring(raw)
            if line.last == "\r" { line = line.dropLast() }
            // Trailing spaces are dropped unless escaped.
            while line.last == " " && !line.hasSuffix("\\ ") { line = line.dropLast() }
            guard !line.isEmpty, line.first != "#" else { continue }
            var negated = false
            if line.first == "!" { negated = true; line = line.dropFirst() }
            else if line.hasPrefix("\\!") || line.hasPrefix("\\#") { line = line.dropFirst() }
            var directoryOnly = false
            while line.last == "/" { directoryOnly = true; line = line.dropLast() }
            guard !line.isEmpty else { continue }
            let anchored = line.contains("/")
            while line.first == "/" { line = line.dropFirst() }
            var segments = line.split(separator: "/").map(String.init)
            // A name pattern (no `/`) matches at any depth.
            if !anchored { segments = [String(line)] }
            // Hostile patterns stay cheap: `**/**` is `**`, and a rule with more than 4 `**` or a segment with more
            // than 16 `*` is dropped (matching backtracks over each).
            segments = segments.enumerated().filter { $0.offset == 0 || $0.element != "**" || segments[$0.offset - 1] != "**" }.map(\.element)
            guard segments.filter({ $0 == "**" }).count <= 4, !segments.contains(where: { $0.filter { $0 == "*" }.count > 16 }) else { continue }
            rules.append(Rule(segments: segments, negated: negated, directoryOnly: directoryOnly, anchored: anchored))
        }
        return rules
    }

    static func globalExcludesFile() -> String? {
        if let xdg = getenv("XDG_CONFIG_HOME").map({ String(cString: $0) }), !xdg.isEmpty { return join(xdg, "git/ignore") }
        if let home = getenv("HOME").map({ String(cString: $0) }), !home.isEmpty { return join(home, ".config/git/ignore") }
        return nil
    }

    static func join(_ directory: String, _ name: String) -> String {
        directory.hasSuffix("/") ? directory + name : directory + "/" + name
    }
}
