import CTCore
import CTJSON
import CTLint
import CTRules
import Foundation
import CTTestSupport
import Testing

/// Findings of one identity rule on a JSON document.
/// Records need an `eventVersion` to be recognised; tests add it to documents that are single objects.
private func findings(_ rule: String, _ json: String) -> [Diagnostic] {
    let bytes = Array(json.utf8)
    let record = bytes.first == UInt8(ascii: "{") && !json.contains("\"eventVersion\"")
        ? Array("{\"eventVersion\": \"1.09\", ".utf8) + bytes.dropFirst() : bytes
    let shift = record.count - bytes.count
    return Linter(selection: RuleSelection(select: [rule])).lint(record, format: .json, fileName: nil)
        .filter { $0.rule.rawValue == rule }
        .map { $0.shifted(by: -shift) }
}

/// The source text a finding's range covers.
private func covered(_ d: Diagnostic, in json: String) -> String {
    String(decoding: Array(json.utf8)[d.range.start..<d.range.end], as: UTF8.self)
}

@Suite struct IdentityHelperTests {
    @Test func arnSplitsIntoComponentsWithOffsets() throws {
        let arn = try #require(ARN("arn:aws:sts::210987654321:assumed-role/builder/ci:x"))
        #expect(arn.partition == "aws" && arn.service == "sts" && arn.region == "" && arn.account == "210987654321")
        #expect(arn.resource == "assumed-role/builder/ci:x")
        #expect(arn.resourceType == "assumed-role")
        #expect(arn.resourcePath == ["assumed-role", "builder", "ci:x"])
        #expect(arn.byteRange(of: .account) == 13..<25)
        #expect(ARN("arn:aws:s3:::bucket")?.resourceType == nil)
        #expect(ARN("arn:aws:s3::bucket") == nil)
        #expect(ARN("urn:aws:s3:::bucket") == nil)
    }

    @Test func arnSyntaxAcceptsDocumentedForms() {
        for ok in ["arn:aws:iam::aws:policy/AdministratorAccess", "arn:aws:s3:::bucket/key with space",
                   "arn:aws:identitystore::210987654321:identitystore/d-1234567890",
                   "arn:aws:signin:us-east-1:210987654321:session/5f1c", "arn:aws-iso-b:ec2:us-isob-east-1:210987654321:instance/i-1",
                   "arn:aws-eusc:kms:eusc-de-east-1:210987654321:key/1", "arn:aws:ec2:ap-southeast-9:210987654321:vpc/vpc-1"] {
            #expect(ARNSyntax.check(ok).issues.isEmpty, "\(ok)")
        }
    }

    @Test func arnSyntaxNamesTheProblem() {
        func kinds(_ s: String) -> [ARNIssue.Kind] { ARNSyntax.check(s).issues.map(\.kind) }
        #expect(kinds("arn:aws-mars:iam::210987654321:root") == [.unknownPartition])
        #expect(kinds("arn:aws:iam:us-east-1:210987654321:root") == [.unexpectedRegion])
        #expect(kinds("arn:aws-us-gov:ec2:us-east-1:210987654321:vpc/v") == [.regionOfOtherPartition])
        #expect(kinds("arn:aws:ec2:us-north-2r:210987654321:vpc/v") == [.unknownRegion])
        #expect(kinds("arn:aws:ec2:Virginia:210987654321:vpc/v") == [.malformedRegion])
        #expect(kinds("arn:aws:iam::ACCOUNT:root") == [.invalidAccount])
        #expect(kinds("arn:aws::iam:210987654321:root") == [.emptyService, .malformedRegion])
        #expect(kinds("arn:aws:iam::210987654321:") == [.emptyResource])
        #expect(kinds("arn: aws:iam::210987654321:root") == [.whitespace])
        #expect(kinds("role/builder") == [.notAnARN])
        #expect(ARNSyntax.check("arn:aws:ec2:us-north-2r:1:vpc/v").issues.filter(\.isSoft).count == 1)
    }

    @Test func whitespaceRepairOnlyWhenItYieldsAValidARN() {
        #expect(ARNSyntax.removableWhitespace(in: "arn: aws:iam::210987654321:root") == [4])
        #expect(ARNSyntax.removableWhitespace(in: "arn: aws:iam::2109:root") == nil)
        #expect(ARNSyntax.removableWhitespace(in: "arn:aws:s3:::a b") == nil)
    }

