import CTInput
import Synchronization

/// A document's file name and what it says, computed once per document and shared by reference: as values, the
/// facts' strings were retained and released for every record and rule (2% of a full check of a 200 MB log, perf).
package final class DocumentOrigin: Sendable {
    let fileName: String?
    let fileFacts: FileFacts?
    /// The delivery kind the path announces (file name first, then the S3 folder), or nil; from the same
    /// parse of the path as `fileFacts`.
    package let deliveryKind: LogFileKind?
    /// The `real-data` replacements of the Markdown page the document is a block of (one table for the page).
    let realDataPage: RealDataPage?

    package init(fileName: String?, realDataPage: RealDataPage? = nil) {
        self.realDataPage = realDataPage
        self.fileName = fileName
        if let fileName, !fileName.isEmpty {
            let facts = FileFacts.cached(for: fileName)
            fileFacts = facts.isEmpty ? nil : facts
            deliveryKind = facts.deliveryKind
        } else {
            fileFacts = nil
            deliveryKind = nil
        }
    }
}

/// What a CloudTrail log file's path says (`LogFileName`, `LogFileLocation`): the account, region and delivery time
/// of its records, and the parts of the path that disagree with one another. Computed once per path and cached;
/// the rules read it through `RecordContext.fileFacts`.
struct FileFacts: Sendable {
    /// Per-file problems (messages), reported at the first record.
    var problems: [String] = []
    /// The account the file was delivered for, and where that came from ("file name"/"folder path").
    var account: String? { didSet { accountBytes = account.map { Array($0.utf8) } ?? [] } }
    var region: String? { didSet { regionBytes = region.map { Array($0.utf8) } ?? [] } }
    /// `account` and `region` as UTF-8, compared with each record's bytes (a generic `elementsEqual` against
    /// `String.UTF8View` was 1% of a day's check, callgrind).
    private(set) var accountBytes: [UInt8] = []
    private(set) var regionBytes: [UInt8] = []
    var source = "file name"
    /// Delivery time as epoch seconds (start of the name's minute, or start of the folder's day).
    var delivery: Int?
    /// The latest plausible eventTime (epoch seconds), and the same time written as CloudTrail writes
    /// eventTime (`YYYY-MM-DDTHH:MM:SSZ`): such timestamps sort as text in time order.
    var latestEventTime: Int? {
        didSet {
            latestEventTimeText = latestEventTime.map { Array(UTCTime(epochSeconds: $0).extended.utf8) } ?? []
        }
    }
    private(set) var latestEventTimeText: [UInt8] = []
    /// Where the delivery time came from: the name's timestamp, or the folder's date (year, month, day).
    var deliveryMark: (name: LogFileTimestamp?, folder: (Int, Int, Int)?) = (nil, nil)
    /// How the delivery time is shown in messages (built only for a finding: formatting it for every
    /// file was 5,700 instructions a file, callgrind).
    var deliveryText: String {
        if let t = deliveryMark.name { return "the delivery time `\(t)` in the file name" }
        guard let (y, m, d) = deliveryMark.folder else { return "" }
        return "the end of the delivery date `\(ValueText.padded(y, 4))/\(ValueText.padded(m, 2))/\(ValueText.padded(d, 2))` in the folder path"
    }
    /// The delivery kind the path announces (file name first, then the S3 folder), or nil.
    var deliveryKind: LogFileKind?
    /// Nothing to check (not a CloudTrail location, or a digest).
    var isEmpty: Bool { problems.isEmpty && account == nil && region == nil && latestEventTime == nil }

    /// How long after the end of the file name's minute an eventTime may be: delivery lags behind the
    /// name's timestamp by a few minutes (reference: the digest sample pairs `T1445Z` with an event at 14:52:27).
    static let marginSeconds = 15 * 60

    static let cache = Mutex<[String: FileFacts]>([:])

    static func cached(for path: String) -> FileFacts {
        if let cached = cache.withLock({ $0[path] }) { return cached }
        let facts = compute(path)
        cache.withLock { table in
            if table.count >= 256 { table.removeAll(keepingCapacity: true) }
            table[path] = facts
        }
        return facts
    }

    static func compute(_ path: String) -> FileFacts {
        var facts = FileFacts()
        let location = LogFileLocation(path: path)
        let name = location?.fileName ?? LogFileName(path)
        if location == nil && name == nil { return facts }
        facts.deliveryKind = name?.kind ?? location?.kind
        // Digest files hold no records; their shape is checked elsewhere.
        if (name?.kind ?? location?.kind) == .digest && (location?.kind ?? .digest) == .digest { return facts }
        if let location, let name {
            if location.kind != name.kind {
                facts.problems.append("the file name says `\(name.kind.token)` but the file lies in a `\(location.kind.token)/` folder")
            }
            if location.accountID != name.accountID {
                facts.problems.append("the file name's account `\(name.accountID)` differs from the folder path's account `\(location.accountID)`")
            }
            if location.region != name.region {
                facts.problems.append("the file name's region `\(name.region)` differs from the folder path's region `\(location.region)`")
            }
            let t = name.timestamp
            if (t.year, t.month, t.day) != (location.year, location.month, location.day) {
                facts.problems.append(
                    "the file name's delivery time `\(t)` is not on the folder path's date `\(ValueText.padded(location.year, 4))/\(ValueText.padded(location.month, 2))/\(ValueText.padded(location.day, 2))`")
            }
        }
        if let name {
            facts.account = name.accountID
            facts.region = name.region
            facts.source = "file name"
            let t = name.timestamp
            let start = UTCTime(year: t.year, month: t.month, day: t.day, hour: t.hour, minute: t.minute).epochSeconds
            facts.delivery = start
            facts.latestEventTime = start + 60 + marginSeconds
            facts.deliveryMark.name = t
        } else if let location {
            facts.account = location.accountID
            facts.region = location.region
            facts.source = "folder path"
            let start = UTCTime(year: location.year, month: location.month, day: location.day).epochSeconds
            facts.delivery = start + 86_400
            facts.latestEventTime = start + 86_400 + marginSeconds
            facts.deliveryMark.folder = (location.year, location.month, location.day)
        }
        return facts
    }
}
