import CTCore

/// The schema rules' metadata, in catalog order. Findings come from `CTSchema.CloudTrailSchemaChecker`.
package enum SchemaRules {
    package static let all: [RuleMetadata] = [
        MissingFieldRule.metadata,
        FragmentRule.metadata,
        WrongTypeRule.metadata,
        InvalidValueRule.metadata,
        UnknownFieldRule.metadata,
        FieldTooNewRule.metadata,
        UnknownEventVersionRule.metadata,
        InvalidEventVersionRule.metadata,
        NotCloudTrailRule.metadata,
    ]
}
