import Testing
import CTInput

struct LogFileNameTests {
    @Test func parsesLogFileName() throws {
        let name = try #require(LogFileName("111122223333_CloudTrail_us-east-2_20150801T0210Z_Mu0KsOhtH1ar15ZZ.json.gz"))
        #expect(name.kind == .log)
        #expect(name.accountID == "111122223333")
        #expect(name.region == "us-east-2")
        #expect(name.timestamp == LogFileTimestamp(year: 2015, month: 8, day: 1, hour: 2, minute: 10))
        #expect(name.timestamp.second == nil)
        #expect(name.timestamp.description == "2015-08-01T02:10Z")
        #expect(name.uniqueString == "Mu0KsOhtH1ar15ZZ")
        #expect(name.isGzipExtension)
        #expect(name.trailName == nil)
    }

    @Test func namesAreReadWhateverSurroundsThem() throws {
        // Directory parts (also non-ASCII ones) change nothing; a non-ASCII byte inside a field rejects the name.
        let valid = "210987654321_CloudTrail_ap-southeast-2_20240314T0013Z_awkNmLvPtsjSCLLh.json.gz"
        let plain = try #require(LogFileName(valid))
        for directory in ["", "/", "ñ/", "日本/ログ/", "a b/AWSLogs/", "/tmp/.hidden/"] {
            #expect(LogFileName(directory + valid) == plain, "\(directory)")
        }
        for broken in ["210987654321_CloudTrail_ap-southeast-2_20240314T0013Z_awkNmLvPtsjSCLLé.json.gz",
                       "21098765432١_CloudTrail_ap-southeast-2_20240314T0013Z_x.json.gz",
                       "210987654321_CloudTrail_ap-southeast-2_20240314T0013Z_.json.gz",
                       "210987654321_CloudTrail_ap-southeast-2_20240314T0013Z_x.json.gz/",
                       "210987654321_CloudTrail_ap-southeast-2_20240314T0013Z.json.gz", ".json.gz", ".json", "_"] {
            #expect(LogFileName(broken) == nil, "\(broken)")
        }
        // Every prefix of a valid name, and of a digest name, is rejected without trapping.
        let digest = "210987654321_CloudTrail-Digest_us-east-1_my_trail_us-east-1_20240314T010203Z.json.gz"
        for name in [valid, digest] {
            for cut in name.indices.dropLast() { _ = LogFileName(String(name[..<cut])) }
        }
        #expect(LogFileName(digest)?.trailName == "my_trail")
    }

    @Test func acceptsInflatedExtensionAndDirectoryPart() throws {
        let name = try #require(LogFileName("/tmp/x/123456789012_CloudTrail_us-gov-west-1_20240229T2359Z_abc_DEF9.json"))
        #expect(!name.isGzipExtension)
        #expect(name.region == "us-gov-west-1")
        #expect(name.uniqueString == "abc_DEF9")
        #expect(name.timestamp.day == 29)
    }

    @Test func parsesInsightName() throws {
        let name = try #require(LogFileName("123456789012_CloudTrail-Insight_eu-west-1_20230102T0304Z_a1B2c3D4e5F6g7H8.json.gz"))
        #expect(name.kind == .insight)
        #expect(name.region == "eu-west-1")
        #expect(name.timestamp.hour == 3 && name.timestamp.minute == 4)
    }

