import CTCore
import CTLint
import CTTestSupport
import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing

/// The formats CI systems read (JUnit XML, GitLab Code Quality, SARIF for code scanning, GitHub annotations, concise
/// lines) and code frames cut to the terminal.
@Suite struct CIFormatTests {
    static let record = CLITests.record

    func write(_ text: String, _ name: String, in dir: URL) -> String {
        let url = dir.appendingPathComponent(name)
        try? FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        #expect(FileManager.default.createFile(atPath: url.path, contents: Data(text.utf8)))
        return url.path
    }

    /// A log of `count` copies of the record, the ones at `bad` in an unknown region.
    static func log(_ count: Int, bad: Set<Int>) -> String {
        let records = (0..<count).map { i in bad.contains(i) ? record.replacingOccurrences(of: "us-east-1", with: "mars-west-9") : record }
        return "{\"Records\":[" + records.joined(separator: ",") + "]}"
    }

    // MARK: JUnit

    final class JUnitCollector: NSObject, XMLParserDelegate {
        var elements: [(name: String, attributes: [String: String])] = []
        var failureTexts: [String] = []
        private var inFailure = false
        func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
                    attributes: [String: String] = [:]) {
            elements.append((name, attributes))
            if name == "failure" { inFailure = true; failureTexts.append("") }
        }
        func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
            if name == "failure" { inFailure = false }
        }
        func parser(_ parser: XMLParser, foundCharacters string: String) {
            if inFailure { failureTexts[failureTexts.count - 1] += string }
        }
    }

    @Test func junitHasOneCasePerFileAndOneFailurePerFinding() throws {
        let dir = Repo.tempDirectory()
        defer { Repo.remove(dir) }
        let clean = write("[1]", "clean.json", in: dir)
        let bad = write("{\"a\": 1, \"a\": 2,}", "a&<b>\"'.json", in: dir)
        // A value holding a control character, a bidi override and markup reaches the message.
        let hostile = write(#"{"eventVersion":"1.08","awsRegion":"x\u0001\u202e</failure><y&"}"#, "h.json", in: dir)
        let (status, console) = TestConsole.run(["check", "--format", "junit", "--select", "syntax,region", clean, bad, hostile])
        #expect(status == 1)
        let parser = XMLParser(data: Data(console.stdout.utf8))
        let collector = JUnitCollector()
        parser.delegate = collector
        #expect(parser.parse(), "JUnit output is not well-formed XML: \(String(describing: parser.parserError))")
        let names = collector.elements.map(\.name)
        #expect(names.first == "testsuites")
        #expect(names.filter { $0 == "testsuite" }.count == 1)
        let suite = try #require(collector.elements.first { $0.name == "testsuite" }).attributes
        let cases = collector.elements.filter { $0.name == "testcase" }.map(\.attributes)
        let failures = collector.elements.filter { $0.name == "failure" }.map(\.attributes)
        #expect(suite["name"] == "cloudtrail-lint")
        #expect(suite["tests"] == "3" && suite["failures"] == "\(failures.count)" && suite["errors"] == "0")
        #expect(cases.map { $0["name"] } == [clean, bad, hostile])
        #expect(cases.allSatisfy { $0["classname"] == "cloudtrail-lint" })
        #expect(failures.count >= 3)
        #expect(failures.allSatisfy { $0["message"]?.isEmpty == false && $0["type"]?.isEmpty == false })
        #expect(failures.contains { $0["type"] == "duplicate-key" } && failures.contains { $0["type"] == "trailing-comma" })
        #expect(collector.failureTexts.contains { $0.hasPrefix("\(bad):1:") && $0.hasSuffix("[trailing-comma]") })
        // The clean file's case is empty: it passes.
        #expect(console.stdout.contains("<testcase classname=\"cloudtrail-lint\" name=\"\(clean)\"/>"))
        // Controls and bidi are written out, markup is escaped.
        #expect(console.stdout.unicodeScalars.allSatisfy { $0 == "\n" || !VisibleText.needsEscape($0) })
        #expect(collector.failureTexts.contains { $0.contains("\\u0001\\u202e</failure><y&") })
    }

    @Test func junitEscapesWhatXMLCannotHold() {
        #expect(Reporters.xmlEscaped("a&b<c>d\"e'f") == "a&amp;b&lt;c&gt;d&quot;e&apos;f")
        #expect(Reporters.xmlEscaped("\u{0}\u{8}\r\n\u{FFFE}\u{FFFF}\u{2066}é") == "\\u0000\\u0008\\u000d\\u000a\\ufffe\\uffff\\u2066é")
    }

    // MARK: GitLab Code Quality and fingerprints

    func gitlabIssues(_ stdout: String) throws -> [[String: Any]] {
        try #require(JSONSerialization.jsonObject(with: Data(stdout.utf8)) as? [[String: Any]])
    }

    @Test func gitlabReportHasTheCodeQualityFields() throws {
        let dir = Repo.tempDirectory()
        defer { Repo.remove(dir) }
        let path = write(Self.log(4, bad: [1, 3]), "log.json", in: dir)
        let (status, console) = TestConsole.run(["check", "--format", "gitlab", "--select", "region", path])
        #expect(status == 0)
        let issues = try gitlabIssues(console.stdout)
        #expect(issues.count == 2)
        for issue in issues {
            #expect((issue["description"] as? String)?.contains("mars-west-9") == true)
            #expect(issue["check_name"] as? String == "region")
            #expect(["info", "minor", "major", "critical", "blocker"].contains(issue["severity"] as? String ?? ""))
            let location = try #require(issue["location"] as? [String: Any])
            #expect((location["path"] as? String)?.hasSuffix("log.json") == true)
            #expect((location["lines"] as? [String: Any])?["begin"] as? Int == 1)
        }
        // The two findings share a baseline key: their fingerprints still differ.
        let prints = issues.compactMap { $0["fingerprint"] as? String }
        #expect(Set(prints).count == 2 && prints.allSatisfy { $0.count == 32 })
        // A clean run is an empty array.
        let (_, empty) = TestConsole.run(["check", "--format", "gitlab", "--select", "region", write(Self.record, "ok.json", in: dir)])
        #expect(try gitlabIssues(empty.stdout).isEmpty)
    }

    @Test func fingerprintsSurviveRecordsAddedAroundAndMatchSARIF() throws {
        let dir = Repo.tempDirectory()
        defer { Repo.remove(dir) }
        let path = write(Self.log(3, bad: [1]), "log.json", in: dir)
        let (_, before) = TestConsole.run(["check", "--format", "gitlab", "--select", "region", path])
        _ = write(Self.log(6, bad: [4]), "log.json", in: dir)
        let (_, after) = TestConsole.run(["check", "--format", "gitlab", "--select", "region", path])
        let (_, sarif) = TestConsole.run(["check", "--format", "sarif", "--select", "region", path])
        let print1 = try gitlabIssues(before.stdout).compactMap { $0["fingerprint"] as? String }
        let print2 = try gitlabIssues(after.stdout).compactMap { $0["fingerprint"] as? String }
        #expect(print1.count == 1 && print1 == print2)
        let doc = try #require(JSONSerialization.jsonObject(with: Data(sarif.stdout.utf8)) as? [String: Any])
        let results = try #require(((doc["runs"] as? [[String: Any]])?.first)?["results"] as? [[String: Any]])
        #expect(results.map { ($0["partialFingerprints"] as? [String: String])?["cloudtrailLint/v1"] } == print2)
        // The baseline's key is the same; only the occurrence tells identical findings apart.
        let key = Baseline.Key(rule: "region", path: "log.json", pointer: "/Records/*/awsRegion", hash: "0123abcd")
        #expect(key.fingerprint(occurrence: 0) == key.fingerprint(occurrence: 0))
        #expect(key.fingerprint(occurrence: 0) != key.fingerprint(occurrence: 1))
    }

    // MARK: SARIF

    @Test func sarifPathsAreRelativeToSRCROOTUnderTheWorkingDirectory() throws {
        let d = LocatedDiagnostic(diagnostic: Diagnostic(rule: RuleID(rawValue: "trailing-comma")!, severity: .error, message: "m",
                                                          range: TextRange(start: 2, end: 3)),
                                  start: LineColumn(line: 1, column: 3), end: LineColumn(line: 1, column: 4), noteStarts: [], sourceLine: nil)
        var writer = ReportWriter(format: .sarif, workingDirectory: "/repo/root", exitPolicy: ExitPolicy(strict: true))
        var text = writer.begin()
        text += writer.write(FileReport(displayName: "logs/a b.json", diagnostics: [d]))
        text += writer.write(FileReport(displayName: "/repo/root/./logs/../c.json", diagnostics: [d]))
        text += writer.write(FileReport(displayName: "/elsewhere/d.json", diagnostics: [d]))
        text += writer.write(FileReport(displayName: "../root2/e.json", diagnostics: [d]))
        var summary = RunSummary()
        summary.warnings = 1
        text += writer.end(summary: summary)
        let doc = try #require(JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        let run = try #require((doc["runs"] as? [[String: Any]])?.first)
        #expect((run["originalUriBaseIds"] as? [String: [String: String]])?["%SRCROOT%"]?["uri"] == "file:///repo/root/")
        let locations = (run["results"] as? [[String: Any]] ?? []).map { result in
            (((result["locations"] as? [[String: Any]])?.first?["physicalLocation"] as? [String: Any])?["artifactLocation"] as? [String: String]) ?? [:]
        }
        #expect(locations == [["uri": "logs/a%20b.json", "uriBaseId": "%SRCROOT%"], ["uri": "c.json", "uriBaseId": "%SRCROOT%"],
                              ["uri": "file:///elsewhere/d.json"], ["uri": "file:///repo/root2/e.json"]])
        // `--strict` and a warning: exit status 1, and the run executed.
        let invocation = try #require((run["invocations"] as? [[String: Any]])?.first)
        #expect(invocation["exitCode"] as? Int == 1 && invocation["executionSuccessful"] as? Bool == true)
        let driver = try #require((run["tool"] as? [String: Any])?["driver"] as? [String: Any])
        #expect(driver["version"] as? String == ToolInfo.version && driver["semanticVersion"] as? String == ToolInfo.version)
        #expect(driver["informationUri"] as? String == ToolInfo.informationURI)
        try CLITests.validateSARIF(text)
    }

    @Test func sarifInvocationCarriesTheExitStatus() throws {
        let dir = Repo.tempDirectory()
        defer { Repo.remove(dir) }
        let path = write("[1,]", "a.json", in: dir)
        func invocation(_ extra: [String]) throws -> (Int32, [String: Any]) {
            let (status, console) = TestConsole.run(["check", "--format", "sarif", "--syntax-only"] + extra + [path])
            let doc = try #require(JSONSerialization.jsonObject(with: Data(console.stdout.utf8)) as? [String: Any])
            let run = try #require((doc["runs"] as? [[String: Any]])?.first)
            return (status, try #require((run["invocations"] as? [[String: Any]])?.first))
        }
        let (s1, i1) = try invocation([])
        #expect(s1 == 1 && i1["exitCode"] as? Int == 1 && i1["executionSuccessful"] as? Bool == true)
        let (s2, i2) = try invocation(["--exit-zero"])
        #expect(s2 == 0 && i2["exitCode"] as? Int == 0)
        let (s3, i3) = try invocation([dir.appendingPathComponent("missing.json").path])
        #expect(s3 == 2 && i3["exitCode"] as? Int == 2 && i3["executionSuccessful"] as? Bool == false)
    }

    // MARK: GitHub annotations and concise lines

    @Test func githubEscapesEveryLineBreakPercentColonAndComma() throws {
        let dir = Repo.tempDirectory()
        defer { Repo.remove(dir) }
        // The file name holds CR, LF, CR LF (one Swift Character), `%`, `:` and `,`; the value CR LF and `%`.
        let name = "a\rb\nc\r\nd%e:f,g.json"
        let value = #"x\r\ny%0A"#
        let path = write(#"{"eventVersion":"1.08","awsRegion":"\#(value)"}"#, name, in: dir)
        let (_, console) = TestConsole.run(["check", "--format", "github", "--select", "region", path])
        let lines = console.stdout.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.count == 2 && lines[1].isEmpty, "one annotation on one line: \(console.stdout)")
        #expect(console.stdout.contains("a%0Db%0Ac%0D%0Ad%25e%3Af%2Cg.json,line=1,col="))
        #expect(!console.stdout.unicodeScalars.contains("\r"))
        let message = try #require(lines[0].split(separator: "::", maxSplits: 2).last)
        #expect(message.contains("y%250A") && message.contains("\\u000d\\u000a"))
    }

    @Test func conciseIsOneLinePerFindingWithoutAFrame() {
        let dir = Repo.tempDirectory()
        defer { Repo.remove(dir) }
        let path = write("{\n  \"a\": 1,\n  \"a\": 2,\n}\n", "a.json", in: dir)
        let (status, console) = TestConsole.run(["check", "--format", "concise", "--show-source", "--syntax-only", path])
        #expect(status == 1)
        #expect(console.stdout == "\(path):3:3: warning: duplicate key `a` in the same object [duplicate-key]\n"
            + "\(path):3:9: error: trailing comma before `}` [trailing-comma]\n")
    }

    // MARK: Code frames

    /// Runs `check --show-source` on a terminal `width` columns wide (nil: not a terminal).
    func frame(_ path: String, width: Int?) -> String {
        let console = TestConsole()
        console.isTerminal = width != nil
        console.terminalWidth = width
        _ = CLI.run(["check", "--show-source", "--color", "never", "--select", "region", path], console: console)
        return console.stdout
    }

    @Test(arguments: [nil, 80, 200] as [Int?])
    func codeFramesAreCutAroundTheFinding(_ width: Int?) throws {
        let dir = Repo.tempDirectory()
        defer { Repo.remove(dir) }
        let path = write(Self.log(40, bad: [25]), "compact.json", in: dir)
        let out = frame(path, width: width)
        let lines = out.split(separator: "\n").map(String.init)
        let source = try #require(lines.first { $0.hasPrefix(" 1 | ") })
        let carets = try #require(lines.first { $0.contains("^") })
        for line in lines.dropFirst() { #expect(line.unicodeScalars.count <= (width ?? 120), "too wide: \(line)") }
        #expect(source.hasPrefix(" 1 | …") && source.hasSuffix("…"))
        // The caret is under the value, as wide as it.
        let value = "\"mars-west-9\""
        let at = try #require(source.range(of: value))
        let column = source.unicodeScalars.distance(from: source.unicodeScalars.startIndex, to: at.lowerBound.samePosition(in: source.unicodeScalars)!)
        let caret = try #require(carets.firstIndex(of: "^"))
        #expect(carets.distance(from: carets.startIndex, to: caret) == column)
        #expect(carets.filter { $0 == "^" }.count == value.count)
    }

    @Test func aLineThatFitsIsShownWholeAndACutLineStartsWithItsBeginning() {
        let dir = Repo.tempDirectory()
        defer { Repo.remove(dir) }
        // 149 columns: cut at its end only (the frame's 120 columns less the gutter), the caret where it was.
        let long = "[" + String(repeating: "1,", count: 5) + "1,]" + String(repeating: " ", count: 140)
        let path = write(long, "a.json", in: dir)
        let console = TestConsole()
        _ = CLI.run(["check", "--show-source", "--syntax-only", path], console: console)
        #expect(console.stdout.contains(" 1 | [1,1,1,1,1,1,]" + String(repeating: " ", count: 99) + "…\n"))
        #expect(console.stdout.contains("   | " + String(repeating: " ", count: 12) + "^\n"))
        let cut = Reporters.cut("abc", caretAt: 1, caretWidth: 1, cutBefore: false, cutAfter: false, columns: 80)
        #expect(cut.text == "abc" && cut.caretColumn == 1 && cut.caretWidth == 1)
    }
}
