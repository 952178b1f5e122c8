import CTInput
import CTLint
import CTTestSupport
import Foundation

/// Captures what a command writes.
final class TestConsole: Console, @unchecked Sendable {
    var stdout = ""
    var stderr = ""
    var stdoutBytes: [UInt8] = []
    /// Standard output and standard error as one terminal would show them, in the order they were written.
    var screen = ""
    var stdin: [UInt8]?
    var env: [String: String]
    var isTerminal = false
    var isErrorTerminal = false
    var terminalWidth: Int?
    var errorTerminalWidth: Int?
    /// The progress line's clock: it moves only as a test says (no ticker thread is started for a test console).
    let clock = TestClock()
    var progressClock: (@Sendable () -> Double)? { { [clock] in clock.read() } }
    /// Set to make every write to standard output fail, as on a full disk.
    var failingOutput: String?
    var outputFailure: String?

    init(stdin: [UInt8]? = [], env: [String: String] = [:]) {
        self.stdin = stdin
        self.env = env
    }

    func out(_ s: String) { if let f = failingOutput { outputFailure = f } else { stdout += s; screen += s } }
    func err(_ s: String) { stderr += s; screen += s }
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

/// A clock for the progress line: it reads `seconds`, then moves on by `step` (a run of a few small files then
/// takes as long as a test needs, without sleeping).
final class TestClock: @unchecked Sendable {
    private let lock = NSLock()
    private var now = 0.0
    private var stepBy = 0.0

    var seconds: Double {
        get { lock.withLock { now } }
        set { lock.withLock { now = newValue } }
    }

    var step: Double {
        get { lock.withLock { stepBy } }
        set { lock.withLock { stepBy = newValue } }
    }

    func read() -> Double {
        lock.withLock {
            defer { now += stepBy }
            return now
        }
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
