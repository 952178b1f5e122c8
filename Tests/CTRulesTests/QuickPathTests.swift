import CTCore
import CTJSON
import CTSchema
import CTTestSupport
import Foundation
import Testing
@testable import CTRules

/// The byte-level quick paths of the rules never hide a finding: whenever one accepts a record (or a value),
/// the full check finds nothing either. Checked on the shared corpus, the rules' own examples and mutations
/// of both.
@Suite struct QuickPathTests {
    /// Record objects of the corpus files and of every rule example, each also with a few mutations.
    static let records: [(tree: SyntaxTree, record: Int)] = {
        var documents: [[UInt8]] = []
        if let corpus = SharedCorpus.path("corpus/records"),
           let walker = FileManager.default.enumerator(at: corpus, includingPropertiesForKeys: nil) {
            for case let url as URL in walker where url.pathExtension == "json" {
                if let data = FileManager.default.contents(atPath: url.path) { documents.append([UInt8](data)) }
            }
        }
        for rule in RuleRegistry.recordRules {
            let meta = type(of: rule).metadata
            for example in meta.valid + meta.invalid {
                documents.append(Array(example.source.replacingOccurrences(of: "↓", with: "").utf8))
            }
        }
        // Mutations that the quick paths must notice: other identity types, swapped prefixes, other accounts.
        let swaps: [(String, String)] = [
            ("\"AssumedRole\"", "\"IAMUser\""), ("\"IAMUser\"", "\"Root\""), ("\"Root\"", "\"FederatedUser\""),
            ("\"Role\"", "\"IAMUser\""), ("ASIA", "AKIA"), ("AKIA", "ASIA"), ("AROA", "AIDA"), (":sts::", ":iam::"),
            ("assumed-role/", "user/"), ("1234", "4321"), (":aws:", ":aws-cn:"), ("\"us-east-1\"", "\"cn-north-1\""),
        ]
        var mutated: [[UInt8]] = []
        for doc in documents {
            let text = String(decoding: doc, as: UTF8.self)
            for (a, b) in swaps where text.contains(a) {
                mutated.append(Array(text.replacingOccurrences(of: a, with: b).utf8))
            }
        }
        var out: [(SyntaxTree, Int)] = []
        for doc in documents + mutated {
            let tree = JSONParser.parse(doc)
            for r in CloudTrailSchemaChecker.records(in: tree) ?? [] { out.append((tree, r)) }
        }
        return out
    }()

    /// Whether `../shared/corpus/records` is beside the repository: the counts below need its records.
    static let hasCorpus = SharedCorpus.path("corpus/records") != nil

    @Test(.enabled(if: hasCorpus, "skipping: ../shared/corpus/records is absent (only beside the repository in CI and development)"))
    func corpusIsThere() {
        #expect(Self.records.count > 500)
    }

    @Test func identityQuickPathsHideNothing() {
        var accepted = 0
        for (tree, record) in Self.records {
            let context = RecordContext(tree: tree, record: record)
            SourceBytes.with(tree) { b in
                if ARNIdentityMismatchRule.quickAccept(context, b) {
                    accepted += 1
                    #expect(ARNIdentityMismatchRule().explain(context).isEmpty, "\(tree.text(record))")
                }
                if PrincipalIDRule.quickAccept(context, b) {
                    #expect(PrincipalIDRule().explain(context).isEmpty, "\(tree.text(record))")
                }
                if let key = context.stringNode(context.fields.accessKeyId), AccessKeyIDRule.quickAccept(context, key, b) {
                    #expect(AccessKeyIDRule().explain(context).isEmpty, "\(tree.text(record))")
                }
            }
        }
        #expect(accepted > 100)
    }

