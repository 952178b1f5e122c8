import CTCore
import CTJSON

/// Semantic rule `ip-address`: `sourceIPAddress` is an IP address, an AWS service host name or `AWS Internal`;
/// `vpcEndpointId` is a VPC endpoint ID, `AWS Internal` or a service name.
package struct IPAddressRule: RecordRule {
    package static let metadata = RuleMetadata(
        id: .ipAddress,
        category: .semantic,
        summary: "A sourceIPAddress or vpcEndpointId that is not a shape CloudTrail records",
        rationale: """
            `sourceIPAddress` holds the caller's IPv4 or IPv6 address, or, when an AWS service made the call, the \
            service's host name (`ec2.amazonaws.com`) or `AWS Internal`. Detection rules and IP allow-lists compare \
            this field, so a leading zero (`192.0.2.01`, which some parsers read as octal), a port, brackets, a CIDR \
            block or an octet above 255 make matches silently fail. `vpcEndpointId` is `vpce-` plus hexadecimal \
            digits, or `AWS Internal` or a service name when AWS acted. The shapes AWS uses vary more than the \
            documentation says, so findings are warnings.
            """,
        defaultSeverity: .warning,
        fixability: .sometimes,
        fixNote: """
            Unsafe: removing leading zeros (`010` could have been meant as octal), a port, brackets or surrounding \
            whitespace, and lowercasing a service host name, change the recorded text.
            """,
        valid: [
            RuleExample(#"{"eventVersion": "1.08", "sourceIPAddress": "198.51.100.7"}"#),
            RuleExample(#"{"eventVersion": "1.08", "sourceIPAddress": "2001:db8:4f2a::1c"}"#),
            RuleExample(#"{"eventVersion": "1.08", "sourceIPAddress": "::ffff:203.0.113.9"}"#),
            RuleExample(#"{"eventVersion": "1.08", "sourceIPAddress": "AWS Internal", "vpcEndpointId": "AWS Internal"}"#),
            RuleExample(#"{"eventVersion": "1.08", "sourceIPAddress": "resource-explorer-2.amazonaws.com"}"#),
            RuleExample(#"{"eventVersion": "1.08", "sourceIPAddress": "10.0.1.10", "vpcEndpointId": "vpce-0b3c5e7a9d1f24680"}"#),
        ],
        invalid: [
            RuleExample(#"{"eventVersion": "1.08", "sourceIPAddress": ↓"198.51.100.07"}"#),
            RuleExample(#"{"eventVersion": "1.08", "sourceIPAddress": ↓"203.0.113.256"}"#),
            RuleExample(#"{"eventVersion": "1.08", "sourceIPAddress": ↓"198.51.100.0/24"}"#),
            RuleExample(#"{"eventVersion": "1.08", "sourceIPAddress": ↓"2001:db8::1::2"}"#),
            RuleExample(#"{"eventVersion": "1.08", "sourceIPAddress": ↓"build-server.example.com"}"#),
            RuleExample(#"{"eventVersion": "1.08", "sourceIPAddress": "192.0.2.44", "vpcEndpointId": ↓"vpc-0b3c5e7a"}"#),
        ],
        fixes: [
            RuleExample(#"{"eventVersion": "1.08", "sourceIPAddress": "192.0.2.01"}"#, fixed: #"{"eventVersion": "1.08", "sourceIPAddress": "192.0.2.1"}"#),
            RuleExample(#"{"eventVersion": "1.08", "sourceIPAddress": "198.51.100.23:50412"}"#, fixed: #"{"eventVersion": "1.08", "sourceIPAddress": "198.51.100.23"}"#),
            RuleExample(#"{"eventVersion": "1.08", "sourceIPAddress": "[2001:db8::7]"}"#, fixed: #"{"eventVersion": "1.08", "sourceIPAddress": "2001:db8::7"}"#),
            RuleExample(#"{"eventVersion": "1.08", "sourceIPAddress": "Lambda.amazonaws.com"}"#, fixed: #"{"eventVersion": "1.08", "sourceIPAddress": "lambda.amazonaws.com"}"#),
        ]
    )

    package init() {}

    package func check(_ context: RecordContext) -> [Diagnostic] {
        let tree = context.tree
        var out: [Diagnostic] = []
        if let (node, bytes) = ValueText.member(tree, context.fields.sourceIPAddress),
           let d = sourceFinding(context, node, bytes) {
            out.append(d)
        }
        if let (node, bytes) = ValueText.member(tree, context.fields.vpcEndpointId),
           let d = endpointFinding(context, node, bytes) {
            out.append(d)
        }
        return out
    }

    /// True for the shapes CloudTrail writes in `sourceIPAddress`.
    static func isSourceAddress(_ bytes: ArraySlice<UInt8>) -> Bool {
        guard let first = bytes.first else { return false }
        if ValueText.isDigit(first), AddressText.ipv4(bytes) == .valid { return true }
        if first == UInt8(ascii: "A"), AddressText.isAWSInternal(bytes) { return true }
        return AddressText.isAWSServiceHost(bytes) || AddressText.isIPv6(bytes)
    }

    /// An address written with a port, brackets or whitespace, reduced to the address; nil otherwise.
    static func bareAddress(_ raw: ArraySlice<UInt8>) -> (address: ArraySlice<UInt8>, what: String)? {
        let trimmed = ValueText.trimmed(raw)
        if trimmed.count != raw.count, isSourceAddress(trimmed) { return (trimmed, "surrounding whitespace") }
        // [IPv6] or [IPv6]:port
        if trimmed.first == UInt8(ascii: "["), let close = trimmed.firstIndex(of: UInt8(ascii: "]")) {
            let inner = trimmed[(trimmed.startIndex + 1)..<close]
            let rest = trimmed[(close + 1)...]
            let portOK = rest.isEmpty || (rest.first == UInt8(ascii: ":") && rest.count > 1 && rest.dropFirst().allSatisfy(ValueText.isDigit))
            if portOK, AddressText.isIPv6(inner) { return (inner, rest.isEmpty ? "brackets" : "brackets and a port") }
        }
        // IPv4:port
        if let colon = trimmed.firstIndex(of: UInt8(ascii: ":")), trimmed[..<colon].contains(UInt8(ascii: ".")) {
            let port = trimmed[(colon + 1)...]
            if !port.isEmpty, port.count <= 5, port.allSatisfy(ValueText.isDigit),
               AddressText.ipv4(trimmed[..<colon]) == .valid {
                return (trimmed[..<colon], "a port")
            }
        }
        return nil
    }

    func sourceFinding(_ context: RecordContext, _ node: Int, _ bytes: ArraySlice<UInt8>) -> Diagnostic? {
        if Self.isSourceAddress(bytes) { return nil }
        let meta = Self.metadata
        let tree = context.tree
        let shown = ValueText.quoted(bytes)
        let field = "sourceIPAddress"
        if bytes.isEmpty {
            return context.diagnostic(meta, "\(field) is empty; CloudTrail records the caller's address, a service name or `AWS Internal`", at: node)
        }
        switch AddressText.ipv4(bytes) {
        case .leadingZeros(let canonical):
            return context.diagnostic(
                meta, "\(field) \(shown) has an octet with a leading zero, which some parsers read as octal; the address is `\(canonical)`",
                at: node, fix: ValueText.replaceFix(tree, node, with: canonical, title: "Rewrite as `\(canonical)`"))
        case .outOfRange(let part):
            return context.diagnostic(meta, "\(field) \(shown) is not an IPv4 address: `\(part)` is above 255", at: node)
        case .valid, .invalid:
            break
        }
        if let (address, what) = Self.bareAddress(bytes) {
            let text = ValueText.string(address)
            return context.diagnostic(
                meta, "\(field) \(shown) has \(what); CloudTrail records the address alone, `\(text)`",
                at: node, fix: ValueText.replaceFix(tree, node, with: text, title: "Rewrite as `\(text)`"))
        }
        if ValueText.isPlaceholder(bytes) {
            return context.diagnostic(meta, "\(field) \(shown) is a documentation placeholder, not an address", at: node)
        }
        if let slash = bytes.firstIndex(of: UInt8(ascii: "/")) {
            let address = bytes[..<slash], length = bytes[(slash + 1)...]
            if !length.isEmpty, length.count <= 3, length.allSatisfy(ValueText.isDigit),
               AddressText.ipv4(address) == .valid || AddressText.isIPv6(address) {
                return context.diagnostic(meta, "\(field) \(shown) is a CIDR block, not the address of one caller", at: node)
            }
        }
        if let percent = bytes.firstIndex(of: UInt8(ascii: "%")), AddressText.isIPv6(bytes[..<percent]) {
            return context.diagnostic(meta, "\(field) \(shown) has an IPv6 zone index (`%…`), which is meaningless outside the caller's host", at: node)
        }
        let lowered = bytes.map { ValueText.isUpper($0) ? $0 | 0x20 : $0 }[...]
        if lowered != bytes, AddressText.isAWSServiceHost(lowered) {
            let text = ValueText.string(lowered)
            return context.diagnostic(
                meta, "\(field) \(shown) has uppercase letters; AWS service names are lowercase, `\(text)`",
                at: node, fix: ValueText.replaceFix(tree, node, with: text, title: "Rewrite as `\(text)`"))
        }
        if AddressText.isLowercaseHostName(lowered) && lowered.contains(UInt8(ascii: ".")) {
            return context.diagnostic(
                meta, "\(field) \(shown) is a host name outside AWS; CloudTrail records an IP address, an AWS service name such as `ec2.amazonaws.com`, or `AWS Internal`",
                at: node)
        }
        if bytes.contains(UInt8(ascii: ":")) && bytes.allSatisfy({ ValueText.isHex($0) || $0 == 0x3A || $0 == 0x2E }) {
            return context.diagnostic(meta, "\(field) \(shown) is not a valid IPv6 address", at: node)
        }
        if bytes.allSatisfy({ ValueText.isDigit($0) || $0 == 0x2E }) {
            return context.diagnostic(meta, "\(field) \(shown) is not an IPv4 address (four numbers 0-255 separated by dots)", at: node)
        }
        return context.diagnostic(
            meta, "\(field) \(shown) is not an IP address, an AWS service host name or `AWS Internal`", at: node)
    }

    /// `vpce-` followed by lowercase hexadecimal digits.
    static func isEndpointID(_ bytes: ArraySlice<UInt8>) -> Bool {
        guard bytes.count > 5, ValueText.hasPrefix(bytes, "vpce-") else { return false }
        return bytes.dropFirst(5).allSatisfy { ValueText.isDigit($0) || ($0 >= 0x61 && $0 <= 0x66) }
    }

    func endpointFinding(_ context: RecordContext, _ node: Int, _ bytes: ArraySlice<UInt8>) -> Diagnostic? {
        if Self.isEndpointID(bytes) || AddressText.isAWSInternal(bytes) || AddressText.isAWSServiceHost(bytes) { return nil }
        let meta = Self.metadata
        let shown = ValueText.quoted(bytes)
        if ValueText.isPlaceholder(bytes) {
            return context.diagnostic(meta, "vpcEndpointId \(shown) is a documentation placeholder, not an endpoint ID", at: node)
        }
        if ValueText.hasPrefix(bytes, "vpce-") {
            return context.diagnostic(
                meta, "vpcEndpointId \(shown) has characters other than lowercase hexadecimal digits after `vpce-`", at: node)
        }
        return context.diagnostic(
            meta, "vpcEndpointId \(shown) is not a VPC endpoint ID (`vpce-` and hexadecimal digits), `AWS Internal` or an AWS service name",
            at: node)
    }
}
