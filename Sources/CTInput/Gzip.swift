import CDeflate
import CZlib

/// Why a gzip stream could not be decompressed, and where it broke.
package struct GzipError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The broad class of failure.
    package enum Kind: String, Sendable, Hashable {
        /// The input holds no bytes at all.
        case empty
        /// The compressed data ends before the last member's trailer.
        case truncated
        /// The header, compressed blocks or trailer (CRC-32, length) are invalid.
        case corrupt
        /// Bytes after a complete member are neither another member nor zero padding.
        case trailingGarbage
        /// The decompressed size exceeds the caller's limit.
        case tooLarge
        /// zlib could not allocate memory.
        case outOfMemory
    }

    package var kind: Kind
    /// A short human explanation, e.g. "invalid block type" or "compressed data ends unexpectedly".
    package var message: String
    /// 0-based byte offset into the *compressed* input where the problem was detected.
    package var offset: Int

    package init(kind: Kind, message: String, offset: Int) {
        self.kind = kind
        self.message = message
        self.offset = offset
    }

    package var description: String { "\(message) (at compressed byte \(offset))" }
}

/// gzip (RFC 1952) detection and decompression, including multi-member streams.
package enum Gzip {
    /// Whether `bytes` starts with the gzip magic number `1f 8b`.
    package static func isGzip(_ bytes: some Collection<UInt8>) -> Bool {
        var iterator = bytes.makeIterator()
        return iterator.next() == 0x1F && iterator.next() == 0x8B
    }

    /// Decompresses a whole gzip stream (one or more concatenated members; trailing zero bytes are
    /// tolerated, as gzip(1) does).
    ///
    /// - Parameter maxOutputBytes: fails with `.tooLarge` once the output would exceed this many bytes.
    package static func decompress(_ bytes: [UInt8], maxOutputBytes: Int = .max) -> Result<[UInt8], GzipError> {
        let capacity = initialCapacity(forCompressed: bytes, limit: maxOutputBytes)
        if let whole = WholeInflate.member(bytes, size: capacity) { return .success(whole) }
        let inflater = GzipInflater(outputBufferSize: min(1 << 18, capacity + 4096))
        inflater.supply(bytes[...])
        inflater.endInput()
        // zlib writes straight into the result up to the expected size (the ISIZE trailer, usually exact): copying
        // each piece out of the inflater's own buffer was 1.3% of a day's check (callgrind).
        var failure: GzipError?
        var finished = false
        var output = [UInt8](unsafeUninitializedCapacity: capacity) { buffer, count in
            var filled = 0
            while filled < buffer.count {
                let step = inflater.inflateNext(into: UnsafeMutableBufferPointer(rebasing: buffer[filled...]))
                filled += step.count
                switch step.status {
                case .produced: continue
                case .finished: finished = true
                case .failed(let error): failure = error
                case .needsInput: failure = GzipError(kind: .truncated, message: "compressed data ends unexpectedly",
                                                      offset: inflater.consumedBytes)
                }
                break
            }
            count = filled
        }
        if let failure { return .failure(failure) }
        if finished { return .success(output) }
        // More than expected (a wrong or wrapped ISIZE, several members): the rest piece by piece.
        let rest = drain(inflater, produced: output.count, maxOutputBytes: maxOutputBytes) { output.append(contentsOf: $0) }
        if let rest { return .failure(rest) }
        return .success(output)
    }

    /// Decompresses a whole gzip stream, handing each decompressed piece (at most 256 KiB) to `chunk`
    /// as soon as it is produced. Pieces delivered before an error are valid output.
    ///
    /// - Returns: `nil` on success, otherwise the error that stopped decompression.
    package static func decompress(
        _ bytes: [UInt8],
        maxOutputBytes: Int = .max,
        pieceSize: Int = 1 << 18,
        chunk: (UnsafeBufferPointer<UInt8>) -> Void
    ) -> GzipError? {
        let inflater = GzipInflater(outputBufferSize: pieceSize)
        inflater.supply(bytes[...])
        inflater.endInput()
        return drain(inflater, produced: 0, maxOutputBytes: maxOutputBytes, chunk: chunk)
    }

    /// Hands the rest of `inflater`'s output to `chunk` piece by piece; `produced` bytes were delivered before.
    private static func drain(_ inflater: GzipInflater, produced alreadyProduced: Int, maxOutputBytes: Int,
                              chunk: (UnsafeBufferPointer<UInt8>) -> Void) -> GzipError? {
        var produced = alreadyProduced
        while true {
            var overLimit = false
            let status = inflater.inflateNext { piece in
                produced += piece.count
                if produced > maxOutputBytes { overLimit = true } else { chunk(piece) }
            }
            if overLimit {
                return GzipError(kind: .tooLarge, message: "decompressed data exceeds \(maxOutputBytes) bytes",
                                 offset: inflater.consumedBytes)
            }
            switch status {
            case .produced: continue
            case .finished: return nil
            case .failed(let error): return error
            case .needsInput:
                // Cannot happen after endInput(); report as truncation rather than loop.
                return GzipError(kind: .truncated, message: "compressed data ends unexpectedly",
                                 offset: inflater.consumedBytes)
            }
        }
    }

    /// Compresses `bytes` into one gzip member (deflate at `level`, no file name, modification time 0), then
    /// decompresses the result and compares it with `bytes`: what is returned is known to give the input back.
    /// Used by `fix` to write a repaired `.json.gz` file.
    package static func compress(_ bytes: [UInt8], level: Int32 = 6) -> Result<[UInt8], GzipError> {
        guard bytes.count <= Int(UInt32.max) else {
            return .failure(GzipError(kind: .tooLarge, message: "cannot compress more than 4 GiB in one piece", offset: 0))
        }
        // On the heap: zlib keeps a pointer back to the stream and checks it on every call.
        let stream = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
        stream.initialize(to: z_stream())
        defer { stream.deinitialize(count: 1); stream.deallocate() }
        guard deflateInit2_(stream, level, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY, zlibVersion(),
                            Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            return .failure(GzipError(kind: .outOfMemory, message: "cannot initialise zlib for compression", offset: 0))
        }
        defer { deflateEnd(stream) }
        let bound = Int(deflateBound(stream, uLong(bytes.count)))
        var output = [UInt8](repeating: 0, count: bound)
        var code: Int32 = Z_OK
        var produced = 0
        bytes.withUnsafeBufferPointer { inBuffer in
            output.withUnsafeMutableBufferPointer { outBuffer in
                stream.pointee.next_in = inBuffer.baseAddress.map { UnsafeMutablePointer(mutating: $0) }
                stream.pointee.avail_in = UInt32(inBuffer.count)
                stream.pointee.next_out = outBuffer.baseAddress
                stream.pointee.avail_out = UInt32(outBuffer.count)
                code = deflate(stream, Z_FINISH)
                produced = outBuffer.count - Int(stream.pointee.avail_out)
                stream.pointee.next_in = nil
                stream.pointee.next_out = nil
            }
        }
        guard code == Z_STREAM_END else {
            return .failure(GzipError(kind: .corrupt, message: "zlib could not compress the data (status \(code))", offset: 0))
        }
        output.removeSubrange(produced...)
        guard case .success(let back) = decompress(output), back == bytes else {
            return .failure(GzipError(kind: .corrupt, message: "the compressed data does not give the input back", offset: 0))
        }
        return .success(output)
    }

    /// A starting output capacity: the last member's ISIZE trailer (size mod 2^32) when plausible,
    /// else four times the input.
    static func initialCapacity(forCompressed bytes: [UInt8], limit: Int) -> Int {
        var guess = bytes.count &* 4
        let n = bytes.count
        if n >= 18 {
            let isize = Int(bytes[n - 4]) | Int(bytes[n - 3]) << 8 | Int(bytes[n - 2]) << 16 | Int(bytes[n - 1]) << 24
            // Deflate cannot expand more than ~1032:1; anything beyond means a wrapped or bogus size.
            if isize >= n / 2 && isize <= n &* 1032 { guess = isize }
        }
        return max(0, min(guess, limit, 1 << 32))
    }
}

