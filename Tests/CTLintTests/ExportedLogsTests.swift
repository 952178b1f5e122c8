import CTCore
import CTInput
import CTRules
import Foundation
import CTTestSupport
import Testing
@testable import CTLint

/// Exported CloudTrail data: EventBridge envelopes, `lookup-events` output, Insights and digest files,
/// streamed JSON Lines, and generated logs with injected defects.
@Suite struct ExportedLogsTests {
    /// A record that gives no finding at all.
    static let record = #"{"eventVersion":"1.08","userIdentity":{"type":"AssumedRole","principalId":"AROATTK0QIA9CN3K6CYMW:orders-api","arn":"arn:aws:sts::029141777631:assumed-role/orders-api-lambda-role/orders-api","accountId":"029141777631","accessKeyId":"ASIA65Z7TES15VJYX5R1","sessionContext":{"sessionIssuer":{"type":"Role","principalId":"AROATTK0QIA9CN3K6CYMW","arn":"arn:aws:iam::029141777631:role/service-role/orders-api-lambda-role","accountId":"029141777631","userName":"orders-api-lambda-role"},"webIdFederationData":{},"attributes":{"creationDate":"2024-03-14T20:52:14Z","mfaAuthenticated":"false"}}},"eventTime":"2024-03-14T21:32:02Z","eventSource":"dynamodb.amazonaws.com","eventName":"DescribeTable","awsRegion":"ap-southeast-2","sourceIPAddress":"81.9.119.167","userAgent":"aws-cli/2.15.10 Python/3.11.6 Linux/6.1.61-85.141.amzn2023.x86_64 exe/x86_64.amzn.2023 command/dynamodb.describetable","requestParameters":{"tableName":"orders"},"responseElements":null,"requestID":"9046fdfe-9a41-404c-b033-50da4359e6af","eventID":"55ae8fc2-a74e-4d61-9f63-f72ccba5e419","readOnly":true,"eventType":"AwsApiCall","managementEvent":true,"recipientAccountId":"029141777631","eventCategory":"Management","tlsDetails":{"tlsVersion":"TLSv1.3","cipherSuite":"TLS_AES_128_GCM_SHA256","clientProvidedHostHeader":"dynamodb.ap-southeast-2.amazonaws.com"}}"#

    static let badARN = "arn:awz:sts::029141777631:assumed-role/orders-api-lambda-role/orders-api"

    static func record(eventID: String = "55ae8fc2-a74e-4d61-9f63-f72ccba5e419", arn: String? = nil) -> String {
        var r = record.replacingOccurrences(of: "55ae8fc2-a74e-4d61-9f63-f72ccba5e419", with: eventID)
        if let arn { r = r.replacingOccurrences(of: "arn:aws:sts::029141777631:assumed-role/orders-api-lambda-role/orders-api", with: arn) }
        return r
    }

    static func envelope(_ detail: String, account: String = "029141777631", region: String = "ap-southeast-2",
                         type: String = "AWS API Call via CloudTrail") -> String {
        #"{"version":"0","id":"6a7e8feb-b491-4cf7-a9f1-bf3703467718","detail-type":"\#(type)","source":"aws.dynamodb","account":"\#(account)","time":"2024-03-14T21:32:02Z","region":"\#(region)","resources":[],"detail":\#(detail)}"#
    }

