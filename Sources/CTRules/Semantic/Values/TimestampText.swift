/// A calendar time in UTC, to the second (proleptic Gregorian calendar).
struct UTCTime: Sendable, Hashable, Comparable {
    var year: Int
    /// 1...12
    var month: Int
    /// 1...31
    var day: Int
    /// 0...23
    var hour: Int
    /// 0...59
    var minute: Int
    /// 0...59
    var second: Int

    /// Seconds since 1970-01-01T00:00:00Z (negative before).
    var epochSeconds: Int {
        UTCTime.daysFromCivil(year: year, month: month, day: day) * 86_400 + hour * 3600 + minute * 60 + second
    }

    init(year: Int, month: Int, day: Int, hour: Int = 0, minute: Int = 0, second: Int = 0) {
        self.year = year
        self.month = month
        self.day = day
        self.hour = hour
        self.minute = minute
        self.second = second
    }

    /// The time `epochSeconds` seconds after 1970-01-01T00:00:00Z.
    init(epochSeconds: Int) {
        var days = epochSeconds / 86_400
        var rest = epochSeconds % 86_400
        if rest < 0 { rest += 86_400; days -= 1 }
        let (y, m, d) = UTCTime.civilFromDays(days)
        self.init(year: y, month: m, day: d, hour: rest / 3600, minute: rest % 3600 / 60, second: rest % 60)
    }

    static func < (a: UTCTime, b: UTCTime) -> Bool { a.epochSeconds < b.epochSeconds }

    /// `YYYY-MM-DDTHH:MM:SSZ`.
    var extended: String {
        "\(ValueText.padded(year, 4))-\(ValueText.padded(month, 2))-\(ValueText.padded(day, 2))T"
            + "\(ValueText.padded(hour, 2)):\(ValueText.padded(minute, 2)):\(ValueText.padded(second, 2))Z"
    }

    /// `YYYYMMDDTHHMMSSZ`.
    var basic: String {
        "\(ValueText.padded(year, 4))\(ValueText.padded(month, 2))\(ValueText.padded(day, 2))T"
            + "\(ValueText.padded(hour, 2))\(ValueText.padded(minute, 2))\(ValueText.padded(second, 2))Z"
    }

    static func isLeap(_ year: Int) -> Bool { (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 }

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return isLeap(year) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Days since 1970-01-01 (H. Hinnant's algorithm).
    static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    static func civilFromDays(_ days: Int) -> (Int, Int, Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
    }

    /// Why `year-month-day hour:minute:second` is not a real time, or nil when it is.
    /// Month names for messages; a static, since a local array literal was built (and destroyed) on every call,
    /// twice per record (0.9% of a full check, callgrind).
    static let monthNames = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
                             "October", "November", "December"]

    static func calendarProblem(year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int) -> String? {
        let months = monthNames
        if !(1...12).contains(month) { return "month \(ValueText.padded(month, 2)) does not exist" }
        if day < 1 { return "day 00 does not exist" }
        let length = daysIn(month: month, year: year)
        if day > length {
            if month == 2 && day == 29 { return "\(year) is not a leap year, so February has 28 days" }
            return "\(months[month - 1]) has \(length) days, not \(day)"
        }
        if hour > 23 { return "hour \(hour) is out of range (00-23)" }
        if minute > 59 { return "minute \(minute) is out of range (00-59)" }
        if second > 59 { return "second \(second) is out of range (00-59)" }
        return nil
    }

    /// Parses exactly `YYYY-MM-DDTHH:MM:SSZ` (20 bytes) into its fields without checking ranges; nil for any
    /// other shape.
    static func extendedFields(_ b: ArraySlice<UInt8>) -> (Int, Int, Int, Int, Int, Int)? {
        guard b.count == 20 else { return nil }
        let s = b.startIndex
        guard b[s + 4] == 0x2D, b[s + 7] == 0x2D, b[s + 10] == 0x54, b[s + 13] == 0x3A, b[s + 16] == 0x3A,
              b[s + 19] == 0x5A,
              let year = ValueText.digits(b, at: s, count: 4), let month = ValueText.digits(b, at: s + 5, count: 2),
              let day = ValueText.digits(b, at: s + 8, count: 2), let hour = ValueText.digits(b, at: s + 11, count: 2),
              let minute = ValueText.digits(b, at: s + 14, count: 2), let second = ValueText.digits(b, at: s + 17, count: 2)
        else { return nil }
        return (year, month, day, hour, minute, second)
    }

    /// Parses exactly `YYYYMMDDTHHMMSSZ` (16 bytes) into its fields without checking ranges.
    static func basicFields(_ b: ArraySlice<UInt8>) -> (Int, Int, Int, Int, Int, Int)? {
        guard b.count == 16 else { return nil }
        let s = b.startIndex
        guard b[s + 8] == 0x54, b[s + 15] == 0x5A,
              let year = ValueText.digits(b, at: s, count: 4), let month = ValueText.digits(b, at: s + 4, count: 2),
              let day = ValueText.digits(b, at: s + 6, count: 2), let hour = ValueText.digits(b, at: s + 9, count: 2),
              let minute = ValueText.digits(b, at: s + 11, count: 2), let second = ValueText.digits(b, at: s + 13, count: 2)
        else { return nil }
        return (year, month, day, hour, minute, second)
    }

    /// A real time written exactly as CloudTrail writes `eventTime`, or nil.
    static func strictExtended(_ b: ArraySlice<UInt8>) -> UTCTime? {
        guard let (y, mo, d, h, mi, s) = extendedFields(b),
              calendarProblem(year: y, month: mo, day: d, hour: h, minute: mi, second: s) == nil
        else { return nil }
        return UTCTime(year: y, month: mo, day: d, hour: h, minute: mi, second: s)
    }
}

/// A timestamp read leniently (ISO 8601-like shapes and common near misses), remembering how it deviates
/// from CloudTrail's `YYYY-MM-DDTHH:MM:SSZ`. Ranges are not checked here.
struct LenientTimestamp: Sendable, Hashable {
    enum Zone: Sendable, Hashable {
        /// No zone designator at all.
        case none
        /// `Z` (`lowercase` when written `z`).
        case utc(lowercase: Bool)
        /// `+HH:MM`, `-HHMM`, `+HH`: minutes east of UTC, and how it was written.
        case offset(minutes: Int, text: String)
    }

