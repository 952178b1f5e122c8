import Synchronization

/// A value made on first use, then read by any thread without a lock: one acquiring load of a pointer (a plain load
/// on x86-64 and a load-acquire on arm64), so that a per-record read of a lazily compiled schema costs what a read
/// of a stored property did. The first readers take a lock, and one of them makes the value.
///
/// The value lives in a box that the slot retains once it is published and releases at `deinit`; a reader's load
/// does not retain it, which is safe because the box is never replaced: it lives as long as the slot, and the
/// reader holds the slot.
final class OnceSlot<Value: Sendable>: Sendable {
    private final class Box: Sendable {
        let value: Value
        init(_ value: Value) { self.value = value }
    }

    private let published = Atomic<Unmanaged<Box>?>(nil)
    private let making = Mutex<Void>(())

    init() {}

    /// The value, made by `make` if no call made it before (`make` runs once per slot, under the slot's lock).
    @inline(__always)
    func value(_ make: () -> Value) -> Value {
        if let box = published.load(ordering: .acquiring) { return box.takeUnretainedValue().value }
        return firstValue(make)
    }

    /// `body` applied to the value (made by `make` if no call made it before), read in place: neither the box nor
    /// the value is retained, which a copy of a value holding references does (for the identity schemas' two
    /// compiled schemas, 450 instructions per record, callgrind).
    @inline(__always)
    func withValue<R>(_ make: () -> Value, _ body: (borrowing Value) -> R) -> R {
        let box = published.load(ordering: .acquiring) ?? firstBox(make)
        return box._withUnsafeGuaranteedRef { body($0.value) }
    }

    /// The value if it was made, without making it.
    var madeValue: Value? { published.load(ordering: .acquiring)?.takeUnretainedValue().value }

    @inline(never)
    private func firstValue(_ make: () -> Value) -> Value {
        firstBox(make).takeUnretainedValue().value
    }

    @inline(never)
    private func firstBox(_ make: () -> Value) -> Unmanaged<Box> {
        making.withLock { _ in
            if let box = published.load(ordering: .acquiring) { return box }
            let box = Unmanaged.passRetained(Box(make()))
            published.store(box, ordering: .releasing)
            return box
        }
    }

    deinit {
        published.load(ordering: .acquiring)?.release()
    }
}
