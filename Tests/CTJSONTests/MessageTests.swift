import Testing
@testable import CTJSON

/// Messages quote the source on one line, with characters a terminal would not show written out.
@Suite struct MessageTests {
    @Test func controlCharactersInQuotedSourceAreEscaped() {
        let tree = JSONParser.parse(Array("{\"a\": 1\u{0}\u{0}\u{1}\u{7F} }".utf8))
        let messages = tree.diagnostics.map(\.message)
        #expect(messages.contains { $0.contains("`\\u0000\\u0000\\u0001\\u007F`") }, "\(messages)")
        #expect(!messages.contains { $0.unicodeScalars.contains { $0.value < 0x20 || $0.value == 0x7F } })
    }
}
