import Foundation
import Testing

/// A fresh temporary directory, removed when the value is dropped via `remove()`.
struct TemporaryDirectory {
    let path: String

    init() throws {
        let base = FileManager.default.temporaryDirectory.path
        path = base + "/ctinput-tests-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    func remove() { try? FileManager.default.removeItem(atPath: path) }

    /// Writes `bytes` at `relative` (creating folders) and returns the absolute path.
    @discardableResult
    func write(_ relative: String, _ bytes: [UInt8]) throws -> String {
        let full = path + "/" + relative
        let folder = (full as NSString).deletingLastPathComponent
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        try Data(bytes).write(to: URL(fileURLWithPath: full))
        return full
    }

    @discardableResult
    func write(_ relative: String, _ text: String) throws -> String { try write(relative, Array(text.utf8)) }

    func makeDirectory(_ relative: String) throws {
        try FileManager.default.createDirectory(atPath: path + "/" + relative, withIntermediateDirectories: true)
    }

    func symlink(_ relative: String, to destination: String) throws {
        try FileManager.default.createSymbolicLink(atPath: path + "/" + relative, withDestinationPath: destination)
    }
}

enum GzipTool {
    /// Compresses `bytes` with `/bin/gzip -c -n` (one member).
    static func compress(_ bytes: [UInt8], level: Int = 6) throws -> [UInt8] {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let input = try directory.write("in", bytes)
        let outputPath = directory.path + "/out.gz"
        _ = FileManager.default.createFile(atPath: outputPath, contents: nil)
        let output = try FileHandle(forWritingTo: URL(fileURLWithPath: outputPath))
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/gzip")
        process.arguments = ["-c", "-n", "-\(level)", input]
        process.standardOutput = output
        try process.run()
        process.waitUntilExit()
        try output.close()
        #expect(process.terminationStatus == 0)
        return [UInt8](try Data(contentsOf: URL(fileURLWithPath: outputPath)))
    }

    /// Decompresses `bytes` with `/bin/gzip -d -c`.
    static func decompress(_ bytes: [UInt8]) throws -> [UInt8] {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let input = try directory.write("in.gz", bytes)
        let pipe = Pipe()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/gzip")
        process.arguments = ["-d", "-c", input]
        process.standardOutput = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        return [UInt8](data)
    }

    static var isAvailable: Bool { FileManager.default.isExecutableFile(atPath: "/bin/gzip") }
}

/// Deterministic pseudo-random JSON-ish text of about `count` bytes (compresses like real logs).
func sampleText(lines: Int, seed: UInt64 = 42) -> [UInt8] {
    var state = seed
    var out: [UInt8] = []
    let words = ["eventName", "GetObject", "us-east-1", "\"Records\"", "arn:aws:s3:::bucket", "12345"]
    for line in 0..<lines {
        out.append(contentsOf: Array("{\"n\":\(line),\"w\":\"".utf8))
        for _ in 0..<(Int(state % 9) + 1) {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            out.append(contentsOf: Array(words[Int(state >> 33) % words.count].utf8))
        }
        out.append(contentsOf: Array("\"}\n".utf8))
    }
    return out
}

var isRunningAsRoot: Bool { getuid() == 0 }
