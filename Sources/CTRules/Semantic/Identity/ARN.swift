import CTJSON

/// An Amazon Resource Name split into its six colon-separated parts:
/// `arn:<partition>:<service>:<region>:<account>:<resource>` (reference §4.1). The resource may itself
/// contain `:` and `/`.
///
/// Parsing only splits; it does not validate. Use `ARNSyntax.check` for the grammar.
package struct ARN: Sendable, Hashable {
    /// The five parts after `arn:`.
    package enum Component: Int, Sendable, Hashable, CaseIterable {
        case partition, service, region, account, resource

        /// Lower-case name for messages.
        package var name: String {
            switch self {
            case .partition: "partition"
            case .service: "service"
            case .region: "region"
            case .account: "account"
            case .resource: "resource"
            }
        }
    }

    /// The whole text that was parsed.
    package let text: String
    package let partition: String
    package let service: String
    package let region: String
    package let account: String
    package let resource: String
    /// Start of each component in `text`, as UTF-8 byte offsets, indexed by `Component.rawValue`.
    package let offsets: [Int]

    /// Splits `text`; nil unless it starts with `arn:` and has at least five colons.
    package init?(_ text: String) {
        let bytes = Array(text.utf8)
        guard bytes.count >= 4, bytes[0] == UInt8(ascii: "a"), bytes[1] == UInt8(ascii: "r"),
              bytes[2] == UInt8(ascii: "n"), bytes[3] == UInt8(ascii: ":") else { return nil }
        var starts = [4]
        var i = 4
        while starts.count < 5, i < bytes.count {
            if bytes[i] == UInt8(ascii: ":") { starts.append(i + 1) }
            i += 1
        }
        guard starts.count == 5 else { return nil }
        func slice(_ c: Int) -> String {
            let end = c < 4 ? starts[c + 1] - 1 : bytes.count
            return String(decoding: bytes[starts[c]..<end], as: UTF8.self)
        }
        self.text = text
        self.partition = slice(0)
        self.service = slice(1)
        self.region = slice(2)
        self.account = slice(3)
        self.resource = slice(4)
        self.offsets = starts
    }

    package subscript(_ component: Component) -> String {
        switch component {
        case .partition: partition
        case .service: service
        case .region: region
        case .account: account
        case .resource: resource
        }
    }

    /// The UTF-8 byte range of a component inside `text`.
    package func byteRange(of component: Component) -> Range<Int> {
        let start = offsets[component.rawValue]
        return start..<(start + self[component].utf8.count)
    }

    /// The resource type: the part before the first `/` or `:` of the resource, or nil when the resource
    /// is a bare id (`root`, a bucket name).
    package var resourceType: Substring? {
        guard let i = resource.firstIndex(where: { $0 == "/" || $0 == ":" }) else { return nil }
        return resource[..<i]
    }

    /// The `/`-separated parts of the resource (`assumed-role/R/S` gives `["assumed-role", "R", "S"]`).
    package var resourcePath: [Substring] {
        resource.split(separator: "/", omittingEmptySubsequences: false)
    }

    /// The last `/`-separated part of the resource: the name of a user or role whatever its path.
    package var resourceName: Substring {
        resourcePath.last ?? Substring(resource)
    }
}

/// One problem found in an ARN's grammar.
package struct ARNIssue: Sendable, Hashable {
    package enum Kind: Sendable, Hashable {
        /// Does not start with `arn:` or has fewer than six parts.
        case notAnARN
        /// Spaces or other whitespace inside the first five parts.
        case whitespace
        case unknownPartition
        case emptyService
        case invalidService
        /// A region code of another partition.
        case regionOfOtherPartition
        /// Region-shaped but fitting no partition's pattern (anonymised or unknown); a soft problem.
        case unknownRegion
        case malformedRegion
        /// A region on a service whose ARNs never carry one (IAM, STS).
        case unexpectedRegion
        case invalidAccount
        case emptyResource
    }

    package var kind: Kind
    /// The component at fault, or nil for the whole ARN.
    package var component: ARN.Component?
    /// States the problem, quoting values in backticks.
    package var message: String

    /// True for problems that real, anonymised logs show (unknown region codes): report as warnings.
    package var isSoft: Bool { kind == .unknownRegion }
}

