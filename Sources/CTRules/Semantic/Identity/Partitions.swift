/// An AWS partition: a group of regions with its own ARN prefix, DNS suffix and region-code pattern.
///
/// Region patterns follow the SDK partition data: `<prefix>-<word>-<digits>`, where `<word>` is one or more
/// ASCII letters, digits or underscores (no hyphen) and `<prefix>` is one of `regionPrefixes`.
package struct Partition: Sendable, Hashable {
    /// The partition as it appears in ARNs, e.g. `aws-us-gov`.
    package let id: String
    /// DNS suffix of the partition's service endpoints, e.g. `amazonaws.com.cn`.
    package let dnsSuffix: String
    /// Region-code prefixes before `-<word>-<digits>`, e.g. `us-gov` for `aws-us-gov`.
    package let regionPrefixes: [String]
    /// Regions known to exist (new regions appear often: use `matchesRegionPattern` to accept them).
    package let knownRegions: [String]

    package init(id: String, dnsSuffix: String, regionPrefixes: [String], knownRegions: [String]) {
        self.id = id
        self.dnsSuffix = dnsSuffix
        self.regionPrefixes = regionPrefixes
        self.knownRegions = knownRegions
    }

    /// True when `region` fits this partition's region-code pattern (known or not).
    package func matchesRegionPattern(_ region: some StringProtocol) -> Bool {
        let bytes = Array(region.utf8)
        for prefix in regionPrefixes {
            let p = Array(prefix.utf8)
            guard bytes.count > p.count + 1, bytes.starts(with: p), bytes[p.count] == UInt8(ascii: "-") else { continue }
            if Partitions.isWordDashDigits(bytes[(p.count + 1)...]) { return true }
        }
        return false
    }

    /// True when `region` is in this partition's list of known regions.
    package func isKnownRegion(_ region: some StringProtocol) -> Bool {
        knownRegions.contains { $0 == region }
    }
}