/// An incremental gzip decompressor over input supplied in pieces (e.g. 1 MiB reads of a file).
///
/// Handles concatenated members (`inflateReset` between them) and tolerates zero padding after the
/// last member. This type and `Gzip.compress` are the only code in the module that touches zlib and its raw
/// pointers.
/// Not thread-safe; use one inflater per stream.
package final class GzipInflater {
    /// What one call of `inflateNext` did.
    package enum Status: Sendable, Hashable {
        /// Decompressed bytes were handed to the closure.
        case produced
        /// All supplied input is consumed; call `supply` (or `endInput`) before the next call.
        case needsInput
        /// The stream ended cleanly after `endInput`.
        case finished
        /// The stream is broken; further calls return the same failure.
        case failed(GzipError)
    }

    private enum State {
        /// At the start of a member (or of the whole stream), before any of its bytes are consumed.
        case memberStart
        /// Inside a member.
        case inMember
        /// After a complete member: expecting another member, zero padding, or the end.
        case betweenMembers
        /// Reading zero padding after the last member.
        case padding
        case finished
        case failed(GzipError)
    }

    private let stream: UnsafeMutablePointer<z_stream>
    private var output: [UInt8]
    private var input: ArraySlice<UInt8> = []
    private var inputEnded = false
    private var state: State = .memberStart
    private var membersCompleted = 0
    /// Total compressed bytes consumed so far (0-based offset of the next unconsumed byte).
    package private(set) var consumedBytes = 0

    /// The default `outputBufferSize`, in bytes (256 KiB).
    package static let defaultOutputBufferSize = 1 << 18

    /// - Parameter outputBufferSize: the largest piece handed to `inflateNext`'s closure, in bytes.
    package init(outputBufferSize: Int = GzipInflater.defaultOutputBufferSize) {
        stream = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
        stream.initialize(to: z_stream())
        // Left uninitialised: zlib writes each byte before it is read. Zero-filling 256 KiB cost a byte loop per
        // inflater, a quarter of a million instructions for each small file of a day (callgrind).
        let size = max(outputBufferSize, 1024)
        output = [UInt8](unsafeUninitializedCapacity: size) { _, count in count = size }
        let status = inflateInit2_(stream, 16 + MAX_WBITS, zlibVersion(), Int32(MemoryLayout<z_stream>.size))
        if status != Z_OK {
            state = .failed(GzipError(kind: .outOfMemory, message: "cannot initialise zlib (status \(status))", offset: 0))
        }
    }

    deinit {
        inflateEnd(stream)
        stream.deinitialize(count: 1)
        stream.deallocate()
    }

    /// Whether `supply` may be called (all previously supplied input has been consumed).
    package var needsInput: Bool { input.isEmpty && !inputEnded }

    /// Hands the next piece of compressed input to the inflater. Call only when `needsInput`;
    /// the slice is kept (not copied) until consumed.
    package func supply(_ bytes: ArraySlice<UInt8>) {
        precondition(input.isEmpty, "GzipInflater.supply called before previous input was consumed")
        precondition(!inputEnded, "GzipInflater.supply called after endInput")
        input = bytes
    }

    /// Declares that no more input follows; a member still open at that point is truncated.
    package func endInput() { inputEnded = true }

    /// Decompresses until one piece of output is ready (handed to `body`, valid only during the
    /// call), more input is needed, the stream finishes, or an error occurs.
    package func inflateNext(_ body: (UnsafeBufferPointer<UInt8>) -> Void) -> Status {
        output.withUnsafeMutableBufferPointer { buffer in
            let step = inflateNext(into: buffer)
            if step.count > 0 { body(UnsafeBufferPointer(rebasing: buffer[0..<step.count])) }
            return step.status
        }
    }

    /// Like `inflateNext(_:)`, writing the piece at the start of `buffer` (not empty) instead of the inflater's
    /// own buffer; `count` bytes were written (more than zero exactly when the status is `.produced`).
    package func inflateNext(into buffer: UnsafeMutableBufferPointer<UInt8>) -> (status: Status, count: Int) {
        while true {
            switch state {
            case .failed(let error):
                return (.failed(error), 0)
            case .finished:
                return (.finished, 0)
            case .betweenMembers, .padding:
                guard let first = input.first else {
                    if inputEnded { state = .finished; return (.finished, 0) }
                    return (.needsInput, 0)
                }
                if case .betweenMembers = state, first == 0x1F {
                    state = .memberStart
                } else if first == 0 {
                    state = .padding
                    let zeros = input.prefix { $0 == 0 }.count
                    input = input.dropFirst(zeros)
                    consumedBytes += zeros
                } else {
                    return (fail(.trailingGarbage,
                             "unexpected data after the end of gzip member \(membersCompleted)", at: consumedBytes), 0)
                }
            case .memberStart, .inMember:
                if input.isEmpty && inputEnded {
                    if case .memberStart = state {
                        return (membersCompleted == 0
                            ? fail(.empty, "no gzip data (the input is empty)", at: 0)
                            : fail(.truncated, "compressed data ends unexpectedly", at: consumedBytes), 0)
                    }
                }
                if input.isEmpty && !inputEnded {
                    if case .memberStart = state { return (.needsInput, 0) }
                }
                if let step = step(into: buffer) { return step }
            }
        }
    }

    /// One zlib `inflate` call into `outBuffer`. Returns a status (and the bytes written) to report, or nil to
    /// keep looping.
    private func step(into outBuffer: UnsafeMutableBufferPointer<UInt8>) -> (status: Status, count: Int)? {
        state = .inMember
        let availableIn = min(input.count, Int(UInt32.max))
        var code: Int32 = Z_OK
        var usedIn = 0
        var produced = 0
        var zlibMessage: String?
        let outputCount = min(outBuffer.count, Int(UInt32.max))
        input.withUnsafeBufferPointer { inBuffer in
            stream.pointee.next_in = inBuffer.baseAddress.map { UnsafeMutablePointer(mutating: $0) }
            stream.pointee.avail_in = UInt32(availableIn)
            stream.pointee.next_out = outBuffer.baseAddress
            stream.pointee.avail_out = UInt32(outputCount)
            code = inflate(stream, Z_NO_FLUSH)
            usedIn = availableIn - Int(stream.pointee.avail_in)
            produced = outputCount - Int(stream.pointee.avail_out)
            if let msg = stream.pointee.msg { zlibMessage = String(cString: msg) }
            stream.pointee.next_in = nil
            stream.pointee.next_out = nil
        }
        input = input.dropFirst(usedIn)
        // An empty slice would still hold the supplier's buffer, and its next read into it would copy it.
        if input.isEmpty { input = [] }
        consumedBytes += usedIn

        switch code {
        case Z_STREAM_END:
            membersCompleted += 1
            state = .betweenMembers
            inflateReset(stream)
            return produced > 0 ? (.produced, produced) : nil
        case Z_OK, Z_BUF_ERROR:
            if produced > 0 { return (.produced, produced) }
            if input.isEmpty {
                if inputEnded { return (fail(.truncated, "compressed data ends unexpectedly", at: consumedBytes), 0) }
                return (.needsInput, 0)
            }
            // No progress with input and output space available should not happen; avoid spinning.
            return (fail(.corrupt, zlibMessage ?? "zlib made no progress", at: consumedBytes), 0)
        case Z_MEM_ERROR:
            return (fail(.outOfMemory, "zlib ran out of memory", at: consumedBytes), 0)
        case Z_NEED_DICT:
            return (fail(.corrupt, "member requires a preset dictionary", at: consumedBytes), 0)
        default:
            let detail = zlibMessage ?? "invalid compressed data"
            let what = membersCompleted == 0 ? detail : "\(detail) in gzip member \(membersCompleted + 1)"
            return (fail(.corrupt, what, at: consumedBytes), 0)
        }
    }

    private func fail(_ kind: GzipError.Kind, _ message: String, at offset: Int) -> Status {
        let error = GzipError(kind: kind, message: message, offset: offset)
        state = .failed(error)
        return .failed(error)
    }
}

