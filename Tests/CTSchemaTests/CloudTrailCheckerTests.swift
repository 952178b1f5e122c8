import CTCore
import CTJSON
import Foundation
import Testing
import CTSchema

/// A complete, valid management API call; tests remove or change members.
private func apiCall(version: String = "1.11", _ changes: [String: Any?] = [:]) -> [String: Any] {
    var r: [String: Any] = [
        "eventVersion": version,
        "userIdentity": [
            "type": "AssumedRole",
            "principalId": "AROAEXAMPLEID:alice",
            "arn": "arn:aws:sts::123456789012:assumed-role/Admin/alice",
            "accountId": "123456789012",
            "accessKeyId": "ASIAEXAMPLEKEY123456",
            "sessionContext": [
                "sessionIssuer": ["type": "Role", "principalId": "AROAEXAMPLEID",
                                  "arn": "arn:aws:iam::123456789012:role/Admin",
                                  "accountId": "123456789012", "userName": "Admin"],
                "attributes": ["creationDate": "2024-03-01T09:00:00Z", "mfaAuthenticated": "false"],
            ] as [String: Any],
        ] as [String: Any],
        "eventTime": "2024-03-01T10:00:00Z",
        "eventSource": "s3.amazonaws.com",
        "eventName": "ListBuckets",
        "awsRegion": "us-east-1",
        "sourceIPAddress": "198.51.100.7",
        "userAgent": "aws-cli/2.15.0",
        "requestParameters": NSNull(),
        "responseElements": NSNull(),
        "requestID": "8EXAMPLE0000AAAA",
        "eventID": "3b6a4c2e-1f0d-4a8b-9c7e-5d2f1a0b9c8d",
        "readOnly": true,
        "eventType": "AwsApiCall",
        "managementEvent": true,
        "recipientAccountId": "123456789012",
        "eventCategory": "Management",
    ]
    for (k, v) in changes { r[k] = v }
    return r
}

private func text(_ object: Any) -> String {
    String(decoding: try! JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]), as: UTF8.self)
}

private func check(_ object: Any) -> [Diagnostic] {
    CloudTrailSchemaChecker.shared.check(JSONParser.parse(Array(text(object).utf8)))
}

private func rules(_ ds: [Diagnostic], _ severity: Severity? = nil) -> [RuleID] {
    ds.filter { severity == nil || $0.severity == severity! }.map(\.rule)
}

@Suite struct CloudTrailCheckerTests {
    @Test func validRecordHasNoFindings() {
        #expect(check(apiCall()) == [])
    }

