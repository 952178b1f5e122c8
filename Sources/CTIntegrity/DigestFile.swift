import CTCore
import CTJSON

/// A string field of a digest: its value and where it is in the digest's uncompressed JSON.
package struct DigestField: Sendable, Hashable {
    package var value: String
    package var range: TextRange
}

/// One entry of a digest's `logFiles`.
package struct ListedLog: Sendable, Hashable {
    package var bucket: DigestField?
    package var key: DigestField?
    package var hashValue: DigestField?
    /// The entry's range (for findings about the whole entry).
    package var range: TextRange
}

/// What `verify` reads from a digest file (§6.4 of the record-format reference): the fields of the chain and the
/// listed logs, each with its place in the uncompressed JSON. Missing or mistyped fields are listed in `problems`.
package struct DigestFile: Sendable {
    package var accountID: DigestField?
    package var startTime: DigestField?
    package var endTime: DigestField?
    package var bucket: DigestField?
    package var key: DigestField?
    package var fingerprint: DigestField?
    package var previousBucket: DigestField?
    package var previousKey: DigestField?
    package var previousHash: DigestField?
    package var previousSignature: DigestField?
    /// `previousDigestSignature` is present (null or not): the CLI requires the key.
    package var hasPreviousSignatureKey = false
    package var logs: [ListedLog] = []
    /// Required fields that are absent or not strings, with where to report them.
    package var problems: [(message: String, range: TextRange)] = []

    /// A starting digest: every `previous*` field null (validation just enabled, or restarted).
    package var isStart: Bool { previousKey == nil && previousHash == nil && previousSignature == nil }

    /// Reads `bytes` (the uncompressed digest). Nil when it is not a JSON object (its syntax findings come from the
    /// parser, as for any input).
    package init?(_ bytes: [UInt8]) {
        let tree = JSONParser.parse(bytes)
        guard let root = tree.root, tree.kind(root) == .object, tree.isStrict else { return nil }
        func field(_ name: String, required: Bool) -> DigestField? {
            guard let v = tree.member(named: name, of: root) else {
                if required { problems.append(("required field `\(name)` is absent", tree.headRange(root))) }
                return nil
            }
            if tree.kind(v) == .null { return nil }
            guard tree.kind(v) == .string, let s = tree.string(v) else {
                problems.append(("`\(name)` is \(tree.typeName(v)), not a string", tree.range(v)))
                return nil
            }
            return DigestField(value: s, range: tree.range(v))
        }
        accountID = field("awsAccountId", required: true)
        startTime = field("digestStartTime", required: true)
        endTime = field("digestEndTime", required: true)
        bucket = field("digestS3Bucket", required: true)
        key = field("digestS3Object", required: true)
        fingerprint = field("digestPublicKeyFingerprint", required: true)
        previousBucket = field("previousDigestS3Bucket", required: false)
        previousKey = field("previousDigestS3Object", required: false)
        previousHash = field("previousDigestHashValue", required: false)
        previousSignature = field("previousDigestSignature", required: false)
        hasPreviousSignatureKey = tree.member(named: "previousDigestSignature", of: root) != nil
        if !hasPreviousSignatureKey {
            problems.append(("required field `previousDigestSignature` is absent (it is null in a starting digest)", tree.headRange(root)))
        }
        if let list = tree.member(named: "logFiles", of: root) {
            if tree.kind(list) == .array {
                for entry in tree.children(of: list) where tree.kind(entry) == .object {
                    func sub(_ name: String) -> DigestField? {
                        guard let v = tree.member(named: name, of: entry), tree.kind(v) == .string, let s = tree.string(v) else { return nil }
                        return DigestField(value: s, range: tree.range(v))
                    }
                    let listed = ListedLog(bucket: sub("s3Bucket"), key: sub("s3Object"), hashValue: sub("hashValue"),
                                           range: tree.range(entry))
                    if listed.key == nil || listed.hashValue == nil {
                        problems.append(("a `logFiles` entry lacks `s3Object` or `hashValue`", tree.range(entry)))
                    }
                    logs.append(listed)
                }
            } else {
                problems.append(("`logFiles` is \(tree.typeName(list)), not an array", tree.range(list)))
            }
        } else {
            problems.append(("required field `logFiles` is absent", tree.headRange(root)))
        }
    }
}