    @Test func parsesDigestNames() throws {
        let full = try #require(LogFileName(
            "111122223333_CloudTrail-Digest_us-east-2_my_org_trail_us-east-1_20151215T231500Z.json.gz"))
        #expect(full.kind == .digest)
        #expect(full.region == "us-east-2")
        #expect(full.trailName == "my_org_trail")
        #expect(full.homeRegion == "us-east-1")
        #expect(full.timestamp == LogFileTimestamp(year: 2015, month: 12, day: 15, hour: 23, minute: 15, second: 0))
        #expect(full.timestamp.description == "2015-12-15T23:15:00Z")
        #expect(full.uniqueString == nil)

        let short = try #require(LogFileName("111122223333_CloudTrail-Digest_us-east-2_20151215T231559Z.json.gz"))
        #expect(short.trailName == nil && short.homeRegion == nil)
        #expect(short.timestamp.second == 59)

        let homeOnly = try #require(LogFileName("111122223333_CloudTrail-Digest_us-east-2_us-west-2_20151215T231500Z.json.gz"))
        #expect(homeOnly.homeRegion == "us-west-2" && homeOnly.trailName == nil)
    }

    @Test(arguments: [
        "11112222333_CloudTrail_us-east-2_20150801T0210Z_abc.json.gz",     // 11-digit account
        "11112222333a_CloudTrail_us-east-2_20150801T0210Z_abc.json.gz",    // non-digit account
        "111122223333_CloudTrail_US-EAST-2_20150801T0210Z_abc.json.gz",    // upper-case region
        "111122223333_CloudTrail_useast2_20150801T0210Z_abc.json.gz",      // no hyphen
        "111122223333_CloudTrail_us-east-2_20150231T0210Z_abc.json.gz",    // 31 February
        "111122223333_CloudTrail_us-east-2_20150801T2410Z_abc.json.gz",    // hour 24
        "111122223333_CloudTrail_us-east-2_20150801T0260Z_abc.json.gz",    // minute 60
        "111122223333_CloudTrail_us-east-2_20150801T021000Z_abc.json.gz",  // seconds in a log name
        "111122223333_CloudTrail_us-east-2_20150801T0210Z_.json.gz",       // empty unique string
        "111122223333_CloudTrail_us-east-2_20150801T0210Z_a-b.json.gz",    // '-' in unique string
        "111122223333_CloudTrail_us-east-2_20150801T0210Z_abc.csv.gz",     // extension
        "111122223333_CloudTrail_us-east-2_20150801T0210Z_abc",            // no extension
        "111122223333_CloudTrail-Foo_us-east-2_20150801T0210Z_abc.json.gz",
        "111122223333_CloudTrail-Digest_us-east-2_trail_us-east-1_20151215T2315Z.json.gz",  // no seconds
        "111122223333_CloudTrail-Digest_us-east-2_trail_notaregion_20151215T231500Z.json.gz",
        "111122223333_CloudTrail_us-east-2.json.gz",
        "",
    ])
    func rejectsMalformedNames(_ text: String) {
        #expect(LogFileName(text) == nil)
    }

    @Test func leapYearRules() {
        #expect(LogFileTimestamp(compact: "20000229T0000Z", withSeconds: false) != nil)
        #expect(LogFileTimestamp(compact: "19000229T0000Z", withSeconds: false) == nil)
        #expect(LogFileTimestamp(compact: "20240229T0000Z", withSeconds: false) != nil)
        #expect(LogFileTimestamp(compact: "20230229T0000Z", withSeconds: false) == nil)
        #expect(LogFileTimestamp(compact: "20230430T0000Z", withSeconds: false) != nil)
        #expect(LogFileTimestamp(compact: "20230431T0000Z", withSeconds: false) == nil)
        #expect(LogFileTimestamp(compact: "20231300T0000Z", withSeconds: false) == nil)
        let a = LogFileTimestamp(year: 2024, month: 1, day: 1, hour: 0, minute: 5)
        let b = LogFileTimestamp(year: 2024, month: 1, day: 1, hour: 0, minute: 5, second: 1)
        #expect(a < b)
    }

    @Test func parsesOrganizationKeyWithPrefix() throws {
        let key = "s3://my-bucket/prefix/AWSLogs/o-exampleorgid/111122223333/CloudTrail/us-east-2/2015/08/01/"
            + "111122223333_CloudTrail_us-east-2_20150801T0210Z_Mu0KsOhtH1ar15ZZ.json.gz"
        let location = try #require(LogFileLocation(path: key))
        #expect(location.prefix == "s3://my-bucket/prefix/")
        #expect(location.organizationID == "o-exampleorgid")
        #expect(location.accountID == "111122223333")
        #expect(location.kind == .log)
        #expect(location.region == "us-east-2")
        #expect(location.year == 2015 && location.month == 8 && location.day == 1)
        #expect(location.fileName?.accountID == "111122223333")
        #expect(location.fileName?.timestamp.minute == 10)
    }

    @Test func parsesFolderPrefixesOfEachKind() throws {
        let log = try #require(LogFileLocation(path: "AWSLogs/111122223333/CloudTrail/ap-southeast-2/2024/02/29/"))
        #expect(log.prefix == "")
        #expect(log.organizationID == nil)
        #expect(log.fileNameComponent == nil && log.fileName == nil)

        let digest = try #require(LogFileLocation(
            path: "bucket/AWSLogs/111122223333/CloudTrail-Digest/us-east-1/2024/01/31"))
        #expect(digest.kind == .digest)
        #expect(digest.prefix == "bucket/")

        let insight = try #require(LogFileLocation(
            path: "/data/AWSLogs/o-aa11bb22cc/111122223333/CloudTrail-Insight/eu-central-1/2023/12/31/notes.txt"))
        #expect(insight.kind == .insight)
        #expect(insight.organizationID == "o-aa11bb22cc")
        #expect(insight.fileNameComponent == "notes.txt")
        #expect(insight.fileName == nil)
    }

    @Test func laterAWSLogsSegmentIsTriedWhenTheFirstDoesNotFit() throws {
        let location = try #require(LogFileLocation(
            path: "AWSLogs/backup/AWSLogs/111122223333/CloudTrail/us-east-1/2024/01/02/x.json.gz"))
        #expect(location.prefix == "AWSLogs/backup/")
        #expect(location.accountID == "111122223333")
    }

    @Test(arguments: [
        "AWSLogs/111122223333/CloudTrail/us-east-1/2024/01",                    // no day
        "AWSLogs/111122223333/CloudTrail/us-east-1/2024/13/01/",                // month 13
        "AWSLogs/111122223333/CloudTrail/us-east-1/2024/02/30/",                // 30 February
        "AWSLogs/111122223333/CloudTrail/us-east-1/24/01/01/",                  // 2-digit year
        "AWSLogs/111122223333/CloudTrail-Lake/Query/2024/01/01/",               // Lake results
        "AWSLogs/o-x/111122223333/CloudTrail/us-east-1/2024/01/01/",            // org id too short
        "AWSLogs/1111222233/CloudTrail/us-east-1/2024/01/01/",                  // short account
        "AWSLogs/111122223333/CloudTrail/us-east-1/2024/01/01/extra/x.json.gz", // extra folder
        "Logs/111122223333/CloudTrail/us-east-1/2024/01/01/",
        "awslogs/111122223333/CloudTrail/us-east-1/2024/01/01/",
    ])
    func rejectsMalformedKeys(_ key: String) {
        #expect(LogFileLocation(path: key) == nil)
    }

    @Test func helperPredicates() {
        #expect(LogFileName.isRegion("eu-isoe-west-1"))
        #expect(!LogFileName.isRegion("us--east-1"))
        #expect(!LogFileName.isRegion("us-east-"))
        #expect(!LogFileName.isRegion("1us-east-1"))
        #expect(LogFileName.isOrganizationID("o-exampleorgid"))
        #expect(!LogFileName.isOrganizationID("o-EXAMPLEORGID"))
        #expect(LogFileName.isAccountID("000000000000"))
        #expect(LogFileKind.digest.token == "CloudTrail-Digest")
    }

    @Test func backfillDigestNamesParse() throws {
        let name = try #require(LogFileName("111122223333_CloudTrail-Digest_us-west-2_org_trail_us-east-1_20240314T010000Z_backfill.json.gz"))
        #expect(name.kind == .digest && name.isBackfill)
        #expect(name.trailName == "org_trail" && name.homeRegion == "us-east-1")
        #expect(name.timestamp == LogFileTimestamp(year: 2024, month: 3, day: 14, hour: 1, minute: 0, second: 0))
        #expect(LogFileName("111122223333_CloudTrail-Digest_us-west-2_t_us-east-1_20240314T010000Z.json.gz")?.isBackfill == false)
    }
}