    @Test func documentShapes() {
        let one = parse(text(apiCall()))
        #expect(CloudTrailSchemaChecker.records(in: one) == [one.root!])
        let logFile = parse(text(["Records": [apiCall(), apiCall()]]))
        #expect(CloudTrailSchemaChecker.records(in: logFile)?.count == 2)
        #expect(CloudTrailSchemaChecker.shared.check(logFile) == [])
        let array = parse(text([apiCall(), apiCall(), apiCall()]))
        #expect(CloudTrailSchemaChecker.records(in: array)?.count == 3)
        #expect(CloudTrailSchemaChecker.shared.check(array) == [])

        let other = parse(#"{"detail-type": "AWS API Call via CloudTrail", "detail": {}}"#)
        #expect(CloudTrailSchemaChecker.records(in: other) == nil)
        let findings = CloudTrailSchemaChecker.shared.check(other)
        #expect(findings.map(\.rule) == [.notCloudTrail])
        #expect(findings.first?.severity == .info)
        #expect(CloudTrailSchemaChecker.records(in: parse("[1, 2]")) == nil)
        #expect(CloudTrailSchemaChecker.records(in: parse(#""text""#)) == nil)

        let badRecords = parse(#"{"Records": {"eventVersion": "1.08"}}"#)
        #expect(CloudTrailSchemaChecker.records(in: badRecords) == [])
        #expect(rules(CloudTrailSchemaChecker.shared.check(badRecords)) == [.wrongType])
    }

    @Test func versionsAreIntegersNotFloats() {
        // tlsDetails arrived in 1.08: fine in 1.10, too new in 1.1 (which is 1.01, not 1.10).
        let tls: [String: Any] = ["tlsVersion": "TLSv1.2", "cipherSuite": "ECDHE-RSA-AES128-GCM-SHA256",
                                  "clientProvidedHostHeader": "s3.amazonaws.com"]
        #expect(check(apiCall(version: "1.10", ["tlsDetails": tls])) == [])
        let old = check(apiCall(version: "1.1", ["tlsDetails": tls]))
        #expect(old.contains { $0.rule == .fieldTooNew && $0.message.contains("`tlsDetails`") })
        #expect(EventVersion("1.10")! > EventVersion("1.1")!)
        #expect(EventVersion("1.1") == EventVersion(major: 1, minor: 1))
        #expect(EventVersion("1.01") == EventVersion("1.1"))
        #expect(EventVersion("1.") == nil && EventVersion("v1.0") == nil && EventVersion("1.0.1") == nil)
    }

    @Test func tlsDetailsInA105RecordIsTooNew() {
        let d = check(apiCall(version: "1.05", ["tlsDetails": ["tlsVersion": "TLSv1.2"], "eventCategory": nil, "managementEvent": nil]))
        let tooNew = d.filter { $0.rule == .fieldTooNew }
        #expect(tooNew.count == 1)
        #expect(tooNew.first?.severity == .warning)
        #expect(tooNew.first?.pointer == "/tlsDetails")
        #expect(rules(d, .error) == [])
    }

    @Test func unknownVersionIsCheckedAgainstTheNewest() {
        let d = check(apiCall(version: "1.99"))
        #expect(rules(d) == [.unknownEventVersion])
        #expect(d.first?.severity == .warning)
        #expect(d.first?.pointer == "/eventVersion")
        // Against the newest schema, a missing required member is still found.
        let missing = check(apiCall(version: "2.0", ["eventID": nil]))
        #expect(Set(rules(missing)) == [.unknownEventVersion, .missingField])
    }

    @Test func invalidVersion() {
        for bad: Any in ["1.x", "1", "", 1.08, true] {
            let d = check(apiCall(["eventVersion": bad]))
            #expect(rules(d) == [.invalidEventVersion], "\(bad)")
            #expect(d.first?.severity == .error)
        }
        let missing = check(apiCall(["eventVersion": nil]))
        #expect(missing.map(\.rule) == [.missingField])
        #expect(missing.first?.message == "missing required field `eventVersion`")
        #expect(missing.first?.pointer == "")
    }

    @Test func signInWithoutRequestIDIsValid() {
        let signIn = apiCall(version: "1.05", [
            "eventSource": "signin.amazonaws.com", "eventName": "ConsoleLogin", "eventType": "AwsConsoleSignIn",
            "requestID": nil, "readOnly": nil, "managementEvent": nil, "eventCategory": nil,
            "requestParameters": NSNull(), "responseElements": ["ConsoleLogin": "Success"],
        ])
        #expect(check(signIn) == [])
        // An API call from sign-in before eventType routing also needs no requestID.
        #expect(check(apiCall(["eventSource": "signin.amazonaws.com", "requestID": nil])) == [])
        // Any other API call does.
        let d = check(apiCall(["requestID": nil]))
        #expect(d.map(\.message) == ["missing required field `requestID`"])
        #expect(d.first?.range == parse(text(apiCall(["requestID": nil]))).range(0))
    }

    @Test func networkActivityWithoutUserAgentIsValid() {
        let net = apiCall(version: "1.09", [
            "eventType": "AwsVpceEvent", "eventCategory": "NetworkActivity", "userAgent": nil,
            "requestParameters": nil, "responseElements": nil, "readOnly": nil,
            "vpcEndpointId": "vpce-0123456789abcdef0", "vpcEndpointAccountId": "123456789012",
            "errorCode": "VpceAccessDenied", "errorMessage": "The request was denied due to a VPC endpoint policy",
        ])
        #expect(check(net) == [])
        // The network-activity branch was chosen: its own requirements apply.
        var noEndpoint = net
        noEndpoint["vpcEndpointId"] = nil
        #expect(check(noEndpoint).map(\.message) == ["missing required field `vpcEndpointId`"])
    }

    @Test func userIdentityTypeTriageReportsOnlyTheMatchingBranch() {
        var identity = apiCall()["userIdentity"] as! [String: Any]
        identity["arn"] = "arn:aws:iam::123456789012:user/alice"  // an IAM user ARN on an AssumedRole
        identity["principalId"] = nil
        let d = check(apiCall(["userIdentity": identity]))
        #expect(Set(d.map(\.rule)) == [.missingField, .invalidValue])
        #expect(d.contains { $0.rule == .missingField && $0.message == "missing required field `principalId` in `userIdentity`" && $0.pointer == "/userIdentity" })
        #expect(d.contains { $0.rule == .invalidValue && $0.pointer == "/userIdentity/arn" && $0.message.contains("assumed-role") })
        #expect(!d.contains { $0.message.contains("alternatives") })

        var root = identity
        root["type"] = "Root"
        root["arn"] = "arn:aws:iam::123456789012:root"
        root["accountId"] = nil
        let r = check(apiCall(["userIdentity": root]))
        #expect(r.map(\.message) == ["missing required field `accountId` in `userIdentity`"])

        var unknown = identity
        unknown["type"] = "Robot"
        let u = check(apiCall(["userIdentity": unknown]))
        #expect(u.count == 1)
        #expect(u.first?.rule == .invalidValue && u.first?.pointer == "/userIdentity/type")
    }

    @Test func wrongTypeAndInvalidValue() {
        let d = check(apiCall(["readOnly": "yes", "awsRegion": "US East", "eventTime": "2024-03-01 10:00:00"]))
        #expect(d.contains { $0.rule == .wrongType && $0.pointer == "/readOnly" && $0.message == "`readOnly`: expected `boolean`, found `string`" })
        #expect(d.contains { $0.rule == .invalidValue && $0.pointer == "/awsRegion" })
        // A value failing both `pattern` and `format` is reported once.
        #expect(d.filter { $0.pointer == "/eventTime" }.count == 1)
        #expect(d.allSatisfy { $0.severity == .error })
        #expect(d.allSatisfy { !$0.message.hasSuffix(".") })
    }

    @Test func unknownFields() {
        var identity = apiCall()["userIdentity"] as! [String: Any]
        identity["nickname"] = "al"
        var session = identity["sessionContext"] as! [String: Any]
        session["color"] = "blue"
        identity["sessionContext"] = session
        let d = check(apiCall(["p_log_type": "AWS.CloudTrail", "userIdentity": identity]))
        #expect(d.map(\.rule) == [.unknownField, .unknownField, .unknownField])
        #expect(d.allSatisfy { $0.severity == .info })
        #expect(Set(d.compactMap(\.pointer)) == ["/p_log_type", "/userIdentity/nickname", "/userIdentity/sessionContext/color"])
        // The range is the key.
        let t = parse(text(apiCall(["p_log_type": "x"])))
        let f = CloudTrailSchemaChecker.shared.check(t)[0]
        #expect(String(decoding: t.source[f.range.start..<f.range.end], as: UTF8.self) == "\"p_log_type\"")
    }

    @Test func aggregatedAndInsightRecordsUseTheirRoutes() {
        let aggregated: [String: Any] = [
            "eventVersion": "1.0", "accountId": "123456789012", "eventId": "3b6a4c2e-1f0d-4a8b-9c7e-5d2f1a0b9c8d",
            "eventCategory": "Aggregated", "eventType": "AwsAggregatedEvent", "awsRegion": "us-east-1",
            "eventSource": "s3.amazonaws.com",
            "timeWindow": ["windowStart": "2024-03-01T10:00:00Z", "windowEnd": "2024-03-01T10:05:00Z", "windowSize": "PT5M"],
            "summary": ["primaryDimension": ["dimension": "eventName", "statistics": []] as [String: Any]],
        ]
        let d = check(aggregated)
        #expect(!d.contains { $0.rule == .unknownField && $0.pointer == "/timeWindow" })
        #expect(!d.contains { $0.rule == .missingField && $0.message.contains("eventTime") })
    }

    @Test func benchmarkCountsDiagnostics() {
        let t = parse(text(["Records": [apiCall(["requestID": nil]), apiCall(["p_x": 1])]]))
        #expect(CloudTrailSchemaChecker.benchmarkValidate(t) == 2)
    }

    @Test func syntaxLeftoversAreSkipped() {
        // `readOnly` has a bare word the parser already reported; the schema layer says nothing about it.
        var t = text(apiCall(["readOnly": "PLACEHOLDER"]))
        t = t.replacingOccurrences(of: "\"PLACEHOLDER\"", with: "yes")
        let tree = parse(t)
        #expect(!tree.diagnostics.isEmpty)
        #expect(CloudTrailSchemaChecker.shared.check(tree) == [])
    }

    @Test func ruleIDs() {
        #expect(CloudTrailSchemaChecker.ruleIDs == [.missingField, .fragment, .wrongType, .invalidValue, .unknownField,
                                                   .fieldTooNew, .unknownEventVersion, .invalidEventVersion,
                                                   .notCloudTrail])
    }
}

