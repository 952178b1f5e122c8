#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CTCore
import CTJSON

/// Rule `bucket-owner`: the records of one run give an S3 bucket different owner accounts. A run-level rule: its
/// facts are the owners each document's records give buckets (`BucketClaims`), compared across the run.
package struct BucketOwnerRule: RunRule {
    package static let metadata = RuleMetadata(
        id: .bucketOwner,
        category: .semantic,
        summary: "The records of one run give an S3 bucket different owner accounts",
        rationale: "S3 bucket names are global, so a bucket has one owner account, and CloudTrail records it in `resources[].accountId` beside the bucket's ARN (`arn:aws:s3:::NAME`, an ARN with no account of its own to compare with). When the records of a run disagree, the account most of them give is taken as the owner (on a tie, the one seen first) and the others are reported: an edited or mistyped account ID is the usual cause, and nothing inside the one record shows it, since a bucket in another account than the recipient's is normal. Redacted (`\"\"`) owners and object entries without an account are not compared. Checked across every file of the run.",
        defaultSeverity: .warning,
        valid: [RuleExample(#"{"Records":[{"eventVersion":"1.09","recipientAccountId":"210987654321","resources":[{"type":"AWS::S3::Bucket","ARN":"arn:aws:s3:::holiday-photos","accountId":"210987654321"}]},{"eventVersion":"1.09","recipientAccountId":"333344445555","sharedEventID":"0c1d2e3f-4a5b-4c6d-8e7f-8091a2b3c4d5","resources":[{"type":"AWS::S3::Object","ARN":"arn:aws:s3:::holiday-photos/2024/beach.jpg"},{"type":"AWS::S3::Bucket","ARN":"arn:aws:s3:::holiday-photos","accountId":"210987654321"}]},{"eventVersion":"1.09","recipientAccountId":"210987654321","resources":[{"type":"AWS::S3::Bucket","ARN":"arn:aws:s3:::holiday-photos","accountId":""}]}]}"#)],
        invalid: [RuleExample(#"{"Records":[{"eventVersion":"1.09","recipientAccountId":"210987654321","resources":[{"type":"AWS::S3::Bucket","ARN":"arn:aws:s3:::holiday-photos","accountId":"210987654321"}]},{"eventVersion":"1.09","recipientAccountId":"210987654321","sharedEventID":"0c1d2e3f-4a5b-4c6d-8e7f-8091a2b3c4d5","resources":[{"type":"AWS::S3::Bucket","ARN":"arn:aws:s3:::holiday-photos","accountId":↓"333344445555"}]},{"eventVersion":"1.09","recipientAccountId":"210987654321","resources":[{"type":"AWS::S3::Bucket","ARN":"arn:aws:s3:::holiday-photos","accountId":"210987654321"}]}]}"#)])

    package init() {}

    package func makeCollector() -> any RunRuleCollector { Collector() }

    /// The bucket owners of one document.
    package final class Collector: RunRuleCollector, @unchecked Sendable {
        // One thread at a time: the worker linting the document, then the run (see `RunRuleCollector`).
        // Read and written on one thread only: no dynamic exclusivity check per access.
        @exclusivity(unchecked) package private(set) var claims = BucketClaims()

        package func collect(_ record: RunRecord, in tree: SyntaxTree) {
            // The pointer's parts, not a closure over the record: a closure made per record cost 3 M instructions
            // on 6,000 records (callgrind).
            BucketOwnerRule.collect(in: tree, record: record.record, resources: record.resources, shift: record.shift,
                                    arrayPointer: record.arrayPointer, index: record.index, into: &claims)
        }

        package func append(_ part: any RunRuleCollector, range map: (TextRange) -> TextRange, pointerPrefix: String?) {
            guard let part = part as? Collector, !part.claims.isEmpty else { return }
            claims.append(part.claims, range: map, pointerPrefix: pointerPrefix ?? "")
        }

        package var isEmpty: Bool { claims.isEmpty }
        package var hasUnplaced: Bool { !claims.unlocated.isEmpty }
        package func place(_ resolver: inout PositionResolver) {
            for place in claims.unlocated {
                let r = claims.range(of: place)
                claims.setPosition(of: place, start: resolver.position(of: r.start), end: resolver.position(of: r.end))
            }
            claims.unlocated.removeAll()
        }
    }

    /// Adds the bucket owners named by `record` (an object of `tree`) to `claims`. `resources`: the record's
    /// `resources` value node when already found (`.some(nil)`: the record has none). Ranges are moved by `shift`
    /// bytes; the record's pointer is `arrayPointer/index` (or `arrayPointer` when `index` is -1), built only for a place that is kept
    /// (`SyntaxTree.pointer(of:)` for each cost 1% of a day's check, callgrind).
    package static func collect(in tree: SyntaxTree, record: Int, resources: Int?? = nil, shift: Int = 0,
                                arrayPointer: String, index: Int, into claims: inout BucketClaims) {
        guard let list = resources ?? tree.member("resources", of: record), tree.kind(list) == .array else { return }
        for (n, element) in tree.children(of: list).enumerated() where tree.kind(element) == .object {
            var arnNode: Int?, accountNode: Int?
            tree.forEachMember(of: element) { k, v in
                if tree.keyIs(k, "ARN") { arnNode = v } else if tree.keyIs(k, "accountId") { accountNode = v }
            }
            guard let arnNode, let accountNode, let arn = tree.plainContent(arnNode),
                  let account = tree.plainContent(accountNode), account.count == 12 else { continue }
            var owner: UInt64 = 0
            var digits = true
            for b in tree.source[account] {
                guard b >= 0x30 && b <= 0x39 else { digits = false; break }
                owner = owner * 10 + UInt64(b - 0x30)
            }
            guard digits else { continue }
            tree.source.withUnsafeBufferPointer { src in
                let text = UnsafeBufferPointer(rebasing: src[arn])
                guard let end = bucketEnd(text) else { return }
                claims.add(bucket: UnsafeBufferPointer(rebasing: text[0..<end]), owner: owner,
                           range: tree.range(accountNode).shifted(by: shift)) {
                    (index >= 0 ? arrayPointer + "/\(index)" : arrayPointer) + "/resources/\(n)/accountId"
                }
            }
        }
    }

    /// For a bucket or object ARN (`arn:PARTITION:s3:::NAME[/KEY]`: no region, no account), the length of its
    /// `arn:PARTITION:s3:::NAME` part; else nil.
    package static func bucketEnd(_ b: UnsafeBufferPointer<UInt8>) -> Int? {
        func matches(_ literal: StaticString, at i: Int) -> Bool {
            literal.withUTF8Buffer { l in i + l.count <= b.count && (0..<l.count).allSatisfy { b[i + $0] == l[$0] } }
        }
        guard matches("arn:", at: 0) else { return nil }
        var i = 4
        while i < b.count, b[i] != UInt8(ascii: ":") { i += 1 }
        guard i > 4, matches(":s3:::", at: i) else { return nil }
        let nameStart = i + 6
        var end = nameStart
        while end < b.count, b[end] != UInt8(ascii: "/") { end += 1 }
        return end > nameStart ? end : nil
    }

    /// The run-level findings, per file (parallel to `outcomes`): every claim whose owner differs from the owner
    /// the run's records give the bucket most often (on a tie, the one seen first).
    package func findings(in documents: [RunRuleDocument]) -> [[LocatedDiagnostic]] {
        let metadata = Self.metadata
        let claims = documents.map { ($0.facts as? Collector)?.claims ?? BucketClaims() }
        var out = [[LocatedDiagnostic]](repeating: [], count: documents.count)
        // Bucket → owner → (count, where first seen as (file, offset)).
        var totals: [String: [UInt64: (count: Int, first: (file: Int, offset: Int))]] = [:]
        for (f, o) in claims.enumerated() {
            for e in o.entries {
                let first = (file: f, offset: e.places.first?.range.start ?? 0)
                var owners = totals[e.bucketText] ?? [:]
                if var t = owners[e.owner] {
                    t.count += e.count
                    if (first.file, first.offset) < (t.first.file, t.first.offset) { t.first = first }
                    owners[e.owner] = t
                } else {
                    owners[e.owner] = (e.count, first)
                }
                totals[e.bucketText] = owners
            }
        }
        // The owner of each bucket that has more than one.
        var ownerOf: [String: (owner: UInt64, count: Int, first: (file: Int, offset: Int))] = [:]
        for (bucket, owners) in totals where owners.count > 1 {
            let best = owners.max { a, b in
                a.value.count != b.value.count ? a.value.count < b.value.count
                    : (a.value.first.file, a.value.first.offset) > (b.value.first.file, b.value.first.offset)
            }!
            ownerOf[bucket] = (best.key, best.value.count, best.value.first)
        }
        guard !ownerOf.isEmpty else { return out }
        for (f, o) in claims.enumerated() {
            for e in o.entries {
                let bucket = e.bucketText
                guard let owner = ownerOf[bucket], owner.owner != e.owner else { continue }
                let name = bucket.split(separator: ":", omittingEmptySubsequences: false).last.map(String.init) ?? bucket
                let ownerText = BucketClaims.Entry.accountText(owner.owner)
                let others = owner.count == 1 ? "another record" : "\(owner.count) other records"
                let ownerPlace = o.entries.first { $0.owner == owner.owner && $0.bucket == e.bucket }?.places.first
                for place in e.places {
                    var message = "bucket `\(name)` is owned by account `\(ownerText)` in \(others) of this run, not `\(e.ownerText)`; an S3 bucket has one owner"
                    var notes: [Note] = []
                    var noteStarts: [LineColumn] = []
                    if let ownerPlace {
                        notes.append(Note(message: "the bucket's owner is given here", range: ownerPlace.range))
                        noteStarts.append(ownerPlace.start.lineColumn)
                    } else if let example = claims[owner.first.file].entries
                                .first(where: { $0.owner == owner.owner && $0.bucket == e.bucket })?.places.first {
                        message += " (for example in `\(documents[owner.first.file].displayName)` at `\(example.pointer)`)"
                    }
                    let d = Diagnostic(rule: metadata.id, severity: metadata.defaultSeverity, message: message,
                                       range: place.range, notes: notes, pointer: place.pointer)
                    out[f].append(LocatedDiagnostic(diagnostic: d, start: place.start.lineColumn, end: place.end.lineColumn,
                                                    noteStarts: noteStarts, sourceLine: nil))
                }
            }
        }
        return out.map { $0.sorted { $0.diagnostic < $1.diagnostic } }
    }
}

/// The owner accounts a document's records give S3 buckets (`resources[].accountId` beside an
/// `arn:PARTITION:s3:::NAME` ARN), for the run-level `bucket-owner` rule: counted per bucket and owner, with the
/// first few places of each kept for reporting, so a file of a million records holds a few entries per bucket.
/// Entries are found by a hash of the bucket's bytes and the owner: no string is built for a repeat (a first
/// version, `String`-keyed with a table per record and every pointer built, cost 4% of a day's check; this one
/// 1.3%, callgrind).
package struct BucketClaims: Sendable {
    package init() {}

    package struct Place: Sendable {
        /// The accountId value's range, in the file's bytes.
        package var range: TextRange
        package var pointer: String
        /// Where `range` starts and ends (see `RunFacts.locate`).
        package var start = PackedPosition()
        package var end = PackedPosition()
    }

    package struct Entry: Sendable {
        /// `arn:PARTITION:s3:::NAME`, as UTF-8.
        package var bucket: [UInt8]
        /// The 12-digit account, as a number.
        package var owner: UInt64
        package var count = 0
        /// The first `BucketClaims.placesKept` places, in document order.
        package var places: [Place] = []
        /// The next entry with the same hash, or -1.
        fileprivate var next = -1

        package var bucketText: String { String(decoding: bucket, as: UTF8.self) }
        package var ownerText: String { Self.accountText(owner) }

        /// Twelve decimal digits, leading zeros kept (an account ID held as a number).
        package static func accountText(_ n: UInt64) -> String {
            let digits = String(n)
            return String(repeating: "0", count: max(0, 12 - digits.count)) + digits
        }
    }

    package private(set) var entries: [Entry] = []
    /// The places added whose positions are not resolved yet, as (entry, place) indices.
    package var unlocated: [(entry: Int32, place: Int32)] = []

    func range(of place: (entry: Int32, place: Int32)) -> TextRange { entries[Int(place.entry)].places[Int(place.place)].range }

    package mutating func setPosition(of place: (entry: Int32, place: Int32), start: PackedPosition, end: PackedPosition) {
        entries[Int(place.entry)].places[Int(place.place)].start = start
        entries[Int(place.entry)].places[Int(place.place)].end = end
    }

    private mutating func keep(_ place: Place, in i: Int) {
        unlocated.append((Int32(truncatingIfNeeded: i), Int32(truncatingIfNeeded: entries[i].places.count)))
        entries[i].places.append(place)
    }
    private var firstByHash: [UInt64: Int] = [:]
    /// The entry of the previous claim: a file's records name the same few buckets over and over.
    private var last = -1

    /// Places kept per bucket and owner in one file; a run reports at most this many per file.
    package static let placesKept = 4

    package var isEmpty: Bool { entries.isEmpty }

    /// Counts one claim; its place (the pointer built only then) is kept while fewer than `placesKept` are.
    package mutating func add(bucket: UnsafeBufferPointer<UInt8>, owner: UInt64, range: TextRange, pointer: () -> String) {
        let i = entry(for: bucket, owner: owner)
        entries[i].count += 1
        if entries[i].places.count < Self.placesKept { keep(Place(range: range, pointer: pointer()), in: i) }
    }

    /// Adds `other` (a JSON Lines line, a Markdown block, a string payload), its ranges mapped by `range` and its
    /// pointers prefixed with `pointerPrefix`.
    package mutating func append(_ other: BucketClaims, range map: (TextRange) -> TextRange, pointerPrefix: String = "") {
        for e in other.entries {
            let i = e.bucket.withUnsafeBufferPointer { entry(for: $0, owner: e.owner) }
            entries[i].count += e.count
            for place in e.places where entries[i].places.count < Self.placesKept {
                keep(Place(range: map(place.range), pointer: pointerPrefix + place.pointer), in: i)
            }
        }
    }

    /// The index of the entry for `bucket` and `owner`, added (with no claims) when there is none.
    private mutating func entry(for bucket: UnsafeBufferPointer<UInt8>, owner: UInt64) -> Int {
        if last >= 0, entries[last].owner == owner, Self.equal(entries[last].bucket, bucket) { return last }
        last = lookUp(bucket, owner: owner)
        return last
    }

    private mutating func lookUp(_ bucket: UnsafeBufferPointer<UInt8>, owner: UInt64) -> Int {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325  // FNV-1a of the bucket, then the owner mixed in
        for b in bucket { hash = (hash ^ UInt64(b)) &* 0x100_0000_01B3 }
        hash ^= owner &* 0x9E37_79B9_7F4A_7C15
        let first = firstByHash[hash] ?? -1
        var i = first
        while i >= 0 {
            if entries[i].owner == owner && Self.equal(entries[i].bucket, bucket) { return i }
            i = entries[i].next
        }
        entries.append(Entry(bucket: Array(bucket), owner: owner, next: first))
        firstByHash[hash] = entries.count - 1
        return entries.count - 1
    }

    private static func equal(_ a: [UInt8], _ b: UnsafeBufferPointer<UInt8>) -> Bool {
        a.count == b.count && (b.isEmpty || a.withUnsafeBufferPointer { memcmp($0.baseAddress!, b.baseAddress!, b.count) == 0 })
    }
}

