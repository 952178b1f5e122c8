#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A glob of the configuration file (`exclude`, `input-format`, `overrides[].files`, `suppress[].files`), matched
/// against a path relative to the configuration file's directory, segment by segment with `fnmatch(3)`:
/// - `*`, `?` and `[…]` stay within one segment; a segment `**` stands for any number of segments;
/// - a glob without `/` names an entry at any depth (`node_modules`, `*.md`), as in `.gitignore`;
/// - a glob matches what it names and everything below it (`fixtures` and `fixtures/` cover `fixtures/a.json`).
package struct PathGlob: Sendable, Hashable, CustomStringConvertible {
    /// The glob as written.
    package let text: String
    private let segments: [String]
    private let anchored: Bool

    /// Nil for a glob that is empty, or hostile: more than 4 `**` segments or a segment with more than 16 `*`
    /// (matching backtracks over each, as in `GitIgnore`).
    package init?(_ text: String) {
        var body = Substring(text)
        while body.hasPrefix("./") { body = body.dropFirst(2) }
        while body.count > 1 && body.hasSuffix("/") { body = body.dropLast() }
        let anchored = body.contains("/")
        while body.first == "/" { body = body.dropFirst() }
        guard !body.isEmpty else { return nil }
        var parts = body.split(separator: "/").map(String.init)
        parts = parts.enumerated().filter { $0.offset == 0 || $0.element != "**" || parts[$0.offset - 1] != "**" }.map(\.element)
        guard parts.filter({ $0 == "**" }).count <= 4, !parts.contains(where: { $0.filter { $0 == "*" }.count > 16 }) else {
            return nil
        }
        self.text = text
        segments = parts
        self.anchored = anchored
    }

    package var description: String { text }

    /// Whether the glob covers `relativePath` (segments separated by `/`, no leading `/`).
    package func matches(_ relativePath: String) -> Bool {
        matches(segments: relativePath.split(separator: "/").map(String.init))
    }

    /// Whether the glob covers the path of `pathSegments`: the path itself or one of its ancestors.
    package func matches(segments pathSegments: [String]) -> Bool {
        guard !pathSegments.isEmpty else { return false }
        if !anchored {
            return pathSegments.contains { fnmatch(segments[0], $0, 0) == 0 }
        }
        for end in stride(from: pathSegments.count, through: 1, by: -1)
        where GitIgnore.match(segments[...], pathSegments[..<end]) {
            return true
        }
        return false
    }

    /// `path` (absolute) relative to `directory` (absolute), or nil when it is not below it.
    package static func relative(_ path: String, to directory: String) -> String? {
        let base = directory.hasSuffix("/") ? directory : directory + "/"
        guard path.hasPrefix(base) else { return nil }
        let rest = String(path.dropFirst(base.count))
        return rest.isEmpty ? nil : rest
    }
}
