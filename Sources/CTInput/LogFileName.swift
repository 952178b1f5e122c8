/// Which CloudTrail delivery a file or S3 folder belongs to.
public enum LogFileKind: String, Sendable, Hashable, CaseIterable {
    /// Management, data and network-activity events: `CloudTrail/`, `…_CloudTrail_…` names.
    case log
    /// Digest files for log file integrity validation: `CloudTrail-Digest/`.
    case digest
    /// Insights events: `CloudTrail-Insight/`.
    case insight

    /// The token used both as the S3 folder name and in file names, e.g. `CloudTrail-Digest`.
    public var token: String {
        switch self {
        case .log: return "CloudTrail"
        case .digest: return "CloudTrail-Digest"
        case .insight: return "CloudTrail-Insight"
        }
    }

    /// The kind whose token is exactly `token` (case-sensitive, compared as bytes).
    public init?(token: Substring) {
        let u = token.utf8
        if u.elementsEqual("CloudTrail".utf8) { self = .log }
        else if u.elementsEqual("CloudTrail-Digest".utf8) { self = .digest }
        else if u.elementsEqual("CloudTrail-Insight".utf8) { self = .insight }
        else { return nil }
    }
}

/// A delivery timestamp from a file name (UTC). Log and Insights names carry minutes; digest
/// names also carry seconds.
public struct LogFileTimestamp: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var year: Int
    /// 1...12
    public var month: Int
    /// 1...31 (valid for the month and year)
    public var day: Int
    /// 0...23
    public var hour: Int
    /// 0...59
    public var minute: Int
    /// 0...59, nil when the name has no seconds.
    public var second: Int?

    public init(year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int? = nil) {
        self.year = year
        self.month = month
        self.day = day
        self.hour = hour
        self.minute = minute
        self.second = second
    }

    /// Parses `YYYYMMDDTHHmmZ` (`withSeconds == false`) or `YYYYMMDDTHHmmssZ`, checking ranges
    /// (including the day against the month's length).
    public init?(compact text: Substring, withSeconds: Bool) {
        let bytes = Array(text.utf8)
        guard bytes.count == (withSeconds ? 16 : 14), bytes[8] == UInt8(ascii: "T"), bytes.last == UInt8(ascii: "Z"),
              let year = LogFileTimestamp.number(bytes[0..<4]),
              let month = LogFileTimestamp.number(bytes[4..<6]),
              let day = LogFileTimestamp.number(bytes[6..<8]),
              let hour = LogFileTimestamp.number(bytes[9..<11]),
              let minute = LogFileTimestamp.number(bytes[11..<13])
        else { return nil }
        var second: Int?
        if withSeconds {
            guard let value = LogFileTimestamp.number(bytes[13..<15]) else { return nil }
            second = value
        }
        guard LogFileTimestamp.isValidDate(year: year, month: month, day: day),
              hour <= 23, minute <= 59, (second ?? 0) <= 59
        else { return nil }
        self.init(year: year, month: month, day: day, hour: hour, minute: minute, second: second)
    }

    /// Days in `month` of `year` (proleptic Gregorian).
    public static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2:
            let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
            return leap ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    static func isValidDate(year: Int, month: Int, day: Int) -> Bool {
        (1...12).contains(month) && day >= 1 && day <= daysIn(month: month, year: year)
    }

    /// The value of a run of ASCII digits, or nil if any byte is not a digit.
    static func number(_ digits: ArraySlice<UInt8>) -> Int? {
        var value = 0
        for byte in digits {
            guard byte >= 0x30 && byte <= 0x39 else { return nil }
            value = value * 10 + Int(byte - 0x30)
        }
        return digits.isEmpty ? nil : value
    }

    private var key: (Int, Int, Int, Int, Int, Int) { (year, month, day, hour, minute, second ?? 0) }

    public static func < (lhs: LogFileTimestamp, rhs: LogFileTimestamp) -> Bool { lhs.key < rhs.key }

    /// ISO 8601, e.g. `2015-08-01T02:10Z` or `2015-08-01T02:10:05Z`.
    public var description: String {
        func pad(_ value: Int, _ width: Int) -> String {
            let digits = String(value)
            return String(repeating: "0", count: max(0, width - digits.count)) + digits
        }
        var text = "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))T\(pad(hour, 2)):\(pad(minute, 2))"
        if let second { text += ":\(pad(second, 2))" }
        return text + "Z"
    }
}

