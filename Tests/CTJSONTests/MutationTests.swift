import Foundation
import CTTestSupport
import Testing
import CTJSON

/// Seeded mutations of corpus files: no crash, termination, round-trip, invariants.
@Suite struct MutationTests {
    struct SplitMix {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E3779B97F4A7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58476D1CE4E5B9
            z = (z ^ (z >> 27)) &* 0x94D049BB133111EB
            return z ^ (z >> 31)
        }
        mutating func below(_ n: Int) -> Int { n <= 0 ? 0 : Int(next() % UInt64(n)) }
    }

    static let alphabet = Array("{}[]:,\"'\\/*#.…“”\n\t 0-eE+ ".utf8)

    @Test func mutatedInputsNeverCrashAndRoundTrip() throws {
        let seeds = SharedCorpus.files("corpus/json-test-suite/test_parsing").filter { $0.lastPathComponent.hasPrefix("y_") }
        var inputs: [[UInt8]] = try seeds.map { Array(try Data(contentsOf: $0)) }
        inputs.append(Array(#"{"Records":[{"eventVersion":"1.08","userIdentity":{"type":"IAMUser","arn":"arn:aws:iam::123456789012:user/Alice"},"eventTime":"2024-01-01T00:00:00Z","tags":["a","b",1.5e3,true,null]}]}"#.utf8))
        var rng = SplitMix(state: 0xC10D7)
        for (index, original) in inputs.enumerated() {
            for round in 0..<20 {
                var bytes = original
                for _ in 0...rng.below(4) {
                    switch rng.below(4) {
                    case 0 where !bytes.isEmpty: bytes.remove(at: rng.below(bytes.count))
                    case 1: bytes.insert(Self.alphabet[rng.below(Self.alphabet.count)], at: rng.below(bytes.count + 1))
                    case 2 where !bytes.isEmpty:
                        let s = rng.below(bytes.count), e = min(bytes.count, s + 1 + rng.below(8))
                        bytes.insert(contentsOf: bytes[s..<e], at: rng.below(bytes.count + 1))
                    default: bytes.insert(UInt8(truncatingIfNeeded: rng.next()), at: rng.below(bytes.count + 1))
                    }
                }
                let tree = JSONParser.parse(bytes)
                #expect(tree.printed() == bytes, "input \(index) round \(round)")
                TreeInvariants.check(tree, "mutant \(index)/\(round)")
            }
        }
    }
}