    @Test func partitionsByRegionPattern() {
        #expect(Partitions.partition(forRegion: "us-east-1")?.id == "aws")
        #expect(Partitions.partition(forRegion: "us-gov-west-1")?.id == "aws-us-gov")
        #expect(Partitions.partition(forRegion: "us-iso-east-1")?.id == "aws-iso")
        #expect(Partitions.partition(forRegion: "us-isob-east-1")?.id == "aws-iso-b")
        #expect(Partitions.partition(forRegion: "us-isof-south-1")?.id == "aws-iso-f")
        #expect(Partitions.partition(forRegion: "eu-isoe-west-1")?.id == "aws-iso-e")
        #expect(Partitions.partition(forRegion: "cn-northwest-1")?.id == "aws-cn")
        #expect(Partitions.partition(forRegion: "eusc-de-east-1")?.id == "aws-eusc")
        #expect(Partitions.partition(forRegion: "us-north-2r") == nil)
        #expect(Partitions.partition(forRegion: "us-east-") == nil)
        #expect(Partitions.partition(forRegion: "zz-east-1") == nil)
        #expect(Partitions.isRegionShaped("sagov-westsouth-1r"))
        #expect(!Partitions.isRegionShaped("awsRegion1") && !Partitions.isRegionShaped("global") && !Partitions.isRegionShaped(""))
        #expect(RegionStatus("ap-east-2") == .known(Partitions.aws))
        #expect(RegionStatus("ap-east-9") == .unlisted(Partitions.aws))
        #expect(Partitions.named("aws-iso-f") == Partitions.awsISOF && Partitions.named("AWS") == nil)
    }

    @Test func percentDecoding() {
        #expect(PercentEncoding.isEncodedARN("arn%3Aaws%3A") && PercentEncoding.isEncodedARN("arn%3aaws"))
        #expect(!PercentEncoding.isEncodedARN("arn:aws") && !PercentEncoding.isEncodedARN("arn%2F"))
        #expect(PercentEncoding.decode("arn%3Aaws%3as3%3A%3A%3Ab%2Fk") == .text("arn:aws:s3:::b/k"))
        #expect(PercentEncoding.decode("arn%3Aaws%3") == .broken(offset: 9))
        #expect(PercentEncoding.decode("arn%3Aaws%zz") == .broken(offset: 9))
        #expect(PercentEncoding.decode("arn%3A%FF") == .broken(offset: 3))
    }

    @Test func accountIDsAndKeyPrefixes() {
        #expect(AccountID.isValid("012345678901") && !AccountID.isValid("12345678901") && !AccountID.isValid("01234567890a"))
        #expect(AccountID.isValidInARN("") && AccountID.isValidInARN("aws") && !AccountID.isValidInARN("anonymous"))
        #expect(IAMIDPrefix(of: "ASIAXXXXXXXXXXXXXXXX") == .ASIA && IAMIDPrefix(of: "ASI") == nil)
        #expect(IAMIdentifier.isWellFormed("AKIAIOSFODNN7EXAMPLE") && !IAMIdentifier.isWellFormed("AKIA-short"))
    }
}

@Suite struct IdentityRulesTests {
    // MARK: arn-syntax

    @Test func principalARNProblemsAreErrorsAtTheComponent() throws {
        let json = #"{"userIdentity": {"arn": "arn:aws:iam::1234:user/x"}}"#
        let d = try #require(findings("arn-syntax", json).first)
        #expect(d.severity == .error)
        #expect(covered(d, in: json) == "1234")
        #expect(d.pointer == "/userIdentity/arn")
    }

