import CTCore

/// Byte strings (object keys, enum values) mapped to small integer ids, for lookups on the hot path.
///
/// A key is summarised by its length and two little-endian words: its first eight bytes and its last
/// eight (zero-padded below eight bytes). For keys up to 16 bytes those three numbers *are* the key, so
/// a lookup is one hash of two words, one probe and three integer compares; longer keys compare their
/// middle bytes on a hit. Measured on 12,530 generated records (about 250,000 property lookups): the
/// FNV-1a table with `[UInt8]` entries took 5.3% of a full check, this one well under 1%.
public struct ByteKeyTable: Sendable {
    @usableFromInline
    struct Entry: Sendable {
        @usableFromInline var length: Int
        @usableFromInline var head: UInt64
        @usableFromInline var tail: UInt64
        /// Offset of the key's bytes in `bytes` (used for keys longer than 16 bytes).
        @usableFromInline var offset: Int
        @usableFromInline var id: Int
    }

    /// The lookup tables in manually allocated memory, immutable once built: copying a table (schema nodes
    /// are read in place, but optional bindings copy) costs one retain instead of one per array.
    @usableFromInline
    final class Storage: @unchecked Sendable {
        @usableFromInline let entries: UnsafeMutablePointer<Entry>
        @usableFromInline let entryCount: Int
        @usableFromInline let bytes: UnsafeMutablePointer<UInt8>
        @usableFromInline let byteCount: Int
        /// Slot → entry index + 1 (0 = empty).
        @usableFromInline let slots: UnsafeMutablePointer<Int32>
        @usableFromInline let mask: Int
        @usableFromInline let shift: UInt64

        init(entries: [Entry], bytes: [UInt8], slots: [Int32], shift: UInt64) {
            self.entries = .allocate(capacity: max(1, entries.count))
            self.entries.initialize(from: entries, count: entries.count)
            entryCount = entries.count
            byteCount = bytes.count
            self.bytes = .allocate(capacity: max(1, bytes.count))
            self.bytes.initialize(from: bytes, count: bytes.count)
            self.slots = .allocate(capacity: slots.count)
            self.slots.initialize(from: slots, count: slots.count)
            mask = slots.count - 1
            self.shift = shift
        }

        @usableFromInline
        func middleEquals(_ e: Entry, _ p: UnsafePointer<UInt8>) -> Bool {
            var i = 8
            while i < e.length - 8 {
                if bytes[e.offset + i] != p[i] { return false }
                i += 1
            }
            return true
        }

        deinit {
            entries.deallocate()
            bytes.deallocate()
            slots.deallocate()
        }
    }

    // Read by the inlinable lookups: since the table moved out of the schema engine's module, a lookup that is not
    // inlined into its caller cost 19 M instructions on 6,000 records (callgrind).
    @usableFromInline private(set) var storage: Storage?

    /// Number of distinct keys.
    public var count: Int { storage?.entryCount ?? 0 }
    public var isEmpty: Bool { storage == nil }

    public init() {}

    /// A table of `keys`; each key's id is its position. A repeated key keeps its first id.
    ///
    /// Built once: the same table as inserting the keys one by one, but `insert` rebuilds the table each time, and
    /// the schema compiler's tables (a record schema's 40 properties, its `required`, `enum`s) cost 2.6 M
    /// instructions of a check of a 5-record file that way (callgrind).
    public init(_ keys: [[UInt8]]) {
        guard !keys.isEmpty else { self.init(); return }
        var entries: [Entry] = []
        var bytes: [UInt8] = []
        entries.reserveCapacity(keys.count)
        for (id, key) in keys.enumerated() {
            let (head, tail) = key.withUnsafeBufferPointer { ByteKeyTable.words($0.baseAddress, $0.count) }
            let repeated = entries.contains { e in
                e.length == key.count && e.head == head && e.tail == tail
                    && (key.count <= 16 || bytes[e.offset ..< e.offset + e.length].elementsEqual(key))
            }
            if repeated { continue }
            entries.append(Entry(length: key.count, head: head, tail: tail, offset: bytes.count, id: id))
            bytes.append(contentsOf: key)
        }
        self.init(entries: entries, bytes: bytes)
    }

    /// The table of `entries` (distinct keys), laid out as `insert` lays it out.
    private init(entries: [Entry], bytes: [UInt8]) {
        var size = 8
        var bits: UInt64 = 3
        while size < entries.count * 4 { size *= 2; bits += 1 }
        let shift = 64 - bits
        var slots = [Int32](repeating: 0, count: size)
        for (i, e) in entries.enumerated() {
            var slot = ByteKeyTable.slot(e.length, e.head, e.tail, shift)
            while slots[slot] != 0 { slot = (slot + 1) & (size - 1) }
            slots[slot] = Int32(i + 1)
        }
        storage = Storage(entries: entries, bytes: bytes, slots: slots, shift: shift)
    }

    /// A table of ASCII or UTF-8 `keys`; each key's id is its position.
    public init(strings keys: [String]) {
        self.init(keys.map { Array($0.utf8) })
    }

    /// Adds `key` with `id` unless the key is already present.
    public mutating func insert(_ key: [UInt8], id: Int) {
        let (head, tail) = key.withUnsafeBufferPointer { ByteKeyTable.words($0.baseAddress, $0.count) }
        if lookup(key) != nil { return }
        var entries = storage.map { Array(UnsafeBufferPointer(start: $0.entries, count: $0.entryCount)) } ?? []
        var bytes = storage.map { Array(UnsafeBufferPointer(start: $0.bytes, count: $0.byteCount)) } ?? []
        entries.append(Entry(length: key.count, head: head, tail: tail, offset: bytes.count, id: id))
        bytes.append(contentsOf: key)
        self = ByteKeyTable(entries: entries, bytes: bytes)
    }

