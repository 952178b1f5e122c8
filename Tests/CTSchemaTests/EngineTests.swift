import CTCore
import CTJSON
import Testing
@testable import CTSchema

private func valid(_ schema: String, _ instance: String) throws -> Bool {
    try violations(schema, instance).isEmpty
}

@Suite struct EngineKeywordTests {
    @Test func typeKeyword() throws {
        #expect(try valid(#"{"type": "integer"}"#, "1.0"))
        #expect(try !valid(#"{"type": "integer"}"#, "1.5"))
        #expect(try valid(#"{"type": ["string", "null"]}"#, "null"))
        let v = try violations(#"{"type": "string"}"#, "12")
        #expect(v.map(\.kind) == [.wrongType(expected: ["string"], found: "integer")])
        #expect(v.first?.message == "expected `string`, found `integer`")
    }

    @Test func enumAndConst() throws {
        #expect(try valid(#"{"enum": ["a", 1, {"x": [1]}]}"#, #"{"x": [1.0]}"#))
        #expect(try !valid(#"{"enum": ["a", "b"]}"#, #""c""#))
        #expect(try valid(#"{"const": "caf\u00e9"}"#, #""café""#))
        let v = try violations(#"{"const": "x"}"#, #""y""#)
        #expect(v.first?.message == "`y` is not `x`")
    }

    @Test func requiredAndDependentRequired() throws {
        let v = try violations(#"{"required": ["a", "b"]}"#, #"{"a": 1}"#)
        #expect(v.map(\.kind) == [.missingProperty("b")])
        #expect(v.first?.range == TextRange(start: 0, end: 8))
        #expect(v.first?.pointer == "")
        let d = try violations(#"{"dependentRequired": {"a": ["b"]}}"#, #"{"a": 1}"#)
        #expect(d.map(\.kind) == [.missingProperty("b")])
        #expect(try valid(#"{"dependentRequired": {"a": ["b"]}}"#, #"{"c": 1}"#))
    }

    @Test func propertiesAdditionalAndPattern() throws {
        let schema = #"{"properties": {"a": {"type": "string"}}, "patternProperties": {"^x-": {"type": "integer"}}, "additionalProperties": false}"#
        #expect(try valid(schema, #"{"a": "s", "x-n": 2}"#))
        let v = try violations(schema, #"{"a": 1, "x-n": "s", "zz": 0}"#)
        #expect(v.map(\.pointer) == ["/a", "/x-n", "/zz"])
        #expect(v.last?.kind == .additionalProperty("zz"))
        // The unknown member is reported on its key.
        #expect(v.last?.range == TextRange(start: 21, end: 25))
    }

    @Test func strings() throws {
        #expect(try valid(#"{"minLength": 2, "maxLength": 2}"#, #""é€""#))
        #expect(try !valid(#"{"minLength": 3}"#, #""é€""#))
        #expect(try valid(#"{"pattern": "^a+b?$"}"#, #""aaa""#))
        #expect(try !valid(#"{"pattern": "^a+b?$"}"#, #""ac""#))
        #expect(try valid(#"{"pattern": "\\d{3}"}"#, #""ab123""#))
        #expect(try valid(#"{"pattern": "^\\u00e9$"}"#, #""\u00e9""#))
    }

    @Test func numbers() throws {
        #expect(try valid(#"{"minimum": 1, "maximum": 2}"#, "1.5"))
        #expect(try !valid(#"{"minimum": 1}"#, "0.5"))
        #expect(try !valid(#"{"exclusiveMaximum": 2}"#, "2"))
        #expect(try valid(#"{"multipleOf": 0.5}"#, "2.5"))
    }

    @Test func arrays() throws {
        let schema = #"{"prefixItems": [{"type": "string"}], "items": {"type": "integer"}, "minItems": 1, "maxItems": 3, "uniqueItems": true}"#
        #expect(try valid(schema, #"["a", 1, 2]"#))
        let v = try violations(schema, #"["a", 1, 1, 2]"#)
        #expect(v.map(\.message) == ["array has more than 3 items", "item 2 repeats item 1"])
        #expect(try !valid(schema, #"[1]"#))
    }

    @Test func combinators() throws {
        #expect(try valid(#"{"allOf": [{"type": "integer"}, {"minimum": 2}]}"#, "3"))
        #expect(try !valid(#"{"anyOf": [{"type": "string"}, {"minimum": 2}]}"#, "1"))
        #expect(try !valid(#"{"oneOf": [{"type": "integer"}, {"minimum": 2}]}"#, "3"))
        #expect(try valid(#"{"not": {"type": "string"}}"#, "3"))
        let branches = #"{"if": {"properties": {"k": {"const": "a"}}}, "then": {"required": ["x"]}, "else": {"required": ["y"]}}"#
        #expect(try violations(branches, #"{"k": "a"}"#).map(\.kind) == [.missingProperty("x")])
        #expect(try violations(branches, #"{"k": "b"}"#).map(\.kind) == [.missingProperty("y")])
    }

    @Test func discriminatedOneOfReportsOnlyTheChosenBranch() throws {
        let schema = #"""
        {"oneOf": [
          {"properties": {"kind": {"const": "cat"}, "meow": {"type": "string"}}, "required": ["meow"]},
          {"properties": {"kind": {"const": "dog"}, "bark": {"type": "string"}}, "required": ["bark"]},
          {"$ref": "#/$defs/fish"}
        ], "$defs": {"fish": {"properties": {"kind": {"const": "fish"}}, "required": ["fins"]}}}
        """#
        #expect(try violations(schema, #"{"kind": "dog"}"#).map(\.kind) == [.missingProperty("bark")])
        #expect(try violations(schema, #"{"kind": "fish"}"#).map(\.kind) == [.missingProperty("fins")])
        let unknown = try violations(schema, #"{"kind": "cow"}"#)
        #expect(unknown.count == 1)
        #expect(unknown.first?.pointer == "/kind")
        #expect(unknown.first?.message == "`cow` is not one of `cat`, `dog`, `fish`")
    }

    @Test func undiscriminatedAnyOfMergesTypes() throws {
        let v = try violations(#"{"anyOf": [{"type": "string"}, {"type": "null"}]}"#, "1")
        #expect(v.map(\.message) == ["expected `string` or `null`, found `integer`"])
    }

    @Test func referencesAcrossDocuments() throws {
        let registry = try SchemaRegistry(documents: [
            (name: "main.json", text: #"{"$id": "https://example.test/s/main.json", "properties": {"a": {"$ref": "defs/shapes.json#/$defs/id"}, "b": {"$ref": "defs/shapes.json#tag"}}}"#),
            (name: "defs/shapes.json", text: #"{"$id": "https://example.test/s/defs/shapes.json", "$defs": {"id": {"type": "string", "format": "uuid"}, "t": {"$anchor": "tag", "enum": ["x"]}}}"#),
        ])
        let schema = try registry.compile("https://example.test/s/main.json")
        let tree = parse(#"{"a": "not-a-uuid", "b": "y"}"#)
        let v = SchemaValidator().validate(tree, node: tree.root!, against: schema)
        #expect(v.map(\.pointer) == ["/a", "/b"])
        #expect(v.first?.message == "`not-a-uuid` is not a valid `uuid`")
        #expect(throws: SchemaError.self) { try registry.compile("https://example.test/missing.json") }
        #expect(throws: SchemaError.self) {
            try SchemaRegistry(documents: [(name: "x", text: #"{"$ref": "nowhere.json"}"#)]).compile("x")
        }
        #expect(throws: SchemaError.self) { try SchemaRegistry(documents: [(name: "bad", text: "{,}")]) }
    }

    @Test func yesNoModeAgreesWithCollectingMode() throws {
        let schema = try compileSchema(#"{"properties": {"a": {"type": "string"}}, "required": ["b"]}"#)
        let tree = parse(#"{"a": 1}"#)
        #expect(!SchemaValidator().isValid(tree, node: tree.root!, against: schema))
        #expect(SchemaValidator().validate(tree, node: tree.root!, against: schema).count == 2)
    }

    @Test func syntaxLeftoversAreSkipped() throws {
        let tree = parse(#"{"a": nope, "b": }"#)
        let schema = try compileSchema(#"{"properties": {"a": {"type": "string"}, "b": {"type": "string"}}}"#)
        #expect(SchemaValidator().validate(tree, node: tree.root!, against: schema) == [])
    }
}

@Suite struct RegexTests {
    func m(_ p: String, _ s: String) -> Bool { SchemaRegex(p)!.matches(s) }

    @Test func basics() {
        #expect(m("^a*$", "aaa") && !m("^a*$", "aab"))
        #expect(m("b", "abc") && !m("^b", "abc"))
        #expect(m("^(ab|cd){2}$", "abcd") && !m("^(ab|cd){2}$", "abc"))
        #expect(m("^[^/\\s]+$", "role") && !m("^[^/\\s]+$", "a b") && !m("^[^/\\s]+$", "a/b"))
        #expect(m("^[A-Za-z0-9_]{16,128}$", String(repeating: "A", count: 20)))
        #expect(!m("^[A-Za-z0-9_]{16,128}$", String(repeating: "A", count: 129)))
        #expect(m("^\\p{Letter}+$", "héllo") && !m("^\\p{Letter}+$", "h1"))
        #expect(m("\\bis\\b", "this is it") && !m("\\bis\\b", "this"))
        #expect(m("^.$", "€") && !m("^.$", "\n"))
        #expect(m("^a.c$", "a😀c"))
        #expect(m("x{2,}?", "xx"))
        #expect(m("^\\d+\\.\\d+$", "1.10") && !m("^\\d+\\.\\d+$", "1."))
    }

    @Test func noBacktrackingExplosion() {
        let evil = String(repeating: "a", count: 5000) + "!"
        let clock = ContinuousClock()
        let t = clock.measure { #expect(!m("^(a+)+$", evil)) }
        #expect(t < .seconds(2))
    }

    @Test func schemaPatternsRunNatively() throws {
        for file in EmbeddedSchemas.files {
            let tree = JSONParser.parse(Array(file.text.utf8))
            for i in tree.nodes.indices where tree.kind(i) == .object {
                if let p = tree.member("pattern", of: i), let source = tree.string(p) {
                    #expect(SchemaRegex(source)?.isNative == true, "\(file.name): \(source)")
                }
            }
        }
    }

    @Test func lookaroundFallsBackToFoundation() {
        let r = SchemaRegex("^(?!x)a")!
        #expect(!r.isNative)
        #expect(r.matches("ab") && !r.matches("xa"))
    }
}

@Suite struct FormatTests {
    func ok(_ f: StringFormat, _ s: String) -> Bool {
        var s = s
        return s.withUTF8 { FormatCheck.check(f, $0) }
    }

    @Test func formats() {
        #expect(ok(.dateTime, "2024-02-29T23:59:59Z") && !ok(.dateTime, "2023-02-29T00:00:00Z"))
        #expect(ok(.dateTime, "1998-12-31T23:59:60Z") && !ok(.dateTime, "1998-12-31T22:59:60Z"))
        #expect(ok(.ipv4, "10.0.0.1") && !ok(.ipv4, "10.0.0.01") && !ok(.ipv4, "1.2.3"))
        #expect(ok(.ipv6, "::1") && ok(.ipv6, "::ffff:10.0.0.1") && !ok(.ipv6, "1::2::3"))
        #expect(ok(.uuid, "3b6a4c2e-1f0d-4a8b-9c7e-5d2f1a0b9c8d") && !ok(.uuid, "3b6a4c2e1f0d4a8b9c7e5d2f1a0b9c8d"))
    }
}