    var year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0
    /// Written without `-` and `:` (`20131102T010628Z`).
    var isBasic = false
    /// The byte between date and time: `T`, `t` or a space.
    var separator: UInt8 = 0x54
    /// The digits after the decimal point, if any.
    var fraction: [UInt8] = []
    var zone: Zone = .utc(lowercase: false)
    /// Leading or trailing whitespace was present.
    var hasSurroundingSpace = false

    /// Reads `bytes`; nil when it is not a date and time at all.
    init?(_ raw: ArraySlice<UInt8>) {
        let bytes = ValueText.trimmed(raw)
        hasSurroundingSpace = bytes.count != raw.count
        var i = bytes.startIndex
        let end = bytes.endIndex
        func number(_ count: Int) -> Int? {
            guard let v = ValueText.digits(bytes, at: i, count: count) else { return nil }
            i += count
            return v
        }
        func take(_ byte: UInt8) -> Bool {
            if i < end && bytes[i] == byte { i += 1; return true }
            return false
        }
        guard let y = number(4) else { return nil }
        year = y
        if take(0x2D) {
            guard let m = number(2), take(0x2D), let d = number(2) else { return nil }
            month = m; day = d
        } else {
            guard let m = number(2), let d = number(2) else { return nil }
            month = m; day = d
            isBasic = true
        }
        guard i < end, bytes[i] == 0x54 || bytes[i] == 0x74 || bytes[i] == 0x20 else { return nil }
        separator = bytes[i]
        i += 1
        guard let h = number(2) else { return nil }
        hour = h
        if isBasic {
            guard let mi = number(2), let s = number(2) else { return nil }
            minute = mi; second = s
        } else {
            guard take(0x3A), let mi = number(2), take(0x3A), let s = number(2) else { return nil }
            minute = mi; second = s
        }
        if i < end && (bytes[i] == 0x2E || bytes[i] == 0x2C) {
            i += 1
            let start = i
            while i < end && ValueText.isDigit(bytes[i]) { i += 1 }
            guard i > start else { return nil }
            fraction = Array(bytes[start..<i])
        }
        if i == end {
            zone = .none
        } else if bytes[i] == 0x5A || bytes[i] == 0x7A {
            zone = .utc(lowercase: bytes[i] == 0x7A)
            i += 1
        } else if bytes[i] == 0x2B || bytes[i] == 0x2D {
            let zoneStart = i
            let sign = bytes[i] == 0x2B ? 1 : -1
            i += 1
            guard let oh = number(2) else { return nil }
            var om = 0
            if take(0x3A) {
                guard let m = number(2) else { return nil }
                om = m
            } else if let m = number(2) {
                om = m
            }
            guard oh <= 23, om <= 59 else { return nil }
            zone = .offset(minutes: sign * (oh * 60 + om), text: ValueText.string(bytes[zoneStart..<i]))
        } else {
            return nil
        }
        guard i == end else { return nil }
    }

    /// Why the fields are not a real time, or nil.
    var calendarProblem: String? {
        UTCTime.calendarProblem(year: year, month: month, day: day, hour: hour, minute: minute, second: second)
    }

    /// The time in UTC (offset applied, fraction dropped). Only meaningful when `calendarProblem` is nil.
    var utc: UTCTime {
        let local = UTCTime(year: year, month: month, day: day, hour: hour, minute: minute, second: second)
        if case .offset(let minutes, _) = zone, minutes != 0 {
            return UTCTime(epochSeconds: local.epochSeconds - minutes * 60)
        }
        return local
    }

    /// The ways the text deviates from `YYYY-MM-DDTHH:MM:SSZ` (or from the basic form when `basicAllowed`),
    /// as phrases for a message: "a space instead of `T`", "fractional seconds `.000`", …
    func deviations(basicAllowed: Bool, zoneOptional: Bool = false) -> [String] {
        var out: [String] = []
        if hasSurroundingSpace { out.append("surrounding whitespace") }
        if isBasic && !basicAllowed { out.append("the basic form without `-` and `:`") }
        switch separator {
        case 0x20: out.append("a space instead of `T`")
        case 0x74: out.append("a lowercase `t`")
        default: break
        }
        if !fraction.isEmpty {
            let zero = fraction.allSatisfy { $0 == 0x30 }
            out.append("fractional seconds `.\(String(decoding: fraction, as: UTF8.self))`" + (zero ? "" : " (dropped by the fix)"))
        }
        switch zone {
        case .none where !zoneOptional: out.append("no `Z` (UTC) designator")
        case .none: break
        case .utc(let lowercase): if lowercase { out.append("a lowercase `z`") }
        case .offset(let minutes, let text):
            out.append(minutes == 0 ? "the offset `\(text)` instead of `Z`" : "the UTC offset `\(text)` instead of a UTC time with `Z`")
        }
        return out
    }
}
