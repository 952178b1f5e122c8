/// The semantic rules, in catalog order. Each lives in its own file under `Semantic/`.
package enum SemanticRules {
    package static let all: [any RecordRule] = IdentityRules.all + ValueRules.all
}
