/// The four-letter prefixes of IAM unique IDs and access key IDs (reference §3.8).
package enum IAMIDPrefix: String, Sendable, CaseIterable {
    case ABIA, ACCA, AGPA, AIDA, AIPA, AKIA, ANPA, ANVA, APKA, AROA, ASCA, ASIA

    /// What an ID with this prefix identifies.
    package var resourceType: String {
        switch self {
        case .ABIA: "an STS service bearer token"
        case .ACCA: "a context-specific credential"
        case .AGPA: "a user group"
        case .AIDA: "an IAM user"
        case .AIPA: "an EC2 instance profile"
        case .AKIA: "a long-term access key"
        case .ANPA: "a managed policy"
        case .ANVA: "a managed policy version"
        case .APKA: "a public key"
        case .AROA: "a role"
        case .ASCA: "a certificate"
        case .ASIA: "a temporary (STS) access key"
        }
    }

    /// Prefixes an `accessKeyId` may carry: long-term and temporary keys, bearer tokens, context credentials.
    package var isAccessKeyPrefix: Bool {
        switch self {
        case .AKIA, .ASIA, .ABIA, .ACCA: true
        default: false
        }
    }

    /// The prefix of `id` when its first four characters are a known prefix.
    package init?(of id: some StringProtocol) {
        let bytes = Array(id.utf8.prefix(4))
        guard bytes.count == 4 else { return nil }
        self.init(rawValue: String(decoding: bytes, as: UTF8.self))
    }
}

/// Shapes of IAM identifiers.
package enum IAMIdentifier {
    /// Upper-case ASCII letters and digits only, 16–128 characters: the documented access key ID constraint
    /// (real keys are 20 characters; unique IDs 21).
    package static func isWellFormed(_ id: some StringProtocol) -> Bool {
        let n = id.utf8.count
        return n >= 16 && n <= 128 && id.utf8.allSatisfy {
            ($0 >= UInt8(ascii: "A") && $0 <= UInt8(ascii: "Z")) || ($0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9"))
        }
    }
}
