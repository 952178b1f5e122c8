import CTCore

/// Rule `bucket-owner`: the records of one run give an S3 bucket different owner accounts. A run-level rule:
/// the runner applies it after every file is checked (`CTLint.Runner`).
public enum BucketOwnerRule {
    public static let metadata = RuleMetadata(
        id: .bucketOwner,
        category: .semantic,
        summary: "The records of one run give an S3 bucket different owner accounts",
        rationale: "S3 bucket names are global, so a bucket has one owner account, and CloudTrail records it in `resources[].accountId` beside the bucket's ARN (`arn:aws:s3:::NAME`, an ARN with no account of its own to compare with). When the records of a run disagree, the account most of them give is taken as the owner (on a tie, the one seen first) and the others are reported: an edited or mistyped account ID is the usual cause, and nothing inside the one record shows it, since a bucket in another account than the recipient's is normal. Redacted (`\"\"`) owners and object entries without an account are not compared. Checked across every file of the run.",
        defaultSeverity: .warning,
        valid: [RuleExample(#"{"Records":[{"eventVersion":"1.09","recipientAccountId":"210987654321","resources":[{"type":"AWS::S3::Bucket","ARN":"arn:aws:s3:::holiday-photos","accountId":"210987654321"}]},{"eventVersion":"1.09","recipientAccountId":"333344445555","sharedEventID":"0c1d2e3f-4a5b-4c6d-8e7f-8091a2b3c4d5","resources":[{"type":"AWS::S3::Object","ARN":"arn:aws:s3:::holiday-photos/2024/beach.jpg"},{"type":"AWS::S3::Bucket","ARN":"arn:aws:s3:::holiday-photos","accountId":"210987654321"}]},{"eventVersion":"1.09","recipientAccountId":"210987654321","resources":[{"type":"AWS::S3::Bucket","ARN":"arn:aws:s3:::holiday-photos","accountId":""}]}]}"#)],
        invalid: [RuleExample(#"{"Records":[{"eventVersion":"1.09","recipientAccountId":"210987654321","resources":[{"type":"AWS::S3::Bucket","ARN":"arn:aws:s3:::holiday-photos","accountId":"210987654321"}]},{"eventVersion":"1.09","recipientAccountId":"210987654321","sharedEventID":"0c1d2e3f-4a5b-4c6d-8e7f-8091a2b3c4d5","resources":[{"type":"AWS::S3::Bucket","ARN":"arn:aws:s3:::holiday-photos","accountId":↓"333344445555"}]},{"eventVersion":"1.09","recipientAccountId":"210987654321","resources":[{"type":"AWS::S3::Bucket","ARN":"arn:aws:s3:::holiday-photos","accountId":"210987654321"}]}]}"#)])
}
