/// Which CloudTrail delivery a file or S3 folder belongs to.
package enum LogFileKind: String, Sendable, Hashable, CaseIterable {
    /// Management, data and network-activity events: `CloudTrail/`, `…_CloudTrail_…` names.
    case log
    /// Digest files for log file integrity validation: `CloudTrail-Digest/`.
    case digest
    /// Insights events: `CloudTrail-Insight/`.
    case insight

    /// The token used both as the S3 folder name and in file names, e.g. `CloudTrail-Digest`.
    package var token: String {
        switch self {
        case .log: return "CloudTrail"
        case .digest: return "CloudTrail-Digest"
        case .insight: return "CloudTrail-Insight"
        }
    }

    /// The kind whose token is exactly `token` (case-sensitive, compared as bytes).
    package init?(token: Substring) {
        var copy = token
        guard let kind = copy.withUTF8({ LogFileKind($0, 0..<$0.count) }) else { return nil }
        self = kind
    }

    init?(_ b: UnsafeBufferPointer<UInt8>, _ r: Range<Int>) {
        func equals(_ literal: StaticString) -> Bool {
            literal.utf8CodeUnitCount == r.count
                && literal.withUTF8Buffer { l in (0..<r.count).allSatisfy { b[r.lowerBound + $0] == l[$0] } }
        }
        if equals("CloudTrail") { self = .log }
        else if equals("CloudTrail-Digest") { self = .digest }
        else if equals("CloudTrail-Insight") { self = .insight }
        else { return nil }
    }
}

