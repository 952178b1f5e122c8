import CTInput

/// Where a file of an exported bucket sits, read from its path by `LogFileLocation` (§6.2 of the record-format
/// reference): `[prefix/]AWSLogs/[o-org/]ACCOUNT/CloudTrail[-Digest]/REGION/YYYY/MM/DD/NAME`.
package struct TrailPath: Sendable, Hashable {
    package enum Kind: Sendable, Hashable { case log, digest }
    package var kind: Kind
    package var account: String
    package var region: String
    /// The name's time as `YYYYMMDDTHHMMSSZ` (a log's minute gets `00` seconds).
    package var time: String
    /// Digests: the trail's name and home region, and whether it is a backfill digest.
    package var trail = ""
    package var homeRegion = ""
    package var isBackfill = false

    /// Nil for a path that is not a CloudTrail log or digest file of a bucket copy (an Insights file, a README).
    package init?(_ path: String) {
        guard let location = LogFileLocation(path: path), let name = location.fileName, name.kind == location.kind,
              name.accountID == location.accountID, name.region == location.region else { return nil }
        switch name.kind {
        case .log: kind = .log
        case .digest: kind = .digest
        case .insight: return nil
        }
        account = name.accountID
        region = name.region
        var t = name.timestamp
        if t.second == nil { t.second = 0 }
        guard let key = Self.normalisedTime(iso: t.description) else { return nil }
        time = key
        trail = name.trailName ?? ""
        homeRegion = name.homeRegion ?? ""
        isBackfill = name.isBackfill
    }

    /// An ISO 8601 time of a digest (`2024-03-14T01:00:00Z`, fractions and offsets of `Z` only) in the same form,
    /// or nil.
    package static func normalisedTime(iso text: String) -> String? {
        let digits = text.prefix(19).filter { $0.isASCII && $0.isNumber }
        guard digits.count == 14, text.count >= 20, text.hasSuffix("Z") else { return nil }
        return "\(digits.prefix(8))T\(digits.dropFirst(8))Z"
    }
}
