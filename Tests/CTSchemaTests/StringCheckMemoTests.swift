import CTCore
import CTJSON
import CTTestSupport
import Foundation
import Testing
@testable import CTSchema

/// The remembered string passes and the word-at-a-time hex digits give the answers of the plain checks.
@Suite struct StringCheckMemoTests {
    /// A fresh memo's view (the memo is returned so that it outlives the view).
    static func freshMemo() -> (StringCheckMemo, StringCheckMemo.View) {
        let memo = StringCheckMemo()
        return (memo, memo.view)
    }

    @Test func rememberedOnTheSecondPassOnlyAndPerNode() {
        let (memo, view) = Self.freshMemo()
        _ = memo
        let a = Array("arn:aws:iam::123456789012:user/alice".utf8)
        let b = Array("arn:aws:iam::123456789012:user/alicf".utf8)
        let long = [UInt8](repeating: 0x61, count: StringCheckMemo.maxBytes + 1)
        a.withUnsafeBufferPointer { pa in
            b.withUnsafeBufferPointer { pb in
                long.withUnsafeBufferPointer { pl in
                    let ha = StringCheckMemo.View.hash(8, pa), hb = StringCheckMemo.View.hash(8, pb)
                    #expect(!view.contains(8, ha, pa))
                    view.notePass(8, ha, pa)
                    #expect(!view.contains(8, ha, pa), "remembered on its first pass")
                    view.notePass(8, ha, pa)
                    #expect(view.contains(8, ha, pa))
                    // Another node, other bytes, or the same hash with other bytes: not remembered.
                    #expect(!view.contains(16, StringCheckMemo.View.hash(16, pa), pa))
                    #expect(!view.contains(8, hb, pb))
                    #expect(!view.contains(8, ha, pb))
                    // Longer than `maxBytes`: never remembered.
                    let hl = StringCheckMemo.View.hash(8, pl)
                    view.notePass(8, hl, pl)
                    view.notePass(8, hl, pl)
                    #expect(!view.contains(8, hl, pl))
                }
            }
        }
    }

