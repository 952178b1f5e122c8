/// A small, valid eventVersion 1.08 management record for rule examples, with textual substitutions.
enum SampleRecord {
    static let base = #"{"eventVersion":"1.08","userIdentity":{"type":"IAMUser","principalId":"AIDAJ45Q7YFFAREXAMPLE","arn":"arn:aws:iam::123456789012:user/Alice","accountId":"123456789012","accessKeyId":"AKIAIOSFODNN7EXAMPLE","userName":"Alice"},"eventTime":"2024-03-01T12:00:00Z","eventSource":"s3.amazonaws.com","eventName":"ListBuckets","awsRegion":"us-east-1","sourceIPAddress":"192.0.2.10","userAgent":"aws-cli/2.15.0","requestParameters":null,"responseElements":null,"requestID":"3f7c2a1b9d8e7f60","eventID":"0b0a4d6c-31c4-4f44-9c6e-8f2a3b1c2d3e","readOnly":true,"eventType":"AwsApiCall","managementEvent":true,"recipientAccountId":"123456789012","eventCategory":"Management"}"#

    /// The sample with each `(target, replacement)` applied once, in order.
    static func with(_ substitutions: (String, String)...) -> String {
        var text = base
        for (target, replacement) in substitutions {
            if let r = text.firstRange(of: target) { text.replaceSubrange(r, with: replacement) }
        }
        return text
    }
}
