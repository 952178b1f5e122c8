import Foundation
import CTCore
import CTTestSupport
import Testing
import CTJSON

/// Regressions of the hostile-input issue that live in the JSON layer.
@Suite struct HostileInputTests {
    /// Defect 1: a backslash at the very end of a single-quoted string read past the end of the input (the string's
    /// range ended one byte after the file, and `fix` trapped applying an edit there).
    @Test(arguments: ["['\\", "{\"a\":'\\", "['a\\", "'\\", "[\"a\\"])
    func noRangePastTheEnd(_ text: String) {
        let bytes = Array(text.utf8)
        let tree = JSONParser.parse(bytes)
        for i in tree.nodes.indices { #expect(tree.range(i).end <= bytes.count, "node \(i) of \(text)") }
        for d in tree.diagnostics {
            #expect(d.range.end <= bytes.count, "\(d.rule) of \(text)")
            if let fix = d.fix { #expect(TextEdit.areApplicable(fix.edits, toLength: bytes.count), "\(d.rule) fix of \(text)") }
        }
    }

    /// The batch `pointers(at:)` gives what `pointer(at:)` gives offset by offset, on every byte of varied documents.
    @Test func batchPointersMatchOneByOne() throws {
        var documents: [[UInt8]] = [
            #"{"a":[1,{"b/c":2,"d~e":[3,4]}],"f":{"":5}} [6]"#, #"{"a" 1, "b": , : 3, "c": [1 2,, ], "d": {"#,
            #"[[[[1 1 1]]]"#, #"{"k": 'v', x: y, "z": …}"#, "", "   ", #"{"a":{"b":{"c":}}}"#, #"[{"a":1},{"a":2}] trailing {"#,
        ].map { Array($0.utf8) }
        for url in SharedCorpus.files("corpus/json-test-suite/test_parsing").prefix(400) {
            let data = try Data(contentsOf: url)
            if data.count < 2_000 { documents.append(Array(data)) }
        }
        for bytes in documents {
            let tree = JSONParser.parse(bytes)
            let offsets = Array(0...bytes.count).reversed() + Array(0...bytes.count)
            let batch = tree.pointers(at: offsets)
            for (offset, pointer) in zip(offsets, batch) {
                #expect(pointer == tree.pointer(at: offset), "offset \(offset) of \(String(decoding: bytes, as: UTF8.self))")
            }
        }
    }

    /// Defect 11: 8,000 findings 8,000 levels deep are placed (one pass, where a pointer per finding took 37 s),
    /// and pointers past the limit are nil. (Time limits are `scripts/torture`'s; no test here is timed.)
    @Test func deepFindingsArePlaced() {
        let bytes = Array((String(repeating: "[", count: 8_000) + String(repeating: "1 ", count: 8_000)).utf8)
        let tree = JSONParser.parse(bytes)
        #expect(tree.diagnostics.filter { $0.rule == .missingComma }.count == 7_999)
        #expect(tree.diagnostics.allSatisfy { ($0.pointer?.utf8.count ?? 0) <= SyntaxTree.pointerLimit })
        let shallow = JSONParser.parse(Array("[[1 1]]".utf8))
        #expect(shallow.diagnostics.first { $0.rule == .missingComma }?.pointer == "/0")
    }

    /// Defect 11: an object of 200,000 keys goes to the hashed duplicate check (comparing each key with every
    /// earlier one took minutes at a million); the one repeated key is found, wherever it is.
    @Test func duplicateKeysInAHugeObject() {
        var text = "{" + (0..<200_000).map { "\"k\($0)\":\($0)" }.joined(separator: ",")
        text += ",\"k123\":0}"
        let tree = JSONParser.parse(Array(text.utf8))
        #expect(tree.diagnostics.map(\.rule) == [.duplicateKey])
        #expect(tree.diagnostics.first?.message.contains("k123") == true)
    }
}
