import Testing
@testable import CTInput

@Suite(.enabled(if: GzipTool.isAvailable, "needs /bin/gzip"))
struct GzipTests {
    @Test func detectsMagic() {
        #expect(Gzip.isGzip([0x1F, 0x8B, 0x08]))
        #expect(Gzip.isGzip([0x1F, 0x8B]))
        #expect(!Gzip.isGzip([0x1F]))
        #expect(!Gzip.isGzip([]))
        #expect(!Gzip.isGzip(Array("{\"Records\":[]}".utf8)))
    }

    /// One member held whole is inflated by libdeflate in one call, to the same bytes as zlib's streaming path; two
    /// members, padding or a damaged trailer are left to zlib (nil).
    @Test func wholeMembersTakeLibdeflate() throws {
        let text = Array(String(repeating: #"{"eventID":"0b0a4d6c-31c4-4f44-9c6e-8f2a3b1c2d3e","n":12345},"#, count: 500).utf8)
        let packed = try Gzip.compress(text).get()
        #expect(WholeInflate.member(packed, size: text.count) == text)
        var streamed: [UInt8] = []
        #expect(Gzip.decompress(packed, chunk: { streamed.append(contentsOf: $0) }) == nil)
        #expect(streamed == text)
        #expect(WholeInflate.member(packed + packed, size: text.count) == nil)
        #expect(WholeInflate.member(packed + [0, 0, 0], size: text.count) == nil)
        #expect(WholeInflate.member(packed, size: text.count - 1) == nil)
        var damaged = packed
        damaged[damaged.count - 8] ^= 0xFF
        #expect(WholeInflate.member(damaged, size: text.count) == nil)
        #expect(try Gzip.decompress(packed + packed).get() == text + text)
    }

    @Test func roundTripsOneMember() throws {
        let original = sampleText(lines: 5000)
        let compressed = try GzipTool.compress(original)
        #expect(compressed.count < original.count)
        #expect(try Gzip.decompress(compressed).get() == original)
    }

    @Test func compressesIntoAStreamGzipReads() throws {
        for original in [sampleText(lines: 3000), [], Array("{\"Records\":[]}".utf8)] {
            let packed = try Gzip.compress(original).get()
            #expect(Gzip.isGzip(packed))
            #expect(try Gzip.decompress(packed).get() == original)
            #expect(try GzipTool.decompress(packed) == original)
        }
    }

    @Test func roundTripsEmptyPayload() throws {
        let compressed = try GzipTool.compress([])
        #expect(try Gzip.decompress(compressed).get() == [])
    }

    @Test func roundTripsLargeHighlyCompressibleData() throws {
        let original = [UInt8](repeating: 0x20, count: 6_000_000) + Array("end".utf8)
        let compressed = try GzipTool.compress(original, level: 9)
        #expect(compressed.count < 20_000)
        #expect(try Gzip.decompress(compressed).get() == original)
    }

    @Test func concatenatedMembersDecompressToConcatenatedPayloads() throws {
        let first = Array("{\"Records\":[{\"a\":1}]}\n".utf8)
        let second = sampleText(lines: 300)
        let third = Array("tail".utf8)
        let stream = try GzipTool.compress(first) + GzipTool.compress(second) + GzipTool.compress(third)
        #expect(try Gzip.decompress(stream).get() == first + second + third)
    }

    @Test func zeroPaddingAfterLastMemberIsTolerated() throws {
        let payload = sampleText(lines: 10)
        let stream = try GzipTool.compress(payload) + [UInt8](repeating: 0, count: 512)
        #expect(try Gzip.decompress(stream).get() == payload)
    }

    @Test func garbageAfterMemberIsReportedAtItsOffset() throws {
        let member = try GzipTool.compress(sampleText(lines: 10))
        let result = Gzip.decompress(member + Array("junk".utf8))
        guard case .failure(let error) = result else { Issue.record("expected failure"); return }
        #expect(error.kind == .trailingGarbage)
        #expect(error.offset == member.count)
    }

    @Test func truncatedStreamIsAnError() throws {
        let compressed = try GzipTool.compress(sampleText(lines: 2000))
        for cut in [compressed.count - 1, compressed.count - 8, compressed.count / 2, 11] {
            let result = Gzip.decompress(Array(compressed[..<cut]))
            guard case .failure(let error) = result else { Issue.record("cut \(cut) decompressed"); continue }
            #expect(error.kind == .truncated, "cut \(cut): \(error)")
            #expect(error.offset == cut)
            #expect(error.description.contains("ends unexpectedly"))
        }
    }

    @Test func truncatedSecondMemberIsAnError() throws {
        let first = try GzipTool.compress(sampleText(lines: 50))
        let second = try GzipTool.compress(sampleText(lines: 50, seed: 7))
        let result = Gzip.decompress(first + second.dropLast(4))
        guard case .failure(let error) = result else { Issue.record("expected failure"); return }
        #expect(error.kind == .truncated)
        #expect(error.offset == first.count + second.count - 4)
    }

    @Test func corruptHeaderIsAnError() throws {
        var badMethod = try GzipTool.compress(sampleText(lines: 20))
        badMethod[2] = 7  // compression method must be 8 (deflate)
        guard case .failure(let methodError) = Gzip.decompress(badMethod) else {
            Issue.record("expected failure"); return
        }
        #expect(methodError.kind == .corrupt)
        #expect(methodError.offset <= 10)
        #expect(methodError.message.contains("method"))

        var badMagic = try GzipTool.compress(sampleText(lines: 20))
        badMagic[1] = 0x8C
        guard case .failure(let magicError) = Gzip.decompress(badMagic) else { Issue.record("expected failure"); return }
        #expect(magicError.kind == .corrupt)
        #expect(magicError.offset <= 2)
    }

    @Test func corruptBodyAndChecksumAreErrors() throws {
        let original = sampleText(lines: 500)
        var badCRC = try GzipTool.compress(original)
        badCRC[badCRC.count - 6] ^= 0xFF  // inside the CRC-32 trailer
        guard case .failure(let crcError) = Gzip.decompress(badCRC) else { Issue.record("expected failure"); return }
        #expect(crcError.kind == .corrupt)
        #expect(crcError.message.contains("check"))

        var badBlock = try GzipTool.compress(original)
        badBlock[10] = 0xFF  // first deflate block header: BTYPE 11 is reserved
        guard case .failure(let blockError) = Gzip.decompress(badBlock) else { Issue.record("expected failure"); return }
        #expect(blockError.kind == .corrupt)
        #expect(blockError.offset >= 10 && blockError.offset < 16)
    }

    @Test func emptyInputIsAnError() {
        guard case .failure(let error) = Gzip.decompress([]) else { Issue.record("expected failure"); return }
        #expect(error.kind == .empty)
        #expect(error.offset == 0)
    }

    @Test func outputLimitIsEnforced() throws {
        let compressed = try GzipTool.compress([UInt8](repeating: 0x41, count: 1_000_000))
        guard case .failure(let error) = Gzip.decompress(compressed, maxOutputBytes: 100_000) else {
            Issue.record("expected failure"); return
        }
        #expect(error.kind == .tooLarge)
        #expect(try Gzip.decompress(compressed, maxOutputBytes: 1_000_000).get().count == 1_000_000)
    }

    @Test func streamingVariantDeliversBoundedChunks() throws {
        let original = sampleText(lines: 40_000)
        let compressed = try GzipTool.compress(original) + GzipTool.compress(original)
        var collected: [UInt8] = []
        var largest = 0
        var pieces = 0
        let error = Gzip.decompress(compressed) { chunk in
            collected.append(contentsOf: chunk)
            largest = max(largest, chunk.count)
            pieces += 1
        }
        #expect(error == nil)
        #expect(collected == original + original)
        #expect(largest <= 1 << 18)
        #expect(pieces > 2)
    }

    @Test func inflaterAcceptsOneByteAtATime() throws {
        let original = sampleText(lines: 200)
        let compressed = try GzipTool.compress(original) + GzipTool.compress(Array("x".utf8))
        let inflater = GzipInflater(outputBufferSize: 1024)
        var output: [UInt8] = []
        var position = 0
        loop: while true {
            switch inflater.inflateNext({ output.append(contentsOf: $0) }) {
            case .produced: continue
            case .needsInput:
                if position < compressed.count {
                    inflater.supply(compressed[position..<(position + 1)])
                    position += 1
                } else {
                    inflater.endInput()
                }
            case .finished: break loop
            case .failed(let error): Issue.record("\(error)"); break loop
            }
        }
        #expect(output == original + Array("x".utf8))
        #expect(inflater.consumedBytes == compressed.count)
    }

    @Test func initialCapacityUsesTrailerWhenPlausible() throws {
        let original = sampleText(lines: 1000)
        let compressed = try GzipTool.compress(original)
        #expect(Gzip.initialCapacity(forCompressed: compressed, limit: .max) == original.count)
        #expect(Gzip.initialCapacity(forCompressed: compressed, limit: 10) == 10)
    }
}
