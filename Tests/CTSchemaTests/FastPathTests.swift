import CTJSON
import CTTestSupport
import Testing
@testable import CTSchema

/// The speed-ups must not change answers: the regex automaton agrees with the Pike VM, the byte-key tables
/// with a dictionary, and the validator's remembered member lookups with a plain scan.
@Suite struct AutomatonTests {
    /// Every `pattern` of the embedded schemas, plus shapes the schemas do not use yet.
    static let patterns: [String] = {
        var out: Set<String> = [
            "a", "^a", "a$", "^$", "", "^(ab|cd)*x?$", "b+c", "^[^:]*:.+$", "x{2,3}", "^.{3}$", "(^a|b$)",
            "^(foo)?$", "[A-Z]{4}[0-9]", "^\\d+(\\.\\d+)?$", "a|^b|c$", "^(a|ab)(c|bcd)(d*)$", "\\s",
        ]
        for file in EmbeddedSchemas.files {
            let tree = JSONParser.parse(Array(file.text.utf8))
            for i in tree.nodes.indices where tree.kind(i) == .object {
                if let p = tree.member("pattern", of: i), let source = tree.string(p) { out.insert(source) }
            }
        }
        return out.sorted()
    }()

    /// Seeds that real values resemble; the test also mutates them.
    static let seeds = [
        "", "1.08", "1.10", "2024-03-13T23:58:09Z", "2024-03-13T23:58:09.123Z", "20240313T235809Z", "450008063608",
        "anonymous", "ASIAHQRL4DNFYH2S65ZH", "AKIA_EXAMPLE_KEY_0001", "us-east-1", "us-gov-west-1", "TLSv1.2", "true",
        "FALSE", "arn:aws:sts::450008063608:assumed-role/deploy/GitHubActions", "arn:aws:iam::450008063608:root",
        "arn:aws-cn:iam::450008063608:user/ops/maria", "arn:aws:iam::450008063608:role/service-role/x",
        "arn:aws:sts::450008063608:federated-user/dana", "arn:aws:s3:::bucket/key", "foo", "ab", "abcd", "x\ny",
        "héllo", "arn:aws:iam::450008063608:user/mär", "0f4c2a91-5e3b-4d7a-9c18-6b2e0d9f1a37",
    ]

    @Test func schemaPatternsHaveAutomata() {
        for p in Self.patterns where p.contains("^") && !p.contains("\\b") {
            #expect(SchemaRegex(p)?.hasAutomaton == true, "\(p)")
        }
    }

    @Test func automatonAgreesWithThePikeVM() {
        var rng = SplitMix(seed: 0x5EED)
        let alphabet = Array("arn:aws-cnisoTZ0123456789./_ AKIAxy\u{00E9}\n".utf8)
        var inputs: [[UInt8]] = Self.seeds.map { Array($0.utf8) }
        for seed in Self.seeds {
            let bytes = Array(seed.utf8)
            for _ in 0..<12 {
                var m = bytes
                switch rng.next() % 3 {
                case 0 where !m.isEmpty: m.remove(at: Int(rng.next() % UInt64(m.count)))
                case 1: m.insert(alphabet[Int(rng.next() % UInt64(alphabet.count))], at: Int(rng.next() % UInt64(m.count + 1)))
                default: if !m.isEmpty { m[Int(rng.next() % UInt64(m.count))] = alphabet[Int(rng.next() % UInt64(alphabet.count))] }
                }
                inputs.append(m)
            }
        }
        for _ in 0..<300 {
            inputs.append((0..<Int(rng.next() % 24)).map { _ in alphabet[Int(rng.next() % UInt64(alphabet.count))] })
        }
        var compared = 0
        for p in Self.patterns {
            guard let r = SchemaRegex(p) else { Issue.record("pattern \(p) does not compile"); continue }
            for input in inputs {
                input.withUnsafeBufferPointer { b in
                    let fast = r.matches(b), slow = r.matchesWithoutAutomaton(b)
                    #expect(fast == slow, "\(p) on \(String(decoding: input, as: UTF8.self).debugDescription)")
                }
                compared += 1
            }
        }
        #expect(compared > 10_000)
    }
}

