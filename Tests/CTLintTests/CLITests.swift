import CTLint
import CTInput
import Foundation
import CTTestSupport
import Testing

@Suite struct CLITests {
    static let record = #"{"eventVersion":"1.08","userIdentity":{"type":"IAMUser","principalId":"AIDAJ45Q7YFFAREXAMPLE","arn":"arn:aws:iam::123456789012:user/Alice","accountId":"123456789012","accessKeyId":"AKIAIOSFODNN7EXAMPLE","userName":"Alice"},"eventTime":"2024-03-01T12:00:00Z","eventSource":"s3.amazonaws.com","eventName":"ListBuckets","awsRegion":"us-east-1","sourceIPAddress":"192.0.2.10","userAgent":"aws-cli/2.15.0","requestParameters":null,"responseElements":null,"requestID":"3f7c2a1b9d8e7f60","eventID":"0b0a4d6c-31c4-4f44-9c6e-8f2a3b1c2d3e","readOnly":true,"eventType":"AwsApiCall","managementEvent":true,"recipientAccountId":"123456789012","eventCategory":"Management"}"#

    func write(_ text: String, _ name: String, in dir: URL) -> String {
        let url = dir.appendingPathComponent(name)
        try? FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        #expect(FileManager.default.createFile(atPath: url.path, contents: Data(text.utf8)))
        return url.path
    }

    @Test func cleanRecordExitsZero() {
        let dir = Repo.tempDirectory()
        defer { Repo.remove(dir) }
        let path = write(Self.record, "a.json", in: dir)
        let (status, console) = TestConsole.run(["check", path])
        #expect(console.stdout.isEmpty, "\(console.stdout)")
        #expect(status == 0)
        #expect(console.stderr.contains("1 file checked"))
    }