/// A parsed CloudTrail delivery file name.
///
/// - Log: `ACCOUNT_CloudTrail_REGION_YYYYMMDDTHHmmZ_UNIQUE.json.gz`
/// - Insights: `ACCOUNT_CloudTrail-Insight_REGION_YYYYMMDDTHHmmZ_UNIQUE.json.gz`
/// - Digest: `ACCOUNT_CloudTrail-Digest_REGION_TRAIL_HOMEREGION_YYYYMMDDTHHmmssZ.json.gz` (the trail
///   name may contain `_`; forms without trail name and home region are accepted too).
///
/// `.json` (already gunzipped) is accepted as well as `.json.gz`. The account must be 12 digits, the
/// region shaped like `us-east-1`, the unique string `[A-Za-z0-9_]+`.
public struct LogFileName: Sendable, Hashable {
    public var kind: LogFileKind
    /// 12-digit account ID.
    public var accountID: String
    /// The region that delivered the file.
    public var region: String
    /// Delivery (not event) time, UTC.
    public var timestamp: LogFileTimestamp
    /// The random suffix of log and Insights names; nil for digests.
    public var uniqueString: String?
    /// The trail name in a digest name.
    public var trailName: String?
    /// The trail's home region in a digest name.
    public var homeRegion: String?
    /// Whether the name ends in `.json.gz` (false: `.json`).
    public var isGzipExtension: Bool

    public init(kind: LogFileKind, accountID: String, region: String, timestamp: LogFileTimestamp,
                uniqueString: String? = nil, trailName: String? = nil, homeRegion: String? = nil,
                isGzipExtension: Bool = true) {
        self.kind = kind
        self.accountID = accountID
        self.region = region
        self.timestamp = timestamp
        self.uniqueString = uniqueString
        self.trailName = trailName
        self.homeRegion = homeRegion
        self.isGzipExtension = isGzipExtension
    }

    /// Parses the last `/`-separated component of `name`; nil when it is not a CloudTrail name.
    public init?(_ name: String) {
        var base = Substring(name)
        if let slash = base.utf8.lastIndex(of: UInt8(ascii: "/")) { base = base[base.utf8.index(after: slash)...] }
        let gzip: Bool
        if base.utf8.reversed().starts(with: ".json.gz".utf8.reversed()) {
            gzip = true
            base = base[..<base.utf8.index(base.endIndex, offsetBy: -8)]
        } else if base.utf8.reversed().starts(with: ".json".utf8.reversed()) {
            gzip = false
            base = base[..<base.utf8.index(base.endIndex, offsetBy: -5)]
        } else {
            return nil
        }
        let head = LogFileName.split(base, on: UInt8(ascii: "_"), maxSplits: 3)
        guard head.count == 4, LogFileName.isAccountID(head[0]), let kind = LogFileKind(token: head[1]),
              LogFileName.isRegion(head[2])
        else { return nil }
        let rest = head[3]
        switch kind {
        case .log, .insight:
            let parts = LogFileName.split(rest, on: UInt8(ascii: "_"), maxSplits: 1)
            guard parts.count == 2, let time = LogFileTimestamp(compact: parts[0], withSeconds: false),
                  LogFileName.isWordString(parts[1])
            else { return nil }
            self.init(kind: kind, accountID: String(head[0]), region: String(head[2]), timestamp: time,
                      uniqueString: String(parts[1]), isGzipExtension: gzip)
        case .digest:
            let parts = LogFileName.split(rest, on: UInt8(ascii: "_"))
            guard let last = parts.last, let time = LogFileTimestamp(compact: last, withSeconds: true) else { return nil }
            var trail: String?
            var home: String?
            switch parts.count {
            case 1:
                break
            case 2:
                if LogFileName.isRegion(parts[0]) { home = String(parts[0]) } else { trail = String(parts[0]) }
            default:
                guard LogFileName.isRegion(parts[parts.count - 2]) else { return nil }
                home = String(parts[parts.count - 2])
                trail = parts[0..<(parts.count - 2)].joined(separator: "_")
            }
            if let trail, trail.isEmpty { return nil }
            self.init(kind: .digest, accountID: String(head[0]), region: String(head[2]), timestamp: time,
                      trailName: trail, homeRegion: home, isGzipExtension: gzip)
        }
    }

    /// `text` split at every `separator` byte (an ASCII byte, so each piece is a valid `Substring`), keeping empty
    /// pieces; after `maxSplits` splits the rest is one piece. Scans UTF-8: `Character` splitting made parsing one
    /// path cost 146,000 instructions, paid for each of the 2,000 files of a day (callgrind).
    static func split(_ text: Substring, on separator: UInt8, maxSplits: Int = .max) -> [Substring] {
        var pieces: [Substring] = []
        let u = text.utf8
        var start = u.startIndex
        var i = u.startIndex
        while i < u.endIndex {
            if u[i] == separator && pieces.count < maxSplits {
                pieces.append(text[start..<i])
                start = u.index(after: i)
            }
            i = u.index(after: i)
        }
        pieces.append(text[start..<u.endIndex])
        return pieces
    }

    /// Exactly 12 ASCII digits.
    public static func isAccountID(_ text: Substring) -> Bool {
        text.utf8.count == 12 && text.utf8.allSatisfy { $0 >= 0x30 && $0 <= 0x39 }
    }

