import CTCore

/// Integrity rule `digest-invalid`; findings are produced by `verify` (`CTIntegrity`).
package enum DigestInvalidRule {
    package static let metadata = RuleMetadata(
        id: .digestInvalid,
        category: .integrity,
        summary: "A digest file that lacks a required field or whose name disagrees with its content",
        rationale: "`verify` needs a digest's account, times, bucket, key, key fingerprint, previous signature (null allowed) and log list, as `aws cloudtrail validate-logs` does. The file name's account, region and end time must agree with `awsAccountId` and `digestEndTime`.",
        defaultSeverity: .error)
}
