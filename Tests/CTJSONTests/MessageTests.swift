import Testing
import CTJSON

/// Messages quote the source on one line, with characters a terminal would not show written out.
@Suite struct MessageTests {
    @Test func controlCharactersInQuotedSourceAreEscaped() {
        let tree = JSONParser.parse(Array("{\"a\": 1\u{0}\u{0}\u{1}\u{7F} }".utf8))
        let messages = tree.diagnostics.map(\.message)
        #expect(messages.contains { $0.contains("`\\u0000\\u0000\\u0001\\u007F`") }, "\(messages)")
        #expect(!messages.contains { $0.unicodeScalars.contains { $0.value < 0x20 || $0.value == 0x7F } })
    }
}

/// `member(_:of:)` walks the members itself; it finds what the member sequence and `stringEquals` find.
@Suite struct MemberLookupTests {
    @Test func memberAgreesWithTheMemberSequence() {
        let documents = [
            #"{"eventID":"1","eventVersion":"1.08","eventID":"2","a":{"eventID":3},"e\u0076entVersion":"x"}"#,
            #"{"eventVersion":"1.08","userIdentity":{"type":"Root","arn":"arn:aws:iam::123456789012:root"},"Records":[]}"#,
            #"{"Records":[{"eventName":"X"}],"Events":[],"detail-type":"AWS API Call via CloudTrail","detail":{}}"#,
            #"{'eventName': 1, eventTime: 2, "eventSource" "s3.amazonaws.com", "": 4, "é": 5}"#,
            #"{"eventName":,"eventTime":"t","eventName":"n"}"#,
        ]
        let names: [StaticString] = ["eventID", "eventVersion", "eventName", "eventTime", "eventSource", "Records", "Events",
                                     "detail-type", "detail", "type", "arn", "", "é", "missing"]
        var checked = 0
        for text in documents {
            let tree = JSONParser.parse(Array(text.utf8))
            for i in tree.nodes.indices where tree.kind(i) == .object {
                for name in names {
                    let expected = tree.members(of: i).filter { tree.stringEquals($0.key, name) }.last?.value
                    #expect(tree.member(name, of: i) == expected, "\(text) \(name)")
                    checked += 1
                }
            }
        }
        #expect(checked > 50)
    }
}
