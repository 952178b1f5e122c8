import CTJSON

/// The members of one record that the semantic rules read, found in one pass over the record and its
/// identity objects (`userIdentity`, its `sessionContext`, `sessionIssuer`, `attributes`, `inScopeOf`,
/// `onBehalfOf`). Each is the value node of the member, or nil when absent.
///
/// Lookups follow `SyntaxTree.member(_:of:)`: the last of duplicated keys wins, and nested objects are only
/// entered when the member's value is an object. Every rule used to walk the record with `member` for each
/// field it needed (about 60 walks per record, 17% of a full check on generated logs); one pass that matches
/// each key once against a `ByteKeyTable` costs about as much as three of those walks.
package struct RecordFields: Sendable {
    // Record level.
    package var eventVersion: Int?
    package var userIdentity: Int?
    package var eventTime: Int?
    package var eventSource: Int?
    package var eventName: Int?
    package var awsRegion: Int?
    package var sourceIPAddress: Int?
    package var eventID: Int?
    package var sharedEventID: Int?
    package var eventType: Int?
    package var eventCategory: Int?
    package var recipientAccountId: Int?
    package var requestParameters: Int?
    package var responseElements: Int?
    package var resources: Int?
    package var vpcEndpointId: Int?
    package var sessionCredentialFromConsole: Int?

    /// `userIdentity` members (when userIdentity is an object).
    package var identity = Principal()
    package var identityProvider: Int?
    package var accessKeyId: Int?
    package var sessionContext: Int?
    package var inScopeOf: Int?
    package var onBehalfOf: Int?

    /// `userIdentity.sessionContext` members.
    package var sessionIssuer: Int?
    package var attributes: Int?
    package var webIdFederationData: Int?
    package var signInSessionArn: Int?

    /// `userIdentity.sessionContext.sessionIssuer` members.
    package var issuer = Principal()
    /// `userIdentity.sessionContext.attributes.creationDate`.
    package var creationDate: Int?
    /// `userIdentity.inScopeOf.sourceArn` and `sourceAccount`.
    package var inScopeSourceArn: Int?
    package var inScopeSourceAccount: Int?
    /// `userIdentity.onBehalfOf.identityStoreArn`.
    package var identityStoreArn: Int?

    /// The fields shared by `userIdentity` and `sessionIssuer`.
    package struct Principal: Sendable {
        package var type: Int?
        package var principalId: Int?
        package var arn: Int?
        package var accountId: Int?
        package var userName: Int?
    }

    package init() {}

    /// Reads the fields of record object `record` (nothing for other kinds).
    package init(tree: SyntaxTree, record: Int) {
        self.init()
        tree.nodes.withUnsafeBufferPointer { nodes in
            tree.source.withUnsafeBufferPointer { src in
                read(tree, nodes, src, record)
            }
        }
    }

    private mutating func read(_ tree: SyntaxTree, _ nodes: UnsafeBufferPointer<Node>, _ src: UnsafeBufferPointer<UInt8>, _ record: Int) {
        guard nodes[record].kind == .object else { return }
        func scan(_ object: Int, _ table: ByteKeyTable.View, _ assign: (Int, Int) -> Void) {
            Self.scan(tree, nodes, src, object, table, assign)
        }
        scan(record, Self.recordKeys) { id, v in
            switch id {
            case 0: eventVersion = v
            case 1: userIdentity = v
            case 2: eventTime = v
            case 3: eventSource = v
            case 4: eventName = v
            case 5: awsRegion = v
            case 6: sourceIPAddress = v
            case 7: eventID = v
            case 8: sharedEventID = v
            case 9: eventType = v
            case 10: eventCategory = v
            case 11: recipientAccountId = v
            case 12: requestParameters = v
            case 13: responseElements = v
            case 14: resources = v
            case 15: vpcEndpointId = v
            default: sessionCredentialFromConsole = v
            }
        }
        guard let ui = userIdentity, nodes[ui].kind == .object else { return }
        scan(ui, Self.identityKeys) { id, v in
            switch id {
            case 0: identity.type = v
            case 1: identity.principalId = v
            case 2: identity.arn = v
            case 3: identity.accountId = v
            case 4: identity.userName = v
            case 5: accessKeyId = v
            case 6: sessionContext = v
            case 7: identityProvider = v
            case 8: inScopeOf = v
            default: onBehalfOf = v
            }
        }
        if let sc = sessionContext, nodes[sc].kind == .object {
            scan(sc, Self.sessionKeys) { id, v in
                switch id {
                case 0: sessionIssuer = v
                case 1: attributes = v
                case 2: webIdFederationData = v
                default: signInSessionArn = v
                }
            }
            if let si = sessionIssuer, nodes[si].kind == .object {
                scan(si, Self.issuerKeys) { id, v in
                    switch id {
                    case 0: issuer.type = v
                    case 1: issuer.principalId = v
                    case 2: issuer.arn = v
                    case 3: issuer.accountId = v
                    default: issuer.userName = v
                    }
                }
            }
            if let a = attributes, nodes[a].kind == .object {
                scan(a, Self.attributeKeys) { _, v in creationDate = v }
            }
        }
        if let s = inScopeOf, nodes[s].kind == .object {
            scan(s, Self.inScopeKeys) { id, v in
                if id == 0 { inScopeSourceArn = v } else { inScopeSourceAccount = v }
            }
        }
        if let o = onBehalfOf, nodes[o].kind == .object {
            scan(o, Self.onBehalfKeys) { _, v in identityStoreArn = v }
        }
    }

    // The key tables, and plain views of them for the scan (the tables live as long as the process).
    static let tables: [ByteKeyTable] = [
        ByteKeyTable(strings: [
            "eventVersion", "userIdentity", "eventTime", "eventSource", "eventName", "awsRegion", "sourceIPAddress",
            "eventID", "sharedEventID", "eventType", "eventCategory", "recipientAccountId", "requestParameters",
            "responseElements", "resources", "vpcEndpointId", "sessionCredentialFromConsole",
        ]),
        ByteKeyTable(strings: [
            "type", "principalId", "arn", "accountId", "userName", "accessKeyId", "sessionContext", "identityProvider",
            "inScopeOf", "onBehalfOf",
        ]),
        ByteKeyTable(strings: ["sessionIssuer", "attributes", "webIdFederationData", "signInSessionArn"]),
        ByteKeyTable(strings: ["type", "principalId", "arn", "accountId", "userName"]),
        ByteKeyTable(strings: ["creationDate"]),
        ByteKeyTable(strings: ["sourceArn", "sourceAccount"]),
        ByteKeyTable(strings: ["identityStoreArn"]),
    ]
    static let recordKeys = tables[0].view
    static let identityKeys = tables[1].view
    static let sessionKeys = tables[2].view
    static let issuerKeys = tables[3].view
    static let attributeKeys = tables[4].view
    static let inScopeKeys = tables[5].view
    static let onBehalfKeys = tables[6].view

    /// Calls `assign` with the table id and value node of each member of `object` whose key is in `table`.
    @inline(__always)
    private static func scan(_ tree: SyntaxTree, _ nodes: UnsafeBufferPointer<Node>, _ src: UnsafeBufferPointer<UInt8>,
                             _ object: Int, _ table: ByteKeyTable.View, _ assign: (Int, Int) -> Void) {
        let end = Int(nodes[object].subtreeEnd)
        var k = object + 1
        while k < end {
            let v = Int(nodes[k].subtreeEnd)
            guard v < end else { return }
            let key = nodes[k]
            if key.kind == .string {
                let id: Int?
                if key.flags == 0 {
                    let start = Int(key.start) + 1
                    id = start >= 8 ? table.lookupAfterEightBytes(src.baseAddress! + start, Int(key.end) - start - 1)
                        : table.lookup(src.baseAddress! + start, Int(key.end) - start - 1)
                } else {
                    id = tree.withDecodedBytes(k) { table.lookup($0) }
                }
                if let id { assign(id, v) }
            }
            k = Int(nodes[v].subtreeEnd)
        }
    }
}
