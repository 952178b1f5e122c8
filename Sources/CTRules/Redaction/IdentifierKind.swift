/// What an identifier found in a record is, for `redact` (which replaces it) and `real-data` (which flags it when it
/// does not look like a documentation example).
package enum IdentifierKind: String, Sendable, Hashable, CaseIterable, Comparable {
    case account
    case ipv4
    case ipv6
    case accessKey = "access-key"
    case principalID = "principal-id"
    case user
    case role
    case session
    case email
    case bucket
    case eventID = "event-id"
    case requestID = "request-id"
    /// An opaque identifier of no known grammar (a SAML name qualifier, an Identity Center user ID).
    case opaque = "opaque-id"
    /// A value of a member the user named with `redact --field NAME`.
    case field
    /// A time (moved by `redact --shift-time`, not replaced).
    case time

    package static func < (a: IdentifierKind, b: IdentifierKind) -> Bool { a.index < b.index }

    /// The kind's place in `allCases`.
    package var index: Int {
        switch self {
        case .account: 0
        case .ipv4: 1
        case .ipv6: 2
        case .accessKey: 3
        case .principalID: 4
        case .user: 5
        case .role: 6
        case .session: 7
        case .email: 8
        case .bucket: 9
        case .eventID: 10
        case .requestID: 11
        case .opaque: 12
        case .field: 13
        case .time: 14
        }
    }

    /// The kinds a name met elsewhere may be (`Occurrence.onlyIfKnown` looks them up).
    package var isName: Bool { self == .user || self == .session || self == .role || self == .email || self == .bucket }

    /// How reports name it: "account IDs", "IPv4 addresses".
    package var plural: String {
        switch self {
        case .account: "account IDs"
        case .ipv4: "IPv4 addresses"
        case .ipv6: "IPv6 addresses"
        case .accessKey: "access key IDs"
        case .principalID: "principal IDs"
        case .user: "user and session names"
        case .role: "role names"
        case .session: "session names"
        case .email: "e-mail addresses"
        case .bucket: "bucket names"
        case .eventID: "event IDs"
        case .requestID: "request IDs"
        case .opaque: "other identifiers"
        case .field: "values of --field members"
        case .time: "times"
        }
    }

    /// How one is named in a message: "an account ID".
    package var singular: String {
        switch self {
        case .account: "an account ID"
        case .ipv4: "an IPv4 address"
        case .ipv6: "an IPv6 address"
        case .accessKey: "an access key ID"
        case .principalID: "a principal ID"
        case .user: "a user name"
        case .role: "a role name"
        case .session: "a session name"
        case .email: "an e-mail address"
        case .bucket: "a bucket name"
        case .eventID: "an event ID"
        case .requestID: "a request ID"
        case .opaque: "an identifier"
        case .field: "a --field value"
        case .time: "a time"
        }
    }
}

/// One identifier inside a string (or number) node of a document: where it is in the node's value, what it is, and
/// whether it was found by its field (or its place in an ARN) or only by its shape inside free text.
///
/// 16 bytes and no reference: a 200 MB log has millions of them (with a `String?` member, retaining and releasing
/// them was a tenth of redacting it, perf).
package struct Occurrence: Sendable, Hashable {
    private var node32: Int32
    private var start32: Int32
    private var end32: Int32
    private var kindIndex: UInt8
    private var flags: UInt8
    /// For `.field`: the index of the member name in the scanner's `fields`; -1 otherwise.
    package var fieldIndex: Int16

    /// The string or number node.
    package var node: Int { Int(node32) }
    /// UTF-8 byte offsets into the node's decoded value (a number's text).
    package var start: Int { Int(start32) }
    package var end: Int { Int(end32) }
    package var kind: IdentifierKind { IdentifierKind.allCases[Int(kindIndex)] }
    /// Found by its shape inside free text (`errorMessage`, a policy document), not by a field that holds it.
    package var inFreeText: Bool { flags & 1 != 0 }
    /// Replaced only if the value was already met as a name (a user, role or session name, or mail) elsewhere: a
    /// name-like value in `requestParameters` (`"masterUsername": "alice"`).
    package var onlyIfKnown: Bool { flags & 2 != 0 }

    package init(node: Int, start: Int, end: Int, kind: IdentifierKind, inFreeText: Bool, fieldIndex: Int = -1, onlyIfKnown: Bool = false) {
        node32 = Int32(truncatingIfNeeded: node)
        start32 = Int32(truncatingIfNeeded: start)
        end32 = Int32(truncatingIfNeeded: end)
        kindIndex = UInt8(kind.index)
        flags = (inFreeText ? 1 : 0) | (onlyIfKnown ? 2 : 0)
        self.fieldIndex = Int16(truncatingIfNeeded: fieldIndex)
    }
}