    @Test func errorsExitOneAndWarningsOnlyWithStrict() {
        let dir = Repo.tempDirectory()
        defer { Repo.remove(dir) }
        let bad = write(#"{"a": 1,}"#, "bad.json", in: dir)
        #expect(TestConsole.run(["--syntax-only", bad]).0 == 1)
        let dup = write(#"{"a": 1, "a": 1}"#, "dup.json", in: dir)
        #expect(TestConsole.run(["check", "--syntax-only", dup]).0 == 0)
        #expect(TestConsole.run(["check", "--syntax-only", "--strict", dup]).0 == 1)
    }

    @Test func unknownOptionSuggestsAndExitsTwo() {
        let (status, console) = TestConsole.run(["check", "--formt", "json", "x.json"])
        #expect(status == 2)
        #expect(console.stderr.contains("unknown option `--formt`"))
        #expect(console.stderr.contains("did you mean `--format`"))
        let (s2, c2) = TestConsole.run(["chek", "x.json"])
        #expect(s2 == 2 && c2.stderr.contains("did you mean `check`"))
        let (s3, c3) = TestConsole.run(["check", "--select", "arn-sintax", "x.json"])
        #expect(s3 == 2 && c3.stderr.contains("arn-syntax"))
    }

    @Test func unreadableInputExitsTwoAndOthersAreStillChecked() {
        let dir = Repo.tempDirectory()
        defer { Repo.remove(dir) }
        let bad = write(#"[1,]"#, "bad.json", in: dir)
        let (status, console) = TestConsole.run(["check", "--syntax-only", dir.appendingPathComponent("missing.json").path, bad])
        #expect(status == 2)
        #expect(console.stdout.contains("[read-error]"))
        #expect(console.stdout.contains("[trailing-comma]"))
    }

    @Test func corruptGzipIsReportedAndOthersChecked() {
        let dir = Repo.tempDirectory()
        defer { Repo.remove(dir) }
        let gz = dir.appendingPathComponent("x.json.gz")
        #expect(FileManager.default.createFile(atPath: gz.path, contents: Data([0x1f, 0x8b, 0x08, 0x00, 1, 2, 3])))
        let ok = write(Self.record, "ok.json", in: dir)
        let (status, console) = TestConsole.run(["check", gz.path, ok])
        #expect(status == 2)
        #expect(console.stdout.contains("[gzip-corrupt]"))
    }

    @Test func jsonOutputIsVersionOneWithPositions() throws {
        let dir = Repo.tempDirectory()
        defer { Repo.remove(dir) }
        let path = write("{\n  \"ñ\": \"日本\", \"b\": 2,\n}", "bad.json", in: dir)
        let (status, console) = TestConsole.run(["check", "--syntax-only", "--format", "json", path])
        #expect(status == 1)
        let object = try JSONSerialization.jsonObject(with: Data(console.stdout.utf8)) as! [String: Any]
        #expect(object["version"] as? Int == 1)
        let summary = object["summary"] as! [String: Any]
        #expect(summary["errors"] as? Int == 1)
        let d = (object["diagnostics"] as! [[String: Any]])[0]
        #expect(d["rule"] as? String == "trailing-comma")
        #expect(d["line"] as? Int == 2)
        // Columns count Unicode scalars: `  "ñ": "日本", "b": 2,` puts the comma at scalar column 20,
        // byte offset 26 (ñ is 2 bytes, 日本 6).
        #expect(d["column"] as? Int == 20)
        #expect(d["offset"] as? Int == 26)
        #expect(d["endOffset"] as? Int == 27)
        let fix = d["fix"] as! [String: Any]
        #expect(fix["applicability"] as? String == "safe")
        #expect(d["pointer"] as? String == "")
    }

    @Test func sarifOutputValidatesAgainstTheSchema() throws {
        let dir = Repo.tempDirectory()
        defer { Repo.remove(dir) }
        let path = write("{\"a\": 1, \"a\": 2,}", "x.json", in: dir)
        let (_, console) = TestConsole.run(["check", "--format", "sarif", path])
        let object = try JSONSerialization.jsonObject(with: Data(console.stdout.utf8)) as! [String: Any]
        #expect(object["version"] as? String == "2.1.0")
        let run = (object["runs"] as! [[String: Any]])[0]
        #expect(run["columnKind"] as? String == "unicodeCodePoints")
        let results = run["results"] as! [[String: Any]]
        #expect(results.contains { ($0["fixes"] as? [Any])?.isEmpty == false })
        try Self.validateSARIF(console.stdout)
    }

    /// Validates `sarif` against `../shared/reference/sarif/sarif-schema-2.1.0.json` with python's jsonschema (skips,
    /// saying why, when either is absent).
    static func validateSARIF(_ sarif: String) throws {
        guard let schema = SharedCorpus.directory("reference/sarif") else { return }
        let dir = Repo.tempDirectory()
        defer { Repo.remove(dir) }
        let out = dir.appendingPathComponent("out.sarif")
        try sarif.write(to: out, atomically: true, encoding: .utf8)
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["python3", "-c", """
            import json, sys
            try:
                import jsonschema
            except ImportError:
                print("skipping: python jsonschema absent"); sys.exit(0)
            schema = json.load(open(sys.argv[1])); doc = json.load(open(sys.argv[2]))
            jsonschema.validate(doc, schema); print("sarif valid")
            """, schema.appendingPathComponent("sarif-schema-2.1.0.json").path, out.path]
        try p.run()
        p.waitUntilExit()
        #expect(p.terminationStatus == 0, "SARIF output does not validate against the SARIF 2.1.0 schema")
    }

    @Test func githubOutputEscapes() {
        let dir = Repo.tempDirectory()
        defer { Repo.remove(dir) }
        let path = write("[1,]", "a,b.json", in: dir)
        let (_, console) = TestConsole.run(["check", "--syntax-only", "--format", "github", path])
        #expect(console.stdout.hasPrefix("::error file="))
        #expect(console.stdout.contains("a%2Cb.json,line=1,col=3"))
        #expect(console.stdout.contains("title=trailing-comma::"))
    }

    @Test func corruptGzipOnStandardInputIsReported() {
        let (status, console) = TestConsole.run(["check", "-"], stdin: [0x1f, 0x8b, 0x08, 0x00, 1, 2, 3])
        #expect(status == 2)
        #expect(console.stdout.contains("<stdin>:1:1: error:") && console.stdout.contains("[gzip-corrupt]"))
    }

    @Test func standardInputIsChecked() {
        let (status, console) = TestConsole.run(["check", "--syntax-only", "-"], stdin: Array("[1 2]".utf8))
        #expect(status == 1)
        #expect(console.stdout.contains("<stdin>:1:3: error: missing comma between elements [missing-comma]"))
    }

    @Test func outputIsDeterministicWhateverTheParallelism() {
        let fixtures = Repo.root.appendingPathComponent("Fixtures").path
        let (_, a) = TestConsole.run(["check", "--jobs", "1", "--format", "json", fixtures])
        let (_, b) = TestConsole.run(["check", "--jobs", "4", "--format", "json", fixtures])
        let (_, c) = TestConsole.run(["check", "--jobs", "4", "--format", "json", fixtures])
        #expect(a.stdout == b.stdout)
        #expect(b.stdout == c.stdout)
        #expect(a.stdout.count > 100)
    }

    @Test func colorHonoursNoColor() {
        let dir = Repo.tempDirectory()
        defer { Repo.remove(dir) }
        let path = write("[1,]", "a.json", in: dir)
        let (_, colored) = TestConsole.run(["check", "--syntax-only", "--color", "always", path])
        #expect(colored.stdout.contains("\u{1B}["))
        let (_, plain) = TestConsole.run(["check", "--syntax-only", path], env: ["NO_COLOR": "1"])
        #expect(!plain.stdout.contains("\u{1B}["))
    }

    @Test func showSourcePrintsACodeFrame() {
        let dir = Repo.tempDirectory()
        defer { Repo.remove(dir) }
        let path = write("{\n  \"a\": 1,\n}\n", "a.json", in: dir)
        let (_, console) = TestConsole.run(["check", "--syntax-only", "--show-source", path])
        #expect(console.stdout.contains(" 2 |   \"a\": 1,\n"))
        #expect(console.stdout.contains("   |         ^\n"))
        #expect(console.stdout.contains("= help: Remove the trailing comma"))
    }

    @Test func rulesExplainAndSchemaCommands() {
        let (s1, rules) = TestConsole.run(["rules"])
        #expect(s1 == 0 && rules.stdout.contains("trailing-comma") && rules.stdout.contains("missing-field"))
        let (s2, explain) = TestConsole.run(["explain", "trailing-comma"])
        #expect(s2 == 0 && explain.stdout.contains("Invalid"))
        let (s3, bad) = TestConsole.run(["explain", "trailing-coma"])
        #expect(s3 == 2 && bad.stderr.contains("did you mean `trailing-comma`"))
        let (s4, list) = TestConsole.run(["schema", "--list"])
        #expect(s4 == 0 && list.stdout.contains("cloudtrail-1.10.schema.json"))
        let (s5, schema) = TestConsole.run(["schema", "1.10"])
        #expect(s5 == 0 && schema.stdout.contains("\"$schema\""))
        #expect(schema.stdout.contains("cloudtrail-1.10.schema.json"))
    }

    @Test func readmeRuleTableIsInSync() throws {
        let readme = try String(contentsOf: Repo.root.appendingPathComponent("README.md"), encoding: .utf8)
        #expect(readme.contains(RuleCatalog.markdownTable()), "README rule table is stale: paste `cloudtrail-lint rules --format markdown`")
    }
}

@Suite struct FixCommandTests {
    func temp(_ text: String, _ name: String = "a.json", mode: Int = 0o640) -> String {
        let dir = Repo.tempDirectory()
        let path = dir.appendingPathComponent(name).path
        #expect(FileManager.default.createFile(atPath: path, contents: Data(text.utf8), attributes: [.posixPermissions: mode]))
        return path
    }

    @Test func fixRewritesAtomicallyAndKeepsPermissions() throws {
        let path = temp("{\r\n  \"a\": [1, 2,],\r\n  'b': \"x\"\r\n}")
        defer { Repo.remove(URL(fileURLWithPath: path).deletingLastPathComponent()) }
        let (status, console) = TestConsole.run(["fix", "--syntax-only", path])
        #expect(status == 0, "\(console.stderr)")
        let text = try String(contentsOfFile: path, encoding: .utf8)
        #expect(text == "{\r\n  \"a\": [1, 2],\r\n  \"b\": \"x\"\r\n}")
        let mode = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
        #expect(mode == 0o640)
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: (path as NSString).deletingLastPathComponent)
        #expect(leftovers == ["a.json"])
    }

    @Test func fixRewritesGzipInputsCompressed() throws {
        let dir = Repo.tempDirectory()
        defer { Repo.remove(dir) }
        let path = dir.appendingPathComponent("log.json.gz").path
        let original = "{\"Records\": [1, 2,]}\n"
        let compressed = Data(try Gzip.compress(Array(original.utf8)).get())
        #expect(FileManager.default.createFile(atPath: path, contents: compressed, attributes: [.posixPermissions: 0o600]))
        let (status, console) = TestConsole.run(["fix", "--syntax-only", path])
        #expect(status == 0, "\(console.stderr)")
        let written = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        #expect(Gzip.isGzip(written))
        #expect(String(decoding: try Gzip.decompress(written).get(), as: UTF8.self) == "{\"Records\": [1, 2]}\n")
        #expect(try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int == 0o600)
        // Nothing left to fix: the file is not touched again.
        let (again, _) = TestConsole.run(["fix", "--syntax-only", path])
        #expect(again == 0)
        #expect([UInt8](try Data(contentsOf: URL(fileURLWithPath: path))) == written)
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["log.json.gz"])
    }

    @Test func unsafeFixesOnlyWhenAsked() throws {
        let path = temp("{\"a\": 1, // note\n\"b\": 2}")
        defer { Repo.remove(URL(fileURLWithPath: path).deletingLastPathComponent()) }
        _ = TestConsole.run(["fix", "--syntax-only", path])
        #expect(try String(contentsOfFile: path, encoding: .utf8).contains("// note"))
        _ = TestConsole.run(["fix", "--syntax-only", "--unsafe-fixes", path])
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "{\"a\": 1,\n\"b\": 2}")
    }

