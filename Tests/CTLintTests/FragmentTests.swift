import CTLint
import Foundation
import Testing

// Issue 20, "samples abridged on purpose": a Markdown block's record that lacks most of its required fields gets
// one `fragment` finding (info by default, set by the configuration's `severity`), not a `missing-field` error per
// absent field; a log file with the same record still gets those errors.
@Suite struct FragmentTests {
    /// Five fields of a record, with a trailing comma after the last.
    static let sample = """
        {
          "eventVersion": "1.08",
          "eventSource": "s3.amazonaws.com",
          "eventName": "ListBuckets",
          "awsRegion": "us-east-1",
          "eventTime": "2024-03-01T12:00:00Z",
        }
        """

    static let page = "# Listing buckets\n\nA shortened record:\n\n```json\n\(sample)\n```\n"

    @Test func anAbridgedSampleGetsOneFragmentFindingAndItsRealMistake() throws {
        let s = ConfigSandbox()
        defer { s.remove() }
        let page = s.write("docs/page.md", Self.page)
        let run = try JSONRun.check([page])
        #expect(run.rules.sorted() == ["fragment", "trailing-comma"], "\(run.shown)")
        let fragment = try #require(run.findings("fragment").first)
        #expect(fragment.severity == "info")
        #expect(fragment.line == 6 && fragment.column == 1, "\(fragment)")
        #expect(fragment.message.hasPrefix("a partial record (a sample?): 7 of 12 required fields are absent: "), "\(fragment.message)")
        for field in ["userIdentity", "eventID", "eventType", "sourceIPAddress"] {
            #expect(fragment.message.contains(field), "\(fragment.message)")
        }
        #expect(run.findings("missing-field").isEmpty)
    }

    @Test func aLogFileWithTheSameRecordStillGetsMissingFieldErrors() throws {
        let s = ConfigSandbox()
        defer { s.remove() }
        let log = s.write("logs/record.json", Self.sample)
        let run = try JSONRun.check([log])
        #expect(run.findings("fragment").isEmpty, "\(run.shown)")
        // 7 of the 12 fields eventVersion 1.08 requires of an API call are absent.
        #expect(run.findings("missing-field").count == 7, "\(run.shown)")
        #expect(run.findings("trailing-comma").count == 1)
    }

    @Test func aRecordMissingOnlyAFewFieldsStillGetsMissingField() throws {
        let s = ConfigSandbox()
        defer { s.remove() }
        let record = #"{"eventVersion":"1.08","userIdentity":{"type":"IAMUser","principalId":"AIDAJ45Q7YFFAREXAMPLE","arn":"arn:aws:iam::123456789012:user/Alice","accountId":"123456789012","accessKeyId":"AKIAIOSFODNN7EXAMPLE","userName":"Alice"},"eventSource":"s3.amazonaws.com","eventName":"ListBuckets","awsRegion":"us-east-1","sourceIPAddress":"192.0.2.10","userAgent":"aws-cli/2.15.0","requestParameters":null,"responseElements":null,"requestID":"3f7c2a1b9d8e7f60","eventID":"0b0a4d6c-31c4-4f44-9c6e-8f2a3b1c2d3e","readOnly":true,"eventType":"AwsApiCall","managementEvent":true,"recipientAccountId":"123456789012","eventCategory":"Management"}"#
        let page = s.write("docs/page.md", "```json\n\(record)\n```\n")
        let run = try JSONRun.check([page])
        #expect(run.rules == ["missing-field"], "\(run.shown)")
    }

    @Test func theConfigurationsSeverityLayerSetsOrTurnsOffTheFragmentFinding() throws {
        let s = ConfigSandbox()
        defer { s.remove() }
        let page = s.write("docs/page.md", Self.page)
        let off = s.write("off.json", #"{"severity": {"fragment": "off"}}"#)
        let quiet = try JSONRun.check(["--config", off, page])
        #expect(quiet.rules == ["trailing-comma"], "\(quiet.shown)")
        let warn = s.write("warn.json", #"{"severity": {"fragment": "warning"}}"#)
        let loud = try JSONRun.check(["--config", warn, page])
        #expect(loud.findings("fragment").map(\.severity) == ["warning"], "\(loud.shown)")
    }
}
