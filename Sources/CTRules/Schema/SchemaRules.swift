/// The schema rules' metadata, in catalog order. Findings come from `CTSchema.CloudTrailSchemaChecker`.
import CTCore

public enum SchemaRules {
    public static let all: [RuleMetadata] = []
}