    @Test func diffAndCheckWriteNothing() throws {
        let original = "[1,\n 2,\n]\n"
        let path = temp(original)
        defer { Repo.remove(URL(fileURLWithPath: path).deletingLastPathComponent()) }
        let (s1, diff) = TestConsole.run(["fix", "--syntax-only", "--diff", path])
        #expect(s1 == 1)
        #expect(diff.stdout.contains("- 2,\n+ 2\n"))
        let (s2, check) = TestConsole.run(["fix", "--syntax-only", "--check", path])
        #expect(s2 == 1 && check.stdout.contains("would fix"))
        #expect(try String(contentsOfFile: path, encoding: .utf8) == original)
    }

    @Test func unrepairableFileIsLeftUntouched() throws {
        let original = "{\"a\": 1, \"b\" = = = }"
        let path = temp(original)
        defer { Repo.remove(URL(fileURLWithPath: path).deletingLastPathComponent()) }
        let (status, _) = TestConsole.run(["fix", "--syntax-only", path])
        #expect(status == 1)
        let (unsafeStatus, console) = TestConsole.run(["fix", "--syntax-only", "--unsafe-fixes", path])
        #expect(unsafeStatus == 1)
        #expect(console.stderr.contains("not rewritten"))
        #expect(try String(contentsOfFile: path, encoding: .utf8) == original)
    }

