#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Strings that passed a schema node's string checks (`pattern`, `format`, `minLength`, `maxLength`), and small
/// objects that passed a node, remembered per thread so that a value seen again skips the checks: a log repeats
/// its account IDs, regions, principal ARNs, timestamps, `tlsDetails` and session issuers record after record.
/// Validation is a function of the node and the value's bytes alone, so a remembered pass is exact; only passes
/// are remembered (a failure is checked again, to be reported).
///
/// A value is remembered on its second sighting (a filter of hashes notes the first): event IDs, access key IDs
/// and other values that never repeat would otherwise push out the ones that do.
///
/// Each thread has its own memo (`ValidatorThreadScratch.current`), so there is no sharing and no lock; a
/// validation pass reads it through a `View` of plain pointers. The one type of CTSchema's validator that writes
/// memory without checks: every index is masked to the table's size and every copy is bounded by `maxBytes`.
///
/// Measured (callgrind, 6,000 generated records, 9.8 MB): the string checks took 36.9 M instructions without the
/// memo and 28.8 M with it (503.3 M -> 497.5 M for the whole check); their DFA byte loops, 4,932 principal ARNs of
/// 879 distinct values among them, were most of the difference. Objects of up to 128 bytes saved 2.8 M more, up
/// to 256 bytes 7.1 M (512 bytes: less, as more objects that never repeat are hashed).
final class StringCheckMemo: @unchecked Sendable {
    /// Slots of remembered strings (a power of two), direct-mapped by hash.
    static let slotCount = 1024
    /// Entries of the first-sighting filter (a power of two).
    static let filterCount = 4096
    /// The longest value remembered, in bytes (a string's content, an object's text).
    static let maxBytes = 256

    /// Per slot: the node key (0: empty), the hash, the length in bytes; then `maxBytes` bytes per slot.
    private let keys: UnsafeMutablePointer<UInt>
    private let hashes: UnsafeMutablePointer<UInt64>
    private let lengths: UnsafeMutablePointer<Int>
    private let bytes: UnsafeMutablePointer<UInt8>
    private let filter: UnsafeMutablePointer<UInt64>

    init() {
        keys = .allocate(capacity: Self.slotCount)
        keys.initialize(repeating: 0, count: Self.slotCount)
        hashes = .allocate(capacity: Self.slotCount)
        hashes.initialize(repeating: 0, count: Self.slotCount)
        lengths = .allocate(capacity: Self.slotCount)
        lengths.initialize(repeating: 0, count: Self.slotCount)
        // Not initialised: a slot's bytes are read only after `notePass` has written them.
        bytes = .allocate(capacity: Self.slotCount * Self.maxBytes)
        filter = .allocate(capacity: Self.filterCount)
        filter.initialize(repeating: 0, count: Self.filterCount)
    }

    deinit {
        keys.deallocate()
        hashes.deallocate()
        lengths.deallocate()
        bytes.deallocate()
        filter.deallocate()
    }

    /// The memo's tables as a plain value, valid while the memo is alive (the thread's memo lives as long as the
    /// thread).
    var view: View { View(keys: keys, hashes: hashes, lengths: lengths, bytes: bytes, filter: filter) }

    struct View {
        let keys: UnsafeMutablePointer<UInt>
        let hashes: UnsafeMutablePointer<UInt64>
        let lengths: UnsafeMutablePointer<Int>
        let bytes: UnsafeMutablePointer<UInt8>
        let filter: UnsafeMutablePointer<UInt64>

        /// The hash of `b` (at most `maxBytes` long) under node key `key`.
        @inline(__always)
        static func hash(_ key: UInt, _ b: UnsafeBufferPointer<UInt8>) -> UInt64 {
            var h = UInt64(key) &* 0x9E37_79B9_7F4A_7C15 ^ UInt64(b.count)
            guard let p = b.baseAddress else { return h }
            let raw = UnsafeRawPointer(p)
            let count = b.count
            var i = 0
            while i &+ 8 <= count {
                h = (h ^ raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)) &* 0xBF58_476D_1CE4_E5B9
                i &+= 8
            }
            if i < count {
                var tail: UInt64 = 0
                if count >= 8 {
                    tail = raw.loadUnaligned(fromByteOffset: count &- 8, as: UInt64.self)
                } else {
                    while i < count { tail = tail << 8 | UInt64(p[i]); i &+= 1 }
                }
                h = (h ^ tail) &* 0x94D0_49BB_1331_11EB
            }
            return h ^ (h >> 31)
        }

        /// True when `b` was remembered as passing the checks of node key `key`.
        @inline(__always)
        func contains(_ key: UInt, _ hash: UInt64, _ b: UnsafeBufferPointer<UInt8>) -> Bool {
            let slot = Int(truncatingIfNeeded: hash) & (StringCheckMemo.slotCount &- 1)
            guard keys[slot] == key, hashes[slot] == hash, lengths[slot] == b.count else { return false }
            guard let p = b.baseAddress else { return true }
            return memcmp(bytes + slot &* StringCheckMemo.maxBytes, p, b.count) == 0
        }

        /// Notes that `b` passed the checks of node key `key`: remembered if it was seen before.
        @inline(__always)
        func notePass(_ key: UInt, _ hash: UInt64, _ b: UnsafeBufferPointer<UInt8>) {
            let f = Int(truncatingIfNeeded: hash >> 20) & (StringCheckMemo.filterCount &- 1)
            guard filter[f] == hash else { filter[f] = hash; return }
            guard b.count <= StringCheckMemo.maxBytes else { return }
            let slot = Int(truncatingIfNeeded: hash) & (StringCheckMemo.slotCount &- 1)
            keys[slot] = key
            hashes[slot] = hash
            lengths[slot] = b.count
            if let p = b.baseAddress { (bytes + slot &* StringCheckMemo.maxBytes).update(from: p, count: b.count) }
        }
    }

}

/// What a thread's validation passes keep from one pass to the next: the string memo and the memory of the member
/// indexes (`Run.with` allocated 10 KB for them per pass: an aligned allocation and a free per record, 4.4 M
/// instructions on 6,000 records, callgrind). One per thread, made on first use and released when the thread ends.
final class ValidatorThreadScratch: @unchecked Sendable {
    let memo = StringCheckMemo()
    /// Room for the member indexes of one pass, in bytes.
    static let indexBytes = 16 << 10
    let indexMemory = UnsafeMutableRawPointer.allocate(byteCount: ValidatorThreadScratch.indexBytes, alignment: 16)
    /// A pass holds `indexMemory` (a pass started inside another one then allocates its own).
    var indexInUse = false

    deinit { indexMemory.deallocate() }

    private static let threadKey: pthread_key_t = {
        var key = pthread_key_t()
        pthread_key_create(&key) { scratch in
            #if canImport(Darwin)
            Unmanaged<ValidatorThreadScratch>.fromOpaque(scratch).release()
            #else
            if let scratch { Unmanaged<ValidatorThreadScratch>.fromOpaque(scratch).release() }
            #endif
        }
        return key
    }()

    /// The calling thread's scratch.
    static var current: ValidatorThreadScratch {
        let key = threadKey
        if let raw = pthread_getspecific(key) { return Unmanaged<ValidatorThreadScratch>.fromOpaque(raw).takeUnretainedValue() }
        let scratch = ValidatorThreadScratch()
        pthread_setspecific(key, Unmanaged.passRetained(scratch).toOpaque())
        return scratch
    }
}
