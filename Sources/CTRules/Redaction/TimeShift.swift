/// `redact --shift-time`: every time of a run moved by the same number of seconds, written back in its own form.
package struct TimeShift: Sendable, Equatable {
    package var seconds: Int

    package init(seconds: Int) { self.seconds = seconds }

    /// `-30d`, `+1d12h`, `90m`, `-3600s`, `2w` (units w, d, h, m, s; a bare number is seconds); nil when malformed.
    package init?(parsing text: String) {
        var rest = Substring(text)
        var sign = 1
        if rest.first == "-" { sign = -1; rest = rest.dropFirst() } else if rest.first == "+" { rest = rest.dropFirst() }
        guard !rest.isEmpty else { return nil }
        if let n = Int(rest) { self.seconds = sign * n; return }
        var total = 0
        var digits = ""
        for c in rest {
            if c.isASCII && c.isNumber { digits.append(c); continue }
            guard let n = Int(digits), let unit = ["w": 604_800, "d": 86_400, "h": 3600, "m": 60, "s": 1][String(c)] else { return nil }
            let (product, overflow) = n.multipliedReportingOverflow(by: unit)
            guard !overflow, total <= Int.max - product else { return nil }
            total += product
            digits = ""
        }
        guard digits.isEmpty, total <= 1_000_000 * 86_400 else { return nil }
        self.seconds = sign * total
    }

    /// `s` moved, when it is a time this knows: ISO 8601 extended (`2024-03-01T12:00:00Z`, fractions and offsets
    /// kept), basic (`20240301T120000Z`), or the `Mar 1, 2024, 12:00:00 PM` of some services' payloads.
    package func shifted(_ s: Substring) -> String? {
        let b = Array(s.utf8)
        if let t = Self.extended(b) { return t.format(UTCTime(epochSeconds: t.time.epochSeconds + seconds)) }
        if let t = Self.american(b) { return t.format(UTCTime(epochSeconds: t.time.epochSeconds + seconds)) }
        return nil
    }

    /// Whether `s` is a time `shifted` moves.
    package static func isTime(_ s: Substring) -> Bool {
        let b = Array(s.utf8)
        return extended(b) != nil || american(b) != nil
    }

    private struct Parsed {
        var time: UTCTime
        var format: (UTCTime) -> String
    }

    private static func number(_ b: [UInt8], _ at: Int, _ count: Int) -> Int? {
        guard at >= 0, at + count <= b.count else { return nil }
        var v = 0
        for i in at..<(at + count) {
            guard ValueText.isDigit(b[i]) else { return nil }
            v = v * 10 + Int(b[i]) - 0x30
        }
        return v
    }

    private static func valid(_ t: UTCTime) -> Bool {
        (1...12).contains(t.month) && t.day >= 1 && t.day <= UTCTime.daysIn(month: t.month, year: t.year)
            && t.hour < 24 && t.minute < 60 && t.second < 60
    }

    /// `YYYY-MM-DDTHH:MM:SS[.f+](Z|±HH:MM|±HHMM)` or `YYYYMMDDTHHMMSSZ`.
    private static func extended(_ b: [UInt8]) -> Parsed? {
        let basic = b.count == 16 && b[8] == UInt8(ascii: "T") && b[15] == UInt8(ascii: "Z")
        if basic {
            guard let y = number(b, 0, 4), let mo = number(b, 4, 2), let d = number(b, 6, 2), let h = number(b, 9, 2),
                  let mi = number(b, 11, 2), let s = number(b, 13, 2) else { return nil }
            let t = UTCTime(year: y, month: mo, day: d, hour: h, minute: mi, second: s)
            return valid(t) ? Parsed(time: t, format: { $0.basic }) : nil
        }
        guard b.count >= 20, b[4] == 0x2D, b[7] == 0x2D, b[10] == UInt8(ascii: "T"), b[13] == 0x3A, b[16] == 0x3A,
              let y = number(b, 0, 4), let mo = number(b, 5, 2), let d = number(b, 8, 2), let h = number(b, 11, 2),
              let mi = number(b, 14, 2), let s = number(b, 17, 2) else { return nil }
        var i = 19
        if i < b.count && b[i] == 0x2E {
            i += 1
            let start = i
            while i < b.count && ValueText.isDigit(b[i]) { i += 1 }
            guard i > start else { return nil }
        }
        let tail = Array(b[i...])
        let zoneOK = tail == [UInt8(ascii: "Z")]
            || (tail.count == 6 && (tail[0] == 0x2B || tail[0] == 0x2D) && number(tail, 1, 2) != nil && tail[3] == 0x3A && number(tail, 4, 2) != nil)
            || (tail.count == 5 && (tail[0] == 0x2B || tail[0] == 0x2D) && number(tail, 1, 4) != nil)
        guard zoneOK else { return nil }
        let t = UTCTime(year: y, month: mo, day: d, hour: h, minute: mi, second: s)
        let rest = String(decoding: b[19...], as: UTF8.self)
        return valid(t) ? Parsed(time: t, format: { String($0.extended.dropLast()) + rest }) : nil
    }

    private static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    /// `Mar 1, 2024 9:11:59 PM` or `Jul 18, 2023, 4:07:39 PM` (the day and hour without padding).
    private static func american(_ b: [UInt8]) -> Parsed? {
        guard b.count >= 20, b.count <= 26 else { return nil }
        let text = String(decoding: b, as: UTF8.self)
        let parts = text.split(separator: " ", omittingEmptySubsequences: false)
        guard parts.count == 5, let month = months.firstIndex(of: String(parts[0])),
              parts[1].hasSuffix(","), let day = Int(parts[1].dropLast()), (1...31).contains(day) else { return nil }
        let comma = parts[2].hasSuffix(",")
        guard let year = Int(comma ? parts[2].dropLast() : parts[2]), parts[2].utf8.count == (comma ? 5 : 4) else { return nil }
        let clock = parts[3].split(separator: ":", omittingEmptySubsequences: false)
        guard clock.count == 3, let h12 = Int(clock[0]), (1...12).contains(h12), clock[1].count == 2, clock[2].count == 2,
              let mi = Int(clock[1]), let s = Int(clock[2]), parts[4] == "AM" || parts[4] == "PM" else { return nil }
        let hour = (h12 % 12) + (parts[4] == "PM" ? 12 : 0)
        let t = UTCTime(year: year, month: month + 1, day: day, hour: hour, minute: mi, second: s)
        guard valid(t) else { return nil }
        return Parsed(time: t, format: { u in
            let h = u.hour % 12 == 0 ? 12 : u.hour % 12
            return "\(months[u.month - 1]) \(u.day), \(u.year)\(comma ? "," : "") \(h):\(ValueText.padded(u.minute, 2)):\(ValueText.padded(u.second, 2)) \(u.hour < 12 ? "AM" : "PM")"
        })
    }
}