    @Test func stdinFixGoesToStdout() {
        let (_, console) = TestConsole.run(["fix", "--syntax-only", "-"], stdin: Array("[1,]".utf8))
        #expect(console.stdoutBytes == Array("[1]".utf8))
    }

    @Test func formatKeepsSpellingAndIsIdempotent() throws {
        let path = temp("{\"n\": 1.50e+3, \"s\": \"\\u00e9\\n\", \"z\": [], \"o\": {\"k\": true}}")
        defer { Repo.remove(URL(fileURLWithPath: path).deletingLastPathComponent()) }
        #expect(TestConsole.run(["format", "--indent", "2", path]).0 == 0)
        let once = try String(contentsOfFile: path, encoding: .utf8)
        #expect(once == "{\n  \"n\": 1.50e+3,\n  \"s\": \"\\u00e9\\n\",\n  \"z\": [],\n  \"o\": {\n    \"k\": true\n  }\n}\n")
        _ = TestConsole.run(["format", path])
        #expect(try String(contentsOfFile: path, encoding: .utf8) == once)
        _ = TestConsole.run(["format", "--compact", path])
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "{\"n\":1.50e+3,\"s\":\"\\u00e9\\n\",\"z\":[],\"o\":{\"k\":true}}\n")
    }

    @Test func markdownFixKeepsTheRestOfThePage() throws {
        let page = "# Title\n\nText.\n\n1. Step:\n\n   ```\n   {\"a\": 1,\n    \"b\": [1, 2,],}\n   ```\n\nMore text.\n"
        let path = temp(page, "doc.md")
        defer { Repo.remove(URL(fileURLWithPath: path).deletingLastPathComponent()) }
        _ = TestConsole.run(["fix", "--syntax-only", path])
        #expect(try String(contentsOfFile: path, encoding: .utf8)
                == "# Title\n\nText.\n\n1. Step:\n\n   ```\n   {\"a\": 1,\n    \"b\": [1, 2]}\n   ```\n\nMore text.\n")
    }

    @Test func formatKeepsEachMarkdownBlocksIndentation() throws {
        let page = "Intro\n\n- item:\n\n  ```json\n  {\"a\":1,\"b\":[true,null]}\n  ```\n\nEnd\n"
        let path = temp(page, "doc.md")
        defer { Repo.remove(URL(fileURLWithPath: path).deletingLastPathComponent()) }
        #expect(TestConsole.run(["format", "--indent", "2", path]).0 == 0)
        let once = try String(contentsOfFile: path, encoding: .utf8)
        #expect(once == "Intro\n\n- item:\n\n  ```json\n  {\n    \"a\": 1,\n    \"b\": [\n      true,\n      null\n    ]\n  }\n  ```\n\nEnd\n")
        _ = TestConsole.run(["format", "--indent", "2", path])
        #expect(try String(contentsOfFile: path, encoding: .utf8) == once)
    }
}

