/// The semantic rules, in catalog order. Each lives in its own file under `Semantic/`.
public enum SemanticRules {
    public static let all: [any RecordRule] = IdentityRules.all + ValueRules.all
}
