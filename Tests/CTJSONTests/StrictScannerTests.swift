import Foundation
import CTTestSupport
import Testing
@testable import CTJSON

/// `StrictScanner` is a shortcut of `JSONParser.parseStrictValue`: whatever it decides must be what the recovering
/// parser decides on the same bytes (same nodes, root and end), and it must decide the clean records it exists for.
@Suite struct StrictScannerTests {
    /// The outcome by the full path (scanner first) and by the recovering parser alone, as comparable text.
    static func outcomes(_ bytes: [UInt8], start: Int = 0, limit: Int? = nil) -> (String, String) {
        func describe(_ v: StrictValue) -> String {
            switch v {
            case .value(let tree, let end): return "value root=\(tree.root ?? -1) end=\(end) nodes=\(tree.nodes)"
            case .incomplete: return "incomplete"
            case .invalid: return "invalid"
            }
        }
        var scratch = ParseScratch()
        let fast = JSONParser.parseStrictValue(in: bytes, at: start, limit: limit, scratch: &scratch)
        let slow = JSONParser.parseStrictValueByRecovery(in: bytes, at: start, limit: min(limit ?? bytes.count, bytes.count),
                                                         scratch: &scratch)
        return (describe(fast), describe(slow))
    }

    /// Whether the scanner alone accepts the value at `start` of `bytes`.
    static func scannerDecides(_ bytes: [UInt8], start: Int = 0) -> Bool {
        var scratch = ParseScratch()
        return bytes.withUnsafeBufferPointer { buf in
            var scanner = StrictScanner(ByteCursor(buf), scratch: &scratch)
            if case .value = scanner.scan(at: start) { return true }
            return false
        }
    }

    static let handMade: [String] = [
        #"{"a":1,"b":[true,false,null],"c":{"d":"e"},"f":[],"g":{}}"#,
        " \t\r\n{ \"a\" : [ 1 , -2.5e+3 , 0 , -0.0E-1 ] , \"b\" : \"x\" } trailing",
        #"{"é":"ü – 漢字 😀","esc":"a\"b\\c\/d\b\f\n\r\t\u00e9\uD83D\uDE00"}"#,
        #"{"a":1,"a":2}"#, #"{"a":1,"\u0061":2}"#, #"{"ab":{"ab":1},"ab":2}"#, #"{"x":{"a":1},"y":{"a":1}}"#,
        #"[1,2,3]"#, #""just a string""#, "123", "true", "nul", "[01]", "[1.]", "[.5]", "[1e]", "[-]", "[1,]",
        "{\"a\":1,}", "{\"a\" 1}", "{\"a\":1 \"b\":2}", "{'a':1}", "{\"a\":\"x\ny\"}", "{\"a\":\"\\x\"}",
        "{\"a\":\"\\u12G4\"}", "{\"a\":\"\u{1}\"}", "{\"a\":1 /* c */}", "{\"a\":[1,2}", "{\"a\":tru}",
        "{\"a\":truex}", "{\"a\":1}}", "{\"a\":\"\u{201C}x\u{201D}\"}", "{a:1}", "[NaN]", "{\"a\":1.5e3x}",
        "{\"a\":" + String(repeating: "[", count: 300) + String(repeating: "]", count: 300) + "}",
    ]

    @Test func agreesWithTheRecoveringParserOnHandMadeValues() {
        for text in Self.handMade {
            let bytes = Array(text.utf8)
            let (fast, slow) = Self.outcomes(bytes)
            #expect(fast == slow, "\(text)")
            // Every window end, so that a value cut anywhere (in a string, a number, a literal, an escape or a
            // multibyte character) is decided alike.
            for limit in 0..<bytes.count {
                let (f, s) = Self.outcomes(bytes, limit: limit)
                #expect(f == s, "\(text) cut at \(limit)")
            }
        }
    }

    /// Objects with more keys than the key ledger first holds (it grows), nested, with and without a repeated key.
    @Test func agreesOnObjectsWithManyKeys() {
        func object(_ n: Int, _ prefix: String, repeating: Int? = nil, inner: String? = nil) -> String {
            var members = (0..<n).map { "\"\(prefix)\($0)\":\($0)" }
            if let inner { members.insert("\"inner\":" + inner, at: n / 2) }
            if let r = repeating { members.append("\"\(prefix)\(r)\":true") }
            return "{" + members.joined(separator: ",") + "}"
        }
        let cases = [
            object(300, "k"), object(300, "k", repeating: 7), object(300, "k", repeating: 299),
            object(200, "a", inner: object(150, "a")), object(200, "a", inner: object(150, "a", repeating: 3)),
            object(200, "a", repeating: 150, inner: object(150, "b")), "[" + (0..<40).map { object($0 * 5, "x") }.joined(separator: ",") + "]",
        ]
        for text in cases {
            let bytes = Array(text.utf8)
            let (fast, slow) = Self.outcomes(bytes)
            #expect(fast == slow, "\(text.prefix(80))")
        }
        #expect(Self.scannerDecides(Array(cases[3].utf8)))
        #expect(Self.outcomes(Array(cases[1].utf8)).0 == "invalid")
        #expect(Self.outcomes(Array(cases[4].utf8)).0 == "invalid")
    }

