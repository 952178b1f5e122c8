import Foundation

/// Locates the repository and `../shared` beside it (present in CI and development, absent in a user's clone).
/// Tests that need `../shared` call `directory(_:)` or `files(_:)`, which print a skip message when it is absent.
public enum SharedCorpus {
    /// The repository root (three levels above this file).
    public static let repositoryRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// `../shared`, beside the repository.
    public static let root: URL = repositoryRoot.deletingLastPathComponent().appendingPathComponent("shared")

    /// `shared/<relative>` when it exists (file or directory), else nil.
    public static func path(_ relative: String) -> URL? {
        let url = root.appendingPathComponent(relative)
        return FileManager.default.fileExists(atPath: url.path) ? url : nil
    }

    /// The directory `shared/<relative>`, or nil after printing why the caller skips.
    public static func directory(_ relative: String) -> URL? {
        let url = root.appendingPathComponent(relative)
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDir), isDir.boolValue else {
            print("skipping: \(url.path) is absent (../shared is only beside the repository in CI and development)")
            return nil
        }
        return url
    }

    /// The entries of `shared/<relative>`, sorted; empty (after a skip message) when absent.
    public static func files(_ relative: String) -> [URL] {
        guard let dir = directory(relative),
              let names = try? FileManager.default.contentsOfDirectory(atPath: dir.path) else { return [] }
        return names.sorted().map { dir.appendingPathComponent($0) }
    }
}