/// A delivery timestamp from a file name (UTC). Log and Insights names carry minutes; digest
/// names also carry seconds.
package struct LogFileTimestamp: Sendable, Hashable, Comparable, CustomStringConvertible {
    package var year: Int
    /// 1...12
    package var month: Int
    /// 1...31 (valid for the month and year)
    package var day: Int
    /// 0...23
    package var hour: Int
    /// 0...59
    package var minute: Int
    /// 0...59, nil when the name has no seconds.
    package var second: Int?

    package init(year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int? = nil) {
        self.year = year
        self.month = month
        self.day = day
        self.hour = hour
        self.minute = minute
        self.second = second
    }

    /// Parses `YYYYMMDDTHHmmZ` (`withSeconds == false`) or `YYYYMMDDTHHmmssZ`, checking ranges
    /// (including the day against the month's length).
    package init?(compact text: Substring, withSeconds: Bool) {
        var copy = text
        guard let parsed = copy.withUTF8({ LogFileTimestamp($0, 0..<$0.count, withSeconds: withSeconds) }) else { return nil }
        self = parsed
    }

    init?(_ b: UnsafeBufferPointer<UInt8>, _ r: Range<Int>, withSeconds: Bool) {
        let bytes = UnsafeBufferPointer(rebasing: b[r])
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
    package static func daysIn(month: Int, year: Int) -> Int {
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
    static func number(_ digits: some Collection<UInt8>) -> Int? {
        var value = 0
        for byte in digits {
            guard byte >= 0x30 && byte <= 0x39 else { return nil }
            value = value * 10 + Int(byte - 0x30)
        }
        return digits.isEmpty ? nil : value
    }

    private var key: (Int, Int, Int, Int, Int, Int) { (year, month, day, hour, minute, second ?? 0) }

    package static func < (lhs: LogFileTimestamp, rhs: LogFileTimestamp) -> Bool { lhs.key < rhs.key }

    /// ISO 8601, e.g. `2015-08-01T02:10Z` or `2015-08-01T02:10:05Z`.
    package var description: String {
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
///   name may contain `_`; forms without trail name and home region are accepted too), and its backfill form
///   `…_YYYYMMDDTHHmmssZ_backfill.json.gz`.
///
/// `.json` (already gunzipped) is accepted as well as `.json.gz`. The account must be 12 digits, the
/// region shaped like `us-east-1`, the unique string `[A-Za-z0-9_]+`.
package struct LogFileName: Sendable, Hashable {
    package var kind: LogFileKind
    /// 12-digit account ID.
    package var accountID: String
    /// The region that delivered the file.
    package var region: String
    /// Delivery (not event) time, UTC.
    package var timestamp: LogFileTimestamp
    /// The random suffix of log and Insights names; nil for digests.
    package var uniqueString: String?
    /// The trail name in a digest name.
    package var trailName: String?
    /// The trail's home region in a digest name.
    package var homeRegion: String?
    /// Whether the name ends in `.json.gz` (false: `.json`).
    package var isGzipExtension: Bool
    /// A backfill digest (`…Z_backfill.json.gz`), delivered outside the hourly chain.
    package var isBackfill = false

    package init(kind: LogFileKind, accountID: String, region: String, timestamp: LogFileTimestamp,
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
    /// Works on the UTF-8 bytes, as byte ranges: `Substring` pieces, `reversed()` suffix tests and arrays per
    /// field cost 19,000 instructions per name, paid for each of the 2,000 files of a day (callgrind).
    package init?(_ name: String) {
        let bytes = Array(name.utf8)
        guard let parsed = bytes.withUnsafeBufferPointer({ LogFileName.parse($0) }) else { return nil }
        self = parsed
    }

    private static func parse(_ b: UnsafeBufferPointer<UInt8>) -> LogFileName? {
        var lo = 0
        var hi = b.count
        if let slash = b.lastIndex(of: UInt8(ascii: "/")) { lo = slash + 1 }
        func endsWith(_ suffix: StaticString) -> Bool {
            let n = suffix.utf8CodeUnitCount
            guard hi - lo >= n else { return false }
            return suffix.withUTF8Buffer { s in (0..<n).allSatisfy { b[hi - n + $0] == s[$0] } }
        }
        let gzip: Bool
        if endsWith(".json.gz") { gzip = true; hi -= 8 } else if endsWith(".json") { gzip = false; hi -= 5 } else { return nil }
        func text(_ r: Range<Int>) -> String { String(decoding: UnsafeBufferPointer(rebasing: b[r]), as: UTF8.self) }
        func pieces(_ r: Range<Int>, maxSplits: Int = .max) -> [Range<Int>] {
            var out: [Range<Int>] = []
            var start = r.lowerBound
            for i in r where b[i] == UInt8(ascii: "_") && out.count < maxSplits {
                out.append(start..<i)
                start = i + 1
            }
            out.append(start..<r.upperBound)
            return out
        }
        let head = pieces(lo..<hi, maxSplits: 3)
        guard head.count == 4, isAccountID(b, head[0]), let kind = LogFileKind(b, head[1]), isRegion(b, head[2]) else { return nil }
        let rest = head[3]
        switch kind {
        case .log, .insight:
            let parts = pieces(rest, maxSplits: 1)
            guard parts.count == 2, let time = LogFileTimestamp(b, parts[0], withSeconds: false),
                  !parts[1].isEmpty, parts[1].allSatisfy({ isWordByte(b[$0]) })
            else { return nil }
            return LogFileName(kind: kind, accountID: text(head[0]), region: text(head[2]), timestamp: time,
                               uniqueString: text(parts[1]), isGzipExtension: gzip)
        case .digest:
            var rest = rest
            let backfill = endsWith("_backfill")
            if backfill { rest = rest.lowerBound..<(rest.upperBound - 9) }
            let parts = pieces(rest)
            guard let last = parts.last, let time = LogFileTimestamp(b, last, withSeconds: true) else { return nil }
            var trail: String?
            var home: String?
            switch parts.count {
            case 1:
                break
            case 2:
                if isRegion(b, parts[0]) { home = text(parts[0]) } else { trail = text(parts[0]) }
            default:
                guard isRegion(b, parts[parts.count - 2]) else { return nil }
                home = text(parts[parts.count - 2])
                // The trail name keeps its own `_`s.
                trail = text(parts[0].lowerBound..<parts[parts.count - 3].upperBound)
            }
            if let trail, trail.isEmpty { return nil }
            var name = LogFileName(kind: .digest, accountID: text(head[0]), region: text(head[2]), timestamp: time,
                                   trailName: trail, homeRegion: home, isGzipExtension: gzip)
            name.isBackfill = backfill
            return name
        }
    }

    static func isAccountID(_ b: UnsafeBufferPointer<UInt8>, _ r: Range<Int>) -> Bool {
        r.count == 12 && r.allSatisfy { b[$0] >= 0x30 && b[$0] <= 0x39 }
    }

    static func isRegion(_ b: UnsafeBufferPointer<UInt8>, _ r: Range<Int>) -> Bool {
        isRegion(UnsafeBufferPointer(rebasing: b[r]))
    }

    static func isWordByte(_ c: UInt8) -> Bool {
        (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A) || c == 0x5F
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
    package static func isAccountID(_ text: Substring) -> Bool {
        text.utf8.count == 12 && text.utf8.allSatisfy { $0 >= 0x30 && $0 <= 0x39 }
    }

    /// Region shape: lowercase ASCII letters, digits and single hyphens, starting with a letter,
    /// ending with a digit, with at least one hyphen (`us-east-1`, `us-gov-west-1`, `eu-isoe-west-1`).
    package static func isRegion(_ text: Substring) -> Bool {
        var copy = text
        return copy.withUTF8 { isRegion($0) }
    }

    static func isRegion(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
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
    package static func isOrganizationID(_ text: Substring) -> Bool {
        let bytes = Array(text.utf8)
        guard bytes.count >= 12, bytes.count <= 34, bytes[0] == 0x6F, bytes[1] == 0x2D else { return false }
        return bytes[2...].allSatisfy { ($0 >= 0x61 && $0 <= 0x7A) || ($0 >= 0x30 && $0 <= 0x39) }
    }

    /// Non-empty `[A-Za-z0-9_]+`.
    static func isWordString(_ text: Substring) -> Bool {
        !text.isEmpty && text.utf8.allSatisfy(isWordByte)
    }
}

/// A parsed CloudTrail S3 key (or local copy of one):
/// `[PREFIX/]AWSLogs/[o-ORGID/]ACCOUNT/CloudTrail[-Digest|-Insight]/REGION/YYYY/MM/DD/[FILE]`.
package struct LogFileLocation: Sendable, Hashable {
    /// Everything before the `AWSLogs` segment (bucket and/or key prefix, or a local directory),
    /// ending in `/`; empty when the path starts with `AWSLogs/`.
    package var prefix: String
    /// The AWS Organizations ID (`o-…`) for organization trails.
    package var organizationID: String?
    /// 12-digit account ID.
    package var accountID: String
    package var kind: LogFileKind
    package var region: String
    /// Delivery date from the folder path (UTC).
    package var year: Int
    /// 1...12
    package var month: Int
    /// 1...31
    package var day: Int
    /// The last segment after `DD/`, when the path names a file.
    package var fileNameComponent: String?
    /// That file name parsed, when it is a CloudTrail name.
    package var fileName: LogFileName?

    package init(prefix: String, organizationID: String?, accountID: String, kind: LogFileKind, region: String,
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
    package init?(path: String) {
        // Most paths have no `AWSLogs` at all: a byte scan rejects them without splitting into segments.
        var copy = path
        let mentionsAWSLogs = copy.withUTF8 { b in
            "AWSLogs".withCString { needle in
                b.count >= 7 && (0...(b.count - 7)).contains { i in (0..<7).allSatisfy { b[i + $0] == UInt8(bitPattern: needle[$0]) } }
            }
        }
        guard mentionsAWSLogs else { return nil }
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