    /// The record as a JSON string literal (what `lookup-events` puts in `CloudTrailEvent`).
    static func quoted(_ json: String) -> String {
        var out = "\""
        for u in json.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            default:
                if u.value >= 0x80 { out += String(format: "\\u%04x", u.value) } else { out.unicodeScalars.append(u) }
            }
        }
        return out + "\""
    }

    static func lookupEvents(_ record: String, eventID: String = "55ae8fc2-a74e-4d61-9f63-f72ccba5e419",
                             eventName: String = "DescribeTable") -> String {
        #"{"Events":[{"EventId":"\#(eventID)","EventName":"\#(eventName)","ReadOnly":"true","EventTime":1710451922.0,"EventSource":"dynamodb.amazonaws.com","Resources":[],"CloudTrailEvent":\#(quoted(record))}],"NextToken":null}"#
    }

    static func lint(_ text: String, fileName: String? = nil, select: [String] = []) -> [Diagnostic] {
        Linter(selection: RuleSelection(select: select)).lint(Array(text.utf8), format: .json, fileName: fileName)
    }

    /// Byte offset of the first occurrence of `needle` in `source`.
    static func offset(of needle: String, in source: String) -> Int? {
        let b = Array(source.utf8), n = Array(needle.utf8)
        return b.indices.first { b[$0...].starts(with: n) }
    }

    static func text(_ source: String, _ range: TextRange) -> String {
        String(decoding: Array(source.utf8)[range.start..<range.end], as: UTF8.self)
    }

    // MARK: The base record

    @Test func theSampleRecordIsClean() {
        #expect(Self.lint(Self.record).isEmpty)
        #expect(Self.lint(#"{"Records":[\#(Self.record)]}"#).isEmpty)
    }

    // MARK: EventBridge

    @Test func eventBridgeDetailIsCheckedInPlace() {
        #expect(Self.lint(Self.envelope(Self.record)).isEmpty)
        let source = Self.envelope(Self.record(arn: Self.badARN))
        let found = Self.lint(source)
        let arn = found.filter { $0.rule == .arnSyntax }
        #expect(arn.count == 1)
        #expect(arn.first?.pointer == "/detail/userIdentity/arn")
        #expect(arn.first?.range.start == Self.offset(of: "arn:awz", in: source).map { $0 + 4 })
        #expect(arn.first.map { Self.text(source, $0.range) } == "awz")
    }

    @Test func eventBridgeAccountAndRegionAreComparedWithTheRecord() {
        let source = Self.envelope(Self.record, account: "111122223333", region: "eu-west-1")
        let found = Self.lint(source).filter { $0.rule == .envelopeMismatch }
        #expect(found.map(\.pointer) == ["/account", "/region"])
        #expect(found.allSatisfy { $0.severity == .warning })
        #expect(found.map { Self.text(source, $0.range) } == ["\"111122223333\"", "\"eu-west-1\""])
        #expect(found.first?.notes.map { Self.text(source, $0.range) } == ["\"029141777631\""])
        #expect(found.last?.message.contains("awsRegion") == true)
        // Without recipientAccountId, the identity's account is the reference.
        let noRecipient = Self.record.replacingOccurrences(of: #","recipientAccountId":"029141777631""#, with: "")
        let second = Self.lint(Self.envelope(noRecipient, account: "111122223333"), select: ["envelope-mismatch"])
        #expect(second.count == 1 && second[0].message.contains("userIdentity.accountId"))
    }

    @Test func eventBridgeDetailTypeIsComparedWithEventType() {
        let found = Self.lint(Self.envelope(Self.record, type: "AWS Console Signin via CloudTrail"), select: ["envelope-mismatch"])
        #expect(found.map(\.pointer) == ["/detail-type"])
        #expect(Self.lint(Self.envelope(Self.record, type: "AWS Something New via CloudTrail"), select: ["envelope-mismatch"]).isEmpty)
    }

    @Test func arraysAndLinesOfEnvelopes() {
        let good = Self.envelope(Self.record)
        let bad = Self.envelope(Self.record(eventID: "0b0a4d6c-31c4-4f44-9c6e-8f2a3b1c2d3e", arn: Self.badARN), region: "eu-west-1")
        let array = "[\(good),\n\(bad)]"
        let found = Self.lint(array, select: ["arn-syntax", "envelope-mismatch"])
        #expect(Set(found.map(\.rule)) == [.arnSyntax, .envelopeMismatch])
        #expect(found.first { $0.rule == .arnSyntax }?.pointer == "/1/detail/userIdentity/arn")
        #expect(found.first { $0.rule == .envelopeMismatch }?.pointer == "/1/region")

        let lines = "\(good)\n\(bad)\n"
        let lineFindings = Linter(selection: RuleSelection(select: ["arn-syntax", "envelope-mismatch"])).lint(Array(lines.utf8), format: .jsonLines)
        #expect(Set(lineFindings.map(\.rule)) == [.arnSyntax, .envelopeMismatch])
        let arn = lineFindings.first { $0.rule == .arnSyntax }!
        #expect(arn.range.start == Self.offset(of: "arn:awz", in: lines)! + 4)
        #expect(arn.pointer == "/detail/userIdentity/arn")
    }

    @Test func envelopesWithoutCloudTrailAreLeftAlone() {
        // Another EventBridge event: not a CloudTrail document (as before).
        let other = #"{"version":"0","detail-type":"EC2 Instance State-change Notification","source":"aws.ec2","detail":{"state":"running"}}"#
        #expect(Self.lint(other).map(\.rule) == [.notCloudTrail])
        // A detail that is not an object.
        let found = Self.lint(#"{"detail-type":"AWS API Call via CloudTrail","detail":"x"}"#)
        #expect(found.map(\.rule) == [.wrongType] && found.first?.pointer == "/detail")
    }

    @Test func eventBridgeRecordsCountForDuplicateEventIDs() throws {
        let dir = Repo.tempDirectory()
        defer { Repo.remove(dir) }
        let file = dir.appendingPathComponent("events.json")
        try Data("[\(Self.envelope(Self.record)),\(Self.envelope(Self.record))]".utf8).write(to: file)
        let result = Runner(options: CheckOptions()).check(operands: [file.path])
        // The file's own report is clean; the run-level finding comes in a report of its own at the end.
        #expect(result.reports.map(\.diagnostics.count) == [0, 1])
        #expect(result.findings(in: file.path).map(\.diagnostic.rule) == [.duplicateEventID])
        #expect(result.findings(in: file.path).first?.diagnostic.pointer == "/1/detail/eventID")
    }

    // MARK: lookup-events

    @Test func escapedStringMapsEveryDecodedByteToItsSource() {
        let literal = #""a\"b\\\u00e9\ud83d\ude00ü\n""#
        let source = Array(literal.utf8)
        let decoded = EscapedString(source: source, content: TextRange(start: 1, end: source.count - 1))
        #expect(String(decoding: decoded.bytes, as: UTF8.self) == "a\"b\\é😀ü\n")
        func src(_ s: Int, _ e: Int) -> String {
            let r = decoded.sourceRange(TextRange(start: s, end: e))
            return String(decoding: source[r.start..<r.end], as: UTF8.self)
        }
        #expect(src(0, 1) == "a")
        #expect(src(1, 2) == #"\""#)              // 2 source bytes, 1 decoded
        #expect(src(3, 4) == #"\\"#)
        #expect(src(4, 6) == #"\u00e9"#)          // 6 source bytes, 2 decoded
        #expect(src(5, 6) == #"\u00e9"#)          // a byte inside the scalar maps to the whole escape
        #expect(src(6, 10) == #"\ud83d\ude00"#)   // surrogate pair: 12 source bytes, 4 decoded
        #expect(src(10, 12) == "ü")               // raw multibyte: byte for byte
        #expect(src(12, 13) == #"\n"#)
        #expect(decoded.sourceRange(TextRange(empty: 13)) == TextRange(empty: source.count - 1))
    }

    @Test func lookupEventsRecordsAreCheckedWithPositionsInTheString() {
        #expect(Self.lint(Self.lookupEvents(Self.record)).isEmpty)
        let source = Self.lookupEvents(Self.record(arn: Self.badARN))
        let found = Self.lint(source)
        // The schema's ARN pattern and `arn-syntax` both object.
        #expect(found.map(\.rule) == [.invalidValue, .arnSyntax])
        #expect(found.allSatisfy { $0.pointer == "/Events/0/CloudTrailEvent/userIdentity/arn" && $0.fix == nil })
        // The whole value, quotes escaped in the file; then the partition inside it.
        #expect(Self.text(source, found[0].range) == "\\\"\(Self.badARN)\\\"")
        #expect(Self.text(source, found[1].range) == "awz")
    }

    @Test func lookupEventsPositionsSurviveUnicodeEscapes() {
        // `ü` and `😀` before the defect are written as \u escapes: 6 and 12 source bytes.
        let rec = Self.record(arn: Self.badARN).replacingOccurrences(of: #""tableName":"orders""#, with: #""tableName":"örders😀""#)
            .replacingOccurrences(of: #""eventVersion":"1.08","#, with: #""eventVersion":"1.08","requestID":"ü","#)
        let source = Self.lookupEvents(rec)
        #expect(source.contains(#"\u00fc"#))
        let d = Self.lint(source, select: ["arn-syntax"])
        #expect(d.count == 1 && d.first?.range.start == Self.offset(of: "arn:awz", in: source)! + 4)
        let schema = Self.lint(source, select: ["invalid-value"])
        #expect(schema.map { Self.text(source, $0.range) } == ["\\\"\(Self.badARN)\\\""])
    }

    @Test func lookupEventsEnvelopeFieldsAreComparedWithTheRecord() {
        let source = Self.lookupEvents(Self.record, eventID: "0b0a4d6c-31c4-4f44-9c6e-8f2a3b1c2d3e", eventName: "DeleteTable")
        let found = Self.lint(source)
        #expect(found.map(\.rule) == [.envelopeMismatch, .envelopeMismatch])
        #expect(found.map(\.pointer) == ["/Events/0/EventId", "/Events/0/EventName"])
        #expect(found[0].notes.map { Self.text(source, $0.range) } == [#"\"55ae8fc2-a74e-4d61-9f63-f72ccba5e419\""#])
        #expect(found[1].notes.map { Self.text(source, $0.range) } == [#"\"DescribeTable\""#])
    }

    @Test func syntaxErrorsInsideTheEmbeddedStringAreReported() {
        let broken = Self.record.replacingOccurrences(of: #""eventCategory":"Management","#, with: #""eventCategory":"Management",,"#)
        let source = Self.lookupEvents(broken)
        let found = Self.lint(source)
        #expect(found.map(\.rule) == [.extraComma] || found.map(\.rule) == [.trailingComma] || found.count == 1)
        let bytes = Array(source.utf8)
        let comma = found.first.map { bytes[$0.range.start] }
        #expect(comma == UInt8(ascii: ","))
        #expect(found.first?.pointer?.hasPrefix("/Events/0/CloudTrailEvent") == true)
        // Not a string at all.
        let wrong = Self.lint(#"{"Events":[{"EventId":"x","CloudTrailEvent":42}]}"#)
        #expect(wrong.map(\.rule) == [.wrongType])
        // An empty list of events is quiet.
        #expect(Self.lint(#"{"Events":[],"NextToken":null}"#).isEmpty)
    }

    @Test func lookupEventsWithTheRecordAlreadyParsed() {
        let found = Self.lint(#"{"Events":[{"EventId":"x","CloudTrailEvent":\#(Self.record(arn: Self.badARN))}]}"#)
        #expect(Set(found.map(\.rule)) == [.invalidValue, .arnSyntax, .envelopeMismatch])
        #expect(found.first { $0.rule == .arnSyntax }?.pointer == "/Events/0/CloudTrailEvent/userIdentity/arn")
    }

    // MARK: Insights and digests

    static let insight = #"{"eventVersion":"1.07","eventTime":"2024-01-02T02:56:00Z","awsRegion":"us-east-1","eventID":"abcd00b0-ccfe-422d-961c-98a2198a4081","eventType":"AwsCloudTrailInsight","recipientAccountId":"123456789012","sharedEventID":"7bb000a1-22b3-4c03-94af-c7430c8b7c01","insightDetails":{"state":"Start","eventSource":"autoscaling.amazonaws.com","eventName":"CompleteLifecycleAction","insightType":"ApiCallRateInsight","insightContext":{"statistics":{"baseline":{"average":0.0000882145},"insight":{"average":0.6},"insightDuration":5,"baselineDuration":11336},"attributions":[{"attribute":"errorCode","insight":[{"value":"null","average":0.6}],"baseline":[{"value":"null","average":0.0000882145}]}]}},"eventCategory":"Insight"}"#

    static let digest = #"{"awsAccountId":"123456789012","digestStartTime":"2024-01-02T02:00:00Z","digestEndTime":"2024-01-02T03:00:00Z","digestS3Bucket":"trail-bucket","digestS3Object":"AWSLogs/123456789012/CloudTrail-Digest/us-east-1/2024/01/02/123456789012_CloudTrail-Digest_us-east-1_trail_us-east-1_20240102T030000Z.json.gz","digestPublicKeyFingerprint":"0123456789abcdef0123456789abcdef","digestSignatureAlgorithm":"SHA256withRSA","newestEventTime":null,"oldestEventTime":null,"previousDigestS3Bucket":null,"previousDigestS3Object":null,"previousDigestHashValue":null,"previousDigestHashAlgorithm":null,"previousDigestSignature":null,"logFiles":[]}"#

    static let insightFile = "/x/AWSLogs/123456789012/CloudTrail-Insight/us-east-1/2024/01/02/123456789012_CloudTrail-Insight_us-east-1_20240102T0305Z_abcdefgh12345678.json.gz"
    static let logFile = "/x/AWSLogs/123456789012/CloudTrail/us-east-1/2024/01/02/123456789012_CloudTrail_us-east-1_20240102T0305Z_abcdefgh12345678.json.gz"
    static let digestFile = "/x/AWSLogs/123456789012/CloudTrail-Digest/us-east-1/2024/01/02/123456789012_CloudTrail-Digest_us-east-1_trail_us-east-1_20240102T030000Z.json.gz"

    @Test func insightFilesAreCheckedAgainstTheInsightSchema() {
        let file = #"{"Records":[\#(Self.insight)]}"#
        #expect(Self.lint(file, fileName: Self.insightFile).isEmpty)
        // The routed schema still applies: a bad insightType is reported.
        let bad = Self.lint(file.replacingOccurrences(of: "ApiCallRateInsight", with: "Sideways"), fileName: Self.insightFile)
        #expect(bad.contains { $0.rule == .invalidValue && $0.pointer == "/Records/0/insightDetails/insightType" })
    }

    @Test func insightsAndLogsInTheWrongKindOfFile() {
        let insights = #"{"Records":[\#(Self.insight)]}"#
        let inLog = Self.lint(insights, fileName: Self.logFile, select: ["envelope-mismatch"])
        #expect(inLog.map(\.pointer) == ["/Records/0"])
        let api = #"{"Records":[\#(Self.record),\#(Self.record)]}"#
        let inInsight = Self.lint(api, fileName: Self.insightFile, select: ["envelope-mismatch"])
        #expect(inInsight.count == 1 && inInsight[0].message.contains("2 records"))
    }

    @Test func digestFilesGetTheDigestSchemaOnly() {
        #expect(Self.lint(Self.digest, fileName: Self.digestFile).isEmpty)
        #expect(Self.lint(Self.digest).isEmpty)
        // A broken digest: digest schema findings, never API-record rules.
        let broken = Self.digest.replacingOccurrences(of: #""awsAccountId":"123456789012""#, with: #""awsAccountId":"1234""#)
            .replacingOccurrences(of: #""digestStartTime":"2024-01-02T02:00:00Z","#, with: "")
        for name in [Self.digestFile, Self.logFile, nil] {
            let found = Self.lint(broken, fileName: name)
            #expect(!found.isEmpty)
            #expect(found.allSatisfy { RuleRegistry.metadata(for: $0.rule)?.category != .semantic }, "\(found.map(\.rule))")
        }
        // Named as a digest but not shaped like one.
        let notDigest = Self.lint(#"{"Records":[\#(Self.record)]}"#, fileName: Self.digestFile)
        #expect(notDigest.map(\.rule) == [.envelopeMismatch])
        #expect(notDigest.first?.range == TextRange(start: 0, end: 1))
        let other = Self.lint(#"{"hello":"world"}"#, fileName: Self.digestFile)
        #expect(Set(other.map(\.rule)) == [.envelopeMismatch, .notCloudTrail])
        // A digest under a log file's name.
        #expect(Self.lint(Self.digest, fileName: Self.logFile).map(\.rule) == [.envelopeMismatch])
    }

    @Test func envelopeMismatchExamples() {
        let rule = EnvelopeMismatchRule.metadata
        #expect(RuleRegistry.metadata(for: rule.id) != nil)
        for example in rule.valid {
            let found = Linter(selection: RuleSelection(select: [rule.id.rawValue])).lintJSON(Array(example.source.utf8), fileName: example.fileName).diagnostics
            #expect(found.isEmpty, "\(example.source) → \(found.map(\.message))")
        }
        for example in rule.invalid {
            let (source, markers) = example.unmarked()
            let found = Linter(selection: RuleSelection(select: [rule.id.rawValue])).lintJSON(Array(source.utf8), fileName: example.fileName).diagnostics
            #expect(found.map(\.range.start) == markers, "\(example.source) → \(found.map(\.message))")
        }
    }

    // MARK: JSON Lines, streamed

    /// Runs a `/bin/sh -c` command line (gzip and friends) and waits for it.
    static func shell(_ command: String) throws {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/bin/sh")
        p.arguments = ["-c", command]
        try p.run()
        p.waitUntilExit()
    }

    /// The in-memory report for the same bytes, for comparison with the streamed one.
    static func inMemoryReport(_ bytes: [UInt8], name: String, keep: Bool) -> FileReport {
        let diags = Linter().lintWithEvents(bytes, format: .jsonLines, fileName: nil).diagnostics
        return FileReport(displayName: name, source: bytes, diagnostics: diags, keepSourceLines: keep)
    }

    static func summary(_ r: FileReport) -> [String] {
        r.diagnostics.map { d in
            "\(d.start) \(d.end) \(d.noteStarts) \(d.diagnostic.rule) \(d.diagnostic.range) \(d.diagnostic.pointer ?? "-") \(d.sourceLine ?? "-") \(d.sourceLineColumn) \(d.diagnostic.message)"
        }
    }

    @Test(arguments: [false, true])
    func streamedLinesReportLikeTheWholeFile(keepSourceLines: Bool) throws {
        let long = Self.record(arn: Self.badARN).replacingOccurrences(of: #""tableName":"orders""#,
                                                                      with: #""tableName":"\#(String(repeating: "é", count: 300))""#)
        let lines = [
            Self.record(eventID: "00000000-0000-4000-8000-000000000001"),
            "",
            "   ",
            #"{"eventVersion":"1.08","eventID":"00000000-0000-4000-8000-000000000002",}"#,
            long,
            Self.envelope(Self.record(eventID: "00000000-0000-4000-8000-000000000003"), region: "eu-west-1"),
            #"{"a":1 "b":2}"#,
        ]
        let text = lines.joined(separator: "\r\n") + "\n"
        let dir = Repo.tempDirectory()
        defer { Repo.remove(dir) }
        let file = dir.appendingPathComponent("mixed.jsonl")
        try Data(text.utf8).write(to: file)
        var options = CheckOptions()
        options.keepSourceLines = keepSourceLines
        // As the linter alone judges it: the last line, no CloudTrail document, is reported too.
        options.commandLine.nonCloudTrail = .check
        let streamed = Runner(options: options).check(operands: [file.path]).reports[0]
        let expected = Self.inMemoryReport(Array(text.utf8), name: file.path, keep: keepSourceLines)
        #expect(!streamed.diagnostics.isEmpty)
        #expect(Self.summary(streamed) == Self.summary(expected))
        #expect(streamed.diagnostics.contains { $0.start.line == 4 && $0.diagnostic.rule == .trailingComma })
        #expect(streamed.diagnostics.contains { $0.start.line == 6 && $0.diagnostic.rule == .envelopeMismatch })
        #expect(streamed.diagnostics.contains { $0.start.line == 7 })
    }

    @Test func streamedGzipLinesAndDuplicateIDsAcrossLines() throws {
        let text = [Self.record, Self.record(eventID: "00000000-0000-4000-8000-000000000009"), Self.record].joined(separator: "\n")
        let dir = Repo.tempDirectory()
        defer { Repo.remove(dir) }
        let plain = dir.appendingPathComponent("a.ndjson")
        try Data(text.utf8).write(to: plain)
        try Self.shell("gzip -c '\(plain.path)' > '\(plain.path).gz'")
        for path in [plain.path, plain.path + ".gz"] {
            let found = Runner(options: CheckOptions()).check(operands: [path]).findings(in: path)
            #expect(found.map(\.diagnostic.rule) == [.duplicateEventID], "\(path)")
            let d = found.first
            #expect(d?.start.line == 3 && d?.diagnostic.notes.count == 1 && d?.noteStarts.first?.line == 1)
            // ASCII lines: the column is the byte offset of the eventID value plus one.
            let bytes = Array(Self.record.utf8)
            let column = bytes.indices.first { bytes[$0...].starts(with: Array("\"55ae8fc2".utf8)) }! + 1
            #expect(d?.start.column == column && d?.noteStarts.first?.column == column)
        }
    }

    @Test func aTruncatedGzipKeepsTheLinesBeforeTheBreak() throws {
        let dir = Repo.tempDirectory()
        defer { Repo.remove(dir) }
        var text = Self.record(eventID: "00000000-0000-4000-8000-000000000000", arn: Self.badARN) + "\n"
        for i in 1..<400 { text += Self.record(eventID: String(format: "%08x-0000-4000-8000-000000000000", i)) + "\n" }
        let plain = dir.appendingPathComponent("cut.jsonl")
        try Data(text.utf8).write(to: plain)
        try Self.shell("gzip -c '\(plain.path)' > '\(plain.path).full' && head -c $(( $(wc -c < '\(plain.path).full') / 2 )) '\(plain.path).full' > '\(plain.path).gz' && rm '\(plain.path)' '\(plain.path).full'")
        let result = Runner(options: CheckOptions()).check(operands: [plain.path + ".gz"])
        #expect(result.summary.unreadable == 1)
        let rules = result.reports[0].diagnostics.map(\.diagnostic.rule)
        #expect(rules.first == .invalidValue && rules.contains(.arnSyntax) && rules.last == .gzipCorrupt, "\(rules)")
        #expect(result.reports[0].diagnostics.last.map { $0.start.line > 1 } == true)
    }

    /// VmHWM (peak resident set) of this process, in bytes; nil when /proc is unavailable.
    static func peakRSS() -> Int? {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }) else { return nil }
        let digits = line.filter(\.isNumber)
        return Int(digits).map { $0 * 1024 }
    }

    @Test func fiftyMegabytesOfJSONLinesInBoundedMemory() throws {
        let dir = Repo.tempDirectory()
        defer { Repo.remove(dir) }
        let file = dir.appendingPathComponent("big.jsonl")
        #expect(FileManager.default.createFile(atPath: file.path, contents: nil))
        let handle = try FileHandle(forWritingTo: file)
        // Written in 1 MB pieces, each line with its own eventID, so the writer holds little.
        let template = Array((Self.record + "\n").utf8)
        let idStart = template.indices.first { template[$0...].starts(with: Array("55ae8fc2".utf8)) }!
        var written = 0
        var n = 0
        var chunk: [UInt8] = []
        while written < 50 << 20 {
            var line = template
            let hex = Array(String(format: "%08x", n).utf8)
            line.replaceSubrange(idStart..<(idStart + 8), with: hex)
            chunk += line
            n += 1
            if chunk.count >= 1 << 20 {
                handle.write(Data(chunk))
                written += chunk.count
                chunk.removeAll(keepingCapacity: true)
            }
        }
        try handle.close()
        // Measured in a child process: a peak read in this process would count every test running beside it.
        guard let tool = ChildProcess.toolPath else {
            print("skipping the memory assertion: the debug build of cloudtrail-lint is absent")
            return
        }
        // Syntax checks only, to keep the test fast in debug builds; the reading path is the same. The baseline is
        // the same run on one line.
        let small = dir.appendingPathComponent("small.jsonl")
        try Data(template).write(to: small)
        let base = try #require(ChildProcess.run(tool, ["check", "--syntax-only", "--jobs", "1", small.path]))
        let run = try #require(ChildProcess.run(tool, ["check", "--syntax-only", "--jobs", "1", file.path]))
        #expect(base.status == 0 && run.status == 0)
        #expect(run.peakRSS - base.peakRSS < 50 << 20, "peak RSS grew by \((run.peakRSS - base.peakRSS) >> 20) MB linting \(written >> 20) MB of JSON Lines")
        print("JSON Lines, \(written >> 20) MB, \(n) lines: peak RSS \(run.peakRSS >> 20) MB, \(base.peakRSS >> 20) MB for one line")
    }

    @Test func streamedFullChecksOnGeneratedLines() throws {
        // A few thousand lines through every check, streamed: only the planted defect is reported.
        let dir = Repo.tempDirectory()
        defer { Repo.remove(dir) }
        let file = dir.appendingPathComponent("day.jsonl")
        var text = ""
        for i in 0..<500 {
            let id = String(format: "%08x-0000-4000-8000-000000000000", i)
            text += (i == 321 ? Self.record(eventID: id, arn: Self.badARN) : Self.record(eventID: id)) + "\n"
        }
        try Data(text.utf8).write(to: file)
        let report = Runner(options: CheckOptions()).check(operands: [file.path]).reports[0]
        #expect(report.diagnostics.map(\.diagnostic.rule) == [.invalidValue, .arnSyntax])
        #expect(report.diagnostics.allSatisfy { $0.start.line == 322 })
    }

    // MARK: Generated logs with injected defects

    static let generator = SharedCorpus.root.appendingPathComponent("tools/gen-cloudtrail.py")

    /// Runs the generator; nil (with a message) when it or python3 is unavailable.
    static func generate(_ arguments: [String], into dir: URL) -> Bool {
        guard FileManager.default.fileExists(atPath: generator.path) else {
            print("skipping: \(generator.path) is absent (../shared is only beside the repository in CI and development)")
            return false
        }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["python3", generator.path] + arguments + ["--out", dir.path]
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        do { try p.run() } catch {
            print("skipping: python3 could not be started (\(error))")
            return false
        }
        p.waitUntilExit()
        guard p.terminationStatus == 0 else {
            print("skipping: python3 or the generator failed (status \(p.terminationStatus))")
            return false
        }
        return true
    }

    struct Defect: Decodable {
        var file: String
        var record: Int
        var kind: String
        var pointer: String
        var detail: String
        var offset: Int?
    }

    struct Sidecar: Decodable { var defects: [Defect] }

    /// Rule ids that report each defect kind of the generator.
    static let rulesForKind: [String: Set<RuleID>] = [
        "trailing_comma": [.trailingComma],
        "missing_field": [.missingField],
        "bad_arn": [.arnSyntax, .invalidValue],
        "account_mismatch": [.accountMismatch, .fileLocation, .resourceAccount, .bucketOwner],
    ]

    /// Seeds 1 and 2 between them inject every kind, a missing `userIdentity.type` and an S3 bucket owner changed on
    /// a record with `sharedEventID` (found only across records, by `bucket-owner`) among them.
    @Test(arguments: [1, 2])
    func everyInjectedDefectIsFound(seed: Int) throws {
        let dir = Repo.tempDirectory()
        defer { Repo.remove(dir) }
        let logs = dir.appendingPathComponent("logs")
        let sidecarURL = dir.appendingPathComponent("expected-defects.json")
        guard Self.generate(["--seed", String(seed), "--files", "40", "--records", "100", "--inject-defects", "0.03", "--gzip",
                             "--sidecar", sidecarURL.path], into: logs) else { return }
        let sidecar = try JSONDecoder().decode(Sidecar.self, from: Data(contentsOf: sidecarURL))
        #expect(!sidecar.defects.isEmpty)
        let result = Runner(options: CheckOptions()).check(operands: [logs.path])
        #expect(result.summary.unreadable == 0)
        var byFile: [String: [LocatedDiagnostic]] = [:]
        // A file with run-level findings has a second report, at the end of the run.
        for r in result.reports { byFile[URL(fileURLWithPath: r.displayName).lastPathComponent, default: []] += r.diagnostics }
        for defect in sidecar.defects {
            let rules = Self.rulesForKind[defect.kind] ?? []
            #expect(!rules.isEmpty, "unknown defect kind \(defect.kind)")
            let found = byFile[defect.file] ?? []
            let hit: Bool
            if defect.kind == "trailing_comma" {
                // Syntax defects carry the byte offset of the comma.
                hit = found.contains { rules.contains($0.diagnostic.rule) && $0.diagnostic.range.start == defect.offset }
            } else {
                let recordPointer = "/Records/\(defect.record)"
                let pointer = recordPointer + defect.pointer
                // An account disagreement may be reported at its sibling (the ARN next to an accountId).
                let parent = String(pointer[..<pointer.lastIndex(of: "/")!])
                hit = found.contains { d in
                    guard rules.contains(d.diagnostic.rule), let p = d.diagnostic.pointer else { return false }
                    switch defect.kind {
                    case "missing_field":
                        // Reported on the object that lacks the member: the record, or e.g. its `userIdentity`.
                        let name = defect.pointer[defect.pointer.index(after: defect.pointer.lastIndex(of: "/")!)...]
                        return p == parent && d.diagnostic.message.contains("`\(name)`")
                    case "account_mismatch": return p == pointer || p.hasPrefix(parent + "/")
                    default: return p == pointer
                    }
                }
            }
            #expect(hit, "not found: \(defect.kind) in \(defect.file) record \(defect.record) at \(defect.pointer) (\(defect.detail))\nfindings: \(found.map { "\($0.diagnostic.rule) \($0.diagnostic.pointer ?? "")" })")
        }
    }

    @Test func aCleanGeneratedDayGivesNoFindings() throws {
        let dir = Repo.tempDirectory()
        defer { Repo.remove(dir) }
        guard Self.generate(["--files", "20", "--records", "100", "--vary", "--gzip"], into: dir) else { return }
        let result = Runner(options: CheckOptions()).check(operands: [dir.path])
        let rules = Dictionary(grouping: result.reports.flatMap(\.diagnostics), by: \.diagnostic.rule).mapValues(\.count)
        #expect(rules.isEmpty, "findings on clean generated logs: \(rules)")
    }
}