/// The ARN grammar of reference §4.1.
package enum ARNSyntax {
    /// Services whose ARNs always have an empty region (reference §4.1–4.2).
    package static let regionlessServices: Set<String> = ["iam", "sts"]

    /// Splits and checks `text`. Returns the split ARN (nil when it cannot be split) and every problem.
    package static func check(_ text: String) -> (arn: ARN?, issues: [ARNIssue]) {
        guard let arn = ARN(text) else {
            let message = text.hasPrefix("arn:")
                ? "`\(text)` has fewer than six colon-separated parts (`arn:partition:service:region:account:resource`)"
                : "`\(text)` is not an ARN: it does not start with `arn:`"
            return (nil, [ARNIssue(kind: .notAnARN, component: nil, message: message)])
        }
        var issues: [ARNIssue] = []
        let head = [arn.partition, arn.service, arn.region, arn.account]
        if head.contains(where: { $0.utf8.contains(where: isWhitespace) }) {
            issues.append(ARNIssue(kind: .whitespace, component: nil,
                                   message: "ARN `\(text)` contains whitespace between its parts"))
            return (arn, issues)
        }
        let partition = Partitions.named(arn.partition)
        if partition == nil {
            issues.append(ARNIssue(kind: .unknownPartition, component: .partition,
                                   message: "unknown partition `\(arn.partition)` in ARN `\(text)`"))
        }
        if arn.service.isEmpty {
            issues.append(ARNIssue(kind: .emptyService, component: .service, message: "ARN `\(text)` has no service"))
        } else if !arn.service.utf8.allSatisfy({ Partitions.isLowerAlnum($0) || $0 == UInt8(ascii: "-") }) {
            issues.append(ARNIssue(kind: .invalidService, component: .service,
                                   message: "service `\(arn.service)` in ARN `\(text)` is not a lower-case service name"))
        }
        if !arn.region.isEmpty {
            if regionlessServices.contains(arn.service) {
                issues.append(ARNIssue(kind: .unexpectedRegion, component: .region,
                                       message: "`\(arn.service)` ARNs have an empty region, but `\(text)` names `\(arn.region)`"))
            } else {
                switch RegionStatus(arn.region) {
                case .known(let p), .unlisted(let p):
                    if let partition, partition != p {
                        issues.append(ARNIssue(kind: .regionOfOtherPartition, component: .region,
                                               message: "region `\(arn.region)` belongs to partition `\(p.id)`, not `\(partition.id)`, in ARN `\(text)`"))
                    }
                case .unknownPartition:
                    issues.append(ARNIssue(kind: .unknownRegion, component: .region,
                                           message: "region `\(arn.region)` in ARN `\(text)` fits no partition's region pattern"))
                case .malformed:
                    issues.append(ARNIssue(kind: .malformedRegion, component: .region,
                                           message: "`\(arn.region)` in ARN `\(text)` is not a region code"))
                }
            }
        }
        if !AccountID.isValidInARN(arn.account) {
            issues.append(ARNIssue(kind: .invalidAccount, component: .account,
                                   message: "account `\(arn.account)` in ARN `\(text)` is not a 12-digit account ID"))
        }
        if arn.resource.isEmpty {
            issues.append(ARNIssue(kind: .emptyResource, component: .resource, message: "ARN `\(text)` has no resource"))
        }
        return (arn, issues)
    }

    /// Byte offsets (into `text`) of the whitespace in the first five parts, when deleting exactly those
    /// bytes leaves an ARN without problems; nil otherwise. Used for the "remove spaces" fix.
    package static func removableWhitespace(in text: String) -> [Int]? {
        let bytes = Array(text.utf8)
        var colons = 0
        var spaces: [Int] = []
        var i = 0
        while i < bytes.count, colons < 5 {
            if bytes[i] == UInt8(ascii: ":") { colons += 1 } else if isWhitespace(bytes[i]) { spaces.append(i) }
            i += 1
        }
        guard colons == 5, !spaces.isEmpty else { return nil }
        var kept = bytes
        for s in spaces.reversed() { kept.remove(at: s) }
        let repaired = String(decoding: kept, as: UTF8.self)
        return check(repaired).issues.isEmpty ? spaces : nil
    }

    @inline(__always) static func isWhitespace(_ b: UInt8) -> Bool {
        b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D
    }
}

/// Account-ID helpers (reference §3.9).
package enum AccountID {
    /// Exactly 12 ASCII digits.
    package static func isValid(_ s: some StringProtocol) -> Bool {
        s.utf8.count == 12 && s.utf8.allSatisfy { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }
    }

    /// What the account slot of an ARN may hold: 12 digits, empty (S3 buckets), or `aws` (AWS-managed policies).
    package static func isValidInARN(_ s: some StringProtocol) -> Bool {
        s.isEmpty || s == "aws" || isValid(s)
    }
}

/// Percent-decoding of ARNs that arrive URL-encoded (`arn%3Aaws%3Aiam…`).
package enum PercentEncoding {
    package enum Decoded: Sendable, Hashable {
        case text(String)
        /// A `%` not followed by two hex digits, or one that decodes to a control character, at this UTF-8 byte
        /// offset; or bytes that are not UTF-8 (offset of the first `%`).
        case broken(offset: Int)
    }

    /// True when `s` starts with a percent-encoded `arn:` (`arn%3A`, any hex case).
    package static func isEncodedARN(_ s: some StringProtocol) -> Bool {
        let b = Array(s.utf8.prefix(6))
        return b.count == 6 && b[0] == UInt8(ascii: "a") && b[1] == UInt8(ascii: "r") && b[2] == UInt8(ascii: "n")
            && b[3] == UInt8(ascii: "%") && b[4] == UInt8(ascii: "3") && (b[5] | 0x20) == UInt8(ascii: "a")
    }

    /// Decodes every `%XX`.
    package static func decode(_ s: String) -> Decoded {
        let bytes = Array(s.utf8)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var i = 0
        while i < bytes.count {
            if bytes[i] == UInt8(ascii: "%") {
                guard i + 2 < bytes.count,
                      let hi = hexValue(bytes[i + 1]), let lo = hexValue(bytes[i + 2]) else { return .broken(offset: i) }
                // An escape that decodes to a control character is no ARN text: a damaged `%3A` (`%111…`).
                guard hi << 4 | lo >= 0x20, hi << 4 | lo != 0x7F else { return .broken(offset: i) }
                out.append(hi << 4 | lo)
                i += 3
            } else {
                out.append(bytes[i])
                i += 1
            }
        }
        guard let text = String(validating: out, as: UTF8.self) else {
            return .broken(offset: bytes.firstIndex(of: UInt8(ascii: "%")) ?? 0)
        }
        return .text(text)
    }

    static func hexValue(_ b: UInt8) -> UInt8? { CTJSON.hexValue(b) }
}