    @Test func anonymisedRegionsInARNsAreWarnings() {
        let d = findings("arn-syntax", #"{"resources": [{"ARN": "arn:aws:ssm:cn-west-3r:210987654321:parameter/p"}]}"#)
        #expect(d.map(\.severity) == [.warning])
    }

    @Test func escapedARNsPointAtTheWholeValue() throws {
        let json = #"{"userIdentity": {"arn": "arn:aws:iam::1234:user\/x"}}"#
        let d = try #require(findings("arn-syntax", json).first)
        #expect(covered(d, in: json) == #""arn:aws:iam::1234:user\/x""#)
    }

    @Test func payloadARNsAreWarningsAndOnlyARNLookingValuesCount() {
        let json = #"""
        {"requestParameters": {"roleArn": "builder", "policyArn": "arn:aws:iam::aws:policy/ReadOnly", "nested": [{"TargetARN": "arn:aws:sns:us-east-1:12:t"}],
          "layerArns": ["arn:aws:lambda:us-east-1:210987654321:layer:l:1", "arn:aws:lambda:moon-1:210987654321:layer:l:1"], "name": "arn:nope"},
         "responseElements": {"assumedRoleUser": {"arn": "arn:aws:sts::210987654321:assumed-role/r/s", "assumedRoleId": "arn:x"}}}
        """#
        let d = findings("arn-syntax", json)
        #expect(d.count == 2)
        #expect(d.allSatisfy { $0.severity == .warning })
        #expect(d.contains { $0.message.contains("`12`") })
        #expect(d.contains { $0.message.contains("`moon-1`") })
    }

    @Test func percentEncodedPayloadARNsAreDecodedFirst() {
        let ok = #"{"responseElements": {"policyArn": "arn%3Aaws%3Aiam%3A%3Aaws%3Apolicy%2FReadOnly"}}"#
        #expect(findings("arn-syntax", ok).isEmpty)
        let bad = #"{"responseElements": {"policyArn": "arn%3Aaws%3Aiam%3A%3Aaws%3Apolicy%2FRead%G1"}}"#
        let d = findings("arn-syntax", bad)
        #expect(d.count == 1 && d[0].message.contains("broken percent-encoding"))
        #expect(covered(d[0], in: bad) == "%G1")
        let wrong = #"{"responseElements": {"policyArn": "arn%3Aaws%3Aiam%3Aus-east-1%3Aaws%3Apolicy%2FReadOnly"}}"#
        #expect(findings("arn-syntax", wrong).map(\.message) == ["percent-decoded `iam` ARNs have an empty region, but `arn:aws:iam:us-east-1:aws:policy/ReadOnly` names `us-east-1`"])
    }

    @Test func emptyAndMissingARNsAreQuiet() {
        #expect(findings("arn-syntax", #"{"userIdentity": {"type": "AWSService", "arn": "", "sessionContext": {"sessionIssuer": {}}}, "resources": null}"#).isEmpty)
    }

    @Test func whitespaceFixIsUnsafe() throws {
        let d = try #require(findings("arn-syntax", #"{"userIdentity": {"arn": "arn:aws :iam::210987654321:root"}}"#).first)
        #expect(d.fix?.applicability == .unsafe)
        #expect(findings("arn-syntax", #"{"userIdentity": {"arn": "arn:aws :iam::2109:root"}}"#).first?.fix == nil)
    }

    // MARK: arn-identity-mismatch

    @Test func typeAgainstARN() {
        let iamUserAsRole = findings("arn-identity-mismatch", #"{"userIdentity": {"type": "IAMUser", "arn": "arn:aws:iam::210987654321:role/x"}}"#)
        #expect(iamUserAsRole.map(\.severity) == [.error])
        #expect(iamUserAsRole[0].message.hasPrefix("userIdentity type is `IAMUser` but the ARN names a role `arn:aws:iam::210987654321:role/x`"))
        #expect(iamUserAsRole[0].notes.count == 1)
        let federated = findings("arn-identity-mismatch", #"{"userIdentity": {"type": "FederatedUser", "arn": "arn:aws:iam::210987654321:user/x"}}"#)
        #expect(federated.map(\.severity) == [.warning])
        let root = findings("arn-identity-mismatch", #"{"userIdentity": {"type": "Root", "arn": "arn:aws:iam::210987654321:root"}}"#)
        #expect(root.isEmpty)
    }

    @Test func userNameCaseOnlyDifferenceIsAWarning() {
        let d = findings("arn-identity-mismatch", #"{"userIdentity": {"type": "IAMUser", "arn": "arn:aws:iam::210987654321:user/Maria", "userName": "maria"}}"#)
        #expect(d.map(\.severity) == [.warning])
    }

    @Test func assumedRoleWithoutSessionIsAnErrorButRolePathOnIssuerIsFine() {
        let noSession = findings("arn-identity-mismatch", #"{"userIdentity": {"type": "AssumedRole", "arn": "arn:aws:sts::210987654321:assumed-role/builder"}}"#)
        #expect(noSession.map(\.severity) == [.error])
        let sso = #"""
        {"userIdentity": {"type": "AssumedRole", "principalId": "AROAYQ3KNO4QHX7TDPV2E:dana@example.com",
          "arn": "arn:aws:sts::210987654321:assumed-role/AWSReservedSSO_Admin_0a1b/dana@example.com",
          "sessionContext": {"sessionIssuer": {"type": "Role", "userName": "AWSReservedSSO_Admin_0a1b",
            "arn": "arn:aws:iam::210987654321:role/aws-reserved/sso.amazonaws.com/eu-west-1/AWSReservedSSO_Admin_0a1b"}}}}
        """#
        #expect(findings("arn-identity-mismatch", sso).isEmpty)
    }

    @Test func insightsAttributionARNsAreNotChecked() {
        let json = #"""
        {"eventType": "AwsCloudTrailInsight", "insightDetails": {"insightContext": {"attributions": [{"attribute": "userIdentityArn",
          "insight": [{"value": "arn:aws:sts::210987654321:assumed-role/builder", "average": 1.0}]}]}}}
        """#
        for rule in ["arn-identity-mismatch", "arn-syntax"] { #expect(findings(rule, json).isEmpty) }
    }

    @Test func malformedARNsAreLeftToArnSyntax() {
        #expect(findings("arn-identity-mismatch", #"{"userIdentity": {"type": "IAMUser", "arn": "arn:aws::iam:210987654321:user/x"}}"#).isEmpty)
    }

    @Test func sessionIssuerRootARN() {
        let d = findings("arn-identity-mismatch", #"{"userIdentity": {"type": "FederatedUser", "sessionContext": {"sessionIssuer": {"type": "Root", "arn": "arn:aws:iam::210987654321:user/x"}}}}"#)
        #expect(d.map(\.severity) == [.warning])
    }

    // MARK: account-mismatch

    @Test func crossAccountCasesAreNotFlagged() {
        let cases = [
            // The role owner's copy of a cross-account AssumeRole: another account's user called.
            #"{"recipientAccountId": "333344445555", "userIdentity": {"type": "AWSAccount", "accountId": "210987654321", "principalId": "AIDAYQ3KNO4QHX7TDPV2E"}, "resources": [{"ARN": "arn:aws:iam::333344445555:role/shared", "accountId": "333344445555"}]}"#,
            // The caller's copy: recipient is the caller, resource in another account.
            #"{"recipientAccountId": "210987654321", "userIdentity": {"type": "IAMUser", "accountId": "210987654321", "arn": "arn:aws:iam::210987654321:user/maria"}, "resources": [{"ARN": "arn:aws:kms:us-east-1:333344445555:key/1", "accountId": "333344445555"}]}"#,
            // Redacted owner and bucket ARNs without account.
            #"{"resources": [{"ARN": "arn:aws:s3:::b", "accountId": "333344445555"}, {"ARN": "arn:aws:kms:us-east-1:333344445555:key/1", "accountId": ""}, {"ARNPrefix": "arn:aws:s3:::b/"}]}"#,
            // Anonymous S3 caller; AWS service caller with invokedByDelegate.
            #"{"userIdentity": {"type": "AWSAccount", "accountId": "anonymous", "principalId": ""}}"#,
            #"{"userIdentity": {"type": "AWSService", "invokedBy": "ec2.amazonaws.com", "invokedByDelegate": {"accountId": "444455556666"}}, "recipientAccountId": "210987654321"}"#,
            // Managed policy ARNs carry `aws`.
            #"{"resources": [{"ARN": "arn:aws:iam::aws:policy/ReadOnlyAccess", "accountId": "210987654321"}]}"#,
        ]
        for json in cases { #expect(findings("account-mismatch", json).isEmpty, "\(json)") }
    }

    @Test func samePrincipalMismatchIsAnErrorWithANote() throws {
        let json = #"{"userIdentity": {"type": "Root", "accountId": "210987654321", "arn": "arn:aws:iam::333344445555:root"}}"#
        let d = try #require(findings("account-mismatch", json).first)
        #expect(d.severity == .error)
        #expect(covered(d, in: json) == "333344445555")
        #expect(d.notes.count == 1)
        #expect(String(decoding: Array(json.utf8)[d.notes[0].range.start..<d.notes[0].range.end], as: UTF8.self) == #""210987654321""#)
    }

    @Test func otherTypesDoNotCompareTheirARN() {
        #expect(findings("account-mismatch", #"{"userIdentity": {"type": "AWSAccount", "accountId": "210987654321", "arn": "arn:aws:iam::333344445555:user/x"}}"#).isEmpty)
    }

    // MARK: partition-mismatch

    @Test func partitionsAreComparedOnlyForKnownRegionPatterns() {
        let gov = findings("partition-mismatch", #"{"awsRegion": "us-gov-east-1", "userIdentity": {"arn": "arn:aws:iam::210987654321:user/x", "onBehalfOf": {"identityStoreArn": "arn:aws-us-gov:identitystore::210987654321:identitystore/d-1"}}}"#)
        #expect(gov.count == 1 && gov[0].severity == .warning && gov[0].notes.count == 1)
        #expect(findings("partition-mismatch", #"{"awsRegion": "global", "userIdentity": {"arn": "arn:aws-cn:iam::210987654321:user/x"}}"#).isEmpty)
        #expect(findings("partition-mismatch", #"{"awsRegion": "us-east-1", "userIdentity": {"arn": "arn:aws-moon:iam::210987654321:user/x"}}"#).isEmpty)
    }

    // MARK: region

    @Test func regionSeverities() {
        func severity(_ region: String) -> Severity? {
            findings("region", #"{"awsRegion": "\#(region)"}"#).first?.severity
        }
        #expect(severity("us-east-1") == nil)
        #expect(severity("us-west-7") == nil)
        #expect(severity("cn-north-1") == nil)
        #expect(severity("us-north-2r") == .warning)
        #expect(severity("sagov-westsouth-1r") == .warning)
        #expect(severity("aws-global") == .warning)
        #expect(severity("us-esat-1") == .warning)
        #expect(severity("redacted") == .error)
        #expect(severity("awsRegion1") == .error)
        #expect(severity("us east 1") == .error)
        #expect(findings("region", #"{"awsRegion": "us-esat-1"}"#).first?.message.contains("did you mean `us-east-1`") == true)
        #expect(findings("region", #"{"awsRegion": 1}"#).isEmpty)
    }

    // MARK: access-key-id

    @Test func accessKeyPairing() {
        func messages(_ ui: String, _ extra: String = "") -> [String] {
            findings("access-key-id", #"{"userIdentity": \#(ui)\#(extra)}"#).map(\.message)
        }
        #expect(messages(#"{"type": "Root", "accessKeyId": "AKIAYQ3KNO4QHX7TDPV2"}"#).isEmpty)
        #expect(messages(#"{"type": "Root", "accessKeyId": "ASIAYQ3KNO4QHX7TDPV2", "sessionContext": {"attributes": {"mfaAuthenticated": "true"}}}"#).isEmpty)
        #expect(messages(#"{"type": "IAMUser", "accessKeyId": "ASIAYQ3KNO4QHX7TDPV2"}"#, #", "sessionCredentialFromConsole": "true""#).isEmpty)
        #expect(messages(#"{"type": "IAMUser", "accessKeyId": "AKIAYQ3KNO4QHX7TDPV2"}"#, #", "sessionCredentialFromConsole": "true""#).count == 1)
        #expect(messages(#"{"type": "FederatedUser", "accessKeyId": "AKIAYQ3KNO4QHX7TDPV2"}"#).count == 1)
        #expect(messages(#"{"type": "AssumedRole", "accessKeyId": "ABIAYQ3KNO4QHX7TDPV2"}"#).isEmpty)
        #expect(messages(#"{"type": "AWSAccount", "accessKeyId": "ASIAYQ3KNO4QHX7TDPV2"}"#).isEmpty)
        #expect(messages(#"{"type": "AssumedRole", "accessKeyId": "AROAYQ3KNO4QHX7TDPV2"}"#) == ["accessKeyId `AROAYQ3KNO4QHX7TDPV2` is the ID of a role (`AROA`), not an access key ID"])
    }

    // MARK: principal-id

    @Test func principalIDShapes() {
        func count(_ ui: String) -> Int { findings("principal-id", #"{"userIdentity": \#(ui)}"#).count }
        #expect(count(#"{"type": "AssumedRole", "principalId": "AROAYQ3KNO4QHX7TDPV2E:i-0abc"}"#) == 0)
        #expect(count(#"{"type": "AssumedRole", "principalId": "AROAYQ3KNO4QHX7TDPV2E"}"#) == 1)
        #expect(count(#"{"type": "IAMUser", "principalId": ""}"#) == 0)
        #expect(count(#"{"type": "IAMUser", "principalId": "EXAMPLE6E4XEGITWATV6R"}"#) == 1)
        #expect(count(#"{"type": "Root", "principalId": "210987654321"}"#) == 0)
        #expect(count(#"{"type": "SAMLUser", "principalId": "c2FtbA==:dana"}"#) == 0)
        #expect(count(#"{"type": "FederatedUser", "principalId": "210987654321"}"#) == 1)
        #expect(count(#"{"type": "AssumedRole", "sessionContext": {"sessionIssuer": {"type": "Root", "principalId": "210987654321", "accountId": "210987654321"}}}"#) == 0)
        #expect(findings("principal-id", #"{"userIdentity": {"type": "IAMUser", "principalId": "AKIAYQ3KNO4QHX7TDPV2E"}}"#).first?.message
                == "principalId `AKIAYQ3KNO4QHX7TDPV2E` of an IAM user should start with `AIDA`, but `AKIA` marks a long-term access key")
    }

    // MARK: identity-fields

    @Test func identityFieldsOnlyFlagsForeignFields() {
        #expect(findings("identity-fields", #"{"userIdentity": {"type": "Root", "userName": "my-alias", "sessionContext": {"sessionIssuer": {}, "attributes": {}}}}"#).isEmpty)
        #expect(findings("identity-fields", #"{"userIdentity": {"type": "SAMLUser", "userName": "dana", "identityProvider": "c2FtbA=="}}"#).isEmpty)
        #expect(findings("identity-fields", #"{"userIdentity": {"accountId": "210987654321", "invokedBy": "AWS Internal"}}"#).isEmpty)
        let d = findings("identity-fields", #"{"userIdentity": {"type": "Root", "identityProvider": "x"}}"#)
        #expect(d.count == 1 && d[0].notes.count == 1)
    }

    @Test func catalogOrder() {
        #expect(IdentityRules.all.map { type(of: $0).metadata.id } == [
            .arnSyntax, .arnIdentityMismatch, .accountMismatch, .resourceAccount, .partitionMismatch, .region,
            .accessKeyID, .principalID, .identityFields,
        ])
    }
}

/// The real records of the shared corpus give no error of the identity rules, except the documented ones.
@Suite struct IdentityCorpusTests {
    static let corpus = SharedCorpus.root.appendingPathComponent("corpus/records")
    static let rules = IdentityRules.all.map { type(of: $0).metadata.id.rawValue }

    /// Files (relative to the corpus) whose records genuinely break an identity rule at error level, with the
    /// rule and the reason. Each is a hand-written test event, a test fixture with placeholder values, or an
    /// anonymisation artefact — never a shape real CloudTrail produces.
    static let documentedExceptions: [String: (rules: Set<String>, reason: String)] = [
        "DataDog__stratus-red-team/aws.lateral-movement.ec2-serial-console-send-ssh-public-key.json":
            (["arn-identity-mismatch"], "anonymiser merged the SSO role and session into `assumed-role/AWSReservedSSOrandom…@gmail.com` (no session segment)"),
        "Techcadia__cloudtrail-console-actions/DescribeEventAggregates.json":
            (["account-mismatch"], "partly anonymised: ARN account `012345678901` but accountId `761885676921`"),
        "aws__aws-cloudtrail-processing-library/SerializerTestFile.json":
            (["arn-syntax", "region"], "library fixture with placeholders (`sessionIssuerArn4`, `awsRegion1`)"),
        "aws__aws-cloudtrail-processing-library/SerializerTestFileBadJsonFormat.json":
            (["arn-syntax"], "deliberately malformed fixture with placeholders (`userIdentityArn1`)"),
        "aws__aws-cloudtrail-processing-library/SerializerTestFileCompact.json":
            (["arn-syntax", "region"], "library fixture with placeholders (`awsRegion2`)"),
        "aws__aws-cloudtrail-processing-library/SerializerTestFileLocation.json":
            (["arn-syntax", "region"], "library fixture with placeholders"),
        "aws__aws-cloudtrail-processing-library/SerializerVariousUserIdentityTestFile.json":
            (["arn-syntax", "region"], "library fixture with placeholders (`sessionIssuerArn1`)"),
        "cloud-custodian__cloud-custodian/event-cloud-trail-tag-distribution.json":
            (["account-mismatch"], "EventBridge fixture partly anonymised: the ARN's account `123456789123` was replaced, accountId kept"),
        "cloud-custodian__cloud-custodian/event-cloud-trail-create-db.json":
            (["arn-syntax"], "hand-made fixture: ARNs `arn:aws::sts:…` put the service in the region slot"),
        "panther-labs__panther-analysis/AWS_Authentication_from_CrowdStrike_Unmanaged_Device__Test-d8301d.json":
            (["arn-syntax"], "hand-written Panther test: account `12345` in an ARN"),
        "panther-labs__panther-analysis/aws_add_malicious_lambda_extension__Lambda-Update-Function-Configuration-without-Layers.json":
            (["arn-identity-mismatch"], "hand-written Panther test: `assumed-role/tester` without a session"),
        "panther-labs__panther-analysis/aws_cloudtrail_created__Error-Creating-CloudTrail.json":
            (["arn-identity-mismatch"], "hand-written Panther test: `assumed-role/tester` without a session"),
        "panther-labs__panther-analysis/aws_codebuild_made_public__Not-a-UpdateProjectVisibility-event.json":
            (["arn-identity-mismatch"], "hand-written Panther test: `assumed-role/MakeStuffPublic` without a session"),
        "panther-labs__panther-analysis/aws_config_service_created__Error-Creating-Config-Recorder-Delivery-Channel.json":
            (["arn-identity-mismatch"], "hand-written Panther test: `assumed-role/tester` without a session"),
        "panther-labs__panther-analysis/aws_console_root_login__Non-Login-Event.json":
            (["arn-identity-mismatch", "arn-syntax"], "hand-written Panther test: AssumedRole with an `sts … user/tester` ARN; resource ARN `arn::::table/table`"),
        "panther-labs__panther-analysis/aws_ec2_gateway_modified__Network-Gateway-Not-Modified.json":
            (["arn-identity-mismatch"], "hand-written Panther test: `assumed-role/tester` without a session"),
        "panther-labs__panther-analysis/aws_ec2_network_acl_modified__Network-ACL-Not-Modified.json":
            (["arn-identity-mismatch"], "hand-written Panther test: `assumed-role/tester` without a session"),
        "panther-labs__panther-analysis/aws_ec2_security_group_modified__Security-Group-Modified.json":
            (["arn-identity-mismatch"], "hand-written Panther test: `assumed-role/tester` without a session"),
        "panther-labs__panther-analysis/aws_ec2_traffic_mirroring__CreateTrafficMirrorFilter.json":
            (["account-mismatch", "arn-identity-mismatch"], "hand-written Panther test: role without a session; ARN account `123123123123` vs accountId `123451234516`"),
        "panther-labs__panther-analysis/aws_ec2_traffic_mirroring__CreateTrafficMirrorSession.json":
            (["arn-identity-mismatch"], "hand-written Panther test: `assumed-role/MakeStuffPublic` without a session"),
        "panther-labs__panther-analysis/aws_ec2_traffic_mirroring__ModifyTrafficMirrorSession.json":
            (["arn-identity-mismatch"], "hand-written Panther test: `assumed-role/MakeStuffPublic` without a session"),
        "panther-labs__panther-analysis/aws_ec2_vpc_modified__Error-Modifying-VPC.json":
            (["arn-identity-mismatch"], "hand-written Panther test: `assumed-role/tester` without a session"),
        "panther-labs__panther-analysis/aws_ec2_vpc_modified__VPC-Modified.json":
            (["arn-identity-mismatch"], "hand-written Panther test: `assumed-role/tester` without a session"),
        "panther-labs__panther-analysis/aws_ecr_crud__Authorized-account.json":
            (["arn-identity-mismatch"], "hand-written Panther test: IAMUser with an `sts … user/` ARN"),
        "panther-labs__panther-analysis/aws_ecr_crud__Unauthorized-Account.json":
            (["arn-identity-mismatch"], "hand-written Panther test: IAMUser with an `sts … user/` ARN"),
        "panther-labs__panther-analysis/aws_ecr_events__Unauthorized-account.json":
            (["arn-identity-mismatch"], "hand-written Panther test: IAMUser with an `sts … user/` ARN"),
        "panther-labs__panther-analysis/aws_iam_attach_admin_role_policy__IAM-Role-Policy-Attached-with-Administrator-Access.json":
            (["arn-identity-mismatch"], "hand-written Panther test: `assumed-role/tester` without a session"),
        "panther-labs__panther-analysis/aws_iam_attach_admin_role_policy__IAM-Role-Policy-Attached-without-Administrator-Access.json":
            (["arn-identity-mismatch"], "hand-written Panther test: `assumed-role/tester` without a session"),
        "panther-labs__panther-analysis/aws_iam_backdoor_role__IAM-Role-Policy-Updated-With-No-Policy-Document.json":
            (["arn-identity-mismatch"], "hand-written Panther test: `assumed-role/tester` without a session"),
        "panther-labs__panther-analysis/aws_iam_backdoor_role__IAM-Role-Policy-Updated-to-Allow-Internet-Access.json":
            (["arn-identity-mismatch"], "hand-written Panther test: `assumed-role/tester` without a session"),
        "panther-labs__panther-analysis/aws_iam_group_read_only_events__Detach-User-Group.json":
            (["arn-syntax"], "hand-written Panther test: 10-digit account `1231231234` in an ARN"),
        "panther-labs__panther-analysis/aws_iam_group_read_only_events__Get-Group-Policy.json":
            (["arn-syntax"], "hand-written Panther test: 10-digit account `1231231234` in an ARN"),
        "panther-labs__panther-analysis/aws_iam_policy_modified__IAM-Policy-Change-Error.json":
            (["arn-identity-mismatch"], "hand-written Panther test: `assumed-role/tester` without a session"),
        "panther-labs__panther-analysis/aws_kms_cmk_loss__KMS-Key-Non-Deletion-Event.json":
            (["arn-identity-mismatch"], "hand-written Panther test: `assumed-role/tester` without a session"),
        "panther-labs__panther-analysis/aws_lambda_crud__Lambda-DeleteFunction-Authorized-Account.json":
            (["arn-identity-mismatch"], "hand-written Panther test: userName `myUserName` but ARN user `DeployRole`"),
        "panther-labs__panther-analysis/aws_overwrite_lambda_code__AssumedRole-Updates-Lambda-Code-Normal-CI-CD.json":
            (["arn-identity-mismatch"], "hand-written Panther test: `assumed-role/tester` without a session"),
        "panther-labs__panther-analysis/aws_overwrite_lambda_code__Delete-Function-Event.json":
            (["arn-identity-mismatch"], "hand-written Panther test: `assumed-role/tester` without a session"),
        "panther-labs__panther-analysis/aws_root_activity__Root-User-Failed-Activity.json":
            (["region"], "hand-written Panther test: awsRegion `redacted`"),
        "panther-labs__panther-analysis/aws_s3_bucket_policy_modified__S3-Bucket-Policy-Not-Modified.json":
            (["arn-identity-mismatch"], "hand-written Panther test: `assumed-role/tester` without a session"),
        "panther-labs__panther-analysis/aws_s3_copy_object_to_external_account_bucket__S3-CopyObject-Same-Account.json":
            (["arn-syntax"], "hand-written Panther test: 14-digit account in an ARN"),
        "panther-labs__panther-analysis/aws_saml_activity__CreateSAMLProvider.json":
            (["arn-syntax"], "hand-written Panther test: 10-digit account `0123456789` in an ARN"),
        "panther-labs__panther-analysis/aws_saml_activity__DeleteSAMLProvider.json":
            (["arn-syntax"], "hand-written Panther test: 10-digit account `0123456789` in an ARN"),
        "panther-labs__panther-analysis/aws_saml_activity__UpdateSAMLProvider.json":
            (["arn-syntax"], "hand-written Panther test: 10-digit account `0123456789` in an ARN"),
        "panther-labs__panther-analysis/aws_user_login_profile_modified__User-changed-password-for-other-reset-required.json":
            (["arn-syntax"], "hand-written Panther test: 8-digit account `98765432` in an ARN"),
    ]

    @Test func realRecordsGiveNoUndocumentedErrors() throws {
        guard FileManager.default.fileExists(atPath: Self.corpus.path) else {
            print("IdentityCorpusTests: \(Self.corpus.path) is absent; skipping the corpus check")
            return
        }
        let linter = Linter(selection: RuleSelection(select: Self.rules))
        var undocumented: [String] = []
        var seen: Set<String> = []
        var checked = 0
        let walker = FileManager.default.enumerator(at: Self.corpus, includingPropertiesForKeys: nil)
        while let url = walker?.nextObject() as? URL {
            guard url.pathExtension == "json" else { continue }
            let relative = String(url.path.dropFirst(Self.corpus.path.count + 1))
            let data = try Data(contentsOf: url)
            checked += 1
            let errors = linter.lint(Array(data), format: .json, fileName: url.path)
                .filter { $0.severity == .error && Self.rules.contains($0.rule.rawValue) }
            let allowed = Self.documentedExceptions[relative]?.rules ?? []
            for e in errors {
                seen.insert(relative + " " + e.rule.rawValue)
                if !allowed.contains(e.rule.rawValue) { undocumented.append("\(relative): [\(e.rule.rawValue)] \(e.message)") }
            }
        }
        #expect(checked > 50)
        #expect(undocumented.isEmpty, "\(undocumented.joined(separator: "\n"))")
        // The list stays honest: every documented exception still occurs.
        let documented = Set(Self.documentedExceptions.flatMap { file, entry in entry.rules.map { file + " " + $0 } })
        #expect(documented.subtracting(seen).isEmpty, "no longer found: \(documented.subtracting(seen).sorted())")
    }

    @Test func stratusDetonationLogsHaveOnlyTheDocumentedError() throws {
        let folder = Self.corpus.appendingPathComponent("DataDog__stratus-red-team")
        guard FileManager.default.fileExists(atPath: folder.path) else {
            print("IdentityCorpusTests: \(folder.path) is absent; skipping")
            return
        }
        let linter = Linter(selection: RuleSelection(select: Self.rules))
        var errorFiles: Set<String> = []
        var warnings = 0
        for name in try FileManager.default.contentsOfDirectory(atPath: folder.path) where name.hasSuffix(".json") {
            let bytes = Array(try Data(contentsOf: folder.appendingPathComponent(name)))
            let found = linter.lint(bytes, format: .json, fileName: nil).filter { Self.rules.contains($0.rule.rawValue) }
            if found.contains(where: { $0.severity == .error }) { errorFiles.insert(name) }
            warnings += found.filter { $0.severity == .warning }.count
        }
        #expect(errorFiles == ["aws.lateral-movement.ec2-serial-console-send-ssh-public-key.json"])
        // Anonymised region codes (`us-north-2r`) are reported, as warnings only.
        #expect(warnings > 0)
    }
}
