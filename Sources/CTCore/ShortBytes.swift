/// Short byte strings as little-endian words.
public enum ShortBytes {
    /// The `count` bytes (1 to 7) that end at `end`, as a little-endian word (the first byte lowest, zero above the
    /// last), read with one load of the eight bytes before `end`, which must all be readable (in JSON text a key
    /// has its opening quote and more before it). Used for the key signatures of the parser and the key lookups
    /// of the record fields, instead of a loop over the bytes.
    @inlinable @inline(__always)
    public static func word(endingAt end: UnsafeRawPointer, count: Int) -> UInt64 {
        let w = UInt64(littleEndian: end.loadUnaligned(fromByteOffset: -8, as: UInt64.self))
        return w >> UInt64(truncatingIfNeeded: (8 &- count) &* 8)
    }
}