    /// A view of the table's memory: a plain value (no reference to count), valid while this table or a copy
    /// of it is alive. Schema nodes keep one beside their table so that the validator, which reads nodes in
    /// place through pointers, never copies a reference (each copy was a retain and a release).
    public struct View: @unchecked Sendable {
        @usableFromInline let entries: UnsafePointer<Entry>?
        @usableFromInline let bytes: UnsafePointer<UInt8>?
        @usableFromInline let slots: UnsafePointer<Int32>?
        @usableFromInline let mask: Int
        @usableFromInline let shift: UInt64

        public init() { entries = nil; bytes = nil; slots = nil; mask = 0; shift = 63 }

        init(_ s: Storage) {
            entries = UnsafePointer(s.entries)
            bytes = UnsafePointer(s.bytes)
            slots = UnsafePointer(s.slots)
            mask = s.mask
            shift = s.shift
        }

        /// The id of the `count` bytes at `p`, or nil. Inlinable: the record fields look up some 30 keys per
        /// record from another module (the calls cost 0.9 M instructions on 6,000 records, callgrind).
        @inlinable @inline(__always)
        public func lookup(_ p: UnsafePointer<UInt8>?, _ count: Int) -> Int? {
            lookup(p, count, words: ByteKeyTable.words(p, count))
        }

        /// `lookup(p, count)` for bytes that lie at least eight bytes into their buffer (a key in JSON text, not at
        /// its very start), so that a key shorter than eight bytes is read with one load of the eight bytes that
        /// end with it (-1.1 M instructions on 6,000 records in the record fields, callgrind).
        @inlinable @inline(__always)
        public func lookupAfterEightBytes(_ p: UnsafePointer<UInt8>, _ count: Int) -> Int? {
            guard count > 0 && count < 8 else { return lookup(p, count) }
            return lookup(p, count, words: (ShortBytes.word(endingAt: UnsafeRawPointer(p + count), count: count), 0))
        }

        @inlinable @inline(__always)
        func lookup(_ p: UnsafePointer<UInt8>?, _ count: Int, words: (UInt64, UInt64)) -> Int? {
            guard let slots, let entries else { return nil }
            let (head, tail) = words
            var slot = ByteKeyTable.slot(count, head, tail, shift)
            while true {
                let s = Int(slots[slot])
                if s == 0 { return nil }
                let e = entries[s - 1]
                if e.length == count && e.head == head && e.tail == tail && (count <= 16 || middleEquals(e, p!)) { return e.id }
                slot = (slot + 1) & mask
            }
        }

        @inlinable @inline(__always)
        public func lookup(_ key: UnsafeBufferPointer<UInt8>) -> Int? { lookup(key.baseAddress, key.count) }

        @usableFromInline
        func middleEquals(_ e: Entry, _ p: UnsafePointer<UInt8>) -> Bool {
            var i = 8
            while i < e.length - 8 {
                if bytes![e.offset + i] != p[i] { return false }
                i += 1
            }
            return true
        }
    }

    /// See `View`.
    public var view: View { storage.map(View.init) ?? View() }

    /// The id of `key`, or nil.
    public func lookup(_ key: [UInt8]) -> Int? {
        key.withUnsafeBufferPointer { lookup($0) }
    }

    /// The id of the key held in `key`, or nil.
    @inlinable @inline(__always)
    public func lookup(_ key: UnsafeBufferPointer<UInt8>) -> Int? {
        lookup(key.baseAddress, key.count)
    }

    /// The id of the `count` bytes at `p`, or nil.
    @inlinable @inline(__always)
    public func lookup(_ p: UnsafePointer<UInt8>?, _ count: Int) -> Int? {
        guard let t = storage else { return nil }
        let (head, tail) = ByteKeyTable.words(p, count)
        var slot = ByteKeyTable.slot(count, head, tail, t.shift)
        while true {
            let s = Int(t.slots[slot])
            if s == 0 { return nil }
            let e = t.entries[s - 1]
            if e.length == count && e.head == head && e.tail == tail && (count <= 16 || t.middleEquals(e, p!)) { return e.id }
            slot = (slot + 1) & t.mask
        }
    }

    @inlinable @inline(__always)
    static func slot(_ length: Int, _ head: UInt64, _ tail: UInt64, _ shift: UInt64) -> Int {
        let h = (head &* 0x9E37_79B9_7F4A_7C15) ^ (tail &* 0xC2B2_AE3D_27D4_EB4F) ^ (UInt64(length) &* 0x1656_67B1_9E37_79F9)
        let m = (h ^ (h >> 29)) &* 0xBF58_476D_1CE4_E5B9
        return Int(truncatingIfNeeded: m >> shift)
    }

    /// The first and last eight bytes as little-endian words; shorter keys fill `head` and leave `tail` 0.
    @inlinable @inline(__always)
    public static func words(_ p: UnsafePointer<UInt8>?, _ count: Int) -> (UInt64, UInt64) {
        guard let p, count > 0 else { return (0, 0) }
        if count >= 8 {
            let raw = UnsafeRawPointer(p)
            return (UInt64(littleEndian: raw.loadUnaligned(as: UInt64.self)),
                    UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: count - 8, as: UInt64.self)))
        }
        var head: UInt64 = 0
        var i = count - 1
        while i >= 0 { head = head << 8 | UInt64(p[i]); i -= 1 }
        return (head, 0)
    }
}