/// One gzip member held whole, inflated by libdeflate in one call into a buffer of the size its trailer gives: the
/// common case of a delivered CloudTrail file. Anything else (several members, padding, a wrong size, corrupt data)
/// returns nil and takes zlib's streaming path, whose errors and limits are the reference.
///
/// Measured (release, 2 cores, `check` of a day of 2,000 `.json.gz` files, CPU time, median of 5 interleaved runs):
/// zlib 1.77 s, libdeflate 1.53 s (-14%); callgrind on 200 of the files: 694.2 M -> 613.3 M instructions (-12%).
/// The two candidates on the same 200 files as one multi-member stream, by their own command-line tools (CPU time,
/// median of 7 interleaved runs; instructions by callgrind): `gzip -dc` 0.067 s (207 M), `igzip -dc` (ISA-L) 0.021 s
/// (106 M), `libdeflate-gunzip -c` 0.016 s (58 M): libdeflate. Streams (large files through the window, JSON Lines,
/// stdin) keep zlib, whose streaming inflate libdeflate does not have.
enum WholeInflate {
    static func member(_ bytes: [UInt8], size: Int) -> [UInt8]? {
        guard size > 0, bytes.count >= 18, let d = libdeflate_alloc_decompressor() else { return nil }
        defer { libdeflate_free_decompressor(d) }
        var consumed = 0
        var ok = false
        let output = [UInt8](unsafeUninitializedCapacity: size) { buffer, count in
            count = 0
            var produced = 0
            let result = bytes.withUnsafeBytes { input in
                libdeflate_gzip_decompress_ex(d, input.baseAddress, input.count, buffer.baseAddress, size, &consumed, &produced)
            }
            guard result == LIBDEFLATE_SUCCESS else { return }
            count = produced
            ok = true
        }
        // Exactly one member filling the input, and exactly the size its trailer announced.
        guard ok, consumed == bytes.count, output.count == size else { return nil }
        return output
    }
}