/// `EmbeddedSchemas.files` must equal `Schemas/` on disk (regenerate with `python3 scripts/embed-schemas.py`).
@Suite struct EmbeddedSchemaDriftTests {
    @Test func embeddedCopyMatchesDisk() throws {
        let dir = TestPaths.repoRoot.appendingPathComponent("Schemas")
        let enumerator = FileManager.default.enumerator(at: dir, includingPropertiesForKeys: nil)!
        var onDisk: [String: String] = [:]
        for case let url as URL in enumerator where url.pathExtension == "json" {
            let name = String(url.standardizedFileURL.path.dropFirst(dir.standardizedFileURL.path.count + 1))
            onDisk[name] = String(decoding: try Data(contentsOf: url), as: UTF8.self)
        }
        let embedded = Dictionary(EmbeddedSchemas.files.map { ($0.name, $0.text) }, uniquingKeysWith: { a, _ in a })
        #expect(Set(embedded.keys) == Set(onDisk.keys), "files differ; run python3 scripts/embed-schemas.py")
        for (name, text) in onDisk {
            #expect(embedded[name] == text, "\(name) differs from its embedded copy; run python3 scripts/embed-schemas.py")
        }
    }

    @Test func everyEmbeddedSchemaCompiles() throws {
        let registry = try SchemaRegistry(documents: EmbeddedSchemas.files.filter { $0.name.hasSuffix(".schema.json") })
        for name in registry.documentNames {
            let c = try registry.compile(name)
            #expect(c.nodeCount > 0)
        }
    }
}
