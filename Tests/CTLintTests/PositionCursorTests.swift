import CTCore
import Testing

/// `PositionCursor` (positions as the bytes pass, block by block) agrees with `LineIndex` (positions from a whole
/// document) on every offset: line breaks of each kind, multibyte text, breaks at the edges of its blocks, and
/// moves of every size.
@Suite struct PositionCursorTests {
    /// Deterministic bytes of JSON-like text with `\n`, `\r\n`, lone `\r`, tabs and 2-, 3- and 4-byte scalars.
    static func sample(seed: UInt64, count: Int) -> [UInt8] {
        var state = seed
        var out: [UInt8] = []
        let pieces: [[UInt8]] = [Array("{\"eventID\":\"".utf8), Array("abcdefghijklmnopqrstuvwxyz0123456789".utf8), [0x0A], [0x0D, 0x0A], [0x0D],
                                 [0x09], Array("é".utf8), Array("€".utf8), Array("😀".utf8), Array("\",".utf8), [0x20, 0x20, 0x20]]
        while out.count < count {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            let piece = pieces[Int(state >> 33) % pieces.count]
            let repeats = piece.count > 20 ? Int((state >> 20) % 3) + 1 : 1
            for _ in 0..<repeats { out += piece }
        }
        return out
    }

    @Test(arguments: [1, 2, 3, 4, 5] as [UInt64])
    func agreesWithTheLineIndex(seed: UInt64) {
        let bytes = Self.sample(seed: seed, count: 3_000)
        let index = LineIndex(bytes)
        // Moves of growing and varying sizes, so that blocks of 16 and 32 bytes start anywhere.
        var cursor = PositionCursor()
        var offset = 0
        var step = 1
        bytes.withUnsafeBufferPointer { window in
            while offset <= bytes.count {
                let at = cursor.move(to: offset, in: window, windowBase: 0)
                #expect(at == index.location(of: offset), "offset \(offset), seed \(seed)")
                #expect(cursor.lineStart(next: offset < bytes.count ? bytes[offset] : nil)
                        == index.lineStarts[index.location(of: offset).line - 1], "line start at \(offset)")
                offset += step
                step = step % 37 + 1
            }
        }
    }

    /// A plain run (one line of ASCII) counted by `skipPlain` ends where a scan ends, also after a `\r`.
    @Test func skippingPlainBytesMatchesScanningThem() {
        let bytes = Array("{\"a\":1}\r{\"eventID\":\"0b0a4d6c\",\"b\":[1,2,3]}\n".utf8)
        let index = LineIndex(bytes)
        bytes.withUnsafeBufferPointer { window in
            var scanned = PositionCursor(), counted = PositionCursor()
            _ = scanned.move(to: 8, in: window, windowBase: 0)
            _ = counted.move(to: 8, in: window, windowBase: 0)
            _ = scanned.move(to: 30, in: window, windowBase: 0)
            counted.skipPlain(22)
            #expect(scanned.position(next: bytes[30]) == counted.position(next: bytes[30]))
            #expect(counted.position(next: bytes[30]) == index.location(of: 30))
            var resolver = PositionResolver(from: PositionCursor(offset: 8, line: 2), in: window, windowBase: 0, plainUpTo: 46)
            #expect(resolver.position(of: 20).lineColumn == index.location(of: 20))
            #expect(resolver.position(of: 12).lineColumn == index.location(of: 12))
        }
    }
}
