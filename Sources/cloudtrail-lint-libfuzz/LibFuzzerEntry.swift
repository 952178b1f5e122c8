// The libFuzzer target: `scripts/fuzz` builds it with `-sanitize=fuzzer,address -DLIBFUZZER`, and libFuzzer's
// own `main` drives `LLVMFuzzerTestOneInput` (it also replays crash files given as arguments).
// A plain build (`swift build`) has a `main` instead, to reproduce a finding without the sanitizers:
// `cloudtrail-lint-libfuzz FILE...` checks each file with the same invariants and exits 1 at the first violation.
import CTLint
import Foundation

/// The invariants and their scratch, kept across inputs (libFuzzer calls the target from one thread).
nonisolated(unsafe) var invariants = FuzzInvariants()

/// Checks one input; a violated invariant traps, which libFuzzer reports with the input saved as a crash.
@_cdecl("LLVMFuzzerTestOneInput")
func fuzzOne(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let bytes = size == 0 ? [] : Array(UnsafeBufferPointer(start: data, count: size))
    let format = FuzzInvariants.format(of: bytes)
    if let why = invariants.violation(in: bytes, format: format) { fatalError("invariant violated: \(why) (read as \(format))") }
    return 0
}

#if !LIBFUZZER
/// Checks the files named on the command line, outside libFuzzer.
@main struct Reproducer {
    /// Writes a line unbuffered, so that it is out before a crash in the next file.
    static func say(_ line: String) { FileHandle.standardOutput.write(Data((line + "\n").utf8)) }

    static func main() {
        let paths = CommandLine.arguments.dropFirst()
        if paths.isEmpty {
            say("usage: cloudtrail-lint-libfuzz FILE...   (the fuzzer itself: scripts/fuzz)")
            exit(2)
        }
        for path in paths {
            guard let data = FileManager.default.contents(atPath: path) else {
                say("\(path): cannot read")
                exit(2)
            }
            let bytes = [UInt8](data)
            let format = FuzzInvariants.format(of: bytes)
            if let why = invariants.violation(in: bytes, format: format) {
                say("\(path): invariant violated: \(why) (read as \(format))")
                exit(1)
            }
            say("\(path): ok (\(format))")
        }
    }
}
#endif
