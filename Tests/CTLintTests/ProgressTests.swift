import CTLint
import CTTestSupport
import Foundation
import Testing

/// The progress line (issue 18): its timing driven by a clock the tests move, never by real time.
@Suite struct ProgressTests {
    /// A line on a test clock, and what it wrote.
    final class Drawn: @unchecked Sendable {
        let clock = TestClock()
        var written: [String] = []
        var width: Int?
        lazy var line = ProgressLine(after: 1, interval: 0.1, width: { [unowned self] in width }, now: { [clock] in clock.read() },
                                     write: { [unowned self] in written.append($0) })

        /// What was written since the last call.
        func take() -> [String] {
            defer { written = [] }
            return written
        }
    }

    static let clear = "\r\u{1B}[K"

    @Test func nothingIsDrawnBeforeASecondThenTheLineIs() {
        let d = Drawn()
        d.line.record(done: 0, total: 10, bytes: 0)
        d.clock.seconds = 0.5
        d.line.record(done: 1, total: 10, bytes: 2_500_000)
        d.clock.seconds = 0.99
        d.line.tick()
        #expect(d.take().isEmpty)
        d.clock.seconds = 1.0
        d.line.tick()
        #expect(d.take() == ["\r[1/10 files] 2.5 MB  2.5 MB/s  1.0 s\u{1B}[K"])
    }

    @Test func notBeforeTheInputsAreListed() {
        // Standard input may be typed in, and is read before the inputs are counted: nothing is drawn until then.
        let d = Drawn()
        d.line.tick()
        d.clock.seconds = 5
        d.line.tick()
        #expect(d.take().isEmpty)
        d.line.record(done: 0, total: 1, bytes: 0)
        #expect(d.take() == ["\r[0/1 file] 0 B  0.0 MB/s  5.0 s\u{1B}[K"])
    }

    @Test func redrawnAtMostTenTimesASecond() {
        let d = Drawn()
        d.line.record(done: 0, total: 3, bytes: 0)
        d.clock.seconds = 2
        d.line.tick()
        #expect(d.take().count == 1)
        d.clock.seconds = 2.05
        d.line.record(done: 1, total: 3, bytes: 10)
        d.line.tick()
        #expect(d.take().isEmpty)
        d.clock.seconds = 2.15
        d.line.tick()
        #expect(d.take() == ["\r[1/3 files] 10 B  0.0 MB/s  2.1 s\u{1B}[K"])
    }

    @Test func clearedAtTheEndAndNotDrawnAgain() {
        let d = Drawn()
        d.line.record(done: 0, total: 3, bytes: 0)
        d.clock.seconds = 1.5
        d.line.tick()
        _ = d.take()
        d.line.finish()
        #expect(d.take() == [Self.clear])
        d.clock.seconds = 9
        d.line.record(done: 3, total: 3, bytes: 10)
        d.line.tick()
        d.line.finish()
        #expect(d.take().isEmpty)
    }

    @Test func aQuickRunLeavesNoTrace() {
        let d = Drawn()
        d.line.record(done: 0, total: 3, bytes: 0)
        d.clock.seconds = 0.4
        d.line.record(done: 3, total: 3, bytes: 30)
        d.line.finish()
        #expect(d.take().isEmpty)
    }

    @Test func hiddenForAWriteAndBackAtTheNextDraw() {
        let d = Drawn()
        d.line.record(done: 0, total: 3, bytes: 0)
        d.clock.seconds = 1
        d.line.tick()
        _ = d.take()
        d.line.hidden { d.written.append("report\n") }
        #expect(d.take() == [Self.clear, "report\n"])
        // Off the screen already: a second write clears nothing.
        d.line.hidden { d.written.append("more\n") }
        #expect(d.take() == ["more\n"])
        d.clock.seconds = 1.2
        d.line.tick()
        #expect(d.take().first?.hasPrefix("\r[0/3 files]") == true)
    }

    @Test func fitsTheTerminal() {
        let d = Drawn()
        d.width = 20
        d.line.record(done: 0, total: 2000, bytes: 0)
        d.clock.seconds = 3
        d.line.tick()
        // 19 columns: the last is left empty.
        #expect(d.take() == ["\r[0/2,000 files] 0 B\u{1B}[K"])
    }