@Suite struct ByteKeyTableTests {
    /// A key read with the load that ends with it gives the answer of the plain lookup.
    @Test func lookupAfterEightBytesAgrees() {
        let keys = ["a", "ab", "arn", "type", "eventID", "awsRegion", "eventVersion", "sourceIPAddress", "x", "Host"]
        let table = ByteKeyTable(strings: keys)
        let view = table.view
        var rng = SplitMix(seed: 8)
        let alphabet = Array("aberntyIDHosx\"{,:".utf8)
        for _ in 0..<3_000 {
            var text = (0..<Int(8 + rng.next() % 8)).map { _ in alphabet[Int(rng.next() % UInt64(alphabet.count))] }
            let key = rng.next() % 2 == 0 ? Array(keys[Int(rng.next() % UInt64(keys.count))].utf8)
                : (0..<Int(rng.next() % 9)).map { _ in alphabet[Int(rng.next() % UInt64(alphabet.count))] }
            let at = text.count
            text += key + Array(#"":1}"#.utf8)
            text.withUnsafeBufferPointer { b in
                let p = b.baseAddress! + at
                #expect(view.lookupAfterEightBytes(p, key.count) == view.lookup(p, key.count),
                        "\(String(decoding: key, as: UTF8.self))")
            }
        }
    }

    /// The words of a key are its first and last eight bytes, little-endian, zero-filled below eight bytes.
    @Test func wordsAreTheLittleEndianBytes() {
        var rng = SplitMix(seed: 3)
        for count in 0...20 {
            for _ in 0..<50 {
                let bytes = (0..<count).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
                var head: UInt64 = 0, tail: UInt64 = 0
                for (i, b) in bytes.prefix(8).enumerated() { head |= UInt64(b) << (8 * UInt64(i)) }
                if count >= 8 { for (i, b) in bytes.suffix(8).enumerated() { tail |= UInt64(b) << (8 * UInt64(i)) } }
                let words = bytes.withUnsafeBufferPointer { ByteKeyTable.words($0.baseAddress, $0.count) }
                #expect(words.0 == head && words.1 == tail, "\(bytes)")
            }
        }
    }

