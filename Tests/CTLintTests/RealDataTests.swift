import CTCore
import CTLint
import CTRules
import CTTestSupport
import Foundation
import Testing

/// `real-data` on the 121 AWS documentation pages of `../shared/corpus/awsdocs`: it fires on these values and no
/// other, each listed with why it is flagged (issue 22). Account IDs were surveyed over every fenced block of the
/// corpus: the placeholders AWS uses (`111122223333` 511 times, `123456789012` 410, …) are accepted; what is left
/// looks like real accounts.
@Suite struct RealDataTests {
    static let expected: [String: String] = [
        // Account IDs.
        "790247189693": "Amazon Redshift's own account (the page says the call is logged with an account ID that belongs to Redshift); AWS does not document it as such in a list, so it is flagged",
        "691207106566": "HealthLake page: the accountId fields were masked, but this account stayed in ARNs and recipientAccountId",
        "838185438692": "recipientAccountId of an Insights sample whose other IDs are 123456789012",
        "624281831893": "Control Tower lifecycle event: a managed account's ID, the others on the page masked as XXXXXXXXX",
        "184434908391": "resources[].accountId of a service-linked channel event whose ARN uses 111122223333",
        // Public IPv4 addresses in Amazon's own blocks (real callers' addresses left in samples).
        "205.251.233.183": "Amazon-owned 205.251.0.0/16", "205.251.233.176": "Amazon-owned 205.251.0.0/16",
        "72.21.217.142": "Amazon-owned 72.21.192.0/19", "72.21.217.131": "Amazon-owned 72.21.192.0/19",
        "72.21.196.65": "Amazon-owned 72.21.192.0/19", "72.21.196.64": "Amazon-owned 72.21.192.0/19",
        "72.21.198.67": "Amazon-owned 72.21.192.0/19",
        "54.240.197.6": "Amazon-owned 54.240.0.0/12", "52.14.143.61": "Amazon (EC2) address", "52.95.4.13": "Amazon address",
        "52.94.133.131": "Amazon address", "52.13.164.128": "Amazon (EC2) address", "3.227.36.75": "Amazon (EC2) address",
        "3.213.247.1": "Amazon (EC2) address",
        // Public addresses that are placeholders, but not from the documentation ranges.
        "1.2.3.4": "placeholder, but a routable address (APNIC's 1.0.0.0/8)",
        "123.123.123.123": "placeholder, but a routable address", "123.145.67.89": "placeholder, but a routable address",
        "172.01.01.001": "written with leading zeros (also an `ip-address` finding); as 172.1.1.1 it is public, outside 172.16.0.0/12",
        // Typos of the documentation range 192.0.2.0/24: public addresses.
        "192.0.1.1": "typo of 192.0.2.x", "192.0.1.2": "typo of 192.0.2.x", "192.0.1.3": "typo of 192.0.2.x",
        "192.0.1.4": "typo of 192.0.2.x", "192.2.0.2": "typo of 192.0.2.x",
        // Random-looking public addresses.
        "56.23.155.33": "random-looking public address", "26.29.66.20": "random-looking public address (US DoD space)",
        "72.22.186.61": "random-looking public address", "101.25.190.51": "random-looking public address",
        "100.25.190.51": "random-looking public address (100.0.0.0/10 is public; only 100.64.0.0/10 is shared)",
    ]

    @Test func firesOnTheListedValuesOnly() throws {
        guard let docs = SharedCorpus.directory("corpus/awsdocs") else { return }
        var options = CheckOptions()
        options.selection = RuleSelection(select: ["real-data"])
        options.maxFindingsPerFile = 0
        let result = Runner(options: options).check(operands: [docs.path])
        var flagged: Set<String> = []
        for report in result.reports {
            let text = try String(contentsOfFile: report.displayName, encoding: .utf8)
            let bytes = Array(text.utf8)
            for d in report.diagnostics where d.diagnostic.rule == .realData {
                let value = String(decoding: bytes[d.diagnostic.range.start..<d.diagnostic.range.end], as: UTF8.self)
                flagged.insert(value)
                #expect(d.diagnostic.fix?.applicability == .unsafe, "\(value): no unsafe fix")
            }
        }
        #expect(flagged == Set(Self.expected.keys),
                "unexpected: \(flagged.subtracting(Self.expected.keys).sorted()); missing: \(Set(Self.expected.keys).subtracting(flagged).sorted())")
    }

    @Test func theFixIsConsistentAcrossThePageAndAvoidsItsValues() throws {
        // Two blocks share a real account and address; the page already uses 111122223333 and 192.0.2.1.
        let page = """
        ```json
        {"eventVersion":"1.08","sourceIPAddress":"81.2.69.160","recipientAccountId":"908172635401","userIdentity":{"type":"Root","arn":"arn:aws:iam::908172635401:root","accountId":"908172635401"}}
        ```

        ```json
        {"eventVersion":"1.08","sourceIPAddress":"192.0.2.1","recipientAccountId":"111122223333","resources":[{"accountId":"908172635401","ARN":"arn:aws:s3:::amzn-s3-demo-bucket"}],"requestParameters":{"ip":"81.2.69.160"}}
        ```

        """
        let fixer = Fixer(linter: Linter(selection: RuleSelection(select: ["real-data"])), includeUnsafe: true)
        let fixed = String(decoding: fixer.fix(Array(page.utf8), format: .markdown).output, as: UTF8.self)
        #expect(!fixed.contains("908172635401") && !fixed.contains("81.2.69.160"))
        // 111122223333 and 192.0.2.1 were on the page: the replacements are the next ones, the same in both blocks.
        #expect(fixed.components(separatedBy: "444455556666").count - 1 == 4)
        #expect(fixed.components(separatedBy: "\"192.0.2.2\"").count - 1 == 2)
        #expect(fixer.fix(Array(fixed.utf8), format: .markdown).output == Array(fixed.utf8))
        // Not on logs unless named: the same record in a `.json` file gives no finding by default.
        let log = Linter().lint(Array(#"{"Records":[{"eventVersion":"1.08","sourceIPAddress":"81.2.69.160"}]}"#.utf8), format: .json)
        #expect(!log.contains { $0.rule == .realData })
        let named = Linter(selection: RuleSelection(select: ["real-data"])).lint(Array(#"{"Records":[{"eventVersion":"1.08","sourceIPAddress":"81.2.69.160"}]}"#.utf8), format: .json)
        #expect(named.contains { $0.rule == .realData })
    }
}
