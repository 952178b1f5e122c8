import CTLint
import Foundation
import Testing

/// Each command's `--help` and the shell completions, both read from the tables the parser reads.
@Suite struct HelpAndCompletionTests {
    static let commands = ["check", "fix", "format", "rules", "explain", "schema", "completions"]

    @Test(arguments: commands)
    func eachCommandHasItsOwnHelp(_ command: String) {
        let (status, console) = TestConsole.run([command, "--help"])
        #expect(status == 0)
        #expect(console.stdout.hasPrefix("usage: cloudtrail-lint "))
        #expect(console.stdout.contains(command == "check" ? "[check]" : command))
        #expect(console.stdout.contains("\nEXAMPLES\n  cloudtrail-lint \(command)"))
        #expect(console.stdout.contains("--help, -h"))
        // Not the tool's help.
        #expect(!console.stdout.contains("EXIT STATUS"))
        #expect(TestConsole.run(["help", command]).1.stdout == console.stdout)
    }

    @Test func commandHelpListsItsOwnOptions() {
        let check = TestConsole.run(["check", "--help"]).1.stdout
        #expect(check.contains("--format text|concise|json|sarif|github|gitlab|junit"))
        #expect(check.contains("--baseline FILE") && check.contains("--jobs N, -j N") && !check.contains("--unsafe-fixes"))
        let fix = TestConsole.run(["fix", "-h"]).1.stdout
        #expect(fix.contains("--unsafe-fixes") && !fix.contains("--indent") && !fix.contains("--format"))
        let format = TestConsole.run(["format", "--help"]).1.stdout
        #expect(format.contains("--indent N") && format.contains("--compact") && !format.contains("--unsafe-fixes"))
        // Without a command, `--help` is the tool's help.
        #expect(TestConsole.run(["--help"]).1.stdout.contains("EXIT STATUS"))
        #expect(TestConsole.run(["help"]).1.stdout.contains("EXIT STATUS"))
    }

    /// The parser accepts what it accepted before the tables: the same flags and options per command.
    @Test func parserStillAcceptsEveryOption() {
        let dir = Repo.tempDirectory()
        defer { Repo.remove(dir) }
        let path = dir.appendingPathComponent("a.json").path
        FileManager.default.createFile(atPath: path, contents: Data("[1]".utf8))
        #expect(TestConsole.run(["check", "--quiet", "--strict", "--no-progress", "--format", "concise", "-j", "1",
                                 "--no-config", "--exit-zero", "--max-warnings", "3", path]).0 == 0)
        #expect(TestConsole.run(["fix", "--diff", "--unsafe-fixes", "-q", path]).0 == 0)
        // `--indent` with `fix` still says it belongs to `format`.
        #expect(TestConsole.run(["fix", "--indent", "2", path]).1.stderr.contains("belong to `format`"))
        #expect(TestConsole.run(["format", "--check", "--indent", "0", path]).0 != 2)
        #expect(TestConsole.run(["check", "--unsafe-fixes", path]).0 == 2)
    }

    @Test(arguments: ["bash", "zsh", "fish"])
    func completionsOfferEveryOptionAndItsValues(_ shell: String) throws {
        let (status, console) = TestConsole.run(["completions", shell])
        #expect(status == 0)
        let script = console.stdout
        for command in Self.commands { #expect(script.contains(command)) }
        for option in ["--format", "--output-file", "--baseline", "--unsafe-fixes", "--indent", "--list", "--non-cloudtrail", "--jobs"] {
            let name = shell == "fish" ? "-l " + option.dropFirst(2) : option
            #expect(script.contains(name), "\(shell) completions lack \(option)")
        }
        #expect(script.contains("text concise json sarif github gitlab junit"))
        #expect(script.contains("trailing-comma"))
        // The script parses, when the shell is installed.
        let dir = Repo.tempDirectory()
        defer { Repo.remove(dir) }
        let file = dir.appendingPathComponent("completion")
        try script.write(to: file, atomically: true, encoding: .utf8)
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["sh", "-c", "command -v \(shell) >/dev/null || { echo skipping: \(shell) absent; exit 0; }; \(shell) -n \"$1\"", "sh", file.path]
        try p.run()
        p.waitUntilExit()
        #expect(p.terminationStatus == 0, "\(shell) cannot parse the completion script")
    }

    /// Runs bash's completion function on `words` (the last one being completed).
    func bashComplete(_ words: [String]) throws -> [String]? {
        guard FileManager.default.fileExists(atPath: "/bin/bash") else { print("skipping: bash absent"); return nil }
        let script = TestConsole.run(["completions", "bash"]).1.stdout
        let quoted = words.map { "'" + $0 + "'" }.joined(separator: " ")
        let p = Process()
        let pipe = Pipe()
        p.executableURL = URL(fileURLWithPath: "/bin/bash")
        p.arguments = ["-c", script + "\nCOMP_WORDS=(\(quoted)); COMP_CWORD=\(words.count - 1); _cloudtrail_lint; printf '%s\\n' \"${COMPREPLY[@]}\""]
        p.standardOutput = pipe
        try p.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return String(decoding: data, as: UTF8.self).split(separator: "\n").map(String.init)
    }

    @Test func bashCompletesValuesOptionsCommandsAndRules() throws {
        guard let formats = try bashComplete(["cloudtrail-lint", "check", "--format", ""]) else { return }
        #expect(formats == ["text", "concise", "json", "sarif", "github", "gitlab", "junit"])
        #expect(try bashComplete(["cloudtrail-lint", "--form"]) == ["--format"])
        #expect(try bashComplete(["cloudtrail-lint", "fix", "--unsa"]) == ["--unsafe-fixes"])
        #expect(try bashComplete(["cloudtrail-lint", "compl"]) == ["completions"])
        #expect(try bashComplete(["cloudtrail-lint", "completions", ""]) == ["bash", "zsh", "fish"])
        #expect(try bashComplete(["cloudtrail-lint", "explain", "trailing-com"]) == ["trailing-comma"])
    }
}