    /// Region shape: lowercase ASCII letters, digits and single hyphens, starting with a letter,
    /// ending with a digit, with at least one hyphen (`us-east-1`, `us-gov-west-1`, `eu-isoe-west-1`).
    public static func isRegion(_ text: Substring) -> Bool {
        let bytes = Array(text.utf8)
        guard let first = bytes.first, let last = bytes.last,
              first >= 0x61 && first <= 0x7A, last >= 0x30 && last <= 0x39
        else { return false }
        var hyphens = 0
        var previous: UInt8 = 0
        for byte in bytes {
            let isLower = byte >= 0x61 && byte <= 0x7A
            let isDigit = byte >= 0x30 && byte <= 0x39
            if byte == 0x2D {
                if previous == 0x2D { return false }
                hyphens += 1
            } else if !isLower && !isDigit {
                return false
            }
            previous = byte
        }
        return hyphens > 0
    }

    /// `o-` followed by 10 to 32 lowercase ASCII letters or digits.
    public static func isOrganizationID(_ text: Substring) -> Bool {
        let bytes = Array(text.utf8)
        guard bytes.count >= 12, bytes.count <= 34, bytes[0] == 0x6F, bytes[1] == 0x2D else { return false }
        return bytes[2...].allSatisfy { ($0 >= 0x61 && $0 <= 0x7A) || ($0 >= 0x30 && $0 <= 0x39) }
    }

    /// Non-empty `[A-Za-z0-9_]+`.
    static func isWordString(_ text: Substring) -> Bool {
        !text.isEmpty && text.utf8.allSatisfy {
            ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x41 && $0 <= 0x5A) || ($0 >= 0x61 && $0 <= 0x7A) || $0 == 0x5F
        }
    }
}

/// A parsed CloudTrail S3 key (or local copy of one):
/// `[PREFIX/]AWSLogs/[o-ORGID/]ACCOUNT/CloudTrail[-Digest|-Insight]/REGION/YYYY/MM/DD/[FILE]`.
public struct LogFileLocation: Sendable, Hashable {
    /// Everything before the `AWSLogs` segment (bucket and/or key prefix, or a local directory),
    /// ending in `/`; empty when the path starts with `AWSLogs/`.
    public var prefix: String
    /// The AWS Organizations ID (`o-…`) for organization trails.
    public var organizationID: String?
    /// 12-digit account ID.
    public var accountID: String
    public var kind: LogFileKind
    public var region: String
    /// Delivery date from the folder path (UTC).
    public var year: Int
    /// 1...12
    public var month: Int
    /// 1...31
    public var day: Int
    /// The last segment after `DD/`, when the path names a file.
    public var fileNameComponent: String?
    /// That file name parsed, when it is a CloudTrail name.
    public var fileName: LogFileName?

    public init(prefix: String, organizationID: String?, accountID: String, kind: LogFileKind, region: String,
                year: Int, month: Int, day: Int, fileNameComponent: String? = nil) {
        self.prefix = prefix
        self.organizationID = organizationID
        self.accountID = accountID
        self.kind = kind
        self.region = region
        self.year = year
        self.month = month
        self.day = day
        self.fileNameComponent = fileNameComponent
        self.fileName = fileNameComponent.flatMap { LogFileName($0) }
    }

    /// Finds the layout in `path` (an S3 key, `s3://` URL or file path). The first `AWSLogs` segment
    /// that is followed by a complete layout wins; at most one segment (the file) may follow `DD`.
    public init?(path: String) {
        let segments = LogFileName.split(Substring(path), on: UInt8(ascii: "/"))
        for (index, segment) in segments.enumerated() where segment.utf8.elementsEqual("AWSLogs".utf8) {
            if let parsed = LogFileLocation(path: path, segments: segments, at: index) {
                self = parsed
                return
            }
        }
        return nil
    }

    private init?(path: String, segments: [Substring], at index: Int) {
        var i = index + 1
        func next() -> Substring? {
            guard i < segments.count else { return nil }
            defer { i += 1 }
            return segments[i]
        }
        guard var segment = next() else { return nil }
        var organization: String?
        if LogFileName.isOrganizationID(segment) {
            organization = String(segment)
            guard let following = next() else { return nil }
            segment = following
        }
        guard LogFileName.isAccountID(segment) else { return nil }
        let account = segment
        guard let kindSegment = next(), let kind = LogFileKind(token: kindSegment),
              let region = next(), LogFileName.isRegion(region),
              let yearText = next(), yearText.utf8.count == 4, let year = LogFileTimestamp.number(Array(yearText.utf8)[...]),
              let monthText = next(), monthText.utf8.count == 2, let month = LogFileTimestamp.number(Array(monthText.utf8)[...]),
              let dayText = next(), dayText.utf8.count == 2, let day = LogFileTimestamp.number(Array(dayText.utf8)[...]),
              LogFileTimestamp.isValidDate(year: year, month: month, day: day)
        else { return nil }
        let remaining = segments[i...]
        var file: String?
        switch remaining.count {
        case 0: break
        case 1: if let only = remaining.first, !only.isEmpty { file = String(only) }
        default: return nil
        }
        let prefix = String(path[..<segments[index].startIndex])
        self.init(prefix: prefix, organizationID: organization, accountID: String(account), kind: kind,
                  region: String(region), year: year, month: month, day: day, fileNameComponent: file)
    }
}
