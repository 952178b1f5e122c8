import CTCore

/// Every rule the tool knows, in a stable order: syntax, schema, semantic, input.
package enum RuleRegistry {
    package static let syntaxRules: [RuleMetadata] = [
        ByteOrderMarkRule.metadata, EmptyInputRule.metadata, InvalidUTF8Rule.metadata,
        TrailingCommaRule.metadata, MissingCommaRule.metadata, ExtraCommaRule.metadata,
        CommentRule.metadata, SingleQuotedStringRule.metadata, SmartQuotesRule.metadata,
        UnquotedKeyRule.metadata, BareWordRule.metadata, PlaceholderRule.metadata,
        UnterminatedStringRule.metadata, ControlCharacterRule.metadata, InvalidEscapeRule.metadata,
        InvalidNumberRule.metadata, DuplicateKeyRule.metadata, TrailingContentRule.metadata,
        UnbalancedRule.metadata, MissingColonRule.metadata, MissingValueRule.metadata,
        MissingKeyRule.metadata, UnexpectedCharacterRule.metadata, MarkupRule.metadata, StrayTextRule.metadata,
        FilterPatternRule.metadata,
    ]

    package static let schemaRules: [RuleMetadata] = SchemaRules.all

    /// Semantic rules, instantiated once.
    package static let recordRules: [any RecordRule] = SemanticRules.all

    package static let inputRules: [RuleMetadata] = InputRules.all

    /// `verify`'s rules.
    package static let integrityRules: [RuleMetadata] = IntegrityRules.all

    /// Rules judged over a whole run (see `RunRule`).
    package static let runRules: [any RunRule] = [DuplicateEventIDRule(), BucketOwnerRule()]

    /// All metadata, in catalog order.
    package static let all: [RuleMetadata] =
        syntaxRules + schemaRules + recordRules.map { type(of: $0).metadata } + runRules.map { type(of: $0).metadata } + inputRules
        + integrityRules

    private static let byID: [RuleID: RuleMetadata] = Dictionary(all.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })

    package static func metadata(for id: RuleID) -> RuleMetadata? { byID[id] }

    /// The rule a user names by its id, e.g. `explain trailing-comma`.
    package static func metadata(for id: String) -> RuleMetadata? { RuleID(rawValue: id).flatMap { byID[$0] } }

    /// Rule ids ranked by similarity to `name`, for "did you mean" suggestions.
    package static func suggestion(for name: String) -> String? {
        EditDistance.closest(to: name, among: all.map(\.id.rawValue))
    }
}

/// Levenshtein distance for suggestions in usage errors.
package enum EditDistance {
    package static func distance(_ a: String, _ b: String) -> Int {
        let a = Array(a.unicodeScalars), b = Array(b.unicodeScalars)
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var prev = Array(0...b.count)
        var cur = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            cur[0] = i
            for j in 1...b.count {
                cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            swap(&prev, &cur)
        }
        return prev[b.count]
    }

    /// The candidate closest to `name`, if it is close enough to be a plausible typo.
    package static func closest(to name: String, among candidates: [String]) -> String? {
        var best: (String, Int)?
        for c in candidates {
            let d = distance(name, c)
            if best == nil || d < best!.1 { best = (c, d) }
        }
        guard let (c, d) = best, d <= max(2, name.count / 3) else { return nil }
        return c
    }
}
