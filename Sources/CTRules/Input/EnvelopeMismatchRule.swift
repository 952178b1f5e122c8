import CTCore

/// Input rule `envelope-mismatch`: what a wrapper says about a record disagrees with the record. Produced by
/// CTLint's envelope handling (EventBridge events, `lookup-events` output, delivery file names).
package enum EnvelopeMismatchRule {
    package static let metadata = RuleMetadata(
        id: .envelopeMismatch,
        category: .input,
        summary: "An EventBridge event, LookupEvents entry or delivery file name disagrees with the record it carries",
        rationale: """
            Exported CloudTrail records often arrive wrapped: an EventBridge event (`detail-type` ending in \
            "via CloudTrail", the record in `detail`) repeats the record's account and region in `account` and \
            `region`; `aws cloudtrail lookup-events` output repeats the record's `eventID` and `eventName` in \
            `EventId` and `EventName` next to the record serialised as a string in `CloudTrailEvent`; a delivered \
            file's name says whether it holds API activity (`CloudTrail`), Insights events (`CloudTrail-Insight`) or a \
            digest (`CloudTrail-Digest`). A wrapper that disagrees with its content was edited, assembled from \
            different events, or saved under the wrong name. The wrapped record itself gets the usual checks, with \
            positions inside the file (inside the `CloudTrailEvent` string for LookupEvents output).
            """,
        defaultSeverity: .warning,
        valid: [
            RuleExample(#"{"version": "0", "detail-type": "AWS API Call via CloudTrail", "source": "aws.s3", "account": "123456789012", "region": "us-east-1", "detail": {"eventVersion": "1.08", "eventType": "AwsApiCall", "awsRegion": "us-east-1", "recipientAccountId": "123456789012"}}"#),
            RuleExample(#"{"Events": [{"EventId": "0b0a4d6c-31c4-4f44-9c6e-8f2a3b1c2d3e", "EventName": "ListBuckets", "CloudTrailEvent": "{\"eventVersion\":\"1.08\",\"eventName\":\"ListBuckets\",\"eventID\":\"0b0a4d6c-31c4-4f44-9c6e-8f2a3b1c2d3e\"}"}]}"#),
            RuleExample(#"{"awsAccountId": "123456789012", "digestStartTime": "2024-01-02T02:00:00Z", "digestEndTime": "2024-01-02T03:00:00Z", "logFiles": []}"#,
                        fileName: "/x/123456789012_CloudTrail-Digest_us-east-1_trail_us-east-1_20240102T030000Z.json.gz"),
        ],
        invalid: [
            RuleExample(#"{"version": "0", "detail-type": "AWS API Call via CloudTrail", "source": "aws.s3", "account": ↓"111122223333", "region": ↓"eu-west-1", "detail": {"eventVersion": "1.08", "awsRegion": "us-east-1", "recipientAccountId": "123456789012"}}"#),
            RuleExample(#"{"Events": [{"EventId": ↓"5f4e3d2c-1b0a-4f9e-8d7c-6b5a4f3e2d1c", "EventName": ↓"DeleteBucket", "CloudTrailEvent": "{\"eventVersion\":\"1.08\",\"eventName\":\"ListBuckets\",\"eventID\":\"0b0a4d6c-31c4-4f44-9c6e-8f2a3b1c2d3e\"}"}]}"#),
            RuleExample(#"↓{"Records": [{"eventVersion": "1.08", "eventType": "AwsApiCall"}]}"#,
                        fileName: "/x/123456789012_CloudTrail-Digest_us-east-1_trail_us-east-1_20240102T030000Z.json.gz"),
        ]
    )
}
