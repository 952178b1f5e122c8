import CTCore
import CTInput
import CTJSON

/// Semantic rule `file-location`: a CloudTrail log file's name and S3-style folder path agree with each other
/// and with the records inside.
package struct FileLocationRule: RecordRule {
    package static let metadata = RuleMetadata(
        id: .fileLocation,
        category: .semantic,
        summary: "A log file whose name or folder disagrees with itself or with its records",
        rationale: """
            CloudTrail delivers each file as `AWSLogs/[o-ORGID/]ACCOUNT/CloudTrail/REGION/YYYY/MM/DD/\
            ACCOUNT_CloudTrail_REGION_YYYYMMDDTHHmmZ_UNIQUE.json.gz`: account, region and delivery time (UTC) appear \
            in both the folder path and the name, and every record in the file has that account as \
            `recipientAccountId` and that region as `awsRegion`. A file can hold events from any time before its \
            delivery, but not events that happened after it was written; `eventTime` values a few minutes after \
            the name's minute are normal, so only events more than 15 minutes after the end of that minute are \
            reported. Disagreements point at files that were renamed, merged, copied to the wrong prefix or \
            edited. Findings about the path itself are reported once per file, at the first record. Global \
            service events (IAM, STS, CloudFront, console sign-in) may be delivered with another region and are \
            not compared. Nothing is checked for standard input or for files named otherwise.
            """,
        defaultSeverity: .warning,
        valid: [
            RuleExample(#"{"Records": [{"recipientAccountId": "123456789012", "awsRegion": "us-east-1", "eventTime": "2024-01-02T03:16:40Z"}, {"recipientAccountId": "123456789012", "awsRegion": "us-east-1", "eventTime": "2023-12-31T22:00:00Z"}]}"#,
                        fileName: Self.exampleFile),
            RuleExample(#"{"Records": [{"recipientAccountId": "123456789012", "awsRegion": "us-east-1", "eventSource": "iam.amazonaws.com", "eventTime": "2024-01-02T03:01:00Z"}]}"#,
                        fileName: "/data/trail/AWSLogs/o-a1b2c3d4e5/123456789012/CloudTrail/eu-west-1/2024/01/02/123456789012_CloudTrail_eu-west-1_20240102T0305Z_abc.json.gz"),
            RuleExample(#"{"eventVersion": "1.08", "recipientAccountId": "999999999999", "awsRegion": "sa-east-1", "eventTime": "2030-01-01T00:00:00Z"}"#,
                        fileName: "/data/exports/suspicious-events.json"),
        ],
        invalid: [
            RuleExample(#"{"Records": [{"recipientAccountId": ↓"210987654321", "awsRegion": "us-east-1", "eventTime": "2024-01-02T03:00:00Z"}]}"#,
                        fileName: Self.exampleFile),
            RuleExample(#"{"Records": [{"recipientAccountId": "123456789012", "awsRegion": ↓"us-west-2", "eventTime": "2024-01-02T03:00:00Z"}]}"#,
                        fileName: Self.exampleFile),
            RuleExample(#"{"Records": [{"recipientAccountId": "123456789012", "awsRegion": "us-east-1", "eventTime": ↓"2024-01-02T04:30:00Z"}]}"#,
                        fileName: Self.exampleFile),
            RuleExample(#"{"Records": [↓{"recipientAccountId": "123456789012", "eventTime": "2024-01-02T03:00:00Z"}, {"recipientAccountId": "123456789012", "eventTime": "2024-01-02T03:01:00Z"}]}"#,
                        fileName: "/x/AWSLogs/123456789012/CloudTrail/us-east-1/2024/01/03/123456789012_CloudTrail_us-east-1_20240102T0305Z_abc.json.gz"),
            RuleExample(#"{"Records": [↓{"recipientAccountId": "123456789012", "eventTime": "2024-01-02T03:00:00Z"}]}"#,
                        fileName: "/x/AWSLogs/111122223333/CloudTrail/us-east-1/2024/01/02/123456789012_CloudTrail_us-east-1_20240102T0305Z_abc.json.gz"),
        ]
    )

    static let exampleFile =
        "/x/AWSLogs/123456789012/CloudTrail/us-east-1/2024/01/02/123456789012_CloudTrail_us-east-1_20240102T0305Z_abc.json.gz"

    package init() {}

    // MARK: Checking

    /// Event sources whose events CloudTrail may log under another region than the delivering one.
    static func isGlobalService(_ tree: SyntaxTree, _ source: Int?) -> Bool {
        guard let source else { return false }
        return tree.stringEquals(source, "iam.amazonaws.com") || tree.stringEquals(source, "sts.amazonaws.com")
            || tree.stringEquals(source, "signin.amazonaws.com") || tree.stringEquals(source, "cloudfront.amazonaws.com")
    }

    package func check(_ context: RecordContext) -> [Diagnostic] {
        guard let facts = context.fileFacts else { return [] }
        if facts.problems.isEmpty && Self.agrees(context, facts) { return [] }
        return checkInFull(context, facts)
    }

    /// Every finding for the record, without the `agrees` shortcut.
    func checkInFull(_ context: RecordContext, _ facts: FileFacts) -> [Diagnostic] {
        let tree = context.tree
        let record = context.record
        let meta = Self.metadata
        var out: [Diagnostic] = []
        if !facts.problems.isEmpty, context.isFirstRecord {
            let start = tree.range(record).start
            let range = TextRange(start: start, end: min(start + 1, tree.range(record).end))
            for problem in facts.problems {
                out.append(Diagnostic(rule: meta.id, severity: meta.defaultSeverity,
                                      message: problem,
                                      range: range, pointer: tree.pointer(of: record)))
            }
        }
        if let account = facts.account, let (node, bytes) = ValueText.member(tree, context.fields.recipientAccountId),
           bytes.count == 12, bytes.allSatisfy(ValueText.isDigit), !bytes.elementsEqual(facts.accountBytes) {
            out.append(context.diagnostic(
                meta, "recipientAccountId \(ValueText.quoted(bytes)) differs from the account `\(account)` in the \(facts.source); CloudTrail delivers a record only to its recipient account's folder",
                at: node))
        }
        if let region = facts.region, let (node, bytes) = ValueText.member(tree, context.fields.awsRegion),
           !bytes.elementsEqual(facts.regionBytes), LogFileName.isRegion(Substring(ValueText.string(bytes))),
           !Self.isGlobalService(tree, context.fields.eventSource) {
            out.append(context.diagnostic(
                meta, "awsRegion \(ValueText.quoted(bytes)) differs from the region `\(region)` in the \(facts.source); a regional log file holds that region's events",
                at: node))
        }
        if let latest = facts.latestEventTime, let delivery = facts.delivery,
           let (node, bytes) = ValueText.member(tree, context.fields.eventTime),
           let time = UTCTime.strictExtended(bytes), time.epochSeconds > latest {
            let gap = Self.describe(seconds: time.epochSeconds - delivery)
            out.append(context.diagnostic(
                meta, "eventTime \(ValueText.quoted(bytes)) is \(gap) after \(facts.deliveryText); a log file holds only events from before its delivery",
                at: node))
        }
        return out
    }

    /// True when the record's account, region and eventTime, read in place, cannot draw a finding: each is
    /// absent, equal to the file's, or (eventTime) not after the latest plausible time in text order. False
    /// means "check in full". The common case of every record in a delivered file; the full check made slices
    /// of the source and parsed the time (1.5k instructions a record, callgrind).
    static func agrees(_ context: RecordContext, _ facts: FileFacts) -> Bool {
        return SourceBytes.with(context.tree) { b in
            func same(_ node: Int?, _ expected: [UInt8]) -> Bool {
                guard let node else { return true }
                guard let r = b.plain(node), r.count == expected.count else { return false }
                return expected.withUnsafeBufferPointer { e in
                    r.isEmpty || memcmpEqual(b.src.baseAddress! + r.lowerBound, e.baseAddress!, r.count)
                }
            }
            if facts.account != nil && !same(context.fields.recipientAccountId, facts.accountBytes) { return false }
            if facts.region != nil && !same(context.fields.awsRegion, facts.regionBytes) { return false }
            if facts.latestEventTime != nil, let t = context.fields.eventTime {
                // Only a 20-byte `YYYY-MM-DDTHH:MM:SSZ` can be late; at most the latest time in text order is not.
                guard let r = b.plain(t) else { return false }
                if r.count == 20 {
                    let later = facts.latestEventTimeText.withUnsafeBufferPointer { l in
                        var i = 0
                        while i < 20 && b.src[r.lowerBound + i] == l[i] { i += 1 }
                        return i < 20 && b.src[r.lowerBound + i] > l[i]
                    }
                    if later { return false }
                }
            }
            return true
        }
    }

    /// "42 minutes", "5 hours", "3 days".
    static func describe(seconds: Int) -> String {
        let minutes = seconds / 60
        if minutes < 120 { return "\(minutes) minute\(minutes == 1 ? "" : "s")" }
        let hours = minutes / 60
        if hours < 48 { return "\(hours) hours" }
        return "\(hours / 24) days"
    }
}
