import CTCore
import CTJSON
import CTLint
@testable import CTRules
import Foundation
import CTTestSupport
import Testing

private let valueRuleIDs = ["event-time", "event-id", "ip-address", "event-source", "file-location"]

/// Findings of one value rule on a JSON document.
private func findings(_ rule: String, _ json: String, fileName: String? = nil) -> [Diagnostic] {
    Linter(selection: RuleSelection(select: [rule])).lint(Array(json.utf8), format: .json, fileName: fileName)
        .filter { $0.rule.rawValue == rule }
}

/// A one-record document holding `members` (a record needs `eventVersion` to be recognised).
private func record(_ members: String) -> String { #"{"eventVersion": "1.08", "# + members + "}" }

/// A one-member record with a string value.
private func record(_ key: String, _ value: String) -> String { record(#""\#(key)": "\#(value)""#) }

/// The document after applying every fix (unsafe included) of `rule`.
private func fixed(_ rule: String, _ json: String) -> String {
    let fixer = Fixer(linter: Linter(selection: RuleSelection(select: [rule])), includeUnsafe: true)
    return String(decoding: fixer.fix(Array(json.utf8), format: .json).output, as: UTF8.self)
}

// MARK: - event-time

@Suite struct EventTimeRuleTests {
    @Test func leapDays() {
        for ok in ["2024-02-29T00:00:00Z", "2000-02-29T12:00:00Z", "2016-02-29T23:59:59Z"] {
            #expect(findings("event-time", record("eventTime", ok)).isEmpty, "\(ok)")
        }
        for bad in ["2023-02-29T00:00:00Z", "1900-02-29T00:00:00Z", "2100-02-29T00:00:00Z"] {
            let found = findings("event-time", record("eventTime", bad))
            #expect(found.count == 1 && found[0].severity == .error, "\(bad)")
            #expect(found.first?.message.contains("not a leap year") == true, "\(bad): \(found.map(\.message))")
            #expect(found.first?.fix == nil)
        }
        #expect(findings("event-time", record("eventTime", "2024-02-30T00:00:00Z")).first?.message.contains("February has 29 days") == true)
    }

    @Test func monthLengthsAndClockRanges() {
        for ok in ["2024-01-31T00:00:00Z", "2024-03-31T00:00:00Z", "2024-12-31T23:59:59Z", "2024-04-30T00:00:00Z"] {
            #expect(findings("event-time", record("eventTime", ok)).isEmpty, "\(ok)")
        }
        let cases = [
            ("2024-04-31T00:00:00Z", "April has 30 days"), ("2024-06-31T00:00:00Z", "June has 30 days"),
            ("2024-09-31T00:00:00Z", "September has 30 days"), ("2024-11-31T00:00:00Z", "November has 30 days"),
            ("2024-13-01T00:00:00Z", "month 13"), ("2024-00-10T00:00:00Z", "month 00"), ("2024-05-00T00:00:00Z", "day 00"),
            ("2024-05-01T24:00:00Z", "hour 24"), ("2024-05-01T10:60:00Z", "minute 60"), ("2024-05-01T10:00:60Z", "second 60"),
        ]
        for (text, phrase) in cases {
            let found = findings("event-time", record("eventTime", text))
            #expect(found.count == 1 && found[0].message.contains(phrase), "\(text): \(found.map(\.message))")
            #expect(found.first?.message.contains("`\(text)`") == true)
        }
    }

    @Test func nearMissesGetAFix() {
        let cases = [
            ("2024-01-02 03:04:05", "2024-01-02T03:04:05Z", "a space instead of `T`"),
            ("2024-01-02 03:04:05Z", "2024-01-02T03:04:05Z", "a space instead of `T`"),
            ("2024-01-02T03:04:05", "2024-01-02T03:04:05Z", "no `Z`"),
            ("2024-01-02T03:04:05.000Z", "2024-01-02T03:04:05Z", "fractional seconds `.000`"),
            ("2022-12-12 21:46:17.000000000", "2022-12-12T21:46:17Z", "fractional seconds"),
            ("2024-01-02T03:04:05.750Z", "2024-01-02T03:04:05Z", "dropped by the fix"),
            ("2024-01-02t03:04:05z", "2024-01-02T03:04:05Z", "a lowercase `t`"),
            ("2024-01-02T03:04:05+00:00", "2024-01-02T03:04:05Z", "the offset `+00:00`"),
            ("2024-03-01T01:00:00+05:30", "2024-02-29T19:30:00Z", "UTC offset `+05:30`"),
            ("2024-12-31T20:00:00-0500", "2025-01-01T01:00:00Z", "UTC offset `-0500`"),
            ("20240102T030405Z", "2024-01-02T03:04:05Z", "basic form"),
            (" 2024-01-02T03:04:05Z", "2024-01-02T03:04:05Z", "whitespace"),
        ]
        for (text, canonical, phrase) in cases {
            let doc = record("eventTime", text)
            let found = findings("event-time", doc)
            #expect(found.count == 1, "\(text)")
            guard let d = found.first else { continue }
            #expect(d.severity == .error)
            #expect(d.message.contains(phrase) && d.message.contains("CloudTrail writes `\(canonical)`"), "\(text): \(d.message)")
            #expect(d.fix?.applicability == .unsafe)
            #expect(fixed("event-time", doc) == record("eventTime", canonical), "\(text)")
        }
    }

    @Test func garbageAndPlaceholders() {
        let garbage = findings("event-time", record("eventTime", "last Tuesday"))
        #expect(garbage.count == 1 && garbage[0].severity == .error && garbage[0].fix == nil)
        #expect(garbage.first?.message.contains("`YYYY-MM-DDTHH:MM:SSZ`") == true)
        for placeholder in ["...", "redacted", "<event time>", "YYYY-MM-DDTHH:MM:SSZ"] {
            let found = findings("event-time", record("eventTime", placeholder))
            #expect(found.count == 1, "\(placeholder)")
            if placeholder != "YYYY-MM-DDTHH:MM:SSZ" {
                #expect(found.first?.severity == .warning && found.first?.message.contains("placeholder") == true, "\(placeholder)")
            }
        }
        #expect(findings("event-time", record("eventTime", "")).first?.message.contains("empty") == true)
        // Other types are the schema's business.
        #expect(findings("event-time", record(#""eventTime": 1704164645"#)).isEmpty)
    }

    @Test func creationDateForms() {
        func doc(_ value: String) -> String {
            record(#""eventTime": "2024-01-02T03:04:05Z", "userIdentity": {"sessionContext": {"attributes": {"mfaAuthenticated": "false", "creationDate": "\#(value)"}}}"#)
        }
        for ok in ["2024-01-02T01:00:00Z", "20131102T010628Z", "20240229T235959Z", ""] {
            #expect(findings("event-time", doc(ok)).isEmpty, "\(ok)")
        }
        let leap = findings("event-time", doc("20230229T010628Z"))
        #expect(leap.count == 1 && leap[0].severity == .error && leap[0].message.contains("creationDate"))
        let shape = findings("event-time", doc("May 7, 2021 5:31:52 PM"))
        #expect(shape.count == 1 && shape[0].severity == .error && shape[0].message.contains("ISO 8601"))
        let fraction = findings("event-time", doc("2024-01-02T01:00:00.000Z"))
        #expect(fraction.count == 1 && fraction[0].severity == .warning && fraction[0].fix != nil)
        #expect(fixed("event-time", doc("20240102T010000.5Z")) == doc("20240102T010000Z"))
        #expect(findings("event-time", doc("...")).first?.severity == .warning)
    }

    @Test func lakeIntegrationEventsMayOmitTheZone() {
        let doc = record(#""eventCategory": "ActivityAuditLog", "eventTime": "2024-01-02T03:04:05""#)
        #expect(findings("event-time", doc).isEmpty)
        let wrong = record(#""eventCategory": "Management", "eventTime": "2024-01-02T03:04:05""#)
        #expect(findings("event-time", wrong).count == 1)
    }

    @Test func rangeIsTheStringValue() {
        let doc = record("eventTime", "2024-02-30T00:00:00Z")
        let d = findings("event-time", doc)[0]
        let text = String(decoding: Array(doc.utf8)[d.range.start..<d.range.end], as: UTF8.self)
        #expect(text == #""2024-02-30T00:00:00Z""#)
        #expect(d.pointer == "/eventTime")
    }

    @Test func calendarArithmetic() {
        for days in [-800_000, -1, 0, 1, 11_016, 19_723, 60_000, 2_932_896] {
            let (y, m, d) = UTCTime.civilFromDays(days)
            #expect(UTCTime.daysFromCivil(year: y, month: m, day: d) == days)
        }
        #expect(UTCTime(year: 2024, month: 1, day: 2, hour: 3, minute: 4, second: 5).epochSeconds == 1_704_164_645)
        #expect(UTCTime(epochSeconds: 951_782_400).extended == "2000-02-29T00:00:00Z")
    }
}

// MARK: - event-id

@Suite struct EventIDRuleTests {
    @Test func uuidsPass() {
        for ok in ["0f4c2a91-5e3b-4d7a-9c18-6b2e0d9f1a37", "00000000-0000-0000-0000-000000000000", "ABCDEF01-2345-6789-ABCD-EF0123456789"] {
            #expect(findings("event-id", record("eventID", ok)).isEmpty, "\(ok)")
            #expect(findings("event-id", record("sharedEventID", ok)).isEmpty, "\(ok)")
        }
    }

    @Test func requestIDIsNotAUUID() {
        let doc = record(#""eventID": "0f4c2a91-5e3b-4d7a-9c18-6b2e0d9f1a37", "requestID": "5WDT0JW454734NF5""#)
        #expect(findings("event-id", doc).isEmpty)
    }

    @Test func brokenIDsAreErrorsThatNameTheProblem() {
        let nonHex = findings("event-id", record("eventID", "g2f3e4d5-c6b7-8901-2345-678901bcdefg"))
        #expect(nonHex.count == 1 && nonHex[0].severity == .error)
        #expect(nonHex.first?.message.contains("`g` at position 1 is not a hexadecimal digit") == true, "\(nonHex.map(\.message))")
        for bad in ["1", "1111", "test-02", "0f4c2a91-5e3b-4d7a-9c186b2e-0d9f1a37", "0f4c2a91-5e3b-4d7a-9c18-6b2e0d9f1a3"] {
            let found = findings("event-id", record("eventID", bad))
            #expect(found.count == 1 && found[0].severity == .error && found[0].fix == nil, "\(bad)")
            #expect(found.first?.message.contains("`\(bad)`") == true)
        }
        let shared = findings("event-id", record("sharedEventID", "1111"))
        #expect(shared.first?.message.hasPrefix("sharedEventID") == true)
        #expect(findings("event-id", record("eventID", "")).first?.message.contains("empty") == true)
    }

    @Test func documentationPlaceholdersAreWarnings() {
        for placeholder in ["e3c6f4ce-EXAMPLE", "2939ba50-1d26-4a5a-83bd-EXAMPLE85850", "EXAMPLE8-9621-4d00-b913-beca2EXAMPLE",
                            "XXXXXXXXXXXXX-eab3-4bc7-ae06-XXXXXXXXXXX", "...", "-"] {
            let found = findings("event-id", record("eventID", placeholder))
            #expect(found.count == 1 && found[0].severity == .warning, "\(placeholder)")
            #expect(found.first?.message.contains("documentation placeholder") == true)
        }
    }

    @Test func presentationFixes() {
        let cases = [
            ("0F4C2A915E3B4D7A9C186B2E0D9F1A37", "0F4C2A91-5E3B-4D7A-9C18-6B2E0D9F1A37"),
            ("urn:uuid:0f4c2a91-5e3b-4d7a-9c18-6b2e0d9f1a37", "0f4c2a91-5e3b-4d7a-9c18-6b2e0d9f1a37"),
            ("  0f4c2a91-5e3b-4d7a-9c18-6b2e0d9f1a37 ", "0f4c2a91-5e3b-4d7a-9c18-6b2e0d9f1a37"),
        ]
        for (text, canonical) in cases {
            #expect(fixed("event-id", record("eventID", text)) == record("eventID", canonical), "\(text)")
        }
    }

    @Test func escapedStringsAreDecoded() {
        let doc = record(#""eventID": "0f4c2a91\u002d5e3b-4d7a-9c18-6b2e0d9f1a37""#)
        #expect(findings("event-id", doc).isEmpty)
    }
}

// MARK: - ip-address

@Suite struct IPAddressRuleTests {
    @Test func ipv4EdgeCases() {
        for ok in ["1.10.100.255", "0.0.0.0", "255.255.255.255", "10.0.0.1", "192.0.2.0"] {
            #expect(AddressText.ipv4(Array(ok.utf8)[...]) == .valid, "\(ok)")
            #expect(findings("ip-address", record("sourceIPAddress", ok)).isEmpty, "\(ok)")
        }
        #expect(AddressText.ipv4(Array("192.0.2.01".utf8)[...]) == .leadingZeros(canonical: "192.0.2.1"))
        #expect(AddressText.ipv4(Array("010.001.000.1".utf8)[...]) == .leadingZeros(canonical: "10.1.0.1"))
        #expect(AddressText.ipv4(Array("1.2.3.256".utf8)[...]) == .outOfRange(part: "256"))
        #expect(AddressText.ipv4(Array("1.2.3.0256".utf8)[...]) == .outOfRange(part: "0256"))
        #expect(AddressText.ipv4(Array("1.2.3.99999999".utf8)[...]) == .outOfRange(part: "99999999"))
        for bad in ["1.2.3", "1.2.3.4.5", "1..2.3", ".1.2.3", "1.2.3.", "1.2.3.a", ""] {
            #expect(AddressText.ipv4(Array(bad.utf8)[...]) == .invalid, "\(bad)")
        }
    }

    @Test func leadingZerosAreFixed() {
        let doc = record("sourceIPAddress", "192.0.2.01")
        let found = findings("ip-address", doc)
        #expect(found.count == 1 && found[0].severity == .warning)
        #expect(found.first?.message.contains("`192.0.2.01`") == true && found.first?.message.contains("octal") == true)
        #expect(fixed("ip-address", doc) == record("sourceIPAddress", "192.0.2.1"))
        #expect(fixed("ip-address", record("sourceIPAddress", "010.000.002.009")) == record("sourceIPAddress", "10.0.2.9"))
        #expect(findings("ip-address", record("sourceIPAddress", "300.1.1.1")).first?.message.contains("`300` is above 255") == true)
    }

    @Test func ipv6Forms() {
        for ok in ["::", "::1", "2001:db8::", "fe80::1", "::ffff:1.2.3.4", "2001:0db8:0000:0000:0000:ff00:0042:8329",
                   "2001:DB8::1", "1:2:3:4:5:6:7:8", "1:2:3:4:5:6:7::", "1:2:3:4:5:6:1.2.3.4", "::1.2.3.4", "64:ff9b::192.0.2.33"] {
            #expect(AddressText.isIPv6(Array(ok.utf8)[...]), "\(ok)")
            #expect(findings("ip-address", record("sourceIPAddress", ok)).isEmpty, "\(ok)")
        }
        for bad in ["1:2:3:4:5:6:7:8:9", "2001:db8:::1", "12345::1", ":1", "1:", "::ffff:1.2.3.256", "1:2:3:4:5:6:7::8",
                    "1:2:3:4:5:6:7:1.2.3.4", "2001:db8::1::2", "::ffff:01.2.3.4", "g::1", ":::"] {
            #expect(!AddressText.isIPv6(Array(bad.utf8)[...]), "\(bad)")
        }
        #expect(findings("ip-address", record("sourceIPAddress", "2001:db8:::1")).first?.message.contains("not a valid IPv6") == true)
        #expect(findings("ip-address", record("sourceIPAddress", "fe80::1%eth0")).first?.message.contains("zone index") == true)
        #expect(fixed("ip-address", record("sourceIPAddress", "[2001:db8::7]:443")) == record("sourceIPAddress", "2001:db8::7"))
    }

    @Test func serviceNames() {
        for ok in ["ec2.amazonaws.com", "signin.amazonaws.com", "resource-explorer-2.amazonaws.com", "AWS Internal",
                   "AWS Internal/3", "cloudformation.amazonaws.com", "ec2.amazonaws.com.cn"] {
            #expect(findings("ip-address", record("sourceIPAddress", ok)).isEmpty, "\(ok)")
        }
        let outside = findings("ip-address", record("sourceIPAddress", "ci.example.org"))
        #expect(outside.first?.message.contains("host name outside AWS") == true)
        for bad in ["amazonaws.com", "-ec2.amazonaws.com", "AWS internal", "AWS Internal/", "sourceIPAddress1"] {
            #expect(findings("ip-address", record("sourceIPAddress", bad)).count == 1, "\(bad)")
        }
        #expect(fixed("ip-address", record("sourceIPAddress", "EC2.AMAZONAWS.COM")) == record("sourceIPAddress", "ec2.amazonaws.com"))
    }

    @Test func otherShapes() {
        let cidr = findings("ip-address", record("sourceIPAddress", "198.51.100.0/24"))
        #expect(cidr.first?.message.contains("CIDR block") == true && cidr.first?.fix == nil)
        #expect(fixed("ip-address", record("sourceIPAddress", "203.0.113.5:8443")) == record("sourceIPAddress", "203.0.113.5"))
        #expect(fixed("ip-address", record("sourceIPAddress", " 203.0.113.5")) == record("sourceIPAddress", "203.0.113.5"))
        #expect(findings("ip-address", record("sourceIPAddress", "")).first?.message.contains("empty") == true)
        for placeholder in ["<Attacker source IP>", "XXXXXXXXXXX", "...", "xxx.xxx.xxx.xxx", "redacted"] {
            let found = findings("ip-address", record("sourceIPAddress", placeholder))
            #expect(found.count == 1 && found[0].message.contains("placeholder"), "\(placeholder)")
        }
        #expect(findings("ip-address", record("sourceIPAddress", "1.2.3.4, 5.6.7.8")).count == 1)
    }

    @Test func vpcEndpointIDs() {
        for ok in ["vpce-1a2b3c4d", "vpce-0123456789abcdef0", "AWS Internal", "s3.amazonaws.com"] {
            #expect(findings("ip-address", record(#""sourceIPAddress": "10.1.2.3", "vpcEndpointId": "\#(ok)""#)).isEmpty, "\(ok)")
        }
        let placeholder = findings("ip-address", record(#""vpcEndpointId": "vpce-EXAMPLE08c1b6b9b7""#))
        #expect(placeholder.count == 1 && placeholder[0].message.contains("placeholder"))
        let upper = findings("ip-address", record(#""vpcEndpointId": "vpce-0A1B""#))
        #expect(upper.first?.message.contains("lowercase hexadecimal") == true)
        #expect(findings("ip-address", record(#""vpcEndpointId": "vpc-0a1b""#)).first?.message.contains("not a VPC endpoint ID") == true)
    }
}

// MARK: - event-source

@Suite struct EventSourceRuleTests {
    @Test func servicesPass() {
        for ok in ["cloudtrail.amazonaws.com", "signin.amazonaws.com", "sso.amazonaws.com", "identitystore-scim.amazonaws.com",
                   "monitoring.amazonaws.com", "s3-outposts.amazonaws.com", "ec2-instance-connect.amazonaws.com", "macie2.amazonaws.com"] {
            #expect(findings("event-source", record("eventSource", ok)).isEmpty, "\(ok)")
        }
    }

    @Test func problemsAreNamed() {
        let cases = [
            ("ec2", "lacks the `.amazonaws.com` suffix"),
            ("ec2.amazonaws.com.cn", "ends in `.amazonaws.com.cn`"),
            ("ram-share.aliyuncs.com", "does not end in `.amazonaws.com`"),
            ("eventSource1", "lacks the `.amazonaws.com` suffix"),
            ("ec2..amazonaws.com", "not a valid host name"),
            ("", "empty"),
            ("...", "placeholder"),
        ]
        for (text, phrase) in cases {
            let found = findings("event-source", record("eventSource", text))
            #expect(found.count == 1 && found[0].severity == .warning, "\(text)")
            #expect(found.first?.message.contains(phrase) == true, "\(text): \(found.map(\.message))")
        }
    }

    @Test func fixes() {
        #expect(fixed("event-source", record("eventSource", "EC2.amazonaws.com")) == record("eventSource", "ec2.amazonaws.com"))
        #expect(fixed("event-source", record("eventSource", "aws.signin")) == record("eventSource", "signin.amazonaws.com"))
        #expect(fixed("event-source", record("eventSource", "s3.amazonaws.com ")) == record("eventSource", "s3.amazonaws.com"))
        #expect(findings("event-source", record("eventSource", "ec2")).first?.fix == nil)
    }

    @Test func integrationEventsAreSkipped() {
        #expect(findings("event-source", record(#""eventCategory": "ActivityAuditLog", "eventSource": "partner-app""#)).isEmpty)
    }
}

// MARK: - file-location

private let logPath = "/data/AWSLogs/123456789012/CloudTrail/us-east-1/2024/01/02/123456789012_CloudTrail_us-east-1_20240102T0305Z_Mu0KsOhtH1ar15ZZ.json.gz"

/// A `{"Records": […]}` document; each element is (recipientAccountId, awsRegion, eventTime).
private func logFile(_ records: [(String, String, String)], extra: String = "") -> String {
    let items = records.map { #"{"eventVersion": "1.08", \#(extra)"recipientAccountId": "\#($0.0)", "awsRegion": "\#($0.1)", "eventTime": "\#($0.2)"}"# }
    return #"{"Records": ["# + items.joined(separator: ", ") + "]}"
}

@Suite struct FileLocationRuleTests {
    @Test func consistentFileIsQuiet() {
        let doc = logFile([("123456789012", "us-east-1", "2024-01-02T03:04:59Z"), ("123456789012", "us-east-1", "2023-12-30T10:00:00Z")])
        #expect(findings("file-location", doc, fileName: logPath).isEmpty)
        // No file name (stdin) or a name CloudTrail does not use: nothing to compare.
        let foreign = logFile([("999999999999", "eu-west-3", "2031-01-01T00:00:00Z")])
        #expect(findings("file-location", foreign).isEmpty)
        #expect(findings("file-location", foreign, fileName: "/tmp/export/events.json").isEmpty)
    }

    @Test func marginAfterTheNamedMinute() {
        // The name's minute is 03:05; up to 15 minutes after its end (03:21:00) is normal.
        #expect(findings("file-location", logFile([("123456789012", "us-east-1", "2024-01-02T03:21:00Z")]), fileName: logPath).isEmpty)
        let late = findings("file-location", logFile([("123456789012", "us-east-1", "2024-01-02T03:21:01Z")]), fileName: logPath)
        #expect(late.count == 1 && late[0].message.contains("16 minutes after the delivery time `2024-01-02T03:05Z`"), "\(late.map(\.message))")
        let days = findings("file-location", logFile([("123456789012", "us-east-1", "2024-01-09T03:05:00Z")]), fileName: logPath)
        #expect(days.first?.message.contains("7 days") == true)
    }

    @Test func dayRollover() {
        let path = "/x/123456789012_CloudTrail_us-east-1_20240101T0000Z_abcdEFGH12345678.json"
        #expect(findings("file-location", logFile([("123456789012", "us-east-1", "2023-12-31T23:58:00Z")]), fileName: path).isEmpty)
        #expect(findings("file-location", logFile([("123456789012", "us-east-1", "2024-01-01T00:30:00Z")]), fileName: path).count == 1)
    }

    @Test func perRecordMismatchesPointAtTheValue() {
        let doc = logFile([("123456789012", "us-east-1", "2024-01-02T03:00:00Z"), ("210987654321", "eu-west-1", "2024-01-02T03:00:00Z")])
        let found = findings("file-location", doc, fileName: logPath)
        #expect(found.count == 2)
        let bytes = Array(doc.utf8)
        let texts = found.map { String(decoding: bytes[$0.range.start..<$0.range.end], as: UTF8.self) }
        #expect(Set(texts) == [#""210987654321""#, #""eu-west-1""#])
        #expect(found.contains { $0.message.contains("recipientAccountId `210987654321` differs from the account `123456789012` in the file name") })
        #expect(found.contains { $0.pointer == "/Records/1/awsRegion" })
    }

    @Test func pathProblemsAreReportedOncePerFile() {
        let path = "/x/AWSLogs/o-exampleorg1/111122223333/CloudTrail-Insight/eu-west-1/2024/01/03/123456789012_CloudTrail_us-east-1_20240102T0305Z_abc.json.gz"
        let doc = logFile(Array(repeating: ("123456789012", "us-east-1", "2024-01-02T03:00:00Z"), count: 3))
        let found = findings("file-location", doc, fileName: path)
        #expect(found.count == 4, "\(found.map(\.message))")
        let firstRecord = #"{"Records": ["#.utf8.count
        #expect(found.allSatisfy { $0.range.start == firstRecord && $0.range.length == 1 })
        let messages = found.map(\.message).joined(separator: "\n")
        #expect(messages.contains("account `123456789012` differs from the folder path's account `111122223333`"))
        #expect(messages.contains("region `us-east-1` differs from the folder path's region `eu-west-1`"))
        #expect(messages.contains("`2024-01-02T03:05Z` is not on the folder path's date `2024/01/03`"))
        #expect(messages.contains("`CloudTrail` but the file lies in a `CloudTrail-Insight/` folder"))
    }

    @Test func folderWithoutCloudTrailName() {
        let path = "/x/AWSLogs/123456789012/CloudTrail/us-east-1/2024/01/02/merged.json"
        #expect(findings("file-location", logFile([("123456789012", "us-east-1", "2024-01-03T00:14:00Z")]), fileName: path).isEmpty)
        let found = findings("file-location", logFile([("123456789012", "us-west-1", "2024-01-03T01:00:00Z")]), fileName: path)
        #expect(found.count == 2)
        #expect(found.contains { $0.message.contains("in the folder path") && $0.message.contains("awsRegion") })
        #expect(found.contains { $0.message.contains("delivery date `2024/01/02`") })
    }

    @Test func globalServiceEventsKeepTheirRegion() {
        let path = "/x/123456789012_CloudTrail_eu-west-1_20240102T0305Z_abc.json.gz"
        let iam = logFile([("123456789012", "us-east-1", "2024-01-02T03:00:00Z")], extra: #""eventSource": "iam.amazonaws.com", "#)
        #expect(findings("file-location", iam, fileName: path).isEmpty)
        let ec2 = logFile([("123456789012", "us-east-1", "2024-01-02T03:00:00Z")], extra: #""eventSource": "ec2.amazonaws.com", "#)
        #expect(findings("file-location", ec2, fileName: path).count == 1)
    }

    @Test func digestsAndMalformedValuesAreLeftToOtherRules() {
        let digest = "/x/AWSLogs/123456789012/CloudTrail-Digest/us-east-1/2024/01/02/123456789012_CloudTrail-Digest_us-east-1_trail_us-east-1_20240102T030512Z.json.gz"
        #expect(findings("file-location", logFile([("210987654321", "eu-west-1", "2025-01-01T00:00:00Z")]), fileName: digest).isEmpty)
        // Malformed account/region/time: reported by other rules, not compared here.
        let odd = logFile([("12345", "Virginia", "2030-01-01 00:00:00")])
        #expect(findings("file-location", odd, fileName: logPath).isEmpty)
    }

    @Test func firstRecordDetection() {
        let tree = JSONParser.parse(Array(#"{"a": 1, "Records": [{"x": [{}]}, {"y": 2}]}"#.utf8))
        let records = Array(tree.children(of: tree.member("Records", of: tree.root!)!))
        #expect(RecordContext.isFirstRecord(tree, records[0]))
        #expect(!RecordContext.isFirstRecord(tree, records[1]))
        #expect(RecordContext.isFirstRecord(tree, tree.root!))
    }
}

// MARK: - Real and generated data

private let sharedRoot = SharedCorpus.root.path
private let corpusRoot = sharedRoot + "/corpus/records"
private let generator = sharedRoot + "/tools/gen-cloudtrail.py"

/// Every `.json` file under `root`, sorted.
private func jsonFiles(under root: String) -> [String] {
    guard let walker = FileManager.default.enumerator(atPath: root) else { return [] }
    return walker.compactMap { $0 as? String }.filter { $0.hasSuffix(".json") }.sorted().map { root + "/" + $0 }
}

/// Error findings of the value rules that real-world files are known to contain, with the reason.
private struct KnownException {
    var folder: String
    var rule: String
    var reason: String
}

private let knownExceptions = [
    KnownException(folder: "panther-labs__panther-analysis", rule: "event-time",
                   reason: "Panther normalises eventTime to `YYYY-MM-DD HH:MM:SS[.fff…]` in its rule tests; real CloudTrail never writes that (the rule offers the fix)"),
    KnownException(folder: "panther-labs__panther-analysis", rule: "event-id",
                   reason: "hand-written rule tests use made-up eventIDs such as `1`, `1111`, `EID12345`, `test-02` and UUID look-alikes with letters g-j"),
    KnownException(folder: "airbnb__streamalert", rule: "event-id",
                   reason: "hand-made eventID `123aaac1-123d-456a-1k29a4dd2kea` (non-hex `k`, 8-4-4-16 layout)"),
]

@Suite struct ValueRulesDataTests {
    @Test(.enabled(if: FileManager.default.fileExists(atPath: corpusRoot), "corpus not present at \(corpusRoot)"))
    func realRecordsHaveNoUnexplainedErrors() throws {
        let linter = Linter(selection: RuleSelection(select: valueRuleIDs))
        var unexplained: [String] = []
        var explained: [String: Int] = [:]
        var warnings: [String: Int] = [:]
        for path in jsonFiles(under: corpusRoot) {
            let bytes = Array(try Data(contentsOf: URL(fileURLWithPath: path)))
            let folder = String(path.dropFirst(corpusRoot.count + 1).prefix { $0 != "/" })
            for d in linter.lint(bytes, format: .json, fileName: path) where valueRuleIDs.contains(d.rule.rawValue) {
                if d.severity != .error { warnings[d.rule.rawValue, default: 0] += 1; continue }
                if let known = knownExceptions.first(where: { $0.folder == folder && $0.rule == d.rule.rawValue }) {
                    explained[known.reason, default: 0] += 1
                } else {
                    unexplained.append("\(path): \(d.rule): \(d.message)")
                }
            }
        }
        #expect(unexplained.isEmpty, "unexplained errors:\n\(unexplained.joined(separator: "\n"))")
        print("value rules on the corpus: explained errors \(explained), warnings \(warnings)")
    }

    /// Runs the seeded generator into a temporary directory; nil when python3 or the generator is missing.
    private func generate(_ arguments: [String]) throws -> String? {
        guard FileManager.default.fileExists(atPath: generator) else { return nil }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("ct-values-\(UUID().uuidString)").path
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", generator, "--out", dir] + arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        do { try process.run() } catch { return nil }
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { return nil }
        return dir
    }

    @Test(.enabled(if: FileManager.default.fileExists(atPath: generator), "generator not present at \(generator)"))
    func cleanGeneratedDayIsQuiet() throws {
        let dir = try #require(try generate(["--files", "48", "--records", "40", "--vary", "--seed", "11"]),
                               "gen-cloudtrail.py could not run")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let linter = Linter(selection: RuleSelection(select: valueRuleIDs))
        let files = jsonFiles(under: dir).filter { $0.contains("_CloudTrail_") }
        #expect(files.count == 48)
        var checked = 0
        for path in files {
            let bytes = Array(try Data(contentsOf: URL(fileURLWithPath: path)))
            let name = String(path.split(separator: "/").last!)
            let found = linter.lint(bytes, format: .json, fileName: path).filter { valueRuleIDs.contains($0.rule.rawValue) }
            #expect(found.isEmpty, "\(name): \(found.prefix(3).map { "\($0.rule): \($0.message)" })")
            // The same file under CloudTrail's S3 layout, derived from its name.
            let parts = name.split(separator: "_")
            let (account, region, stamp) = (parts[0], parts[2], parts[3])
            let layout = "\(dir)/AWSLogs/\(account)/CloudTrail/\(region)/\(stamp.prefix(4))/\(stamp.dropFirst(4).prefix(2))/\(stamp.dropFirst(6).prefix(2))/\(name)"
            let again = linter.lint(bytes, format: .json, fileName: layout).filter { valueRuleIDs.contains($0.rule.rawValue) }
            #expect(again.isEmpty, "\(layout): \(again.prefix(3).map(\.message))")
            checked += 1
        }
        #expect(checked > 0)
    }

    @Test(.enabled(if: FileManager.default.fileExists(atPath: generator), "generator not present at \(generator)"))
    func injectedRecipientAccountMismatchesAreFound() throws {
        let dir = try #require(try generate(["--files", "4", "--records", "60", "--seed", "3",
                                             "--inject-defects", "0.2", "--defect-kinds", "account_mismatch"]),
                               "gen-cloudtrail.py could not run")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        // The sidecar lists each defect with its file, record index and pointer inside the record.
        let sidecar = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: dir + "/expected-defects.json")))
        let defects = try #require((sidecar as? [String: Any])?["defects"] as? [[String: Any]])
        var expected: Set<String> = []
        for defect in defects where defect["pointer"] as? String == "/recipientAccountId" {
            expected.insert("\(defect["file"]!)#/Records/\(defect["record"]!)/recipientAccountId")
        }
        #expect(!expected.isEmpty)
        let linter = Linter(selection: RuleSelection(select: valueRuleIDs))
        var found: Set<String> = []
        for path in jsonFiles(under: dir) where path.contains("_CloudTrail_") {
            let bytes = Array(try Data(contentsOf: URL(fileURLWithPath: path)))
            let name = String(path.split(separator: "/").last!)
            for d in linter.lint(bytes, format: .json, fileName: path) where valueRuleIDs.contains(d.rule.rawValue) {
                #expect(d.rule == .fileLocation, "\(d.rule): \(d.message)")
                found.insert("\(name)#\(d.pointer ?? "")")
            }
        }
        #expect(found == expected)
    }
}