    /// Two schemas compiled apart have nodes at the same indexes (and a later one may reuse an earlier one's
    /// memory): what one remembers must not pass a value for the other.
    @Test func schemasCompiledApartDoNotShareRememberedPasses() throws {
        let tree = JSONParser.parse(Array(#"{"a": "xxxx", "o": {"b": 1}}"#.utf8))
        for _ in 0..<20 {
            do {
                let x = try compileSchema(#"{"properties": {"a": {"pattern": "^x+$"}, "o": {"properties": {"b": {"const": 1}}}}}"#)
                for _ in 0..<3 { #expect(SchemaValidator().validate(tree, node: tree.root!, against: x).isEmpty) }
            }
            do {
                let y = try compileSchema(#"{"properties": {"a": {"pattern": "^y+$"}, "o": {"properties": {"b": {"const": 2}}}}}"#)
                #expect(SchemaValidator().validate(tree, node: tree.root!, against: y).count == 2)
            }
        }
    }

    /// Each record validated three times in a row (the memo learns its passing strings and small objects on the
    /// first two) and after mutations that break them: always the findings of the first, memo-free time.
    @Test func repeatedRecordsGiveTheSameFindings() throws {
        var documents: [[UInt8]] = [
            Array(#"{"eventVersion":"1.09","eventTime":"2024-03-13T23:58:09Z","eventID":"0f4c2a91-5e3b-4d7a-9c18-6b2e0d9f1a37","awsRegion":"us-east-1","recipientAccountId":"123456789012","userIdentity":{"type":"IAMUser","arn":"arn:aws:iam::123456789012:user/alice","accountId":"123456789012","principalId":"AIDAEXAMPLEEXAMPLE01"},"tlsDetails":{"tlsVersion":"TLSv1.2","cipherSuite":"ECDHE-RSA-AES128-GCM-SHA256","clientProvidedHostHeader":"s3.us-east-1.amazonaws.com"}}"#.utf8),
        ]
        if let corpus = SharedCorpus.path("corpus/records"),
           let walker = FileManager.default.enumerator(at: corpus, includingPropertiesForKeys: nil) {
            for case let url as URL in walker where url.pathExtension == "json" {
                documents.append([UInt8](try Data(contentsOf: url)))
            }
        }
        let breaks: [(String, String)] = [("123456789012", "12345678901"), ("us-east-1", "us_east_1"), (":iam::", ":iam:x:"),
                                          ("T23:58", "T24:58"), ("-5e3b-", "-5e3g-"), ("2024-", "2024/"),
                                          (#""TLSv1.2""#, "1.2"), (#""cipherSuite""#, #""cipherSuite":1,"x""#)]
        var records = 0
        for document in documents {
            var variants = [document]
            let text = String(decoding: document, as: UTF8.self)
            for (from, to) in breaks where text.contains(from) {
                variants.append(Array(text.replacingOccurrences(of: from, with: to).utf8))
            }
            for bytes in variants {
                let tree = JSONParser.parse(bytes)
                guard let root = tree.root else { continue }
                var objects: [Int] = []
                if let list = tree.member("Records", of: root), tree.kind(list) == .array {
                    objects = tree.children(of: list).filter { tree.kind($0) == .object }
                } else if tree.kind(root) == .object {
                    objects = [root]
                }
                for record in objects {
                    let first = CloudTrailSchemaChecker.shared.checkRecord(tree, record: record)
                    for round in 1...2 {
                        #expect(CloudTrailSchemaChecker.shared.checkRecord(tree, record: record) == first,
                                "round \(round) of a record of \(String(decoding: bytes.prefix(60), as: UTF8.self))")
                    }
                    records += 1
                }
            }
        }
        #expect(records > 0)
    }

    /// The per-byte reading of eight hex digits that `HexDigits.value(of:)` replaces.
    static func reference(_ bytes: [UInt8]) -> (value: UInt32, lower: Bool, upper: Bool)? {
        var value: UInt32 = 0, lower = false, upper = false
        for c in bytes {
            let v: UInt32
            if c >= 0x30 && c <= 0x39 { v = UInt32(c - 0x30) }
            else if c >= 0x61 && c <= 0x66 { v = UInt32(c - 0x61 + 10); lower = true }
            else if c >= 0x41 && c <= 0x46 { v = UInt32(c - 0x41 + 10); upper = true }
            else { return nil }
            value = value << 4 | v
        }
        return (value, lower, upper)
    }

    @Test func hexWordsAgreeWithAByteLoop() {
        // Every byte next to a range edge, and the ranges themselves.
        let alphabet: [UInt8] = Array("/0123456789:@ABCDEFG`abcdefg-".utf8) + [0x00, 0x7F, 0x80, 0xC3, 0xFF, 0x2F, 0x3A]
        var rng = SplitMix(seed: 0x4E1)
        for _ in 0..<20_000 {
            let bytes = (0..<8).map { _ in alphabet[Int(rng.next() % UInt64(alphabet.count))] }
            let word = bytes.enumerated().reduce(UInt64(0)) { $0 | UInt64($1.element) << (8 * UInt64($1.offset)) }
            let fast = HexDigits.value(of: word), slow = Self.reference(bytes)
            #expect(fast?.value == slow?.value && fast?.lower == slow?.lower && fast?.upper == slow?.upper,
                    "\(String(decoding: bytes, as: UTF8.self).debugDescription)")
        }
        // Mostly hex digits, so that valid words are common too.
        let hex = Array("0123456789abcdefABCDEF".utf8)
        for _ in 0..<20_000 {
            var bytes = (0..<8).map { _ in hex[Int(rng.next() % UInt64(hex.count))] }
            if rng.next() % 4 == 0 { bytes[Int(rng.next() % 8)] = alphabet[Int(rng.next() % UInt64(alphabet.count))] }
            let word = bytes.enumerated().reduce(UInt64(0)) { $0 | UInt64($1.element) << (8 * UInt64($1.offset)) }
            let fast = HexDigits.value(of: word), slow = Self.reference(bytes)
            #expect(fast?.value == slow?.value && fast?.lower == slow?.lower && fast?.upper == slow?.upper)
        }
    }

    @Test func uuidDigitsAgreeWithAByteLoop() {
        var rng = SplitMix(seed: 0x0001D)
        let hex = Array("0123456789abcdefABCDEF".utf8)
        let other = Array("-gG:/ xé".utf8)
        for round in 0..<5_000 {
            var bytes = (0..<36).map { i -> UInt8 in [8, 13, 18, 23].contains(i) ? 0x2D : hex[Int(rng.next() % UInt64(hex.count))] }
            if round % 3 == 0 { bytes[Int(rng.next() % 36)] = other[Int(rng.next() % UInt64(other.count))] }
            if round % 7 == 0 { bytes.removeLast() }
            let digits = bytes.enumerated().filter { ![8, 13, 18, 23].contains($0.offset) }.map(\.element)
            let dashes = bytes.count == 36 && [8, 13, 18, 23].allSatisfy { bytes[$0] == 0x2D }
            let high = Self.reference(Array(digits.prefix(8))), mid = Self.reference(Array(digits.dropFirst(8).prefix(8)))
            let low1 = Self.reference(Array(digits.dropFirst(16).prefix(8))), low2 = Self.reference(Array(digits.dropFirst(24)))
            let expected: (UInt64, UInt64)? = dashes && digits.count == 32 && high != nil && mid != nil && low1 != nil && low2 != nil
                ? (UInt64(high!.value) << 32 | UInt64(mid!.value), UInt64(low1!.value) << 32 | UInt64(low2!.value)) : nil
            let fast = bytes.withUnsafeBufferPointer { HexDigits.uuid($0) }
            #expect(fast?.high == expected?.0 && fast?.low == expected?.1, "\(String(decoding: bytes, as: UTF8.self))")
            #expect(bytes.withUnsafeBufferPointer { FormatCheck.uuid($0) } == (expected != nil))
        }
    }
}
