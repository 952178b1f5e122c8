import CTLint
import Foundation
import Testing

// Issue 18: `.cloudtrail-lint.json`, suppressions and the baseline, through the command line as a team runs it.
//
// Every test works in a sandbox of its own: a temporary directory holding a broken `.cloudtrail-lint.json` (a
// discovery that walked out of the repository would stop the run with exit status 2) and `repo/`, which holds
// `.git` so that discovery stops there. Paths are absolute: the tests run in parallel and never change directory
// (the run-wide keys, read from the current directory's configuration, are therefore given with `--config`).

/// A temporary repository.
struct ConfigSandbox {
    /// The temporary directory (outside the repository).
    let root: URL
    /// `root/repo`: the repository, with `.git`.
    let repo: String

    init() {
        root = Repo.tempDirectory()
        repo = root.appendingPathComponent("repo").path
        try? FileManager.default.createDirectory(atPath: repo + "/.git", withIntermediateDirectories: true)
        // Never read: discovery stops at `repo/.git`.
        FileManager.default.createFile(atPath: root.appendingPathComponent(".cloudtrail-lint.json").path,
                                       contents: Data(#"{"selcet": "outside the repository"#.utf8))
    }

    /// The absolute path of `name` in the repository.
    func path(_ name: String) -> String { name.isEmpty ? repo : repo + "/" + name }

    /// Writes `text` to `name` (relative to the repository; `../x` for outside it) and returns its absolute path.
    @discardableResult
    func write(_ name: String, _ text: String) -> String {
        let url = URL(fileURLWithPath: path(name)).standardizedFileURL
        try? FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        FileManager.default.createFile(atPath: url.path, contents: Data(text.utf8))
        return url.path
    }

    func read(_ name: String) -> String {
        (try? String(contentsOfFile: path(name), encoding: .utf8)) ?? ""
    }

    func remove() { Repo.remove(root) }
}

/// CloudTrail logs with defects where a test wants them.
enum SampleLogs {
    static let sampleEventID = "0b0a4d6c-31c4-4f44-9c6e-8f2a3b1c2d3e"
    static let sampleARN = "arn:aws:iam::123456789012:user/Alice"
    /// Five parts: `arn-syntax` (an error) at `/Records/N/userIdentity/arn`.
    static let badARN = "arn:aws:iam:123456789012:user/Alice"
    /// `region` (an error) at `/Records/N/awsRegion`.
    static let badRegion = "moon-1"
    /// `event-time` (an error) at `/Records/N/eventTime`.
    static let badTime = "yesterday"

    /// `CLITests.record` (clean) with eventID number `n` (a run must not see one eventID twice) and the defects asked
    /// for; `duplicateKey` adds a `duplicate-key` warning.
    static func record(_ n: Int, arn: String? = nil, region: String? = nil, eventTime: String? = nil,
                       duplicateKey: Bool = false) -> String {
        let hex = String(n, radix: 16)
        var r = CLITests.record.replacingOccurrences(of: sampleEventID,
                                                     with: "0b0a4d6c-31c4-4f44-9c6e-" + String(repeating: "0", count: 12 - hex.count) + hex)
        if let arn { r = r.replacingOccurrences(of: sampleARN, with: arn) }
        if let region { r = r.replacingOccurrences(of: #""awsRegion":"us-east-1""#, with: #""awsRegion":"\#(region)""#) }
        if let eventTime { r = r.replacingOccurrences(of: #""eventTime":"2024-03-01T12:00:00Z""#, with: #""eventTime":"\#(eventTime)""#) }
        if duplicateKey { r = r.replacingOccurrences(of: #""readOnly":true"#, with: #""readOnly":true,"readOnly":true"#) }
        return r
    }

    /// A log file: record `i` on line `i + 2`.
    static func log(_ records: [String]) -> String {
        "{\"Records\": [\n" + records.joined(separator: ",\n") + "\n]}\n"
    }
}

/// One finding of `check --format json`.
struct JSONFinding: Equatable, CustomStringConvertible {
    var path: String
    var line: Int
    var column: Int
    var severity: String
    var rule: String
    var pointer: String
    var message: String

    var description: String { "\(path):\(line):\(column): \(severity) [\(rule)] \(pointer)" }
}

/// A `check --format json` run.
struct JSONRun {
    var status: Int32
    var console: TestConsole
    var findings: [JSONFinding]
    var summary: [String: Int]

    var rules: [String] { findings.map(\.rule) }
    func findings(_ rule: String) -> [JSONFinding] { findings.filter { $0.rule == rule } }
    /// What a failed expectation shows.
    var shown: String { console.stdout + console.stderr }

    static func check(_ args: [String], sourceLocation: SourceLocation = #_sourceLocation) throws -> JSONRun {
        let (status, console) = TestConsole.run(["check", "--format", "json"] + args)
        let object = try #require(try? JSONSerialization.jsonObject(with: Data(console.stdout.utf8)) as? [String: Any],
                                  "not a JSON report (exit \(status)): \(console.stdout)\(console.stderr)", sourceLocation: sourceLocation)
        let items = object["diagnostics"] as? [[String: Any]] ?? []
        let findings = items.map { d in
            JSONFinding(path: d["path"] as? String ?? "", line: d["line"] as? Int ?? 0, column: d["column"] as? Int ?? 0,
                    severity: d["severity"] as? String ?? "", rule: d["rule"] as? String ?? "",
                    pointer: d["pointer"] as? String ?? "", message: d["message"] as? String ?? "")
        }
        return JSONRun(status: status, console: console, findings: findings,
                       summary: (object["summary"] as? [String: Any] ?? [:]).compactMapValues { $0 as? Int })
    }
}

@Suite struct ConfigurationTests {
    // MARK: Discovery

    @Test func discoveryWalksUpFromTheInputsDirectoryAndStopsAtGit() throws {
        let s = ConfigSandbox()
        defer { s.remove() }
        s.write(".cloudtrail-lint.json", #"{"ignore": ["region"]}"#)
        let log = s.write("a/b/log.json", SampleLogs.log([SampleLogs.record(1, arn: SampleLogs.badARN, region: SampleLogs.badRegion)]))
        // Named, and through a walk of a sub-directory: the repository's configuration applies (and the broken one
        // above the repository is never read).
        for operand in [log, s.path("a/b"), s.path("a")] {
            let run = try JSONRun.check([operand])
            #expect(run.status == 1, "\(run.shown)")
            #expect(run.rules == ["arn-syntax"], "\(run.shown)")
        }
        let none = try JSONRun.check(["--no-config", log])
        #expect(Set(none.rules) == ["arn-syntax", "region"], "\(none.shown)")
        // A repository inside the repository (a submodule): its `.git` stops the walk before the outer configuration.
        try FileManager.default.createDirectory(atPath: s.path("vendor/lib/.git"), withIntermediateDirectories: true)
        let vendored = s.write("vendor/lib/logs/log.json", SampleLogs.log([SampleLogs.record(2, arn: SampleLogs.badARN, region: SampleLogs.badRegion)]))
        #expect(Set(try JSONRun.check([vendored]).rules) == ["arn-syntax", "region"])
        let (_, settings) = TestConsole.run(["check", "--show-settings", log])
        #expect(settings.stdout.contains("configuration: \(s.path(".cloudtrail-lint.json"))\n"), "\(settings.stdout)")
    }

    @Test func theNearestConfigurationWinsWhole() throws {
        let s = ConfigSandbox()
        defer { s.remove() }
        s.write(".cloudtrail-lint.json", #"{"ignore": ["region"], "severity": {"arn-syntax": "warning"}}"#)
        // Says nothing of `region` or `arn-syntax`: the root's settings are not merged in.
        s.write("sub/.cloudtrail-lint.json", #"{"severity": {"event-time": "warning"}}"#)
        let top = s.write("top.json", SampleLogs.log([SampleLogs.record(1, arn: SampleLogs.badARN, region: SampleLogs.badRegion, eventTime: SampleLogs.badTime)]))
        let sub = s.write("sub/deeper/log.json", SampleLogs.log([SampleLogs.record(2, arn: SampleLogs.badARN, region: SampleLogs.badRegion, eventTime: SampleLogs.badTime)]))
        for operands in [[s.repo], [top, sub]] {
            let run = try JSONRun.check(operands)
            let atTop = run.findings.filter { $0.path == top }.map { "\($0.rule) \($0.severity)" }
            let atSub = run.findings.filter { $0.path == sub }.map { "\($0.rule) \($0.severity)" }
            #expect(Set(atTop) == ["arn-syntax warning", "event-time error"], "\(run.shown)")
            #expect(Set(atSub) == ["arn-syntax error", "region error", "event-time warning"], "\(run.shown)")
        }
        let (_, settings) = TestConsole.run(["check", "--show-settings", sub])
        #expect(settings.stdout.contains("configuration: \(s.path("sub/.cloudtrail-lint.json"))\n"), "\(settings.stdout)")
    }

    @Test func configNamesOneAndNoConfigIgnoresDiscovery() throws {
        let s = ConfigSandbox()
        defer { s.remove() }
        s.write(".cloudtrail-lint.json", #"{"ignore": ["region"]}"#)
        let team = s.write("../team/lint.json", #"{"select": ["region"]}"#)
        let log = s.write("log.json", SampleLogs.log([SampleLogs.record(1, arn: SampleLogs.badARN, region: SampleLogs.badRegion)]))
        #expect(try JSONRun.check([log]).rules == ["arn-syntax"])
        // `--config` replaces discovery: the repository's file is not read.
        let named = try JSONRun.check(["--config", team, log])
        #expect(named.rules == ["region"], "\(named.shown)")
        let (_, settings) = TestConsole.run(["check", "--config", team, "--show-settings", log])
        #expect(settings.stdout.contains("configuration: \(team)\n"), "\(settings.stdout)")
        #expect(Set(try JSONRun.check(["--no-config", log]).rules) == ["arn-syntax", "region"])
        let (both, console) = TestConsole.run(["check", "--config", team, "--no-config", log])
        #expect(both == 2 && console.stderr.contains("cannot be combined"), "\(console.stderr)")
        let (missing, missingConsole) = TestConsole.run(["check", "--config", s.path("nope.json"), log])
        #expect(missing == 2 && missingConsole.stderr.contains("cannot read the configuration"), "\(missingConsole.stderr)")
        #expect(missingConsole.stdout.isEmpty)
    }

    // MARK: Errors in the configuration

    @Test func aConfigurationErrorIsExitTwoAtItsLineAndColumnWithDidYouMean() {
        let s = ConfigSandbox()
        defer { s.remove() }
        let config = s.write(".cloudtrail-lint.json", """
            {
              "selcet": ["arn-syntax"],
              "ignore": ["arn-syntx"]
            }
            """)
        let log = s.write("logs/log.json", SampleLogs.log([SampleLogs.record(1, arn: SampleLogs.badARN)]))
        // Discovered for a named file, for a walk, and named by `--config`: nothing is checked.
        for args in [[log], [s.repo], ["--config", config, log]] {
            let (status, console) = TestConsole.run(["check"] + args)
            #expect(status == 2, "\(args)")
            #expect(console.stdout.isEmpty, "\(args): \(console.stdout)")
            #expect(console.stderr.contains("\(config):2:3: error: unknown key `selcet` in the configuration; did you mean `select`?"),
                    "\(args): \(console.stderr)")
            #expect(console.stderr.contains("\(config):3:14: error: unknown rule, prefix or category `arn-syntx`; did you mean `arn-syntax`?"),
                    "\(args): \(console.stderr)")
            #expect(console.stderr.split(separator: "\n").count >= 2, "\(console.stderr)")
        }
        // `fix` reads the same configuration and refuses the same way, before touching anything.
        let before = s.read("logs/log.json")
        #expect(TestConsole.run(["fix", log]).0 == 2)
        #expect(s.read("logs/log.json") == before)
    }

    @Test func aJSONSyntaxErrorInTheConfigurationCarriesTheRuleID() {
        let s = ConfigSandbox()
        defer { s.remove() }
        let line2 = #"  "select": ["arn-syntax"]"#
        let config = s.write(".cloudtrail-lint.json", "{\n\(line2)\n  \"ignore\": []\n}\n")
        let log = s.write("log.json", SampleLogs.log([SampleLogs.record(1)]))
        let (status, console) = TestConsole.run(["check", log])
        #expect(status == 2)
        #expect(console.stderr.contains("\(config):2:\(line2.count + 1): error[missing-comma]: "), "\(console.stderr)")
        let (empty, emptyConsole) = TestConsole.run(["check", "--config", s.write("empty.json", "  \n"), log])
        #expect(empty == 2 && emptyConsole.stderr.contains(":1:1: error[empty-input]: "), "\(emptyConsole.stderr)")
    }

    @Test func commentsTrailingCommasAndAByteOrderMarkAreAccepted() throws {
        let s = ConfigSandbox()
        defer { s.remove() }
        s.write(".cloudtrail-lint.json", """
            \u{FEFF}// The team's settings.
            {
              /* Regions are checked elsewhere. */
              "ignore": ["region",],  # trailing comma, shell comment
              "severity": {"arn-syntax": "warning",},
            }
            """)
        let log = s.write("log.json", SampleLogs.log([SampleLogs.record(1, arn: SampleLogs.badARN, region: SampleLogs.badRegion)]))
        let run = try JSONRun.check([log])
        #expect(run.status == 0, "\(run.shown)")
        #expect(run.findings.map { "\($0.rule) \($0.severity)" } == ["arn-syntax warning"], "\(run.shown)")
    }

    // MARK: Keys

    @Test func selectAndIgnore() throws {
        let s = ConfigSandbox()
        defer { s.remove() }
        let log = s.write("log.json", SampleLogs.log([SampleLogs.record(1, arn: SampleLogs.badARN, region: SampleLogs.badRegion, eventTime: SampleLogs.badTime)]))
        func rules(_ config: String, _ flags: [String] = []) throws -> Set<String> {
            s.write(".cloudtrail-lint.json", config)
            let run = try JSONRun.check(flags + [log])
            return Set(run.rules)
        }
        #expect(try rules("{}") == ["arn-syntax", "region", "event-time"])
        #expect(try rules(#"{"select": ["arn-syntax", "event-time"]}"#) == ["arn-syntax", "event-time"])
        // A category, then a rule of it taken out.
        #expect(try rules(#"{"select": ["semantic"], "ignore": ["region"]}"#) == ["arn-syntax", "event-time"])
        // A prefix.
        let ignored = try rules(#"{"ignore": ["arn", "event-time"]}"#)
        #expect(!ignored.contains("arn-syntax") && !ignored.contains("event-time") && ignored.contains("region"), "\(ignored)")
        // `--select` replaces the configuration's choice; `--ignore` removes from it.
        #expect(try rules(#"{"select": ["arn-syntax"]}"#, ["--select", "region"]) == ["region"])
        #expect(try rules(#"{"select": ["arn-syntax", "event-time"]}"#, ["--ignore", "event-time"]) == ["arn-syntax"])
    }

    @Test func severityByRuleAndCategoryAndOff() throws {
        let s = ConfigSandbox()
        defer { s.remove() }
        let log = s.write("log.json", SampleLogs.log([SampleLogs.record(1, arn: SampleLogs.badARN, region: SampleLogs.badRegion, eventTime: SampleLogs.badTime)]))
        func levels(_ config: String) throws -> (status: Int32, levels: [String: String]) {
            s.write(".cloudtrail-lint.json", config)
            let run = try JSONRun.check([log])
            return (run.status, Dictionary(run.findings.map { ($0.rule, $0.severity) }, uniquingKeysWith: { a, b in a + "," + b }))
        }
        // The more specific name wins, whichever is written first.
        for config in [#"{"severity": {"semantic": "warning", "arn-syntax": "error"}}"#,
                       #"{"severity": {"arn-syntax": "error", "semantic": "warning"}}"#] {
            let (status, found) = try levels(config)
            #expect(status == 1)
            #expect(found == ["arn-syntax": "error", "region": "warning", "event-time": "warning"], "\(config)")
        }
        // Warnings only: exit 0.
        let warnings = try levels(#"{"severity": {"semantic": "warning"}}"#)
        #expect(warnings.status == 0)
        #expect(warnings.levels == ["arn-syntax": "warning", "region": "warning", "event-time": "warning"])
        #expect(try levels(#"{"severity": {"region": "info"}}"#).levels["region"] == "info")
        // `off` drops the rule.
        #expect(try levels(#"{"severity": {"region": "off"}}"#).levels == ["arn-syntax": "error", "event-time": "error"])
        // A more specific level undoes a category's `off`, in either order.
        for config in [#"{"severity": {"semantic": "off", "arn-syntax": "warning"}}"#,
                       #"{"severity": {"arn-syntax": "warning", "semantic": "off"}}"#] {
            let found = try levels(config).levels
            #expect(found["arn-syntax"] == "warning", "\(config): \(found)")
            #expect(found["region"] == nil && found["event-time"] == nil, "\(config): \(found)")
        }
        // A misspelt level.
        s.write(".cloudtrail-lint.json", #"{"severity": {"region": "eror"}}"#)
        let (status, console) = TestConsole.run(["check", log])
        #expect(status == 2 && console.stderr.contains("did you mean `error`?"), "\(console.stderr)")
    }

    @Test func excludeIsAGlobRelativeToTheConfigurationOrANameAtAnyDepth() throws {
        let s = ConfigSandbox()
        defer { s.remove() }
        s.write(".cloudtrail-lint.json", #"{"exclude": ["fixtures/**", "scratch"]}"#)
        let excluded = s.write("fixtures/deep/bad.json", SampleLogs.log([SampleLogs.record(1, arn: SampleLogs.badARN)]))
        let nested = s.write("logs/fixtures/bad.json", SampleLogs.log([SampleLogs.record(2, arn: SampleLogs.badARN)]))
        s.write("logs/scratch/bad.json", SampleLogs.log([SampleLogs.record(3, arn: SampleLogs.badARN)]))
        s.write("a/b/scratch/c/bad.json", SampleLogs.log([SampleLogs.record(4, arn: SampleLogs.badARN)]))
        s.write("logs/ok.json", SampleLogs.log([SampleLogs.record(5)]))
        let (status, console) = TestConsole.run(["check", "--format", "json", "-v", s.repo])
        #expect(status == 1)
        // `fixtures/**` holds a `/`: from the configuration's directory only; `scratch` at any depth.
        #expect(console.stderr.contains("2 files checked"), "\(console.stderr)")
        #expect(console.stderr.contains("\(s.path("fixtures")): skipped: excluded by `fixtures/**` in the configuration"), "\(console.stderr)")
        #expect(console.stderr.contains("excluded by `scratch` in the configuration"))
        #expect(console.stdout.contains(nested) && !console.stdout.contains("scratch") && !console.stdout.contains(excluded), "\(console.stdout)")
        // Named, an excluded file is checked (as with `--exclude`).
        #expect(try JSONRun.check([excluded]).rules == ["arn-syntax"])
    }

    /// `force-exclude` (a run-wide key) and `--force-exclude`: a named file that `exclude` covers is passed over, as
    /// pre-commit hooks need (they name every file); `node_modules` by default too.
    @Test func forceExcludeAppliesExcludeToNamedFiles() throws {
        let s = ConfigSandbox()
        defer { s.remove() }
        let config = s.write(".cloudtrail-lint.json", #"{"exclude": ["fixtures/**"], "force-exclude": true}"#)
        let excluded = s.write("fixtures/deep/bad.json", SampleLogs.log([SampleLogs.record(1, arn: SampleLogs.badARN)]))
        let vendored = s.write("web/node_modules/x/bad.json", SampleLogs.log([SampleLogs.record(2, arn: SampleLogs.badARN)]))
        let kept = s.write("logs/bad.json", SampleLogs.log([SampleLogs.record(3, arn: SampleLogs.badARN)]))
        let forced = try JSONRun.check(["--config", config, excluded, vendored, kept])
        #expect(forced.status == 1 && forced.summary["files"] == 1, "\(forced.shown)")
        let flag = try JSONRun.check(["--no-config", "--force-exclude", vendored, kept])
        #expect(flag.summary["files"] == 1, "\(flag.shown)")
        let named = try JSONRun.check(["--no-config", vendored])
        #expect(named.summary["files"] == 1 && named.rules == ["arn-syntax"], "\(named.shown)")
    }

    @Test func respectGitignoreFalseTakesIgnoredFiles() throws {
        let s = ConfigSandbox()
        defer { s.remove() }
        s.write(".gitignore", "ignored.json\n")
        s.write("ignored.json", SampleLogs.log([SampleLogs.record(1, arn: SampleLogs.badARN)]))
        s.write("ok.json", SampleLogs.log([SampleLogs.record(2)]))
        let withGit = try JSONRun.check([s.repo])
        #expect(withGit.status == 0 && withGit.summary["files"] == 1, "\(withGit.shown)")
        // A run-wide key: from `--config` (or the current directory's configuration).
        let config = s.write(".cloudtrail-lint.json", #"{"respect-gitignore": false}"#)
        let all = try JSONRun.check(["--config", config, s.repo])
        #expect(all.status == 1 && all.summary["files"] == 2, "\(all.shown)")
        #expect(all.findings.map(\.path) == [s.path("ignored.json")])
        // The flag still wins over a configuration that says true.
        s.write(".cloudtrail-lint.json", #"{"respect-gitignore": true}"#)
        #expect(try JSONRun.check(["--config", config, "--no-respect-gitignore", s.repo]).summary["files"] == 2)
    }

    @Test func inputFormatMapsAGlobToJSONLines() throws {
        let s = ConfigSandbox()
        defer { s.remove() }
        let events = s.write("data/events.log", SampleLogs.record(1) + "\n" + SampleLogs.record(2) + "\n")
        let bad = s.write("data/more.log", SampleLogs.record(3) + "\n" + SampleLogs.record(4, region: SampleLogs.badRegion) + "\n")
        #expect(try JSONRun.check(["--no-config", events]).rules == ["trailing-content"])
        s.write(".cloudtrail-lint.json", #"{"input-format": {"*.log": "jsonl"}}"#)
        let run = try JSONRun.check([events])
        #expect(run.status == 0 && run.findings.isEmpty, "\(run.shown)")
        // Line by line: the finding on line 2, at the line's pointer.
        let more = try JSONRun.check([bad])
        #expect(more.findings.map { "\($0.rule) \($0.line)" } == ["region 2"], "\(more.shown)")
        let (_, settings) = TestConsole.run(["check", "--show-settings", events])
        #expect(settings.stdout.contains("input-format: jsonl (input-format)\n"), "\(settings.stdout)")
        // `--input-format` wins.
        #expect(try JSONRun.check(["--input-format", "json", events]).rules == ["trailing-content"])
        s.write(".cloudtrail-lint.json", #"{"input-format": {"*.log": "yaml"}}"#)
        let (status, console) = TestConsole.run(["check", events])
        #expect(status == 2 && console.stderr.contains("invalid format `yaml`"), "\(console.stderr)")
    }

    @Test func strictMakesWarningsFail() throws {
        let s = ConfigSandbox()
        defer { s.remove() }
        let log = s.write("log.json", SampleLogs.log([SampleLogs.record(1, duplicateKey: true)]))
        let config = s.write(".cloudtrail-lint.json", #"{"strict": true}"#)
        let plain = try JSONRun.check(["--no-config", log])
        #expect(plain.status == 0 && plain.rules == ["duplicate-key"], "\(plain.shown)")
        #expect(try JSONRun.check(["--config", config, log]).status == 1)
        s.write(".cloudtrail-lint.json", #"{"strict": false}"#)
        #expect(try JSONRun.check(["--config", config, log]).status == 0)
        // The flag wins over a configuration that says false.
        #expect(try JSONRun.check(["--config", config, "--strict", log]).status == 1)
    }

    @Test func unsafeFixesAppliesUnsafeFixesInFix() {
        let s = ConfigSandbox()
        defer { s.remove() }
        let original = "{\"Records\": [ // a note\n\(SampleLogs.record(1))\n]}\n"
        let log = s.write("log.json", original)
        let config = s.write(".cloudtrail-lint.json", #"{"unsafe-fixes": false}"#)
        #expect(TestConsole.run(["fix", "--config", config, log]).0 == 1)
        #expect(s.read("log.json") == original)
        s.write(".cloudtrail-lint.json", #"{"unsafe-fixes": true}"#)
        let (status, console) = TestConsole.run(["fix", "--config", config, log])
        #expect(status == 0, "\(console.stderr)")
        #expect(s.read("log.json") == "{\"Records\": [\n\(SampleLogs.record(1))\n]}\n")
    }

    @Test func nonCloudTrailSkipsJSONCByDefault() throws {
        let s = ConfigSandbox()
        defer { s.remove() }
        s.write("logs/log.json", SampleLogs.log([SampleLogs.record(1)]))
        let tsconfig = s.write("tsconfig.json", "{\n  // compiler options\n  \"compilerOptions\": {\"strict\": true,},\n}\n")
        let clean = try JSONRun.check([s.repo])
        #expect(clean.status == 0 && clean.findings.isEmpty && clean.summary["files"] == 2, "\(clean.shown)")
        // `syntax`: strict JSON only, from the flag or the key.
        let flagged = try JSONRun.check(["--non-cloudtrail", "syntax", s.repo])
        #expect(flagged.status == 1 && Set(flagged.rules) == ["comment", "trailing-comma"], "\(flagged.shown)")
        #expect(Set(flagged.findings.map(\.path)) == [tsconfig])
        s.write(".cloudtrail-lint.json", #"{"non-cloudtrail": "syntax"}"#)
        #expect(Set(try JSONRun.check([s.repo]).rules) == ["comment", "trailing-comma"])
        // `check`: every rule, `not-cloudtrail` saying what it is not.
        s.write(".cloudtrail-lint.json", #"{"non-cloudtrail": "check"}"#)
        #expect(Set(try JSONRun.check([s.repo]).rules) == ["not-cloudtrail", "comment", "trailing-comma"])
        // The flag wins over the key.
        #expect(try JSONRun.check(["--non-cloudtrail", "skip", s.repo]).findings.isEmpty)
        // A broken `package.json` is still reported under the default.
        s.write(".cloudtrail-lint.json", "{}")
        let package = s.write("package.json", "{\n  \"name\": \"x\"\n  \"version\": \"1.0.0\"\n}\n")
        let broken = try JSONRun.check([s.repo])
        #expect(broken.status == 1, "\(broken.shown)")
        #expect(broken.findings.map { "\($0.path) \($0.rule) \($0.line)" } == ["\(package) missing-comma 2"], "\(broken.shown)")
    }

    @Test func overridesApplyInOrderAndTheLaterWins() throws {
        let s = ConfigSandbox()
        defer { s.remove() }
        let log = s.write("logs/a.json", SampleLogs.log([SampleLogs.record(1, arn: SampleLogs.badARN, region: SampleLogs.badRegion)]))
        let other = s.write("b.json", SampleLogs.log([SampleLogs.record(2, arn: SampleLogs.badARN, region: SampleLogs.badRegion)]))
        func levels(_ config: String, _ file: String = log) throws -> [String: String] {
            s.write(".cloudtrail-lint.json", config)
            return Dictionary(try JSONRun.check([file]).findings.map { ($0.rule, $0.severity) }, uniquingKeysWith: { a, _ in a })
        }
        // Severity: two overrides cover the file; the later wins.
        let warningThenInfo = #"{"overrides": [{"files": ["logs/**"], "severity": {"arn-syntax": "warning"}}, {"files": ["*.json"], "severity": {"arn-syntax": "info"}}]}"#
        let infoThenWarning = #"{"overrides": [{"files": ["*.json"], "severity": {"arn-syntax": "info"}}, {"files": ["logs/**"], "severity": {"arn-syntax": "warning"}}]}"#
        #expect(try levels(warningThenInfo)["arn-syntax"] == "info")
        #expect(try levels(infoThenWarning)["arn-syntax"] == "warning")
        // Only where the globs cover the file: `b.json` is not under `logs/`.
        #expect(try levels(infoThenWarning, other)["arn-syntax"] == "info")
        // Select and ignore, in order.
        let ignoreThenSelect = #"{"ignore": ["region"], "overrides": [{"files": ["logs/a.json"], "ignore": ["region"]}, {"files": ["logs/**"], "select": ["region"]}]}"#
        let selectThenIgnore = #"{"ignore": ["region"], "overrides": [{"files": ["logs/**"], "select": ["region"]}, {"files": ["logs/a.json"], "ignore": ["region"]}]}"#
        #expect(try levels(ignoreThenSelect)["region"] == "error")
        #expect(try levels(selectThenIgnore)["region"] == nil)
        #expect(try levels(ignoreThenSelect, other)["region"] == nil)
        // An override's level after the top level's `off`: the override wins.
        let offThenOn = #"{"severity": {"arn-syntax": "off"}, "overrides": [{"files": ["logs/**"], "severity": {"arn-syntax": "warning"}}]}"#
        #expect(try levels(offThenOn)["arn-syntax"] == "warning")
        #expect(try levels(offThenOn, other)["arn-syntax"] == nil)
        // An override's `off` after the top level's level.
        let onThenOff = #"{"severity": {"arn-syntax": "warning"}, "overrides": [{"files": ["logs/**"], "severity": {"arn-syntax": "off"}}]}"#
        #expect(try levels(onThenOff)["arn-syntax"] == nil)
        #expect(try levels(onThenOff, other)["arn-syntax"] == "warning")
        // An override needs `files`.
        s.write(".cloudtrail-lint.json", #"{"overrides": [{"severity": {"arn-syntax": "off"}}]}"#)
        let (status, console) = TestConsole.run(["check", log])
        #expect(status == 2 && console.stderr.contains("an override needs `files`"), "\(console.stderr)")
    }

    @Test func aSuppressionNeedsAReason() {
        let s = ConfigSandbox()
        defer { s.remove() }
        let config = s.path(".cloudtrail-lint.json")
        let log = s.write("log.json", SampleLogs.log([SampleLogs.record(1, region: SampleLogs.badRegion)]))
        for (text, message) in [("{\n  \"suppress\": [\n    {\"rule\": \"region\"}\n  ]\n}\n", "\(config):3:5: error: a suppression needs `reason`"),
                                ("{\n  \"suppress\": [\n    {\"rule\": \"region\", \"reason\": \"  \"}\n  ]\n}\n", "`reason` must say why"),
                                ("{\n  \"suppress\": [\n    {\"rule\": \"regoin\", \"reason\": \"r\"}\n  ]\n}\n", "did you mean `region`?")] {
            s.write(".cloudtrail-lint.json", text)
            // A named file and a walk alike.
            for operand in [log, s.repo] {
                let (status, console) = TestConsole.run(["check", operand])
                #expect(status == 2, "\(text)")
                #expect(console.stderr.contains(message), "\(console.stderr)")
                #expect(console.stdout.isEmpty, "\(console.stdout)")
            }
        }
        s.write(".cloudtrail-lint.json", #"{"suppress": [{"rule": "region", "reason": "a test account's region"}]}"#)
        #expect(TestConsole.run(["check", log]).0 == 0)
    }

    // MARK: Suppressions

    @Test func aPointerSuppressionHidesOneRecordsFindingAndNotItsNeighbours() throws {
        let s = ConfigSandbox()
        defer { s.remove() }
        let log = s.write("log.json", SampleLogs.log([SampleLogs.record(1, arn: SampleLogs.badARN), SampleLogs.record(2, arn: SampleLogs.badARN)]))
        func suppress(_ pointer: String) throws -> JSONRun {
            s.write(".cloudtrail-lint.json", #"{"suppress": [{"rule": "arn-syntax", "pointer": "\#(pointer)", "reason": "a sample"}]}"#)
            return try JSONRun.check([log])
        }
        let one = try suppress("/Records/1/userIdentity")
        #expect(one.status == 1)
        #expect(one.findings.map(\.pointer) == ["/Records/0/userIdentity/arn"], "\(one.shown)")
        #expect(one.findings.first?.line == 2)
        #expect(one.summary["suppressed"] == 1)
        // `*` stands for one token: every record.
        let every = try suppress("/Records/*/userIdentity/arn")
        #expect(every.status == 0 && every.findings.isEmpty, "\(every.shown)")
        #expect(every.summary["suppressed"] == 2)
        // ... and only one: `/Records/*/arn` is not `/Records/N/userIdentity/arn`, and covers nothing.
        let oneToken = try suppress("/Records/*/arn")
        #expect(oneToken.findings("arn-syntax").count == 2, "\(oneToken.shown)")
        #expect(oneToken.findings("unused-suppression").count == 1, "\(oneToken.shown)")
        #expect(oneToken.summary["suppressed"] == 0)
        // A pointer is a JSON pointer.
        s.write(".cloudtrail-lint.json", #"{"suppress": [{"rule": "arn-syntax", "pointer": "Records/0", "reason": "r"}]}"#)
        let (status, console) = TestConsole.run(["check", log])
        #expect(status == 2 && console.stderr.contains("must be a JSON pointer"), "\(console.stderr)")
    }

    @Test func anUnusedSuppressionIsReportedAtItsEntryOnlyWhenItsFilesWereChecked() throws {
        let s = ConfigSandbox()
        defer { s.remove() }
        let config = s.write(".cloudtrail-lint.json", """
            {
              "suppress": [
                {"rule": "arn-syntax", "files": ["a.json"], "reason": "a vendor's sample"},
                {"rule": "region", "files": ["a.json"], "reason": "nothing to hide"},
                {"rule": "region", "files": ["other/**"], "reason": "not checked in the first run"}
              ]
            }
            """)
        let a = s.write("a.json", SampleLogs.log([SampleLogs.record(1, arn: SampleLogs.badARN)]))
        s.write("other/b.json", SampleLogs.log([SampleLogs.record(2)]))
        let run = try JSONRun.check([a])
        #expect(run.status == 0, "\(run.shown)")
        #expect(run.summary["suppressed"] == 1)
        let unused = run.findings("unused-suppression")
        #expect(unused.map { "\($0.path):\($0.line):\($0.column) \($0.severity) \($0.pointer)" } == ["\(config):4:5 warning /suppress/1"], "\(run.shown)")
        #expect(run.findings.count == 1)
        // The text report names the configuration's line.
        let (_, text) = TestConsole.run(["check", a])
        #expect(text.stdout.contains("\(config):4:5: warning: the suppression of `region` covered no finding"), "\(text.stdout)")
        // Once `other/` is checked, its entry is found unused too.
        let all = try JSONRun.check([s.repo])
        #expect(all.findings("unused-suppression").map(\.line) == [4, 5], "\(all.shown)")
        // An entry for a rule the run does not keep cannot be found unused.
        #expect(try JSONRun.check(["--ignore", "region", a]).findings.isEmpty)
        // `unused-suppression` is a rule like the others.
        #expect(try JSONRun.check(["--ignore", "unused-suppression", a]).findings.isEmpty)
    }

    @Test func unusedSuppressionsOfTwoConfigurationsAreToldApart() throws {
        let s = ConfigSandbox()
        defer { s.remove() }
        let log = SampleLogs.log([SampleLogs.record(1, region: SampleLogs.badRegion)])
        let a = s.write("a.json", log)
        let b = s.write("sub/b.json", log.replacingOccurrences(of: "0b0a4d6c-31c4-4f44-9c6e-000000000001", with: "0b0a4d6c-31c4-4f44-9c6e-000000000002"))
        // Each file's `region` finding is hidden by its own configuration's first entry; the sub-directory's
        // `event-time` entry covers nothing.
        s.write(".cloudtrail-lint.json", #"{"suppress": [{"rule": "region", "reason": "root"}]}"#)
        let sub = s.write("sub/.cloudtrail-lint.json", #"{"suppress": [{"rule": "region", "reason": "sub"}, {"rule": "event-time", "reason": "sub, unused"}]}"#)
        for operands in [[a, b], [b, a], [s.repo]] {
            let run = try JSONRun.check(operands)
            #expect(run.summary["suppressed"] == 2, "\(operands): \(run.shown)")
            #expect(run.findings.map { "\($0.rule) \($0.path) \($0.pointer)" } == ["unused-suppression \(sub) /suppress/1"], "\(operands): \(run.shown)")
        }
        // The root's entry covers nothing once its file has no finding: reported at the root's file, whatever the
        // sub-directory's entries did.
        s.write("a.json", SampleLogs.log([SampleLogs.record(3)]))
        for operands in [[a, b], [b, a], [s.repo]] {
            let run = try JSONRun.check(operands)
            #expect(Set(run.findings.map { "\($0.path) \($0.pointer)" }) == ["\(s.path(".cloudtrail-lint.json")) /suppress/0", "\(sub) /suppress/1"],
                    "\(operands): \(run.shown)")
        }
    }

    @Test func aSuppressionIsUsedEvenWhenItsFindingsPassTheLimitPerFile() throws {
        let s = ConfigSandbox()
        defer { s.remove() }
        s.write(".cloudtrail-lint.json", #"{"suppress": [{"rule": "arn-syntax", "reason": "a"}, {"rule": "region", "reason": "b"}]}"#)
        let log = s.write("log.json", SampleLogs.log([SampleLogs.record(1, arn: SampleLogs.badARN), SampleLogs.record(2, arn: SampleLogs.badARN),
                                                      SampleLogs.record(3, region: SampleLogs.badRegion)]))
        #expect(try JSONRun.check([log]).findings.isEmpty)
        let capped = try JSONRun.check(["--max-findings-per-file", "1", log])
        #expect(capped.summary["suppressed"] == 3)
        #expect(capped.findings.isEmpty, "\(capped.shown)")
    }

    @Test func aMarkdownDirectiveNamingRulesSuppressesOnlyThoseInTheNextBlock() throws {
        let s = ConfigSandbox()
        defer { s.remove() }
        let page = s.write("doc.md", """
            # Samples

            <!-- cloudtrail-lint-disable-next-block arn-syntax -->
            ```json
            \(SampleLogs.record(1, arn: SampleLogs.badARN, region: SampleLogs.badRegion))
            ```

            <!-- cloudtrail-lint-disable-next-block trailing-comma -->
            ```json
            \(SampleLogs.record(2))
            ```

            <!-- cloudtrail-lint-disable-next-block -->
            ```json
            {"eventVersion": 1,}
            ```

            ```json
            \(SampleLogs.record(3, arn: SampleLogs.badARN))
            ```

            """)
        let run = try JSONRun.check([page])
        // Block 1: `region` still reported, `arn-syntax` suppressed; block 2: the directive covered nothing; block 3:
        // skipped whole; block 4: no directive.
        #expect(run.findings.map { "\($0.rule) \($0.line)" } == ["region 5", "unused-suppression 8", "arn-syntax 19"], "\(run.shown)")
        #expect(run.findings("unused-suppression").first?.severity == "warning")
        #expect(run.findings("unused-suppression").first?.message.contains("no `trailing-comma` finding in the next block") == true)
        #expect(run.summary["suppressed"] == 1)
        // SARIF: the suppressed finding is a result with an in-source suppression.
        let (_, sarif) = TestConsole.run(["check", "--format", "sarif", page])
        let results = try SARIFResults.results(sarif.stdout)
        let suppressed = results.filter { $0["suppressions"] != nil }
        #expect(suppressed.count == 1)
        #expect(suppressed.first?["ruleId"] as? String == "arn-syntax")
        let marks = suppressed.first?["suppressions"] as? [[String: Any]]
        #expect(marks?.first?["kind"] as? String == "inSource")
        #expect((marks?.first?["justification"] as? String)?.contains("cloudtrail-lint-disable-next-block arn-syntax") == true)
    }

    @Test func fixLeavesSuppressedFindingsAlone() throws {
        let s = ConfigSandbox()
        defer { s.remove() }
        let kept = SampleLogs.log([SampleLogs.record(1)]).replacingOccurrences(of: "\n]}", with: ",\n]}")
        s.write(".cloudtrail-lint.json", #"{"suppress": [{"rule": "trailing-comma", "files": ["kept.json"], "reason": "kept as delivered"}]}"#)
        let a = s.write("kept.json", kept)
        let b = s.write("fixed.json", kept.replacingOccurrences(of: "9c6e-000000000001", with: "9c6e-000000000002"))
        let (status, console) = TestConsole.run(["fix", a, b])
        #expect(status == 0, "\(console.stderr)")
        #expect(s.read("kept.json") == kept)
        #expect(s.read("fixed.json") == SampleLogs.log([SampleLogs.record(2)]))
        #expect(console.stderr.contains("1 file fixed"), "\(console.stderr)")
        let run = try JSONRun.check([a])
        #expect(run.status == 0 && run.findings.isEmpty && run.summary["suppressed"] == 1, "\(run.shown)")
    }

    /// A log large enough to be fixed through the record window (1 MB and more): a suppression with a pointer keeps its
    /// record's trailing comma, and the other record's is fixed; without a pointer, the file's suppression keeps both.
    @Test(arguments: [true, false])
    func fixOfALargeLogLeavesSuppressedFindingsAlone(withPointer: Bool) throws {
        let s = ConfigSandbox()
        defer { s.remove() }
        var records = (0..<1_700).map { SampleLogs.record($0) }
        let first = 3, last = records.count - 3
        for i in [first, last] { records[i] = String(records[i].dropLast()) + ",}" }
        let text = SampleLogs.log(records)
        #expect(text.utf8.count > 1 << 20)
        let log = s.write("big.json", text)
        let scope = withPointer ? #", "pointer": "/Records/\#(first)""# : ""
        s.write(".cloudtrail-lint.json", #"{"suppress": [{"rule": "trailing-comma", "files": ["big.json"]\#(scope), "reason": "as delivered"}]}"#)
        let (status, console) = TestConsole.run(["fix", log])
        #expect(status == 0, "\(console.stderr)")
        var expected = records
        if withPointer { expected[last] = SampleLogs.record(last) }
        #expect(s.read("big.json") == SampleLogs.log(expected))
        #expect(console.stderr.contains(withPointer ? "1 file fixed" : "0 files fixed"), "\(console.stderr)")
    }

    // MARK: Reporting

    @Test func suppressedFindingsAreCountedAndCarriedBySARIF() throws {
        let s = ConfigSandbox()
        defer { s.remove() }
        s.write(".cloudtrail-lint.json", #"{"suppress": [{"rule": "region", "reason": "the test account's own region"}]}"#)
        let log = s.write("log.json", SampleLogs.log([SampleLogs.record(1, arn: SampleLogs.badARN, region: SampleLogs.badRegion), SampleLogs.record(2, region: SampleLogs.badRegion)]))
        let run = try JSONRun.check([log])
        #expect(run.rules == ["arn-syntax"])
        #expect(run.summary["suppressed"] == 2 && run.summary["errors"] == 1, "\(run.summary)")
        #expect(run.summary["baselined"] == nil, "no baseline in this run")
        let (_, text) = TestConsole.run(["check", log])
        #expect(text.stderr.contains("1 file checked: 1 error, 0 warnings, 0 infos; 2 suppressed"), "\(text.stderr)")
        let (_, sarif) = TestConsole.run(["check", "--format", "sarif", log])
        let results = try SARIFResults.results(sarif.stdout)
        #expect(results.count == 3)
        let regions = results.filter { $0["ruleId"] as? String == "region" }
        #expect(regions.count == 2)
        for r in regions {
            let marks = r["suppressions"] as? [[String: Any]]
            #expect(marks?.count == 1)
            #expect(marks?.first?["kind"] as? String == "external")
            #expect(marks?.first?["justification"] as? String == "the test account's own region")
        }
        #expect(results.first { $0["ruleId"] as? String == "arn-syntax" }?["suppressions"] == nil)
    }

    @Test func showSettingsPrintsTheConfigurationAndTheLevelsAfterOverrides() {
        let s = ConfigSandbox()
        defer { s.remove() }
        let config = s.write(".cloudtrail-lint.json", """
            {
              "ignore": ["region"],
              "severity": {"semantic": "warning"},
              "overrides": [
                {"files": ["logs/**"], "severity": {"arn-syntax": "error", "event-time": "info"}},
                {"files": ["other/**"], "severity": {"arn-syntax": "off"}}
              ],
              "suppress": [{"rule": "event-id", "files": ["logs/**"], "pointer": "/Records/0", "reason": "a sample"}]
            }
            """)
        let log = s.path("logs/x.json")
        let (status, console) = TestConsole.run(["check", "--show-settings", log])
        #expect(status == 0)
        let out = console.stdout
        #expect(out.contains("configuration: \(config)\n"), "\(out)")
        #expect(out.contains("overrides applied: #1 (logs/**)\n"), "\(out)")
        #expect(out.contains("  event-id at /Records/0: a sample\n"), "\(out)")
        let levels = Dictionary(out.split(separator: "\n").drop { $0 != "rules:" }.dropFirst().compactMap { line -> (String, String)? in
            let parts = line.split(separator: " ")
            return parts.count == 2 ? (String(parts[0]), String(parts[1])) : nil
        }, uniquingKeysWith: { a, _ in a })
        #expect(levels["arn-syntax"] == "error")
        #expect(levels["event-time"] == "info")
        #expect(levels["access-key-id"] == "warning")
        #expect(levels["region"] == "off")
        #expect(levels["trailing-comma"] == "error")
        // A flag shows too.
        let (_, flagged) = TestConsole.run(["check", "--show-settings", log, "--ignore", "trailing-comma", "--non-cloudtrail", "check"])
        #expect(flagged.stdout.contains("non-cloudtrail: check\n"))
        #expect(flagged.stdout.split(separator: "\n").contains { $0.split(separator: " ") == ["trailing-comma", "off"] }, "\(flagged.stdout)")
    }

    /// The shipped schema of `.cloudtrail-lint.json` names the keys the parser reads.
    @Test func theShippedSchemaListsTheConfigurationKeys() throws {
        let url = Repo.root.appendingPathComponent("Schemas/cloudtrail-lint-config.schema.json")
        guard FileManager.default.fileExists(atPath: url.path) else {
            // Not shipped yet (being written beside this branch): the assertion below runs once it lands.
            print("skipping: \(url.path) does not exist yet")
            return
        }
        let schema = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
        let properties = try #require(schema["properties"] as? [String: Any])
        #expect(Set(properties.keys) == Set(Configuration.keys), "schema: \(properties.keys.sorted()); parser: \(Configuration.keys.sorted())")
        #expect(schema["additionalProperties"] as? Bool == false, "an unknown key is an error for the parser")
    }
}

/// `--baseline` and `--write-baseline`.
extension ConfigurationTests {
    @Suite struct Baseline {
        /// Two `arn-syntax` findings (one key, count 2) and a `region` one.
        static func defects(from n: Int = 1) -> [String] {
            [SampleLogs.record(n, arn: SampleLogs.badARN), SampleLogs.record(n + 1, region: SampleLogs.badRegion), SampleLogs.record(n + 2, arn: SampleLogs.badARN)]
        }

        /// The entry lines of a baseline file (without the comma between them).
        static func entries(_ text: String) -> [String] {
            text.split(separator: "\n").filter { $0.hasPrefix("{\"path\"") }.map { String($0.hasSuffix(",") ? $0.dropLast() : $0) }
        }

        @Test func aWrittenBaselineHidesItsFindings() throws {
            let s = ConfigSandbox()
            defer { s.remove() }
            let log = s.write("logs/log.json", SampleLogs.log(Self.defects()))
            let baseline = s.path("baseline.json")
            let written = try JSONRun.check(["--write-baseline", baseline, log])
            #expect(written.findings.count == 3, "the run that writes it reports: \(written.shown)")
            #expect(written.console.stderr.contains("wrote 3 findings to the baseline"), "\(written.console.stderr)")
            #expect(Self.entries(s.read("baseline.json")).count == 2)
            #expect(s.read("baseline.json").contains(#""path":"logs/log.json""#), "paths relative to the baseline's directory")
            let run = try JSONRun.check(["--baseline", baseline, log])
            #expect(run.status == 0 && run.findings.isEmpty, "\(run.shown)")
            #expect(run.summary["baselined"] == 3 && run.summary["baselineFixed"] == 0, "\(run.summary)")
            #expect(run.console.stderr.contains("; 3 in the baseline"), "\(run.console.stderr)")
            // Not a baseline.
            let (status, console) = TestConsole.run(["check", "--baseline", s.write("bogus.json", "{\"findings\": 1}"), log])
            #expect(status == 2 && console.stderr.contains("not a baseline"), "\(console.stderr)")
        }

        @Test func theBaselineStillHoldsAfterRecordsAreInsertedBeforeItsFindings() throws {
            let s = ConfigSandbox()
            defer { s.remove() }
            let log = s.write("log.json", SampleLogs.log(Self.defects()))
            let baseline = s.path("baseline.json")
            _ = TestConsole.run(["check", "--write-baseline", baseline, log])
            s.write("log.json", SampleLogs.log((100..<150).map { SampleLogs.record($0) } + Self.defects()))
            let run = try JSONRun.check(["--baseline", baseline, log])
            #expect(run.status == 0 && run.findings.isEmpty, "\(run.shown)")
            #expect(run.summary["baselined"] == 3 && run.summary["baselineFixed"] == 0, "\(run.summary)")
            // One new defect: exactly it is reported, the rest stays hidden.
            var records = (100..<150).map { SampleLogs.record($0) } + Self.defects()
            records[20] = SampleLogs.record(120, eventTime: SampleLogs.badTime)
            s.write("log.json", SampleLogs.log(records))
            let added = try JSONRun.check(["--baseline", baseline, log])
            #expect(added.status == 1)
            #expect(added.findings.map { "\($0.rule) \($0.pointer)" } == ["event-time /Records/20/eventTime"], "\(added.shown)")
            #expect(added.summary["baselined"] == 3)
            // A third identical `arn-syntax` finding: the entry counts two.
            s.write("log.json", SampleLogs.log(Self.defects() + [SampleLogs.record(10, arn: SampleLogs.badARN)]))
            let third = try JSONRun.check(["--baseline", baseline, log])
            #expect(third.findings.count == 1 && third.findings.first?.rule == "arn-syntax", "\(third.shown)")
        }

        @Test func fixedFindingsAreCountedAndDroppedFromTheRewrittenBaseline() throws {
            let s = ConfigSandbox()
            defer { s.remove() }
            let log = s.write("log.json", SampleLogs.log(Self.defects()))
            let baseline = s.path("baseline.json")
            _ = TestConsole.run(["check", "--write-baseline", baseline, log])
            let before = Self.entries(s.read("baseline.json"))
            #expect(before.count == 2)
            // The region is fixed.
            s.write("log.json", SampleLogs.log([SampleLogs.record(1, arn: SampleLogs.badARN), SampleLogs.record(2), SampleLogs.record(3, arn: SampleLogs.badARN)]))
            let run = try JSONRun.check(["--baseline", baseline, log])
            #expect(run.status == 0 && run.findings.isEmpty, "\(run.shown)")
            #expect(run.summary["baselined"] == 2 && run.summary["baselineFixed"] == 1, "\(run.summary)")
            #expect(run.console.stderr.contains("1 baseline entry no longer found"), "\(run.console.stderr)")
            _ = TestConsole.run(["check", "--write-baseline", baseline, log])
            let after = Self.entries(s.read("baseline.json"))
            #expect(after.count == before.count - 1)
            #expect(after.allSatisfy { !$0.contains("\"region\"") }, "\(after)")
        }

        @Test func theBaselineFileIsSortedOneEntryPerLineAndDeterministic() throws {
            let s = ConfigSandbox()
            defer { s.remove() }
            let b = s.write("b.json", SampleLogs.log(Self.defects(from: 1)))
            let a = s.write("sub/a.json", SampleLogs.log([SampleLogs.record(10, eventTime: SampleLogs.badTime)] + Self.defects(from: 11)))
            let baseline = s.path("baseline.json")
            _ = TestConsole.run(["check", "--jobs", "4", "--write-baseline", baseline, b, a])
            let first = try Data(contentsOf: URL(fileURLWithPath: baseline))
            _ = TestConsole.run(["check", "--jobs", "1", "--write-baseline", baseline, a, b])
            #expect(try Data(contentsOf: URL(fileURLWithPath: baseline)) == first, "the same findings write the same bytes")
            let text = String(decoding: first, as: UTF8.self)
            let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            #expect(lines.first == "{\"version\": 1, \"findings\": [")
            #expect(lines.suffix(2) == ["]}", ""])
            // One entry per line, each a JSON object; sorted by path, rule, pointer and hash.
            let keys = try lines.dropFirst().dropLast(2).map { line -> [String] in
                let json = line.hasSuffix(",") ? String(line.dropLast()) : line
                let entry = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any], "\(line)")
                return ["path", "rule", "pointer", "hash"].map { entry[$0] as? String ?? "" }
            }
            #expect(keys.count == 5, "\(text)")
            #expect(keys == keys.sorted { $0.lexicographicallyPrecedes($1) }, "\(text)")
            #expect(keys.map { $0[0] } == ["b.json", "b.json", "sub/a.json", "sub/a.json", "sub/a.json"])
            #expect(keys.allSatisfy { $0[2].hasPrefix("/Records/*/") && $0[3].count == 8 && $0[3].allSatisfy(\.isHexDigit) }, "\(keys)")
        }

        @Test func entriesOfFilesNotCheckedAreKeptWhenRewriting() throws {
            let s = ConfigSandbox()
            defer { s.remove() }
            let a = s.write("a.json", SampleLogs.log(Self.defects(from: 1)))
            let b = s.write("b.json", SampleLogs.log(Self.defects(from: 11)))
            let baseline = s.path("baseline.json")
            _ = TestConsole.run(["check", "--write-baseline", baseline, a, b])
            let both = Self.entries(s.read("baseline.json"))
            #expect(both.count == 4)
            // `a.json`'s region fixed; only `a.json` checked: `b.json`'s entries are kept as they were.
            s.write("a.json", SampleLogs.log([SampleLogs.record(1, arn: SampleLogs.badARN), SampleLogs.record(2), SampleLogs.record(3, arn: SampleLogs.badARN)]))
            _ = TestConsole.run(["check", "--write-baseline", baseline, a])
            let rewritten = Self.entries(s.read("baseline.json"))
            #expect(rewritten.count == 3, "\(rewritten)")
            #expect(rewritten.filter { $0.contains(#""path":"b.json""#) } == both.filter { $0.contains(#""path":"b.json""#) })
            // And a run of `a.json` alone does not count `b.json`'s entries as fixed.
            let run = try JSONRun.check(["--baseline", baseline, a])
            #expect(run.findings.isEmpty && run.summary["baselineFixed"] == 0, "\(run.shown)")
        }

        @Test func entriesOfRulesNotRunAreNeitherFixedNorDropped() throws {
            let s = ConfigSandbox()
            defer { s.remove() }
            let log = s.write("log.json", SampleLogs.log(Self.defects()))
            let baseline = s.path("baseline.json")
            _ = TestConsole.run(["check", "--write-baseline", baseline, log])
            let full = s.read("baseline.json")
            // `arn-syntax` is not run: its entry is not "no longer found".
            let region = try JSONRun.check(["--select", "region", "--baseline", baseline, log])
            #expect(region.findings.isEmpty && region.summary["baselined"] == 1 && region.summary["baselineFixed"] == 0, "\(region.summary)")
            let syntax = try JSONRun.check(["--syntax-only", "--baseline", baseline, log])
            #expect(syntax.summary["baselined"] == nil && syntax.summary["baselineFixed"] == nil, "nothing to count: \(syntax.summary)")
            // The region is fixed: a run that does not look for it (a flag, a configuration's `off`) neither counts
            // its entry fixed nor drops it when it rewrites the baseline.
            s.write("log.json", SampleLogs.log([SampleLogs.record(1, arn: SampleLogs.badARN), SampleLogs.record(2), SampleLogs.record(3, arn: SampleLogs.badARN)]))
            #expect(try JSONRun.check(["--select", "arn-syntax", "--baseline", baseline, log]).summary["baselineFixed"] == 0)
            _ = TestConsole.run(["check", "--select", "arn-syntax", "--write-baseline", baseline, log])
            #expect(s.read("baseline.json") == full)
            s.write(".cloudtrail-lint.json", #"{"severity": {"region": "off"}}"#)
            #expect(try JSONRun.check(["--baseline", baseline, log]).summary["baselineFixed"] == 0)
            _ = TestConsole.run(["check", "--write-baseline", baseline, log])
            #expect(s.read("baseline.json") == full)
            // A run that looks for it does both.
            s.write(".cloudtrail-lint.json", "{}")
            #expect(try JSONRun.check(["--baseline", baseline, log]).summary["baselineFixed"] == 1)
            _ = TestConsole.run(["check", "--write-baseline", baseline, log])
            #expect(Self.entries(s.read("baseline.json")) == Self.entries(full).filter { !$0.contains(#""rule":"region""#) })
            // An entry of a rule that no longer exists is looked for, and never found.
            s.write("old.json", "{\"version\": 1, \"findings\": [{\"path\":\"log.json\",\"rule\":\"retired-rule\",\"pointer\":\"/Records/*\",\"hash\":\"00000000\"}]}\n")
            #expect(try JSONRun.check(["--no-config", "--baseline", s.path("old.json"), log]).summary["baselineFixed"] == 1)
        }

        @Test func theBaselineKeysOfTheConfiguration() throws {
            let s = ConfigSandbox()
            defer { s.remove() }
            let log = s.write("log.json", SampleLogs.log(Self.defects()))
            // Relative to the configuration's directory; run-wide keys, from `--config`.
            let config = s.write(".cloudtrail-lint.json", #"{"write-baseline": "ci/baseline.json"}"#)
            try FileManager.default.createDirectory(atPath: s.path("ci"), withIntermediateDirectories: true)
            _ = TestConsole.run(["check", "--config", config, log])
            #expect(Self.entries(s.read("ci/baseline.json")).count == 2)
            #expect(s.read("ci/baseline.json").contains(#""path":"../log.json""#))
            s.write(".cloudtrail-lint.json", #"{"baseline": "ci/baseline.json"}"#)
            let run = try JSONRun.check(["--config", config, log])
            #expect(run.status == 0 && run.findings.isEmpty && run.summary["baselined"] == 3, "\(run.shown)")
            let (_, settings) = TestConsole.run(["check", "--config", config, "--show-settings", log])
            #expect(settings.stdout.contains("baseline: \(s.path("ci/baseline.json"))\n"), "\(settings.stdout)")
            // A baseline that cannot be read stops the run.
            s.write(".cloudtrail-lint.json", #"{"baseline": "ci/missing.json"}"#)
            let (status, console) = TestConsole.run(["check", "--config", config, log])
            #expect(status == 2 && console.stderr.contains("cannot read the baseline"), "\(console.stderr)")
        }
    }
}

enum SARIFResults {
    /// The results of the first run of a SARIF log.
    static func results(_ text: String) throws -> [[String: Any]] {
        let object = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any], "\(text)")
        let run = try #require((object["runs"] as? [[String: Any]])?.first)
        return run["results"] as? [[String: Any]] ?? []
    }
}
