/// Where a file of an exported bucket sits, read from its path (§6.2 of the record-format reference):
/// `[prefix/]AWSLogs/[o-org/]ACCOUNT/CloudTrail[-Digest]/REGION/YYYY/MM/DD/NAME`.
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
        let parts = path.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
        guard let logs = parts.lastIndex(of: "AWSLogs") else { return nil }
        var i = logs + 1
        if i < parts.count && parts[i].hasPrefix("o-") { i += 1 }
        guard parts.count == i + 7 else { return nil }
        let folder = parts[i + 1]
        let name = parts[i + 6]
        account = parts[i]
        region = parts[i + 2]
        guard account.count == 12, account.allSatisfy(\.isASCIIDigit) else { return nil }
        guard name.hasPrefix(account + "_") else { return nil }
        var stem = Substring(name)
        for suffix in [".json.gz", ".json"] where stem.hasSuffix(suffix) { stem = stem.dropLast(suffix.count); break }
        switch folder {
        case "CloudTrail":
            kind = .log
            // ACCOUNT_CloudTrail_REGION_YYYYMMDDTHHmmZ_UNIQUE
            let head = "\(account)_CloudTrail_\(region)_"
            guard stem.hasPrefix(head) else { return nil }
            let rest = stem.dropFirst(head.count).split(separator: "_", maxSplits: 1)
            guard rest.count == 2, let t = Self.normalisedTime(rest[0]) else { return nil }
            time = t
        case "CloudTrail-Digest":
            kind = .digest
            // ACCOUNT_CloudTrail-Digest_REGION_TRAIL_HOMEREGION_YYYYMMDDTHHmmssZ[_backfill]
            if stem.hasSuffix("_backfill") { isBackfill = true; stem = stem.dropLast("_backfill".count) }
            let head = "\(account)_CloudTrail-Digest_\(region)_"
            guard stem.hasPrefix(head) else { return nil }
            var fields = stem.dropFirst(head.count).split(separator: "_", omittingEmptySubsequences: false)
            guard fields.count >= 3, let t = Self.normalisedTime(fields.removeLast()) else { return nil }
            time = t
            homeRegion = String(fields.removeLast())
            trail = fields.joined(separator: "_")
        default:
            return nil
        }
    }

    /// `YYYYMMDDTHHmmZ` or `YYYYMMDDTHHmmssZ` as `YYYYMMDDTHHMMSSZ`; nil for anything else.
    static func normalisedTime(_ s: Substring) -> String? {
        let digits = s.filter(\.isASCIIDigit)
        guard s.count == digits.count + 2, s.last == "Z", s.dropFirst(8).first == "T" else { return nil }
        switch digits.count {
        case 12: return "\(s.prefix(13))00Z"
        case 14: return String(s)
        default: return nil
        }
    }

    /// An ISO 8601 time of a digest (`2024-03-14T01:00:00Z`, fractions and offsets of `Z` only) in the same form,
    /// or nil.
    package static func normalisedTime(iso text: String) -> String? {
        let digits = text.prefix(19).filter(\.isASCIIDigit)
        guard digits.count == 14, text.count >= 20, text.hasSuffix("Z") else { return nil }
        return "\(digits.prefix(8))T\(digits.dropFirst(8))Z"
    }
}

extension Character {
    package var isASCIIDigit: Bool { isASCII && isNumber }
}
