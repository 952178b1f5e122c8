import CTCore
import CTInput
import CTJSON
import CTRules

/// The invariants every input keeps, whatever its bytes: the one implementation behind the seeded mutation
/// fuzzer (`cloudtrail-lint-fuzz`) and the libFuzzer target (`cloudtrail-lint-libfuzz`).
///
/// - parsing terminates, and tokens + trivia tile the input exactly (print == input);
/// - the strict scanner, when it accepts the input, builds the parser's tree (and the parser finds nothing);
/// - linting (syntax, schema, rules, Markdown) does not crash;
/// - `fix --unsafe-fixes` loses no value: when its value guard refuses a result (`internal-error`), the input is
///   given back unchanged; a JSON document it changed has no syntax error, and a second fix changes nothing.
///   (A refusal itself is allowed: on some nonsense inputs, such as a placeholder glued to a quote in
///   `{"e"x",\n ..a": "A"}`, the combined fixes would drop a value, and the guard stops them. The fuzzers check
///   that no value is ever lost, not that every mangled input can be repaired.)
/// - formatting (pretty and compact) of the fixed document keeps every value's spelling and key order (JSON),
///   and a second format changes nothing.
/// - `redact` of the (fixed) document, when it parses strictly, gives a document that parses strictly, with the same
///   tree shape (only string and number contents change), and the same output a second time with a fresh table.
package struct FuzzInvariants {
    let redactor = Redactor(scanner: IdentifierScanner(findsTimes: true), shift: TimeShift(seconds: -86_400), fixer: nil)
    let linter = Linter()
    let fixer: Fixer
    let formatters = [Formatter(layout: .pretty(indent: nil)), Formatter(layout: .compact)]
    /// Kept from input to input, as the linter keeps it from record to record.
    var scratch = ParseScratch()

    package init() {
        fixer = Fixer(linter: linter, includeUnsafe: true)
    }

    /// The format an input is read as: Markdown when it starts with `#`, JSON Lines when a later line starts
    /// with `{`, else JSON. Lets a fuzzer reach every format from the bytes alone.
    package static func format(of bytes: [UInt8]) -> InputKind.Format {
        if bytes.first == UInt8(ascii: "#") { return .markdown }
        if bytes.indices.dropLast().contains(where: { bytes[$0] == 0x0A && bytes[$0 + 1] == UInt8(ascii: "{") }) {
            return .jsonLines
        }
        return .json
    }

    /// The first invariant `bytes`, read as `format`, breaks, described; nil when all hold.
    package mutating func violation(in bytes: [UInt8], format: InputKind.Format) -> String? {
        let tree = JSONParser.parse(bytes)
        if tree.printed() != bytes { return "tokens do not reproduce the input" }
        if let strict = JSONParser.parseStrictDocument(bytes, scratch: &scratch),
           strict.nodes != tree.nodes || strict.root != tree.root || !tree.diagnostics.isEmpty {
            return "the strict scanner's tree differs from the parser's"
        }
        _ = linter.lint(bytes, format: format)

        let fixed = fixer.fix(bytes, format: format)
        if fixed.refusal != nil && (fixed.output != bytes || fixed.changed) { return "a refused fix changed the output" }
        if fixed.changed {
            if format == .json, JSONParser.parse(fixed.output).diagnostics.contains(where: { $0.severity == .error }) {
                return "fixed output has syntax errors"
            }
            if fixer.fix(fixed.output, format: format).output != fixed.output { return "fixing twice changed the output" }
        }

        // Formatting and redaction need strict JSON: most inputs only have it once fixed.
        let document = fixed.changed ? fixed.output : bytes
        let scanned = redactor.scan(document, format: format, fileName: nil)
        if scanned.refusal == nil {
            var table = Pseudonyms(), again = Pseudonyms()
            let once = redactor.apply(scanned, format: format, table: &table)
            if once.broken || !Redactor.isStrict(once.output, format: format) { return "redacted output does not parse strictly" }
            if format == .json, JSONParser.parse(once.output).nodes.map(\.kind) != JSONParser.parse(document).nodes.map(\.kind) {
                return "redaction changed the document's shape"
            }
            if redactor.apply(scanned, format: format, table: &again).output != once.output { return "redaction is not deterministic" }
        }
        for formatter in formatters {
            guard let once = Self.format(document, as: format, with: formatter) else { continue }
            if format == .json, !Self.sameValues(JSONParser.parse(document), JSONParser.parse(once)) {
                return "formatting (\(formatter.layout)) changed a value, a key or their order"
            }
            if Self.format(once, as: format, with: formatter) != once { return "formatting (\(formatter.layout)) twice changed the output" }
        }
        return nil
    }

    static func format(_ bytes: [UInt8], as format: InputKind.Format, with formatter: Formatter) -> [UInt8]? {
        switch format {
        case .json: formatter.format(json: bytes)
        case .jsonLines: formatter.format(jsonLines: bytes)
        case .markdown: formatter.format(markdown: bytes)
        }
    }

    /// Whether two trees hold the same values in the same order: same kinds, same nesting, same spelling of
    /// every key and scalar (layout aside).
    static func sameValues(_ a: SyntaxTree, _ b: SyntaxTree) -> Bool {
        guard a.nodes.count == b.nodes.count else { return false }
        for i in a.nodes.indices {
            let m = a.nodes[i], n = b.nodes[i]
            guard m.kind == n.kind, m.subtreeEnd == n.subtreeEnd else { return false }
            if m.kind != .object && m.kind != .array,
               !a.source[Int(m.start)..<Int(m.end)].elementsEqual(b.source[Int(n.start)..<Int(n.end)]) {
                return false
            }
        }
        return true
    }
}
