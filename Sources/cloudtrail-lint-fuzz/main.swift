import CTCore
// A seeded mutation fuzzer: `swift run -c release cloudtrail-lint-fuzz [--iterations N] [--seed S] [FILE|DIR...]`.
//
// Mutates seed documents (delete, insert, duplicate and flip bytes; insert JSON-significant characters) and
// checks every mutant with `FuzzInvariants` (shared with the libFuzzer target, `scripts/fuzz`): round trip,
// strict scanner agreement, no crash, fix value-preserving and idempotent, format idempotent.
// The first failing input is written to `fuzz-failure-<n>.bin` and the run exits 1.
import CTLint
import Foundation

var iterations = 20_000
var seed: UInt64 = 0xC10D_7
var paths: [String] = []
var args = Array(CommandLine.arguments.dropFirst())
while !args.isEmpty {
    let a = args.removeFirst()
    switch a {
    case "--iterations": iterations = Int(args.removeFirst()) ?? iterations
    case "--seed": seed = UInt64(args.removeFirst()) ?? seed
    default: paths.append(a)
    }
}
if paths.isEmpty { paths = ["Fixtures"] }

var seeds: [[UInt8]] = []
for path in paths {
    var isDir: ObjCBool = false
    guard FileManager.default.fileExists(atPath: path, isDirectory: &isDir) else { continue }
    if isDir.boolValue, let e = FileManager.default.enumerator(atPath: path) {
        for case let name as String in e where name.hasSuffix(".json") || name.hasSuffix(".md") {
            if let d = FileManager.default.contents(atPath: path + "/" + name), d.count < 200_000 { seeds.append([UInt8](d)) }
        }
    } else if let d = FileManager.default.contents(atPath: path) {
        seeds.append([UInt8](d))
    }
}
seeds.append(Array(#"{"Records":[{"eventVersion":"1.08","userIdentity":{"type":"IAMUser","arn":"arn:aws:iam::123456789012:user/A"},"eventTime":"2024-01-01T00:00:00Z","eventID":"0b0a4d6c-31c4-4f44-9c6e-8f2a3b1c2d3e"}]}"#.utf8))

typealias SplitMix = SplitMix64

let alphabet = Array("{}[]:,\"'\\/*#.…“”\n\r\t 0-eE+<>`~".utf8)
var rng = SplitMix(state: seed)
var invariants = FuzzInvariants()
let start = Date()
for iteration in 0..<iterations {
    var bytes = seeds[rng.below(seeds.count)]
    for _ in 0...rng.below(6) {
        switch rng.below(5) {
        case 0 where !bytes.isEmpty: bytes.remove(at: rng.below(bytes.count))
        case 1: bytes.insert(alphabet[rng.below(alphabet.count)], at: rng.below(bytes.count + 1))
        case 2 where !bytes.isEmpty:
            let s = rng.below(bytes.count), e = min(bytes.count, s + 1 + rng.below(16))
            bytes.insert(contentsOf: bytes[s..<e], at: rng.below(bytes.count + 1))
        case 3 where !bytes.isEmpty: bytes[rng.below(bytes.count)] ^= UInt8(truncatingIfNeeded: 1 << rng.below(8))
        default: bytes.insert(UInt8(truncatingIfNeeded: rng.next()), at: rng.below(bytes.count + 1))
        }
    }
    func fail(_ why: String) -> Never {
        let name = "fuzz-failure-\(iteration).bin"
        let saved = FileManager.default.createFile(atPath: name, contents: Data(bytes))
        print("FAIL at iteration \(iteration): \(why) (input \(saved ? "written to \(name)" : "not saved: cannot write \(name)"))")
        exit(1)
    }
    let format = FuzzInvariants.format(of: bytes)
    if let why = invariants.violation(in: bytes, format: format) { fail("\(why) (read as \(format))") }
}
print("ok: \(iterations) mutants of \(seeds.count) seeds in \(String(format: "%.1f", Date().timeIntervalSince(start))) s")