    @Test func text() {
        #expect(ProgressLine.text(done: 12, total: 2000, bytes: 153_200_000, elapsed: 3.2) == "[12/2,000 files] 153.2 MB  47.9 MB/s  3.2 s")
        #expect(ProgressLine.text(done: 1_234_567, total: 10_000_000, bytes: 4_100_000_000, elapsed: 65)
                == "[1,234,567/10,000,000 files] 4.1 GB  63.1 MB/s  1m05s")
        #expect(ProgressLine.text(done: 0, total: 1, bytes: 12_345, elapsed: 3725) == "[0/1 file] 12.3 kB  0.0 MB/s  1h02m")
        #expect(ProgressLine.text(done: 0, total: 0, bytes: 999, elapsed: 0) == "[0/0 files] 999 B  0.0 MB/s  0.0 s")
    }

    // MARK: The commands

    /// Three small files, one with a finding.
    static func inputs(in dir: URL) -> [String] {
        ["a.json", "b.json", "c.json"].map { name in
            let path = dir.appendingPathComponent(name).path
            let text = name == "b.json" ? #"{"Records": [1,]}"# : #"{"Records": []}"#
            #expect(FileManager.default.createFile(atPath: path, contents: Data(text.utf8)))
            return path
        }
    }

    /// Runs the CLI with standard error on a (test) terminal and a clock that moves 0.6 s at each reading, so the
    /// line is due from the second input on.
    static func run(_ args: [String], env: [String: String] = [:], errorTerminal: Bool = true,
                    outputTerminal: Bool = false) -> (Int32, TestConsole) {
        let console = TestConsole(env: env)
        console.isErrorTerminal = errorTerminal
        console.isTerminal = outputTerminal
        console.clock.step = 0.6
        return (CLI.run(args, console: console), console)
    }

    /// What standard error shows after the line was last cleared; nil if it never was.
    static func afterTheLastClear(_ text: String) -> String? {
        text.range(of: clear, options: .backwards).map { String(text[$0.upperBound...]) }
    }

    @Test func checkShowsItOnATerminalAndClearsItBeforeTheSummary() {
        let dir = Repo.tempDirectory()
        defer { Repo.remove(dir) }
        let (status, console) = Self.run(["check", "--jobs", "1"] + Self.inputs(in: dir))
        #expect(status == 1)
        #expect(console.stderr.contains("\r[1/3 files] "), "\(console.stderr.debugDescription)")
        #expect(console.stderr.contains("\r[3/3 files] "))
        #expect(Self.afterTheLastClear(console.stderr) == "3 files checked: 2 errors, 0 warnings, 0 infos\n",
                "\(console.stderr.debugDescription)")
        // The report itself, on a file or a pipe, is untouched.
        #expect(!console.stdout.contains("\r") && !console.stdout.contains("\u{1B}"))
        #expect(console.stdout.contains("b.json:1:15: error: trailing comma"))
    }

    @Test(arguments: [
        (["--quiet"], [:], true), (["-q"], [:], true), (["--no-progress"], [:], true),
        ([], ["TERM": "dumb"], true), ([], [:], false),
    ] as [([String], [String: String], Bool)])
    func neverShownWhenTurnedOffOrNotOnATerminal(flags: [String], env: [String: String], errorTerminal: Bool) {
        let dir = Repo.tempDirectory()
        defer { Repo.remove(dir) }
        for command in ["check", "fix", "format"] {
            let (_, console) = Self.run((command == "check" ? [command] : [command, "--check"]) + flags + Self.inputs(in: dir),
                                        env: env, errorTerminal: errorTerminal)
            #expect(!console.screen.contains("\r") && !console.screen.contains("\u{1B}[K"), "\(command) \(flags) \(env)")
        }
    }

    @Test func fixAndFormatShowItToo() {
        let dir = Repo.tempDirectory()
        defer { Repo.remove(dir) }
        for command in ["fix", "format"] {
            let (_, console) = Self.run([command, "--check"] + Self.inputs(in: dir))
            #expect(console.stderr.contains("\r[3/3 files] "), "\(command): \(console.stderr.debugDescription)")
            let summary = Self.afterTheLastClear(console.stderr)
            #expect(summary?.hasSuffix(" would be \(command == "fix" ? "fixed" : "reformatted")\n") == true && summary?.contains("\r") == false,
                    "\(command): \(console.stderr.debugDescription)")
        }
    }

    @Test func theReportOnTheSameTerminalNeverRunsIntoTheLine() {
        // Standard output a terminal too: each chunk of the report clears the line first, so a drawn line is always
        // followed by a redraw or a clear (both start with `\r`), never by other text.
        let dir = Repo.tempDirectory()
        defer { Repo.remove(dir) }
        let paths = (0..<6).map { i in
            let path = dir.appendingPathComponent("f\(i).json").path
            #expect(FileManager.default.createFile(atPath: path, contents: Data(#"{"Records": [1,]}"#.utf8)))
            return path
        }
        let (_, console) = Self.run(["check", "--color", "never", "--no-show-source", "--jobs", "1"] + paths, outputTerminal: true)
        let screen = console.screen
        #expect(screen.contains("f5.json:1:15: error: trailing comma"))
        var draws = 0
        var rest = screen[...]
        while let start = rest.range(of: "\r[") {
            guard let end = rest[start.upperBound...].range(of: "\u{1B}[K") else {
                Issue.record("a drawn line without its erase: \(String(rest[start.lowerBound...]).debugDescription)")
                break
            }
            rest = rest[end.upperBound...]
            #expect(rest.first == "\r", "after a drawn line: \(String(rest.prefix(40)).debugDescription)")
            draws += 1
        }
        #expect(draws >= 4)
    }

    // MARK: Under a real pseudo-terminal

    @Test func theToolDrawsItOnAPseudoTerminalAndNotIntoAPipe() throws {
        guard let tool = ChildProcess.toolPath else {
            print("skipping: the debug build of cloudtrail-lint is absent")
            return
        }
        let dir = Repo.tempDirectory()
        defer { Repo.remove(dir) }
        // No wait of a second: the line is due at once (`CLOUDTRAIL_LINT_PROGRESS_AFTER_MS`), so the test neither
        // sleeps nor depends on how fast the machine is.
        let args = ["check"] + Self.inputs(in: dir)
        guard let onTerminal = Terminal.run(tool, args, errorTo: .pseudoTerminal) else {
            print("skipping: \(Terminal.script) (util-linux) could not be run")
            return
        }
        #expect(onTerminal.status == 1)
        #expect(onTerminal.error.contains("\r[0/3 files] 0 B  "), "\(onTerminal.error.debugDescription)")
        // The terminal shows `\n` as `\r\n`.
        #expect(onTerminal.error.hasSuffix("\u{1B}[K\r\u{1B}[K3 files checked: 2 errors, 0 warnings, 0 infos\r\n"),
                "\(onTerminal.error.debugDescription)")
        let intoPipe = try #require(Terminal.run(tool, args, errorTo: .pipe))
        #expect(intoPipe.status == 1)
        #expect(intoPipe.error == "3 files checked: 2 errors, 0 warnings, 0 infos\n", "\(intoPipe.error.debugDescription)")
    }
}