    /// `FileLocationRule.agrees` accepts only records that the full check finds nothing in: every combination of
    /// matching, differing, escaped, non-string and absent values, and eventTimes around the latest plausible one
    /// (text order against time order, malformed and out-of-range times).
    @Test func fileLocationQuickPathHidesNothing() {
        let path = "/data/AWSLogs/123456789012/CloudTrail/us-east-1/2024/01/02/123456789012_CloudTrail_us-east-1_20240102T0305Z_Mu0KsOhtH1ar15ZZ.json.gz"
        let accounts = [#""123456789012""#, #""123456789013""#, #""12345678901\u0032""#, "123456789012", #""""#, nil]
        let regions = [#""us-east-1""#, #""eu-west-1""#, #""us-east-\u0031""#, #""not a region""#, nil]
        let times = [#""2024-01-02T03:21:00Z""#, #""2024-01-02T03:21:01Z""#, #""2024-01-02T03:20:59Z""#, #""2023-12-31T23:59:59Z""#,
                     #""2024-01-09T03:05:00Z""#, #""2024-01-02T03:99:00Z""#, #""2024-13-02T03:00:00Z""#, #""2024-01-02T03:21:00.5Z""#,
                     #""2024-01-02T03:22""#, #""2024-01-02T03:2\u0032:00Z""#, #""2024-01-02 03:30:00Z""#, "20240102", nil]
        let rule = FileLocationRule()
        var accepted = 0, compared = 0
        for a in accounts {
            for r in regions {
                for t in times {
                    let members = [a.map { #""recipientAccountId": \#($0)"# }, r.map { #""awsRegion": \#($0)"# },
                                   t.map { #""eventTime": \#($0)"# }, #""eventSource": "ec2.amazonaws.com""#].compactMap { $0 }
                    let tree = JSONParser.parse(Array(#"{"Records": [{\#(members.joined(separator: ", "))}]}"#.utf8))
                    guard let record = CloudTrailSchemaChecker.records(in: tree)?.first else { continue }
                    let context = RecordContext(tree: tree, record: record, fileName: path)
                    guard let facts = context.fileFacts else { Issue.record("no facts for the path"); return }
                    let full = rule.checkInFull(context, facts)
                    if FileLocationRule.agrees(context, facts) {
                        accepted += 1
                        #expect(full.isEmpty, "\(tree.text(record)): \(full.map(\.message))")
                    }
                    #expect(rule.check(context).map(\.message) == full.map(\.message))
                    compared += 1
                }
            }
        }
        #expect(accepted == 28 && compared == 390, "\(accepted) of \(compared)")
    }

    /// `checkRecord` given the record's members (from `RecordFields`) finds what it finds on its own.
    @Test func schemaCheckWithKnownMembersMatches() {
        // Repeated and escaped names, a non-string eventType after a string one, routed and unknown members.
        let edges = [
            #"{"eventVersion": "1.08", "eventType": "AwsCloudTrailInsight", "eventType": 3, "insightDetails": {}, "extra": 1}"#,
            #"{"eventVersion": "1.05", "eventType": "AwsApiCall", "userIdentity": {"type": "Root"}, "userIdentity": {"odd": 1}}"#,
            #"{"eventVersion": "1.02", "eventType": "AwsApiCall", "tlsDetails": {}, "userIdentity": {"type": "IAMUser", "x": 2}}"#,
            #"{"eventVersion": 1.08, "eventVersion": "1.11", "eventType": 7, "sharedEventID": "x", "new": true}"#,
            #"{"eventType": "AwsAggregatedEvent", "eventType": "AwsApiCall", "summary": {}}"#,
            #"{"eventVersion": "1.08", "eventType": "AwsAggregatedEvent", "eventType": null, "summary": {}, "timeWindow": "x"}"#,
        ].map { text -> (SyntaxTree, Int) in let tree = JSONParser.parse(Array(text.utf8)); return (tree, tree.root!) }
        var compared = 0
        for (tree, record) in Self.records + edges {
            let fields = RecordFields(tree: tree, record: record)
            var alone: [Diagnostic] = [], told: [Diagnostic] = []
            CloudTrailSchemaChecker.shared.checkRecord(tree, record: record, into: &alone)
            let members = CloudTrailSchemaChecker.RecordMembers(eventVersion: fields.eventVersion, userIdentity: fields.userIdentity,
                                                                eventType: fields.eventType)
            CloudTrailSchemaChecker.shared.checkRecord(tree, record: record, members: members, into: &told)
            #expect(told.map(\.message) == alone.map(\.message), "\(tree.text(record))")
            compared += 1
        }
        if Self.hasCorpus {
            #expect(compared > 500)
        } else {
            print("skipping the count of compared records: ../shared/corpus/records is absent")
            #expect(compared > 100)
        }
    }

    /// `RecordFields` finds what walking the record with `member` finds.
    @Test func recordFieldsMatchMemberLookups() {
        func path(_ tree: SyntaxTree, _ record: Int, _ names: StaticString...) -> Int? {
            var n = record
            for name in names {
                guard let next = tree.member(name, of: n) else { return nil }
                n = next
            }
            return n
        }
        for (tree, record) in Self.records {
            let f = RecordFields(tree: tree, record: record)
            #expect(f.eventTime == path(tree, record, "eventTime"))
            #expect(f.awsRegion == path(tree, record, "awsRegion"))
            #expect(f.resources == path(tree, record, "resources"))
            #expect(f.identity.type == path(tree, record, "userIdentity", "type"))
            #expect(f.identity.arn == path(tree, record, "userIdentity", "arn"))
            #expect(f.accessKeyId == path(tree, record, "userIdentity", "accessKeyId"))
            #expect(f.issuer.arn == path(tree, record, "userIdentity", "sessionContext", "sessionIssuer", "arn"))
            #expect(f.issuer.principalId == path(tree, record, "userIdentity", "sessionContext", "sessionIssuer", "principalId"))
            #expect(f.creationDate == path(tree, record, "userIdentity", "sessionContext", "attributes", "creationDate"))
            #expect(f.inScopeSourceArn == path(tree, record, "userIdentity", "inScopeOf", "sourceArn"))
        }
    }

    /// `ARNSpan.isClean` holds exactly when `ARNSyntax.check` finds no problem.
    @Test func cleanARNsAreExactlyTheUnflaggedOnes() {
        var arns: Set<String> = [
            "arn:aws:iam::123456789012:root", "arn:aws:iam:us-east-1:123456789012:root", "arn:aws:s3:::b",
            "arn:aws-cn:kms:eu-west-1:123456789012:key/x", "arn:aws:sns:us-north-2r:123456789012:t", "arn:aws:iam::aws:policy/P",
            "arn:aws:iam::12345678901:user/x", "arn: aws:iam::123456789012:root", "arn:aws:IAM::123456789012:root",
            "arn:aws:iam::123456789012:", "arn:aws::::x", "arn:aws-us-gov:ec2:us-gov-west-1:123456789012:instance/i",
            "arn:aws:ec2:cn-north-1:123456789012:instance/i", "arn:aws:lambda:US-EAST-1:123456789012:function:f",
        ]
        for (tree, record) in Self.records {
            let end = Int(tree.nodes[record].subtreeEnd)
            for i in record..<end where tree.kind(i) == .string {
                if let s = tree.string(i), s.hasPrefix("arn:") { arns.insert(s) }
            }
        }
        for text in arns {
            let tree = JSONParser.parse(Array("\"\(text)\"".utf8))
            guard let root = tree.root, tree.plainContent(root) != nil else { continue }
            SourceBytes.with(tree) { b in
                let clean = ARNSpan(b, tree.plainContent(root)!)?.isClean(b) ?? false
                #expect(clean == ARNSyntax.check(text).issues.isEmpty, "\(text)")
            }
        }
        #expect(arns.count > 50)
    }

    /// Region lookups on bytes agree with `RegionStatus` and `Partitions.partition(forRegion:)`.
    @Test func regionBytesAgree() {
        var regions = Partitions.all.flatMap(\.knownRegions)
        regions += ["us-east-9", "us-north-2r", "eu-wset-1", "global", "", "US-EAST-1", "cn-south-3", "us-gov-x-1", "mx-central-2"]
        for region in regions {
            let tree = JSONParser.parse(Array("\"\(region)\"".utf8))
            SourceBytes.with(tree) { b in
                let r = tree.plainContent(tree.root!)!
                let expected = Partitions.partition(forRegion: region).flatMap { p in Partitions.all.firstIndex(of: p) }
                #expect(Partitions.index(forRegion: b, r) == expected, "\(region)")
                if case .known = RegionStatus(region) {
                    #expect(Partitions.isKnownRegion(b, r), "\(region)")
                } else {
                    #expect(!Partitions.isKnownRegion(b, r), "\(region)")
                }
            }
        }
    }

    /// Root signs with temporary keys in console and session-token sessions, with or without a sessionContext.
    @Test func rootTemporaryKeysAreAccepted() {
        let json = #"{"eventVersion": "1.08", "userIdentity": {"type": "Root", "principalId": "450008063608", "arn": "arn:aws:iam::450008063608:root", "accountId": "450008063608", "accessKeyId": "ASIACCH1B4MDYR0A3OHD"}}"#
        let tree = JSONParser.parse(Array(json.utf8))
        #expect(AccessKeyIDRule().check(RecordContext(tree: tree, record: tree.root!)).isEmpty)
        let user = json.replacingOccurrences(of: "\"Root\"", with: "\"IAMUser\"")
        let userTree = JSONParser.parse(Array(user.utf8))
        #expect(AccessKeyIDRule().check(RecordContext(tree: userTree, record: userTree.root!)).count == 1)
    }
}
