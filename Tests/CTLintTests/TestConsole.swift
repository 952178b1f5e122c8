import CTInput
import CTLint
import CTTestSupport
import Foundation

/// Captures what a command writes.
final class TestConsole: Console, @unchecked Sendable {
    var stdout = ""
    var stderr = ""
    var stdoutBytes: [UInt8] = []
    var stdin: [UInt8]?
    var env: [String: String]
    let isTerminal = false
    /// Set to make every write to standard output fail, as on a full disk.
    var failingOutput: String?
    var outputFailure: String?

    init(stdin: [UInt8]? = [], env: [String: String] = [:]) {
        self.stdin = stdin
        self.env = env
    }

    func out(_ s: String) { if let f = failingOutput { outputFailure = f } else { stdout += s } }
    func err(_ s: String) { stderr += s }
    func environment(_ name: String) -> String? { env[name] }
    /// `stdin: nil` is a closed standard input.
    func readStandardInput(limit: Int) -> Result<[UInt8], InputError> {
        guard let stdin else { return .failure(InputError(path: "<stdin>", reason: .closedStandardInput)) }
        return stdin.count > limit ? .failure(InputError(path: "<stdin>", reason: .tooLarge(limit: limit))) : .success(stdin)
    }
    func writeStandardOutput(_ bytes: [UInt8]) { if let f = failingOutput { outputFailure = f } else { stdoutBytes += bytes } }
    func finishOutput() -> String? { outputFailure }

    /// Runs the CLI and returns its exit status.
    static func run(_ args: [String], stdin: [UInt8]? = [], env: [String: String] = [:], failingOutput: String? = nil) -> (Int32, TestConsole) {
        let console = TestConsole(stdin: stdin, env: env)
        console.failingOutput = failingOutput
        let status = CLI.run(args, console: console)
        return (status, console)
    }
}

enum Repo {
    static let root = SharedCorpus.repositoryRoot

    static func tempDirectory() -> URL {
        let url = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("ctlint-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// Removes a directory made by `tempDirectory()` (tests call it in a `defer`).
    static func remove(_ url: URL) {
        try? FileManager.default.removeItem(at: url)
    }
}