/// Runs the tool with its standard error on a pseudo-terminal or a pipe (standard output to /dev/null), `TERM` set
/// and the progress line due at once. The pseudo-terminal is util-linux `script`'s: Glibc as Swift imports it lacks
/// `posix_openpt`, `grantpt` and `ptsname` (they need `_XOPEN_SOURCE`).
enum Terminal {
    enum Target { case pseudoTerminal, pipe }

    static let script = "/usr/bin/script"

    /// Nil when the tool (or `script`) could not be run.
    static func run(_ tool: String, _ arguments: [String], errorTo target: Target) -> (status: Int32, error: String)? {
        let p = Process()
        let captured = Pipe()
        var environment = ProcessInfo.processInfo.environment
        environment["TERM"] = "xterm"
        environment["CLOUDTRAIL_LINT_PROGRESS_AFTER_MS"] = "0"
        p.environment = environment
        p.standardInput = FileHandle.nullDevice
        switch target {
        case .pseudoTerminal:
            guard FileManager.default.isExecutableFile(atPath: script) else { return nil }
            // `script` gives the command a pseudo-terminal and copies what it shows to its own standard output.
            let quoted = ([tool] + arguments).map { "'\($0.replacingOccurrences(of: "'", with: "'\\''"))'" }
            p.executableURL = URL(fileURLWithPath: script)
            p.arguments = ["-qec", quoted.joined(separator: " ") + " >/dev/null", "/dev/null"]
            p.standardOutput = captured
            p.standardError = FileHandle.nullDevice
        case .pipe:
            p.executableURL = URL(fileURLWithPath: tool)
            p.arguments = arguments
            p.standardOutput = FileHandle.nullDevice
            p.standardError = captured
        }
        do { try p.run() } catch { return nil }
        let bytes = captured.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return (p.terminationStatus, String(decoding: bytes, as: UTF8.self))
    }
}
