import Foundation
import CTTestSupport
import Testing
import CTJSON

/// Seeded mutations of corpus files: no crash, termination, round-trip, invariants.
@Suite struct MutationTests {
    static let alphabet = Array("{}[]:,\"'\\/*#.…“”\n\t 0-eE+ ".utf8)

    @Test func mutatedInputsNeverCrashAndRoundTrip() throws {
        let seeds = SharedCorpus.files("corpus/json-test-suite/test_parsing").filter { $0.lastPathComponent.hasPrefix("y_") }
        var inputs: [[UInt8]] = try seeds.map { Array(try Data(contentsOf: $0)) }
        inputs.append(Array(#"{"Records":[{"eventVersion":"1.08","userIdentity":{"type":"IAMUser","arn":"arn:aws:iam::123456789012:user/Alice"},"eventTime":"2024-01-01T00:00:00Z","tags":["a","b",1.5e3,true,null]}]}"#.utf8))
        var rng = SplitMix(seed: 0xC10D7)
        for (index, original) in inputs.enumerated() {
            for round in 0..<20 {
                var bytes = original
                for _ in 0...rng.next(4) {
                    switch rng.next(4) {
                    case 0 where !bytes.isEmpty: bytes.remove(at: rng.next(bytes.count))
                    case 1: bytes.insert(Self.alphabet[rng.next(Self.alphabet.count)], at: rng.next(bytes.count + 1))
                    case 2 where !bytes.isEmpty:
                        let s = rng.next(bytes.count), e = min(bytes.count, s + 1 + rng.next(8))
                        bytes.insert(contentsOf: bytes[s..<e], at: rng.next(bytes.count + 1))
                    default: bytes.insert(UInt8(truncatingIfNeeded: rng.next()), at: rng.next(bytes.count + 1))
                    }
                }
                let tree = JSONParser.parse(bytes)
                #expect(tree.printed() == bytes, "input \(index) round \(round)")
                TreeInvariants.check(tree, "mutant \(index)/\(round)")
            }
        }
    }
}
