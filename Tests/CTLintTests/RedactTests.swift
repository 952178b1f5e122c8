import CTCore
import CTInput
import CTLint
import CTRules
import CTTestSupport
import Foundation
import Testing

/// `redact` (issue 22): on the real records of `../shared/corpus/records` and on generated logs (plain, gzip, JSON
/// Lines), the copies give `check` the same findings, rule by rule, hold none of the original identifiers, and map
/// each original to one replacement and no two originals to the same one.
@Suite struct RedactTests {
    /// Findings of a tree, by file (12-digit runs of its path read as `ACCT`: redaction renames accounts) and rule.
    static func findings(_ root: URL) -> [String: Int] {
        var options = CheckOptions()
        options.maxFindingsPerFile = 0
        let result = Runner(options: options).check(operands: [root.path])
        var out: [String: Int] = [:]
        for report in result.reports {
            let relative = String(report.displayName.dropFirst(root.path.count))
            let name = relative.replacingOccurrences(of: "[0-9]{12}", with: "ACCT", options: .regularExpression)
            for d in report.diagnostics { out[name + " " + d.diagnostic.rule.rawValue, default: 0] += 1 }
        }
        return out
    }

    struct Mapping: Decodable {
        struct Entry: Decodable { var kind: String; var original: String; var replacement: String }
        var seed: UInt64
        var replacements: [Entry]
    }

    static func mapping(_ url: URL) throws -> Mapping { try JSONDecoder().decode(Mapping.self, from: Data(contentsOf: url)) }

