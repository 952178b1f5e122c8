import Foundation

/// Locates `../shared` beside the repository (present in CI and development, absent in a user's clone).
enum SharedCorpus {
    static let root: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("shared")

    static func directory(_ relative: String) -> URL? {
        let url = root.appendingPathComponent(relative)
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDir), isDir.boolValue else {
            print("skipping: \(url.path) is absent (../shared is only beside the repository in CI and development)")
            return nil
        }
        return url
    }

    static func files(_ relative: String) -> [URL] {
        guard let dir = directory(relative),
              let names = try? FileManager.default.contentsOfDirectory(atPath: dir.path) else { return [] }
        return names.sorted().map { dir.appendingPathComponent($0) }
    }
}