/// The AWS partitions and region helpers (reference §3.6).
package enum Partitions {
    package static let aws = Partition(
        id: "aws", dnsSuffix: "amazonaws.com",
        regionPrefixes: ["us", "eu", "ap", "sa", "ca", "me", "af", "il", "mx"],
        knownRegions: [
            "af-south-1", "ap-east-1", "ap-east-2", "ap-northeast-1", "ap-northeast-2", "ap-northeast-3",
            "ap-south-1", "ap-south-2", "ap-southeast-1", "ap-southeast-2", "ap-southeast-3", "ap-southeast-4",
            "ap-southeast-5", "ap-southeast-6", "ap-southeast-7", "ca-central-1", "ca-west-1", "eu-central-1",
            "eu-central-2", "eu-north-1", "eu-south-1", "eu-south-2", "eu-west-1", "eu-west-2", "eu-west-3",
            "il-central-1", "me-central-1", "me-south-1", "mx-central-1", "sa-east-1", "us-east-1", "us-east-2",
            "us-west-1", "us-west-2",
        ])
    package static let awsCN = Partition(
        id: "aws-cn", dnsSuffix: "amazonaws.com.cn", regionPrefixes: ["cn"],
        knownRegions: ["cn-north-1", "cn-northwest-1"])
    package static let awsUSGov = Partition(
        id: "aws-us-gov", dnsSuffix: "amazonaws.com", regionPrefixes: ["us-gov"],
        knownRegions: ["us-gov-east-1", "us-gov-west-1"])
    package static let awsISO = Partition(
        id: "aws-iso", dnsSuffix: "c2s.ic.gov", regionPrefixes: ["us-iso"],
        knownRegions: ["us-iso-east-1", "us-iso-west-1"])
    package static let awsISOB = Partition(
        id: "aws-iso-b", dnsSuffix: "sc2s.sgov.gov", regionPrefixes: ["us-isob"],
        knownRegions: ["us-isob-east-1", "us-isob-west-1"])
    package static let awsISOE = Partition(
        id: "aws-iso-e", dnsSuffix: "cloud.adc-e.uk", regionPrefixes: ["eu-isoe"],
        knownRegions: ["eu-isoe-west-1"])
    package static let awsISOF = Partition(
        id: "aws-iso-f", dnsSuffix: "csp.hci.ic.gov", regionPrefixes: ["us-isof"],
        knownRegions: ["us-isof-east-1", "us-isof-south-1"])
    package static let awsEUSC = Partition(
        id: "aws-eusc", dnsSuffix: "amazonaws.eu", regionPrefixes: ["eusc-de"],
        knownRegions: ["eusc-de-east-1"])

    /// Every partition, commercial first.
    package static let all: [Partition] = [aws, awsCN, awsUSGov, awsISO, awsISOB, awsISOE, awsISOF, awsEUSC]

    /// The partition whose ARN prefix is `id` (case-sensitive: ARNs spell partitions in lower case).
    package static func named(_ id: some StringProtocol) -> Partition? {
        all.first { $0.id == id }
    }

    /// The partition whose region pattern `region` fits, or nil (patterns do not overlap).
    package static func partition(forRegion region: some StringProtocol) -> Partition? {
        all.first { $0.matchesRegionPattern(region) }
    }

    /// True when `region` is a known region of any partition.
    package static func isKnownRegion(_ region: some StringProtocol) -> Bool {
        all.contains { $0.isKnownRegion(region) }
    }

    /// Words used between the prefix and the number of every known region code.
    package static let directionWords: Set<String> = [
        "east", "west", "north", "south", "central", "northeast", "northwest", "southeast", "southwest",
    ]

    /// True when `region` has the general shape of a region code in some partition, known or not:
    /// lower-case ASCII letters and digits in at least three hyphen-separated parts, the first made of
    /// letters, the last starting with a digit (`us-east-1`, but also anonymised codes such as `us-north-2r`).
    package static func isRegionShaped(_ region: some StringProtocol) -> Bool {
        let parts = region.utf8.split(separator: UInt8(ascii: "-"), omittingEmptySubsequences: false)
        guard parts.count >= 3 else { return false }
        for part in parts {
            guard !part.isEmpty, part.allSatisfy({ isLowerAlnum($0) }) else { return false }
        }
        guard parts[0].allSatisfy({ $0 >= UInt8(ascii: "a") && $0 <= UInt8(ascii: "z") }),
              let first = parts[parts.count - 1].first, isDigit(first) else { return false }
        return true
    }

    /// The known region closest to `region` (edit distance ≤ 2), for "did you mean" hints.
    package static func closestKnownRegion(to region: String) -> String? {
        var best: (String, Int)?
        for p in all {
            for known in p.knownRegions {
                let d = EditDistance.distance(region, known)
                if d <= 2, best == nil || d < best!.1 { best = (known, d) }
            }
        }
        return best?.0
    }

    // MARK: Byte helpers

    /// `\w+-\d+` over the whole slice, where `\w` is `[A-Za-z0-9_]`.
    static func isWordDashDigits(_ bytes: ArraySlice<UInt8>) -> Bool {
        guard let dash = bytes.firstIndex(of: UInt8(ascii: "-")) else { return false }
        let word = bytes[bytes.startIndex..<dash], digits = bytes[(dash + 1)...]
        return !word.isEmpty && word.allSatisfy(isWordByte) && !digits.isEmpty && digits.allSatisfy(isDigit)
    }

    @inline(__always) static func isDigit(_ b: UInt8) -> Bool { b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9") }
    @inline(__always) static func isLowerAlnum(_ b: UInt8) -> Bool {
        isDigit(b) || (b >= UInt8(ascii: "a") && b <= UInt8(ascii: "z"))
    }
    @inline(__always) static func isWordByte(_ b: UInt8) -> Bool {
        isDigit(b) || (b >= UInt8(ascii: "a") && b <= UInt8(ascii: "z")) || (b >= UInt8(ascii: "A") && b <= UInt8(ascii: "Z"))
            || b == UInt8(ascii: "_")
    }
}

/// How an `awsRegion`-like value relates to the partitions.
package enum RegionStatus: Sendable, Hashable {
    /// A known region of the partition.
    case known(Partition)
    /// Fits the partition's pattern but is not in the known list (probably a new region).
    case unlisted(Partition)
    /// Has the shape of a region code but fits no partition's pattern (e.g. anonymised `us-north-2r`).
    case unknownPartition
    /// Cannot be a region code (empty, upper case, placeholder text, `global`).
    case malformed

    /// Classifies a region code.
    package init(_ region: some StringProtocol) {
        if let p = Partitions.partition(forRegion: region) {
            self = p.isKnownRegion(region) ? .known(p) : .unlisted(p)
        } else if Partitions.isRegionShaped(region) {
            self = .unknownPartition
        } else {
            self = .malformed
        }
    }

    /// The partition, when the region fits one.
    package var partition: Partition? {
        switch self {
        case .known(let p), .unlisted(let p): p
        case .unknownPartition, .malformed: nil
        }
    }
}