@Suite struct GzipBombTests {
    @Test func aGzipBombStopsAtTheLimitWithAClearDiagnostic() throws {
        let dir = Repo.tempDirectory()
        defer { Repo.remove(dir) }
        let bomb = dir.appendingPathComponent("bomb.json.gz")
        // 64 MiB of spaces compress to about 64 KiB.
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/bin/sh")
        p.arguments = ["-c", "head -c 67108864 /dev/zero | tr '\\0' ' ' | gzip -c > '\(bomb.path)'"]
        try p.run()
        p.waitUntilExit()
        let size = try FileManager.default.attributesOfItem(atPath: bomb.path)[.size] as? Int ?? 0
        #expect(size > 0 && size < 1 << 20)
        let ok = dir.appendingPathComponent("ok.json")
        #expect(FileManager.default.createFile(atPath: ok.path, contents: Data("[1,]".utf8)))
        let (status, console) = TestConsole.run(["check", "--syntax-only", "--max-decompressed-size", "1M", bomb.path, ok.path])
        #expect(status == 2)
        #expect(console.stdout.contains("bomb.json.gz:1:1: error: not checked: decompressed data exceeds 1048576 bytes"))
        #expect(console.stdout.contains("[gzip-corrupt]"))
        #expect(console.stdout.contains("ok.json:1:3: error: trailing comma"))
        let (bad, usage) = TestConsole.run(["check", "--max-decompressed-size", "lots", ok.path])
        #expect(bad == 2 && usage.stderr.contains("--max-decompressed-size"))
    }
}

@Suite struct FindingDedupTests {
    @Test func aValueIsReportedOnceByTheRuleThatNamesTheMistake() {
        let record = CLITests.record.replacingOccurrences(of: "arn:aws:iam::123456789012:user/Alice",
                                                          with: "arn:aws:sts::123456789012:user/Alice")
        let found = Linter().lint(Array(record.utf8), format: .json)
        let atARN = found.filter { record.utf8.dropFirst($0.range.start).starts(with: "\"arn:aws:sts".utf8) }
        #expect(atARN.map(\.rule) == [.arnIdentityMismatch])
        #expect(atARN.first?.severity == .error)
    }
}