    /// Every byte of every file under `root`, and every string (keys and values) of those that parse.
    static func outputs(_ root: URL) throws -> (bytes: [UInt8], strings: Set<String>) {
        var bytes: [UInt8] = []
        var strings: Set<String> = []
        func walk(_ v: Any) {
            if let s = v as? String { strings.insert(s) } else if let a = v as? [Any] { a.forEach(walk) } else if let d = v as? [String: Any] {
                for (k, x) in d { strings.insert(k); walk(x) }
            }
        }
        for case let url as URL in FileManager.default.enumerator(at: root, includingPropertiesForKeys: nil)! {
            guard (try? url.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true else { continue }
            var data = try Data(contentsOf: url)
            if url.pathExtension == "gz", case .success(let plain) = Gzip.decompress(Array(data), maxOutputBytes: 1 << 30) { data = Data(plain) }
            bytes += Array(data) + [0x0A]
            if let v = try? JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed]) { walk(v) }
            for line in data.split(separator: 0x0A) { if let v = try? JSONSerialization.jsonObject(with: Data(line)) { walk(v) } }
        }
        return (bytes, strings)
    }

    /// Whether an original is documentation data already (kept as it is unless another value had its place).
    static func isExample(_ kind: String, _ s: String) -> Bool {
        let v = Substring(s)
        switch kind {
        case "account": return ExampleValues.isExampleAccount(v)
        case "ipv4": return AddressParts.ipv4(v).map { ExampleValues.classify(ipv4: $0.octets) == .documentation } ?? false
        case "ipv6": return AddressParts.ipv6(v).map { ExampleValues.classify(ipv6: $0) == .documentation } ?? false
        case "access-key", "principal-id": return ExampleValues.isExampleKey(v)
        case "email": return ExampleValues.isExampleEmail(v)
        default: return false
        }
    }

    /// Placeholders of the corpus that it also uses as member names or fixed values (`"awsRegion": "redacted"`):
    /// replaced where they are a name, and left where they are not.
    static let placeholders: Set<String> = ["user", "account", "redacted", "role", "bucket", "roleName", "..."]

    /// The originals still in the output: identifiers by their bytes, names as whole strings.
    static func leaks(_ map: Mapping, in root: URL) throws -> [String] {
        let (raw, strings) = try outputs(root)
        let bytes = Data(raw)
        var out: [String] = []
        for e in map.replacements where e.original != e.replacement && !isExample(e.kind, e.original) {
            let o = Substring(e.original)
            switch e.kind {
            case "account" where LogFileName.isAccountID(o),
                 "ipv4" where AddressParts.ipv4(o) != nil,
                 "ipv6" where AddressParts.ipv6(o) != nil,
                 "email" where ExampleValues.isExampleEmail(o) == false && o.contains("@"),
                 "access-key" where IAMIdentifier.isWellFormed(o) && IAMIDPrefix(of: o) != nil,
                 "principal-id" where IAMIdentifier.isWellFormed(o) && IAMIDPrefix(of: o) != nil:
                if bytes.range(of: Data(e.original.utf8)) != nil { out.append("\(e.kind) \(e.original)") }
            case "user", "session":
                let letters = e.original.filter(\.isLetter)
                guard e.original.count >= 3, Set(letters).count > 1, !placeholders.contains(e.original) else { continue }
                if strings.contains(e.original) { out.append("\(e.kind) \(e.original)") }
            default:
                break
            }
        }
        return out
    }

    /// One replacement per original, and no replacement for two originals (per table: sessions share users').
    static func consistency(_ map: Mapping) -> [String] {
        var problems: [String] = []
        var byOriginal: [String: String] = [:]
        var byReplacement: [String: String] = [:]
        for e in map.replacements {
            let table = e.kind == "session" ? "user" : e.kind
            if let r = byOriginal[table + " " + e.original], r != e.replacement { problems.append("\(e.original) → \(r) and \(e.replacement)") }
            byOriginal[table + " " + e.original] = e.replacement
            if let o = byReplacement[table + " " + e.replacement], o != e.original { problems.append("\(o) and \(e.original) → \(e.replacement)") }
            byReplacement[table + " " + e.replacement] = e.original
        }
        return problems
    }

    @Test func realRecordsKeepTheirFindingsAndLoseTheirIdentifiers() throws {
        guard let records = SharedCorpus.directory("corpus/records") else { return }
        let out = Repo.tempDirectory()
        defer { try? FileManager.default.removeItem(at: out) }
        let map = out.appendingPathComponent("map.json")
        let copies = out.appendingPathComponent("copies")
        let (status, console) = TestConsole.run(["redact", "--output", copies.path, "--mapping", map.path, records.path])
        // One file of the corpus is not JSON on purpose (a parser's test of bad input): refused, nothing written.
        let refused = "SerializerTestFileBadJsonFormat.json"
        #expect(status == 1, "\(console.stderr)")
        #expect(console.stderr.contains(refused) && console.stderr.contains("not redacted"))
        let copied = copies.appendingPathComponent(String(records.path.split(separator: "/").filter { $0 != ".." }.joined(separator: "/")))
        #expect(!FileManager.default.fileExists(atPath: copied.appendingPathComponent("aws__aws-cloudtrail-processing-library/\(refused)").path))
        var before = Self.findings(records).filter { !$0.key.contains(refused) }
        let after = Self.findings(copied)
        before = before.filter { $0.value > 0 }
        #expect(before == after, "findings differ: \(Set(before.map { "\($0.key) \($0.value)" }).symmetricDifference(after.map { "\($0.key) \($0.value)" }).sorted().prefix(20))")
        let mapping = try Self.mapping(map)
        #expect(mapping.replacements.count > 500)
        let leaks = try Self.leaks(mapping, in: copies)
        #expect(leaks.isEmpty, "originals left in the output: \(leaks.prefix(20))")
        #expect(Self.consistency(mapping).isEmpty, "\(Self.consistency(mapping).prefix(10))")
        // The mapping holds the originals: readable by its owner only.
        let mode = (try FileManager.default.attributesOfItem(atPath: map.path)[.posixPermissions] as? NSNumber)?.intValue ?? 0
        #expect(mode & 0o077 == 0)
        // Every kind the issue names was met in the real records.
        let kinds = Set(mapping.replacements.map(\.kind))
        for kind in ["account", "ipv4", "access-key", "principal-id", "user", "role", "email", "bucket", "event-id", "request-id"] {
            #expect(kinds.contains(kind), "no \(kind) replaced")
        }
    }

    /// JSON Lines made of a log tree: one record per line, the file named after the log's first file.
    static func jsonLines(of dir: URL, into file: URL) throws {
        var lines: [String] = []
        for name in try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted() where name.hasSuffix(".json") && name.contains("_CloudTrail_") {
            let data = try Data(contentsOf: dir.appendingPathComponent(name))
            guard let object = try JSONSerialization.jsonObject(with: data) as? [String: Any], let records = object["Records"] as? [Any] else { continue }
            for r in records { lines.append(String(decoding: try JSONSerialization.data(withJSONObject: r, options: [.sortedKeys, .withoutEscapingSlashes]), as: UTF8.self)) }
        }
        try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: file)
    }

    @Test(arguments: ["plain", "gzip", "jsonl"])
    func generatedLogsKeepTheirFindingsAndLoseTheirIdentifiers(_ form: String) throws {
        let root = Repo.tempDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let logs = root.appendingPathComponent("in/AWSLogs")
        var arguments = ["--files", "12", "--records", "40", "--vary", "--seed", "22", "--inject-defects", "0.03",
                         "--defect-kinds", "missing_field,bad_arn,account_mismatch"]
        if form == "gzip" { arguments.append("--gzip") }
        guard ExportedLogsTests.generate(arguments, into: logs) else { return }
        try? FileManager.default.removeItem(at: logs.appendingPathComponent("expected-defects.json"))
        if form == "jsonl" {
            try Self.jsonLines(of: logs, into: root.appendingPathComponent("in/records.jsonl"))
            try FileManager.default.removeItem(at: logs)
        }
        let input = root.appendingPathComponent("in")
        let out = root.appendingPathComponent("out")
        let map = root.appendingPathComponent("map.json")
        let (status, console) = TestConsole.run(["redact", "--output", out.path, "--mapping", map.path, input.path])
        #expect(status == 0, "\(console.stderr)")
        let copied = out.appendingPathComponent(String(input.path.split(separator: "/").joined(separator: "/")))
        let before = Self.findings(input), after = Self.findings(copied)
        #expect(!before.isEmpty)
        #expect(before == after, "\(form): findings differ: \(Set(before.map { "\($0.key) \($0.value)" }).symmetricDifference(after.map { "\($0.key) \($0.value)" }).sorted().prefix(20))")
        let mapping = try Self.mapping(map)
        let leaks = try Self.leaks(mapping, in: out)
        #expect(leaks.isEmpty, "\(form): originals left: \(leaks.prefix(20))")
        #expect(Self.consistency(mapping).isEmpty)
        if form != "jsonl" {
            // The account folders and file names are renamed with the records.
            let names = try FileManager.default.subpathsOfDirectory(atPath: out.path)
            #expect(names.contains { $0.contains("_CloudTrail_") })
            for e in mapping.replacements where e.kind == "account" && e.original != e.replacement {
                #expect(!names.contains { $0.contains(e.original) }, "\(e.original) still names a file")
            }
        }
    }

    @Test func outputIsDeterministicAndTheSeedOnlyMovesRandomParts() throws {
        guard let records = SharedCorpus.directory("corpus/records/DataDog__stratus-red-team") else { return }
        let file = records.appendingPathComponent("aws.execution.ssm-start-session.json").path
        let (s1, a) = TestConsole.run(["redact", "--jobs", "1", file])
        let (s2, b) = TestConsole.run(["redact", "--jobs", "4", file])
        #expect(s1 == 0 && s2 == 0)
        #expect(!a.stdoutBytes.isEmpty && a.stdoutBytes == b.stdoutBytes)
        let (_, c) = TestConsole.run(["redact", "--seed", "7", file])
        #expect(c.stdoutBytes != a.stdoutBytes)
        // Accounts, addresses and names come from sequences, not from the seed.
        let text = String(decoding: c.stdoutBytes, as: UTF8.self)
        #expect(text.contains("\"recipientAccountId\": \"111122223333\"") && text.contains("user-1"))
    }

    @Test func aMappingReadBackRedactsLaterFilesTheSameWay() throws {
        let dir = Repo.tempDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let record = #"{"Records":[{"eventVersion":"1.08","userIdentity":{"type":"IAMUser","principalId":"AIDAXQ4PLQ2TJZ3K7WMNA","arn":"arn:aws:iam::908172635401:user/dana","accountId":"908172635401","accessKeyId":"AKIAXQ4PLQ2TJZ3K7WMN","userName":"dana"},"eventTime":"2024-03-01T12:00:00Z","eventSource":"s3.amazonaws.com","eventName":"ListBuckets","awsRegion":"us-east-1","sourceIPAddress":"81.2.69.160","userAgent":"aws-cli/2.15.0","requestParameters":null,"responseElements":null,"requestID":"3f7c2a1b9d8e7f60","eventID":"0b0a4d6c-31c4-4f44-9c6e-8f2a3b1c2d3e","readOnly":true,"eventType":"AwsApiCall","managementEvent":true,"recipientAccountId":"908172635401","eventCategory":"Management"}]}"#
        let first = dir.appendingPathComponent("a.json"), second = dir.appendingPathComponent("b.json")
        try Data(record.utf8).write(to: first)
        try Data(record.replacingOccurrences(of: "81.2.69.160", with: "81.2.69.161").utf8).write(to: second)
        let map = dir.appendingPathComponent("map.json").path
        let (s1, one) = TestConsole.run(["redact", "--mapping", map, first.path])
        let (s2, two) = TestConsole.run(["redact", "--mapping", map, second.path])
        #expect(s1 == 0 && s2 == 0)
        let a = String(decoding: one.stdoutBytes, as: UTF8.self), b = String(decoding: two.stdoutBytes, as: UTF8.self)
        // The same account, user, key and event ID as the first run; the new address in the same /24 as the first.
        #expect(a.replacingOccurrences(of: "192.0.2.1\"", with: "192.0.2.2\"") == b)
        #expect(!a.contains("908172635401") && !a.contains("dana") && !a.contains("81.2.69"))
        // A different seed than the mapping's is refused.
        let (s3, three) = TestConsole.run(["redact", "--mapping", map, "--seed", "9", first.path])
        #expect(s3 == 2 && three.stderr.contains("seed"))
    }

    @Test func aDocumentThatDoesNotParseStrictlyIsRefusedAndTheOthersAreWritten() throws {
        let dir = Repo.tempDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let good = dir.appendingPathComponent("in/good.json"), bad = dir.appendingPathComponent("in/bad.json")
        try FileManager.default.createDirectory(at: good.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(#"{"Records":[{"sourceIPAddress":"81.2.69.160","recipientAccountId":"908172635401"}]}"#.utf8).write(to: good)
        try Data(#"{"Records":[{"sourceIPAddress":"81.2.69.160","recipientAccountId":"908172635401",}]}"#.utf8).write(to: bad)
        let out = dir.appendingPathComponent("out")
        let missing = dir.appendingPathComponent("in/missing.json").path
        let (status, console) = TestConsole.run(["redact", "--output", out.path, good.path, bad.path])
        #expect(status == 1)
        #expect(console.stderr.contains("bad.json:1:") && console.stderr.contains("not redacted") && console.stderr.contains("trailing-comma"))
        let written = try FileManager.default.subpathsOfDirectory(atPath: out.path)
        #expect(written.contains { $0.hasSuffix("good.json") } && !written.contains { $0.hasSuffix("bad.json") })
        // `--fix` applies the safe fixes first.
        let (fixedStatus, fixed) = TestConsole.run(["redact", "--fix", "--output", out.path, bad.path])
        #expect(fixedStatus == 0, "\(fixed.stderr)")
        let copy = try String(contentsOf: out.appendingPathComponent(String(bad.path.dropFirst())), encoding: .utf8)
        #expect(copy == #"{"Records":[{"sourceIPAddress":"192.0.2.1","recipientAccountId":"111122223333"}]}"#)
        // An unreadable input: exit 2, and the others are still redacted.
        let (unreadable, console2) = TestConsole.run(["redact", "--output", out.path, missing, good.path])
        #expect(unreadable == 2 && console2.stderr.contains("missing.json") && console2.stderr.contains("redacted 1 file"))
    }

    @Test func standardInputInPlaceTimesAndFields() throws {
        let record = #"{"eventTime":"2024-03-01T00:10:00Z","sourceIPAddress":"2a00:1450:4001:81b::200e","userAgent":"console.example","requestParameters":{"note":"sent by bob@corp.example.io from 81.2.69.160","expiration":"Mar 1, 2024, 12:05:00 AM","ticket":"INC-4411"},"userIdentity":{"type":"AssumedRole","principalId":"AROAXQ4PLQ2TJZ3K7WMNA:bob@corp.example.io","arn":"arn:aws:sts::908172635401:assumed-role/Ops/bob@corp.example.io"}}"#
        let (status, console) = TestConsole.run(["redact", "--shift-time", "-1d", "--field", "ticket", "-"], stdin: Array(record.utf8))
        #expect(status == 0, "\(console.stderr)")
        let out = String(decoding: console.stdoutBytes, as: UTF8.self)
        #expect(out.contains(#""eventTime":"2024-02-29T00:10:00Z""#) && out.contains(#""expiration":"Feb 29, 2024, 12:05:00 AM""#))
        #expect(out.contains(#""ticket":"ticket-1""#) && out.contains("2001:db8:0:0::1") || out.contains("2001:db8:0:0::1"))
        #expect(!out.contains("bob@corp") && !out.contains("81.2.69") && !out.contains("908172635401") && !out.contains("2a00:"))
        #expect(out.contains("AROA") && out.contains(":person-1@example.com") && out.contains("assumed-role/role-1/person-1@example.com"))
        #expect(console.stderr.contains("warning: an e-mail address in free text at /requestParameters/note"))

        // In place: the file is rewritten (atomically), its name kept.
        let dir = Repo.tempDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("sample.json")
        try Data(record.utf8).write(to: file)
        let (inPlace, c2) = TestConsole.run(["redact", "--in-place", file.path])
        #expect(inPlace == 0, "\(c2.stderr)")
        let rewritten = try String(contentsOf: file, encoding: .utf8)
        #expect(!rewritten.contains("908172635401") && rewritten.contains("111122223333"))
        // Standard input under `--output`: `stdin.json`.
        let (toDir, c3) = TestConsole.run(["redact", "--output", dir.appendingPathComponent("out").path, "-"], stdin: Array(record.utf8))
        #expect(toDir == 0, "\(c3.stderr)")
        #expect(FileManager.default.fileExists(atPath: dir.appendingPathComponent("out/stdin.json").path))
        // Usage errors: two destinations; several inputs to standard output; a malformed duration.
        #expect(TestConsole.run(["redact", "--in-place", "--output", dir.path, file.path]).0 == 2)
        #expect(TestConsole.run(["redact", file.path, file.path]).0 == 2)
        #expect(TestConsole.run(["redact", "--shift-time", "soon", file.path]).0 == 2)
    }

    @Test func markdownBlocksAreRedactedAndTheProseIsNot() throws {
        let page = "# Sample\n\nCall from 81.2.69.160 by account 908172635401.\n\n```json\n{\n  \"sourceIPAddress\": \"81.2.69.160\",\n  \"recipientAccountId\": \"908172635401\"\n}\n```\n"
        let (status, console) = TestConsole.run(["redact", "--stdin-filename", "page.md", "-"], stdin: Array(page.utf8))
        #expect(status == 0, "\(console.stderr)")
        let out = String(decoding: console.stdoutBytes, as: UTF8.self)
        #expect(out == page.replacingOccurrences(of: "\"81.2.69.160\"", with: "\"192.0.2.1\"").replacingOccurrences(of: "\"908172635401\"", with: "\"111122223333\""))
    }
}