    @Test func agreesOnTheJSONTestSuiteAndItsMutations() throws {
        let files = SharedCorpus.files("corpus/json-test-suite/test_parsing")
        var rng = SplitMix(seed: 0x5751C7)
        var compared = 0
        for url in files {
            let original = [UInt8](try Data(contentsOf: url))
            var variants = [original]
            for _ in 0..<4 {
                var bytes = original
                switch rng.next(3) {
                case 0 where !bytes.isEmpty: bytes.remove(at: rng.next(bytes.count))
                case 1: bytes.insert(MutationTests.alphabet[rng.next(MutationTests.alphabet.count)], at: rng.next(bytes.count + 1))
                default: bytes.insert(UInt8(truncatingIfNeeded: rng.next()), at: rng.next(bytes.count + 1))
                }
                variants.append(bytes)
            }
            for bytes in variants {
                let (fast, slow) = Self.outcomes(bytes)
                #expect(fast == slow, "\(url.lastPathComponent): \(String(decoding: bytes, as: UTF8.self))")
                compared += 1
            }
        }
        if !files.isEmpty { #expect(compared > 1_000) }
    }

    /// Real records: each file's records one by one (as a log is checked), with mutations, and the scanner
    /// itself decides every clean one.
    @Test func agreesOnRealRecordsAndDecidesTheCleanOnes() throws {
        guard let corpus = SharedCorpus.directory("corpus/records"),
              let walker = FileManager.default.enumerator(at: corpus, includingPropertiesForKeys: nil) else { return }
        var rng = SplitMix(seed: 0x2EC02D)
        var decided = 0, clean = 0
        for case let url as URL in walker where url.pathExtension == "json" {
            let bytes = [UInt8](try Data(contentsOf: url))
            let (fast, slow) = Self.outcomes(bytes)
            #expect(fast == slow, "\(url.lastPathComponent)")
            if slow.hasPrefix("value") {
                clean += 1
                if Self.scannerDecides(bytes) { decided += 1 }
            }
            for _ in 0..<6 {
                var mutant = bytes
                let at = rng.next(mutant.count + 1)
                switch rng.next(3) {
                case 0 where !mutant.isEmpty: mutant.remove(at: min(at, mutant.count - 1))
                case 1: mutant.insert(MutationTests.alphabet[rng.next(MutationTests.alphabet.count)], at: at)
                default: mutant.insert(UInt8(truncatingIfNeeded: rng.next()), at: at)
                }
                let (f, s) = Self.outcomes(mutant)
                #expect(f == s, "\(url.lastPathComponent) mutated at \(at)")
                let cut = rng.next(bytes.count + 1)
                let (fc, sc) = Self.outcomes(bytes, limit: cut)
                #expect(fc == sc, "\(url.lastPathComponent) cut at \(cut)")
            }
        }
        #expect(clean > 100)
        // Every file the recovering parser finds clean, the scanner decides on its own (no file there has a
        // duplicate key, the one thing the scanner leaves to the exact check).
        #expect(decided == clean)
    }

    /// `parseStrictDocument` gives `parse`'s tree whenever it gives one, and gives one for every clean document
    /// without a byte-order mark or repeated key.
    @Test func strictDocumentsAreParsedTrees() throws {
        var inputs: [[UInt8]] = Self.handMade.map { Array($0.utf8) } + [Array(" \t{\"a\":[1,{}]}\r\n".utf8), Array("\u{FEFF}{}".utf8)]
        for url in SharedCorpus.files("corpus/json-test-suite/test_parsing") { inputs.append([UInt8](try Data(contentsOf: url))) }
        if let corpus = SharedCorpus.path("corpus/records"),
           let walker = FileManager.default.enumerator(at: corpus, includingPropertiesForKeys: nil) {
            for case let url as URL in walker where url.pathExtension == "json" { inputs.append([UInt8](try Data(contentsOf: url))) }
        }
        var scratch = ParseScratch()
        var strict = 0, clean = 0
        for bytes in inputs {
            let full = JSONParser.parse(bytes)
            let isClean = full.diagnostics.isEmpty && full.root != nil && !bytes.starts(with: [0xEF, 0xBB, 0xBF])
            if isClean { clean += 1 }
            guard let tree = JSONParser.parseStrictDocument(bytes, scratch: &scratch) else {
                #expect(!isClean || !full.diagnostics.isEmpty, "clean but not strict: \(String(decoding: bytes.prefix(80), as: UTF8.self))")
                continue
            }
            strict += 1
            #expect(tree.nodes == full.nodes && tree.root == full.root && full.extraRoots.isEmpty && full.diagnostics.isEmpty,
                    "\(String(decoding: bytes.prefix(80), as: UTF8.self))")
        }
        #expect(strict == clean, "\(strict) strict of \(clean) clean documents")
    }

    @Test func decidesRecordsInsideALargerDocument() {
        let records = [#"{"eventID":"1","a":[1,{"b":"é"}]}"#, #"{"eventID":"2","c":"\u00e9"}"#]
        let text = #"{"Records":["# + records.joined(separator: ", ") + "]}"
        let bytes = Array(text.utf8)
        var start = Array(#"{"Records":["#.utf8).count
        for record in records {
            #expect(Self.scannerDecides(bytes, start: start))
            let (fast, slow) = Self.outcomes(bytes, start: start)
            #expect(fast == slow)
            #expect(fast.contains("end=\(start + record.utf8.count) "))
            start += record.utf8.count + 2
        }
    }
}
