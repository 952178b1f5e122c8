import CTCore
import CTJSON

/// Semantic rule `event-source`: `eventSource` is a lowercase `<service>.amazonaws.com` host name.
package struct EventSourceRule: RecordRule {
    package static let metadata = RuleMetadata(
        id: .eventSource,
        category: .semantic,
        summary: "An eventSource that is not a lowercase `<service>.amazonaws.com` name",
        rationale: """
            `eventSource` names the service that received the request as a host-like token ending in \
            `.amazonaws.com`: `ec2.amazonaws.com`, `signin.amazonaws.com`, `sso.amazonaws.com`, \
            `s3-outposts.amazonaws.com`. Queries and detections filter on it by exact match, so uppercase letters, \
            an EventBridge-style `aws.ec2` source or a missing suffix make events invisible to them. Whether records \
            of the China or European Sovereign Cloud partitions ever use another suffix is not documented, so \
            those suffixes are reported as warnings too. Lake integration events (`eventCategory` \
            `ActivityAuditLog`) carry partner sources and are not checked.
            """,
        defaultSeverity: .warning,
        fixability: .sometimes,
        fixNote: """
            Unsafe: lowercasing, trimming whitespace and turning `aws.<service>` into `<service>.amazonaws.com` change \
            the recorded text; the service is the same.
            """,
        valid: [
            RuleExample(#"{"eventVersion": "1.08", "eventSource": "cloudtrail.amazonaws.com"}"#),
            RuleExample(#"{"eventVersion": "1.08", "eventSource": "identitystore-scim.amazonaws.com"}"#),
            RuleExample(#"{"eventVersion": "1.08", "eventCategory": "ActivityAuditLog", "eventSource": "partner.example"}"#),
        ],
        invalid: [
            RuleExample(#"{"eventVersion": "1.08", "eventSource": ↓"ec2"}"#),
            RuleExample(#"{"eventVersion": "1.08", "eventSource": ↓"storage.example.com"}"#),
            RuleExample(#"{"eventVersion": "1.08", "eventSource": ↓".amazonaws.com"}"#),
        ],
        fixes: [
            RuleExample(#"{"eventVersion": "1.08", "eventSource": "IAM.amazonaws.com"}"#, fixed: #"{"eventVersion": "1.08", "eventSource": "iam.amazonaws.com"}"#),
            RuleExample(#"{"eventVersion": "1.08", "eventSource": "aws.kms"}"#, fixed: #"{"eventVersion": "1.08", "eventSource": "kms.amazonaws.com"}"#),
            RuleExample(#"{"eventVersion": "1.08", "eventSource": " s3.amazonaws.com"}"#, fixed: #"{"eventVersion": "1.08", "eventSource": "s3.amazonaws.com"}"#),
        ]
    )

    package init() {}

    /// `^[a-z0-9][a-z0-9.-]*\.amazonaws\.com$` with proper DNS labels.
    static func isEventSource(_ bytes: ArraySlice<UInt8>) -> Bool {
        guard bytes.count > 14, ValueText.hasSuffix(bytes, ".amazonaws.com") else { return false }
        return AddressText.isLowercaseHostName(bytes)
    }

    package func check(_ context: RecordContext) -> [Diagnostic] {
        let tree = context.tree
        guard let (node, bytes) = ValueText.member(tree, context.fields.eventSource),
              !Self.isEventSource(bytes)
        else { return [] }
        if let category = context.fields.eventCategory, tree.stringEquals(category, "ActivityAuditLog") {
            return []
        }
        return [finding(context, node, bytes)]
    }

    func finding(_ context: RecordContext, _ node: Int, _ bytes: ArraySlice<UInt8>) -> Diagnostic {
        let meta = Self.metadata
        let tree = context.tree
        let shown = ValueText.quoted(bytes)
        if bytes.isEmpty {
            return context.diagnostic(meta, "eventSource is empty; it names the service, e.g. `ec2.amazonaws.com`", at: node)
        }
        if ValueText.isPlaceholder(bytes) {
            return context.diagnostic(meta, "eventSource \(shown) is a documentation placeholder, not a service name", at: node)
        }
        let trimmed = ValueText.trimmed(bytes)
        let lowered = trimmed.map { ValueText.isUpper($0) ? $0 | 0x20 : $0 }[...]
        if Self.isEventSource(lowered) {
            let text = ValueText.string(lowered)
            var problems: [String] = []
            if trimmed.count != bytes.count { problems.append("surrounding whitespace") }
            if lowered != trimmed { problems.append("uppercase letters") }
            return context.diagnostic(
                meta, "eventSource \(shown) has \(ValueText.list(problems)); event sources are written `\(text)`", at: node,
                fix: ValueText.replaceFix(tree, node, with: text, title: "Rewrite as `\(text)`"))
        }
        // EventBridge names the service `aws.<service>` in its envelope's `source`.
        if ValueText.hasPrefix(lowered, "aws."), lowered.count > 4 {
            let service = lowered.dropFirst(4)
            if AddressText.isLowercaseHostName(service), !service.contains(UInt8(ascii: ".")) {
                let text = ValueText.string(service) + ".amazonaws.com"
                return context.diagnostic(
                    meta, "eventSource \(shown) is EventBridge's `source` spelling; CloudTrail writes `\(text)`", at: node,
                    fix: ValueText.replaceFix(tree, node, with: text, title: "Rewrite as `\(text)`"))
            }
        }
        for suffix in AddressText.partitionSuffixes where ValueText.hasSuffix(lowered, suffix) && suffix.utf8CodeUnitCount != 14 {
            return context.diagnostic(
                meta, "eventSource \(shown) ends in `\(suffix)`; CloudTrail event sources are documented only with `.amazonaws.com`",
                at: node)
        }
        if AddressText.isLowercaseHostName(lowered), !lowered.contains(UInt8(ascii: ".")) {
            return context.diagnostic(
                meta, "eventSource \(shown) lacks the `.amazonaws.com` suffix; event sources are host names such as `ec2.amazonaws.com`",
                at: node)
        }
        if ValueText.hasSuffix(lowered, ".amazonaws.com") {
            return context.diagnostic(
                meta, "eventSource \(shown) is not a valid host name before `.amazonaws.com`", at: node)
        }
        return context.diagnostic(meta, "eventSource \(shown) does not end in `.amazonaws.com`, so it does not name an AWS service", at: node)
    }
}
