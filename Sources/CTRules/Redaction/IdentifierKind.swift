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

    package static func < (a: IdentifierKind, b: IdentifierKind) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }

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
package struct Occurrence: Sendable, Hashable {
    /// The string or number node.
    package var node: Int
    /// UTF-8 byte offsets into the node's decoded value (a number's text).
    package var start: Int
    package var end: Int
    package var kind: IdentifierKind
    /// Found by its shape inside free text (`errorMessage`, a policy document), not by a field that holds it.
    package var inFreeText: Bool
    /// For `.field`: the member name the user gave.
    package var field: String?
    /// Replaced only if the value was already met as a name (a user, role or session name, or mail) elsewhere: a
    /// name-like value in `requestParameters` (`"masterUsername": "alice"`).
    package var onlyIfKnown: Bool

    package init(node: Int, start: Int, end: Int, kind: IdentifierKind, inFreeText: Bool, field: String? = nil, onlyIfKnown: Bool = false) {
        self.onlyIfKnown = onlyIfKnown
        self.node = node
        self.start = start
        self.end = end
        self.kind = kind
        self.inFreeText = inFreeText
        self.field = field
    }
}