@Suite struct JSONLinesFixTests {
    @Test func eachLineIsFixedAndTheLayoutBetweenLinesKept() {
        let input = "{\"a\": 1,}\r\n\n  \n[1 2]\n{\"ok\": true}"
        let fixer = Fixer(linter: Linter(selection: RuleSelection(syntaxOnly: true)), includeUnsafe: false)
        let out = fixer.fix(Array(input.utf8), format: .jsonLines)
        #expect(String(decoding: out.output, as: UTF8.self) == "{\"a\": 1}\r\n\n  \n[1, 2]\n{\"ok\": true}")
        #expect(out.applied == [.trailingComma: 1, .missingComma: 1])
        let formatted = Formatter(layout: .compact).format(jsonLines: out.output)
        #expect(formatted.map { String(decoding: $0, as: UTF8.self) } == "{\"a\":1}\n[1,2]\n{\"ok\":true}\n")
    }
}


/// Run control: `--exit-zero`, `--max-warnings`, `--statistics`, `--output-file`.
@Suite struct RunControlTests {
    let cli = CLITests()

    @Test func exitZeroStillFailsOnUnreadableInput() {
        let dir = Repo.tempDirectory()
        defer { Repo.remove(dir) }
        let bad = cli.write(#"{"Records": [],}"#, "bad.json", in: dir)
        #expect(TestConsole.run(["check", bad]).0 == 1)
        #expect(TestConsole.run(["check", "--exit-zero", bad]).0 == 0)
        let missing = dir.appendingPathComponent("missing.json").path
        #expect(TestConsole.run(["check", "--exit-zero", bad, missing]).0 == 2)
    }

    @Test func maxWarningsFailsPastTheLimit() {
        let dir = Repo.tempDirectory()
        defer { Repo.remove(dir) }
        let dup = cli.write(#"{"a": 1, "a": 1}"#, "dup.json", in: dir)
        #expect(TestConsole.run(["check", "--syntax-only", dup]).0 == 0)
        #expect(TestConsole.run(["check", "--syntax-only", "--max-warnings", "1", dup]).0 == 0)
        #expect(TestConsole.run(["check", "--syntax-only", "--max-warnings", "0", dup]).0 == 1)
        #expect(TestConsole.run(["check", "--syntax-only", "--max-warnings", "0", "--exit-zero", dup]).0 == 0)
        let (status, console) = TestConsole.run(["check", "--max-warnings", "many", dup])
        #expect(status == 2 && console.stderr.contains("--max-warnings"))
    }

    @Test func statisticsCountPerRuleMostFrequentFirst() throws {
        let dir = Repo.tempDirectory()
        defer { Repo.remove(dir) }
        let a = cli.write(#"{"a": 1,} "#, "a.json", in: dir)
        let b = cli.write("[1,]\n", "b.json", in: dir)
        let c = cli.write(#"{"a": 1, "a": 2, 'b': 3}"#, "c.json", in: dir)
        let (status, console) = TestConsole.run(["check", "--syntax-only", "--statistics", a, b, c])
        #expect(status == 1)
        let lines = console.stdout.split(separator: "\n").map(String.init)
        #expect(lines.first?.contains("trailing-comma") == true, "\(lines)")
        #expect(lines.first?.hasPrefix("      2  trailing-comma") == true, "\(lines)")
        #expect(lines.first?.contains("[2 fixable]") == true)
        #expect(lines.contains { $0.contains("duplicate-key") })
        #expect(!console.stdout.contains("a.json"), "no findings listed")
        let (_, json) = TestConsole.run(["check", "--syntax-only", "--statistics", "--format", "json", a, b, c])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        let rows = try #require(object["statistics"] as? [[String: Any]])
        #expect(rows.first?["rule"] as? String == "trailing-comma")
        #expect(rows.first?["count"] as? Int == 2)
        #expect(TestConsole.run(["check", "--statistics", "--format", "sarif", a]).0 == 2)
    }

    @Test func outputFileHoldsTheReport() throws {
        let dir = Repo.tempDirectory()
        defer { Repo.remove(dir) }
        let bad = cli.write(#"{"Records": [],}"#, "bad.json", in: dir)
        let out = dir.appendingPathComponent("report.json").path
        let (status, console) = TestConsole.run(["check", "--format", "json", "--output-file", out, bad])
        #expect(status == 1)
        #expect(console.stdout.isEmpty)
        #expect(console.stderr.contains("1 file checked"))
        let written = try String(contentsOfFile: out, encoding: .utf8)
        #expect(written.contains("trailing-comma"))
        #expect(try JSONSerialization.jsonObject(with: Data(written.utf8)) is [String: Any])
        // Replaced, not appended, on the next run.
        _ = TestConsole.run(["check", "--format", "json", "--output-file", out, bad])
        #expect(try String(contentsOfFile: out, encoding: .utf8) == written)
        let nowhere = dir.appendingPathComponent("no/such/dir/report.txt").path
        let (s2, c2) = TestConsole.run(["check", "--output-file", nowhere, bad])
        #expect(s2 == 2 && c2.stderr.contains("cannot write the report"))
        #expect(!FileManager.default.fileExists(atPath: nowhere))
    }
}

/// `--exclude` and `--extend-exclude`: what directory walks pass over.
@Suite struct ExcludeTests {
    let cli = CLITests()

    @Test func walksPassOverExcludedEntriesButNamedFilesAreChecked() {
        let dir = Repo.tempDirectory()
        defer { Repo.remove(dir) }
        let bad = #"{"a": 1,}"#
        _ = cli.write(CLITests.record, "logs/a.json", in: dir)
        let vendored = cli.write(bad, "logs/node_modules/pkg/package.json", in: dir)
        _ = cli.write(bad, "logs/build/out.json", in: dir)
        _ = cli.write(bad, "logs/tmp-1.json", in: dir)
        let root = dir.appendingPathComponent("logs").path
        // The defaults pass over node_modules; the rest is checked.
        var (status, console) = TestConsole.run(["check", "--syntax-only", "-v", root])
        #expect(status == 1)
        #expect(console.stderr.contains("3 files checked"), "\(console.stderr)")
        #expect(console.stderr.contains("excluded by `node_modules`"))
        // --extend-exclude adds a name glob and a folder by path.
        (status, console) = TestConsole.run(["check", "--syntax-only", "--extend-exclude", "tmp-*.json", "--extend-exclude", "*/build/", root])
        #expect(status == 0, "\(console.stdout)")
        #expect(console.stderr.contains("1 file checked"))
        // --exclude replaces the defaults.
        (status, console) = TestConsole.run(["check", "--syntax-only", "--exclude", "build", "--exclude", "tmp-*", root])
        #expect(status == 1)
        #expect(console.stderr.contains("2 files checked"), "\(console.stderr)")
        #expect(console.stdout.contains("package.json"))
        // A file named as an operand is checked whatever the globs.
        (status, console) = TestConsole.run(["check", "--syntax-only", vendored])
        #expect(status == 1)
        #expect(TestConsole.run(["check", "--exclude", "", root]).0 == 2)
    }
}

/// `--stdin-filename`: standard input reported, detected and checked as a file of that name.
@Suite struct StdinFilenameTests {
    static let logName = "AWSLogs/111122223333/CloudTrail/us-east-1/2024/03/01/111122223333_CloudTrail_us-east-1_20240301T1200Z_abcdEFGH12345678.json"

    @Test func standardInputTakesTheNamesChecksAndFormat() {
        let log = Array(#"{"Records":[\#(CLITests.record)]}"#.utf8)
        // As plain standard input: no file name, no file-location check.
        var (status, console) = TestConsole.run(["check", "-"], stdin: log)
        #expect(status == 0 && console.stdout.isEmpty, "\(console.stdout)")
        // Named as another account's log: reported under that name, with the file-location finding.
        (status, console) = TestConsole.run(["check", "--stdin-filename", Self.logName, "-"], stdin: log)
        #expect(console.stdout.hasPrefix(Self.logName + ":1:"), "\(console.stdout)")
        #expect(console.stdout.contains("[file-location]"))
        // Two records on two lines: JSON Lines by the name, trailing content as JSON.
        let lines = Array((CLITests.record + "\n" + CLITests.record.replacingOccurrences(of: "0b0a4d6c", with: "1b0a4d6c") + "\n").utf8)
        #expect(TestConsole.run(["check", "--stdin-filename", "records.jsonl", "-"], stdin: lines).0 == 0)
        #expect(TestConsole.run(["check", "--stdin-filename", "records.json", "-"], stdin: lines).0 == 1)
        #expect(TestConsole.run(["check", "--stdin-filename", "", "-"], stdin: lines).0 == 2)
        // fix reads the name too, and still writes standard output.
        let (fixStatus, fixed) = TestConsole.run(["fix", "--stdin-filename", "records.jsonl", "-"], stdin: lines)
        #expect(fixStatus == 0)
        #expect(fixed.stdoutBytes == lines)
    }
}

/// Directory walks pass over what git ignores; a file named as an operand is checked all the same.
@Suite struct GitIgnoreTests {
    let cli = CLITests()

    @Test func ignoredFilesAndFoldersArePassedOver() {
        let dir = Repo.tempDirectory()
        defer { Repo.remove(dir) }
        let bad = #"{"a": 1,}"#
        try? FileManager.default.createDirectory(at: dir.appendingPathComponent("repo/.git/info"), withIntermediateDirectories: true)
        _ = cli.write("build/\n*.tmp.json\n!keep.tmp.json\n/rootonly.json\n# a comment\n\nlogs/**/cache/\n", "repo/.gitignore", in: dir)
        _ = cli.write("secret.json\n", "repo/.git/info/exclude", in: dir)
        _ = cli.write(CLITests.record, "repo/logs/a.json", in: dir)
        _ = cli.write(bad, "repo/build/out.json", in: dir)
        let tmp = cli.write(bad, "repo/logs/x.tmp.json", in: dir)
        _ = cli.write(CLITests.record, "repo/logs/keep.tmp.json", in: dir)
        _ = cli.write(bad, "repo/rootonly.json", in: dir)
        _ = cli.write(CLITests.record, "repo/logs/rootonly.json", in: dir)
        _ = cli.write(bad, "repo/logs/2024/cache/c.json", in: dir)
        _ = cli.write(bad, "repo/logs/secret.json", in: dir)
        _ = cli.write("*.json\n!b.json\n", "repo/logs/sub/.gitignore", in: dir)
        _ = cli.write(bad, "repo/logs/sub/a.json", in: dir)
        _ = cli.write(CLITests.record, "repo/logs/sub/b.json", in: dir)
        let repo = dir.appendingPathComponent("repo").path
        // a.json, keep.tmp.json, logs/rootonly.json and sub/b.json: all clean.
        var (status, console) = TestConsole.run(["check", "--syntax-only", "-v", repo])
        #expect(status == 0, "\(console.stdout)")
        #expect(console.stderr.contains("4 files checked"), "\(console.stderr)")
        #expect(console.stderr.contains("ignored by git"))
        // From a subdirectory, the repository's .gitignore still applies.
        (status, console) = TestConsole.run(["check", "--syntax-only", dir.appendingPathComponent("repo/logs").path])
        #expect(status == 0 && console.stderr.contains("4 files checked"), "\(console.stdout)\(console.stderr)")
        // Named, an ignored file is checked; --no-respect-gitignore takes everything.
        #expect(TestConsole.run(["check", "--syntax-only", tmp]).0 == 1)
        (status, console) = TestConsole.run(["check", "--syntax-only", "--no-respect-gitignore", repo])
        #expect(status == 1 && console.stderr.contains("10 files checked"), "\(console.stderr)")
    }

    @Test func patternsFollowGitignore() {
        let rules = GitIgnore.parse("a/**/b\n**/c\nd/\n*.log\n\\#x\n trailing  \n")
        #expect(rules.count == 6)
        #expect(GitIgnore.match(rules[0].segments[...], ["a", "b"][...]))
        #expect(GitIgnore.match(rules[0].segments[...], ["a", "x", "y", "b"][...]))
        #expect(!GitIgnore.match(rules[0].segments[...], ["a", "x", "c"][...]))
        #expect(GitIgnore.match(rules[1].segments[...], ["x", "y", "c"][...]))
        #expect(rules[2].directoryOnly && !rules[2].anchored)
        #expect(rules[4].segments == ["#x"])
        // Hostile patterns: repeated `**` collapse, too many are dropped, and matching a deep path stays quick.
        let hostile = GitIgnore.parse("a/**/**/**/b\n" + Array(repeating: "**", count: 9).joined(separator: "/x/") + "\n" + String(repeating: "*a", count: 40) + "\n")
        #expect(hostile.count == 1 && hostile[0].segments == ["a", "**", "b"])
        let deep = Array(repeating: "x", count: 200)[...]
        #expect(!GitIgnore.match(hostile[0].segments[...], deep))
    }
}
