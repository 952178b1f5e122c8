import CTCore
import CTJSON
import Foundation
import Testing
import CTSchema

/// Every real CloudTrail file under `shared/corpus/records` must pass the schemas without an error-level finding.
@Suite struct RealRecordTests {
    /// Files (or whole folders, ending in `/`) whose error-level findings are expected, with the reason.
    /// Paths are relative to `corpus/records`.
    static let exceptions: [String: String] = [
        "panther-labs__panther-analysis/":
            "detection-rule test events, many hand-written and partial (README): placeholder ids such as `1` or "
            + "`1111`, Panther-normalised times like `2023-01-10 20:10:41`, truncated identities, missing fields",
        "aws__aws-cloudtrail-processing-library/SerializerTestFileBadJsonFormat.json":
            "deliberately malformed fixture (README)",
        "aws__aws-cloudtrail-processing-library/SerializerTestFile.json":
            "synthetic serializer fixture: `userIdentityType1`, `userIdentityArn1`, no eventID",
        "aws__aws-cloudtrail-processing-library/SerializerTestFileCompact.json":
            "synthetic serializer fixture: `userIdentityType1`, `userIdentityArn1`, no eventID",
        "aws__aws-cloudtrail-processing-library/SerializerTestFileLocation.json":
            "synthetic serializer fixture: `userIdentityType1`, `userIdentityArn1`, no eventID",
        "aws__aws-cloudtrail-processing-library/SerializerVariousUserIdentityTestFile.json":
            "synthetic serializer fixture: `userIdentityType1`, `userIdentityArn1`, no eventID",
        "boogy__CloudTrail-Log-Parser/AddUserToGroup.json": "AWS documentation placeholder eventID `…-EXAMPLE85850`",
        "boogy__CloudTrail-Log-Parser/CreateRole.json": "AWS documentation placeholder eventID `…-EXAMPLEa887c`",
        "boogy__CloudTrail-Log-Parser/create-key-pair.json": "AWS documentation placeholder eventID `…-EXAMPLE5227cb`",
        "flosell__trailscraper/events-for-smoke-test.json": "placeholder eventID `…-ff5eeEXAMPLE`",
        "SnellerInc__sneller/ex3.json": "placeholder accessKeyId `EXAMPLE_KEY_ID`",
        "SnellerInc__sneller/ex4.json": "placeholder accessKeyId `EXAMPLE_KEY_ID`",
        "SnellerInc__sneller/ex6.json": "placeholder accessKeyId `EXAMPLE_KEY_ID`",
        "cloud-custodian__cloud-custodian/event-cloud-trail-create-db.json":
            "synthetic fixture: accessKeyId `notasecret`, malformed ARN `arn:aws::sts:101010101111:…`",
        "DataDog__stratus-red-team/aws.lateral-movement.ec2-serial-console-send-ssh-public-key.json":
            "the publisher redacted the assumed-role ARN to `assumed-role/<random>@gmail.com`, dropping the session name",
    ]

    /// JSON files that are not CloudTrail documents: event envelopes and S3/EventBridge notifications.
    static let notCloudTrail = [
        "airbnb__streamalert/aliyun_actiontrail.json",
        "airbnb__streamalert/cloudtrail_critical_api_calls.json",
        "airbnb__streamalert/cloudtrail_put_object_acl_public.json",
        "airbnb__streamalert/cloudwatch_cloudtrail.json",
        "boogy__cloudtrail-rs/eventbridge-object-created.json",
        "boogy__cloudtrail-rs/eventbridge-object-deleted.json",
        "boogy__cloudtrail-rs/s3-test-event.json",
        "cloud-custodian__cloud-custodian/event-cloud-trail-tag-distribution.json",
        "cloud-custodian__cloud-custodian/event-cloud-trail-tag-rest-stage.json",
        "cloud-custodian__cloud-custodian/event-cloud-trail-update-distribution.json",
        "fivexl__terraform-aws-cloudtrail-to-slack/test_events.json",
    ]

    static func exception(for relative: String) -> String? {
        if let r = exceptions[relative] { return r }
        return exceptions.first { $0.key.hasSuffix("/") && relative.hasPrefix($0.key) }?.value
    }

    @Test func realRecordsHaveNoErrors() throws {
        guard let root = TestPaths.sharedPath("corpus/records") else {
            print("skipping real-record test: \(TestPaths.shared.path)/corpus/records is absent")
            return
        }
        let files = FileManager.default.enumerator(at: root, includingPropertiesForKeys: nil)!
            .compactMap { $0 as? URL }.filter { $0.pathExtension == "json" }
            .sorted { $0.path < $1.path }
        var checkedRecords = 0, notCloudTrail = 0, clean = 0
        var unexpected: [String] = []
        var notCloudTrailFiles: [String] = []
        var excepted = 0
        for url in files {
            let relative = String(url.path.dropFirst(root.path.count + 1))
            let tree = JSONParser.parse([UInt8](try Data(contentsOf: url)))
            let findings = CloudTrailSchemaChecker.shared.check(tree)
            if let records = CloudTrailSchemaChecker.records(in: tree) { checkedRecords += records.count } else { notCloudTrail += 1; notCloudTrailFiles.append(relative) }
            let errors = findings.filter { $0.severity == .error }
            if errors.isEmpty { clean += 1; continue }
            if Self.exception(for: relative) != nil { excepted += 1; continue }
            unexpected.append("\(relative): " + errors.prefix(5).map { "\($0.rule) \($0.pointer ?? "") \($0.message)" }.joined(separator: " | "))
        }
        print("real records: \(files.count) files, \(checkedRecords) records, \(notCloudTrail) not CloudTrail, "
              + "\(clean) files without errors, \(excepted) listed exceptions with errors, \(unexpected.count) unexpected")
        // The documents that are not CloudTrail are exactly the known envelopes and notifications.
        #expect(notCloudTrailFiles == Self.notCloudTrail, "not CloudTrail: \(notCloudTrailFiles)")
        for u in unexpected { Issue.record(Comment(rawValue: u)) }
    }
}