    @Test func agreesWithADictionary() {
        var rng = SplitMix(seed: 42)
        var keys: [[UInt8]] = [[], Array("a".utf8), Array("eventTime".utf8), Array("eventType".utf8),
                               Array("sessionCredentialFromConsole".utf8), Array("sessionCredentXalFromConsole".utf8)]
        for _ in 0..<300 {
            keys.append((0..<Int(rng.next() % 40)).map { _ in UInt8(0x61 + rng.next() % 4) })
        }
        var expected: [[UInt8]: Int] = [:]
        for (i, k) in keys.enumerated() where expected[k] == nil { expected[k] = i }
        let table = ByteKeyTable(keys)
        let view = table.view
        #expect(table.count == expected.count)
        for k in keys { #expect(table.lookup(k) == expected[k]) }
        for _ in 0..<2000 {
            let probe = (0..<Int(rng.next() % 40)).map { _ in UInt8(0x61 + rng.next() % 5) }
            #expect(table.lookup(probe) == expected[probe])
            probe.withUnsafeBufferPointer { #expect(view.lookup($0) == expected[probe]) }
        }
        #expect(ByteKeyTable().lookup(Array("x".utf8)) == nil)
        #expect(ByteKeyTable().view.lookup(nil, 0) == nil)
    }
}

@Suite struct RememberedMemberTests {
    /// Duplicated and escaped discriminator keys give the same findings as a scan would.
    @Test func duplicateAndEscapedKeys() throws {
        let schema = #"{"allOf": [{"if": {"properties": {"kind": {"const": "a"}}, "required": ["kind"]}, "then": {"required": ["x"]}, "else": {"required": ["y"]}}], "properties": {"kind": {"type": "string"}}}"#
        #expect(try violations(schema, #"{"kind": "a", "x": 1}"#).isEmpty)
        #expect(try violations(schema, #"{"kind": "b", "y": 1}"#).isEmpty)
        #expect(try violations(schema, #"{"kind": "a", "y": 1}"#).map(\.message) == ["missing required member `x`"])
        #expect(try violations(schema, #"{"ki\u006ed": "a", "x": 1}"#).isEmpty)
        // Both copies of a duplicated key are validated; `const` fails on the second.
        #expect(try violations(schema, #"{"kind": "a", "kind": "b", "x": 1, "y": 2}"#).isEmpty)
        #expect(try violations(schema, #"{"kind": "a", "kind": 3, "y": 1}"#).map(\.message) == ["expected `string`, found `integer`"])
    }

    /// `validate(_:node:against:unlisted:)` collects the root's keys that its `properties` do not name, in member
    /// order (escaped, duplicated and non-listed keys; nested objects are not looked into), and finds the same
    /// violations as `validate(_:node:against:)`.
    @Test func unlistedMembersAreTheKeysPropertiesDoNotName() throws {
        let schema = try compileSchema(#"{"properties": {"a": {"type": "string"}, "b": {"properties": {"x": {}}}}, "required": ["a"]}"#)
        let tree = parse(#"{"z": 1, "a": "s", "\u0061": 2, "y": {"q": 1}, "b": {"x": 1, "w": 2}, "z": 3}"#)
        var unlisted: [Int] = []
        let found = SchemaValidator().validate(tree, node: tree.root!, against: schema, unlisted: &unlisted)
        #expect(unlisted.map { tree.string($0) } == ["z", "y", "z"])
        #expect(found.map(\.message) == SchemaValidator().validate(tree, node: tree.root!, against: schema).map(\.message))
        #expect(found.count == 1)
    }

    /// The member index (`required` lists, switch keys) against the plain answer, on random objects: long keys
    /// that share their length and first and last eight bytes, escaped keys, duplicates, and objects too large
    /// to index.
    @Test func indexAgreesWithTheKeys() throws {
        let pool = ["a", "kind", "eventType", "recipientAccountId", "recipienTAccountId", "sessionCredentialFromConsole",
                    "sessionCredentXalFromConsole", "", "sixteen-bytes-ok", "seventeen-bytes-k"]
        let required = try compileSchema(#"{"required": [\#(pool.map { "\"\($0)\"" }.joined(separator: ", "))]}"#)
        let chain = try compileSchema(#"""
            {"if": {"properties": {"kind": {"const": "a"}}, "required": ["kind"]}, "then": {"required": ["recipientAccountId"]},
             "else": {"if": {"properties": {"kind": {"const": "b"}}, "required": ["kind"]}, "then": {"required": ["sixteen-bytes-ok"]},
                      "else": {"required": ["seventeen-bytes-k"]}}}
            """#)
        var rng = SplitMix(seed: 7)
        for round in 0..<400 {
            var members: [(key: String, text: String)] = []
            for name in pool where rng.next() % 3 != 0 {
                // Some keys escaped, some repeated.
                let escaped = "\\u00" + String(name.utf8.first ?? 0x61, radix: 16) + name.dropFirst()
                members.append((name, rng.next() % 4 == 0 && !name.isEmpty ? escaped : name))
                if rng.next() % 8 == 0 { members.append((name, name)) }
            }
            if round % 5 == 0 { for f in 0..<(round % 40) { members.append(("filler\(f)", "filler\(f)")) } }
            let kind = ["a", "b", "c"][Int(rng.next() % 3)]
            let body = members.map { m in m.key == "kind" ? "\"\(m.text)\": \"\(kind)\"" : "\"\(m.text)\": 1" }
            let tree = parse("{" + body.joined(separator: ", ") + "}")
            let present = Set(members.map(\.key))
            let missing = Set(SchemaValidator().validate(tree, node: tree.root!, against: required).map(\.message))
            #expect(missing == Set(pool.filter { !present.contains($0) }.map { "missing required member `\($0)`" }),
                    "round \(round)")
            guard members.filter({ $0.key == "kind" }).count == 1 else { continue }
            let needed = kind == "a" ? "recipientAccountId" : kind == "b" ? "sixteen-bytes-ok" : "seventeen-bytes-k"
            let found = SchemaValidator().validate(tree, node: tree.root!, against: chain).map(\.message)
            #expect(found == (present.contains(needed) ? [] : ["missing required member `\(needed)`"]), "round \(round)")
        }
    }
}

/// A small deterministic random generator for test inputs.

/// `if`/`else if` chains on one member are evaluated as one lookup, with the same answers.
@Suite struct ConditionalSwitchTests {
    @Test func recordSchemasHaveSwitches() {
        let catalog = CloudTrailCatalog.shared
        let schema = catalog.schema(version: catalog.versions.count - 1)
        let switches = schema.nodes.filter { $0.switchTable != nil }
        // The record variant by `eventType`, the identity variant by `type`.
        #expect(switches.count >= 2, "switch nodes: \(switches.count)")
        #expect(switches.contains { $0.switchTargets.count >= 5 })
    }

    static let registry = try! SchemaRegistry(documents: [("chain.json", #"""
    {"type": "object",
     "if": {"properties": {"kind": {"const": "a"}}, "required": ["kind"]},
     "then": {"required": ["alpha"]},
     "else": {"if": {"properties": {"kind": {"enum": ["b", "c"]}}, "required": ["kind"]},
              "then": {"required": ["beta"]},
              "else": {"if": {"properties": {"kind": {"const": "a"}}, "required": ["kind"]},
                       "then": {"required": ["never"]},
                       "else": {"required": ["other"]}}}}
    """#), ("plain.json", #"""
    {"type": "object", "allOf": [
     {"if": {"properties": {"kind": {"const": "a"}}, "required": ["kind"]}, "then": {"required": ["alpha"]}},
     {"if": {"not": {"properties": {"kind": {"const": "a"}}, "required": ["kind"]}},
      "then": {"if": {"properties": {"kind": {"enum": ["b", "c"]}}, "required": ["kind"]},
               "then": {"required": ["beta"]}, "else": {"required": ["other"]}}}]}
    """#)])

    @Test func switchAgreesWithTheChain() throws {
        let chain = try Self.registry.compile("chain.json")
        let plain = try Self.registry.compile("plain.json")
        #expect(chain.nodes[chain.root].switchTable != nil)
        #expect(plain.nodes[plain.root].switchTable == nil)
        let instances = [
            #"{"kind": "a", "alpha": 1}"#, #"{"kind": "a"}"#, #"{"kind": "b", "beta": 1}"#, #"{"kind": "c"}"#,
            #"{"kind": "d", "other": 1}"#, #"{"kind": "d"}"#, #"{"other": 1}"#, #"{}"#, #"{"kind": 3}"#,
            #"{"kind": "\u0061", "alpha": 1}"#, #"{"kind": "a", "kind": "b", "beta": 1}"#, #"{"kind": "a", "kind": "b"}"#,
        ]
        for text in instances {
            let tree = JSONParser.parse(Array(text.utf8))
            let a = SchemaValidator().validate(tree, node: tree.root!, against: chain).map(\.message)
            let b = SchemaValidator().validate(tree, node: tree.root!, against: plain).map(\.message)
            #expect(a.isEmpty == b.isEmpty, "\(text): \(a) vs \(b)")
        }
    }

    /// `allOf` entries `if {kind: const} then …`, taken by one lookup of `kind`, against the same entries with an
    /// `if` that the compiler cannot recognise (`minProperties: 0` changes nothing but defeats the dispatch).
    static func dispatch(_ extra: String) -> String {
        #"""
        {"allOf": [
         {"if": {"properties": {"kind": {"const": "a"}}, "required": ["kind"]\#(extra)}, "then": {"required": ["alpha"]}},
         {"if": {"properties": {"kind": {"enum": ["b", "c"]}}, "required": ["kind"]\#(extra)}, "then": {"required": ["beta"]}},
         {"if": {"properties": {"kind": {"const": "a"}}, "required": ["kind"]\#(extra)}, "then": {"required": ["alsoA"]}},
         {"if": {"properties": {"kind": {"const": "s"}}, "required": ["kind"]\#(extra)}, "then": {"minLength": 3}},
         {"required": ["always"]}]}
        """#
    }
    static let dispatchRegistry = try! SchemaRegistry(documents: [("dispatch.json", dispatch("")),
                                                                  ("entries.json", dispatch(#", "minProperties": 0"#))])

    @Test func allOfDispatchAgreesWithTheEntries() throws {
        let fast = try Self.dispatchRegistry.compile("dispatch.json")
        let slow = try Self.dispatchRegistry.compile("entries.json")
        #expect(fast.nodes[fast.root].allOfSwitchTable != nil)
        #expect(fast.nodes[fast.root].allOfRest.count == 1)
        #expect(slow.nodes[slow.root].allOfSwitchTable == nil)
        let instances = [
            #"{"kind": "a", "alpha": 1, "alsoA": 1, "always": 1}"#, #"{"kind": "a", "alpha": 1, "always": 1}"#,
            #"{"kind": "a", "always": 1}"#, #"{"kind": "b", "beta": 1, "always": 1}"#, #"{"kind": "c", "always": 1}"#,
            #"{"kind": "d", "always": 1}"#, #"{"kind": "d"}"#, #"{"always": 1}"#, #"{}"#, #"{"kind": 3, "always": 1}"#,
            #"{"kind": "\u0061", "alpha": 1, "always": 1}"#, #"{"kind": "a", "kind": "b", "beta": 1, "always": 1}"#,
            #"{"kind": "a", "kind": "b", "always": 1}"#, #""s""#, #""long""#, #"7"#, #"null"#, #"[]"#,
        ]
        for text in instances {
            let tree = JSONParser.parse(Array(text.utf8))
            let a = SchemaValidator().validate(tree, node: tree.root!, against: fast).map(\.message)
            let b = SchemaValidator().validate(tree, node: tree.root!, against: slow).map(\.message)
            #expect(a == b, "\(text)")
            #expect(SchemaValidator().isValid(tree, node: tree.root!, against: fast) == b.isEmpty, "\(text)")
        }
    }

    @Test func identitySchemaDispatchesOnType() {
        let schema = CloudTrailCatalog.shared.userIdentity
        #expect(schema.nodes[schema.root].allOfSwitchTargets.count >= 10)
    }
}
