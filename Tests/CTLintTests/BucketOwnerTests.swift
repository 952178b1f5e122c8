import CTCore
import CTRules
import CTTestSupport
import Foundation
import Testing
import CTLint

/// `bucket-owner`: one owner per S3 bucket across the files of a run.
@Suite struct BucketOwnerTests {
    static func record(_ owner: String, bucket: String = "holiday-photos", recipient: String = "210987654321") -> String {
        #"{"eventVersion":"1.09","recipientAccountId":"\#(recipient)","resources":[{"type":"AWS::S3::Object","ARN":"arn:aws:s3:::\#(bucket)/2024/a.jpg"},{"type":"AWS::S3::Bucket","ARN":"arn:aws:s3:::\#(bucket)","accountId":"\#(owner)"}]}"#
    }

    static func log(_ records: [String]) -> String { #"{"Records":["# + records.joined(separator: ",") + "]}" }

    static func run(_ files: [(String, String)]) throws -> [(file: String, line: Int, message: String, pointer: String?)] {
        let dir = Repo.tempDirectory()
        defer { Repo.remove(dir) }
        var paths: [String] = []
        for (name, text) in files {
            let url = dir.appendingPathComponent(name)
            try Data(text.utf8).write(to: url)
            paths.append(url.path)
        }
        var options = CheckOptions()
        options.selection = RuleSelection(select: ["bucket-owner"])
        return Runner(options: options).check(operands: paths).reports.flatMap { r in
            r.diagnostics.map { (URL(fileURLWithPath: r.displayName).lastPathComponent, $0.start.line, $0.diagnostic.message,
                                 $0.diagnostic.pointer) }
        }
    }

    @Test func theOwnerMostRecordsGiveWinsAcrossFiles() throws {
        let found = try Self.run([
            ("a.json", Self.log([Self.record("210987654321"), Self.record("210987654321")])),
            ("b.json", Self.log([Self.record("210987654321", bucket: "other-bucket"), Self.record("333344445555")])),
        ])
        #expect(found.count == 1)
        #expect(found.first?.file == "b.json")
        #expect(found.first?.pointer == "/Records/1/resources/1/accountId")
        #expect(found.first?.message.contains("owned by account `210987654321` in 2 other records") == true)
        #expect(found.first?.message.contains("a.json") == true)
    }

    @Test func onATieTheOwnerSeenFirstWins() throws {
        let found = try Self.run([
            ("a.json", Self.log([Self.record("333344445555")])),
            ("b.json", Self.log([Self.record("210987654321")])),
        ])
        #expect(found.map(\.file) == ["b.json"])
    }

    @Test func redactedOwnersObjectsAndOtherARNsAreNotCompared() throws {
        let kms = #"{"eventVersion":"1.09","resources":[{"ARN":"arn:aws:kms:us-east-1:333344445555:key/9d1c","accountId":"333344445555"}]}"#
        let found = try Self.run([
            ("a.json", Self.log([Self.record("210987654321"), Self.record(""), kms,
                                 #"{"eventVersion":"1.09","resources":[{"ARN":"arn:aws:s3:::holiday-photos/x","accountId":"210987654321"}]}"#])),
            ("b.json", Self.log([#"{"eventVersion":"1.09","resources":[{"ARN":"arn:aws:kms:us-east-1:210987654321:key/9d1c","accountId":"210987654321"}]}"#])),
        ])
        #expect(found.isEmpty, "\(found)")
    }

    @Test func jsonLinesAreCheckedLineByLine() throws {
        let lines = [Self.record("210987654321"), Self.record("210987654321"), Self.record("333344445555")]
        let found = try Self.run([("day.jsonl", lines.joined(separator: "\n") + "\n")])
        #expect(found.count == 1)
        #expect(found.first?.line == 3)
    }

    @Test func claimsAreCountedBeyondThePlacesKept() {
        var claims = BucketClaims()
        let bucket = Array("arn:aws:s3:::holiday-photos".utf8)
        bucket.withUnsafeBufferPointer { b in
            for i in 0..<10 { claims.add(bucket: b, owner: 210987654321, range: TextRange(start: i, end: i + 1)) { "/\(i)" } }
            claims.add(bucket: b, owner: 333344445555, range: TextRange(start: 99, end: 100)) { "/99" }
        }
        var merged = BucketClaims()
        merged.append(claims, range: { $0.shifted(by: 1000) }, pointerPrefix: "/Records/3")
        let entries = merged.entries.sorted { $0.owner < $1.owner }
        #expect(entries.map(\.count) == [10, 1])
        #expect(entries[0].places.count == BucketClaims.placesKept)
        #expect(entries[0].ownerText == "210987654321")
        #expect(entries[1].places.first?.range.start == 1099 && entries[1].places.first?.pointer == "/Records/3/99")
        #expect(BucketOwnerRule.bucketEnd(UnsafeBufferPointer(start: nil, count: 0)) == nil)
    }
}
