import Foundation
import CTTestSupport
import Testing
import CTJSON

@Suite struct JSONTestSuiteTests {
    static let files = SharedCorpus.files("corpus/json-test-suite/test_parsing")

    @Test func acceptedFilesHaveNoSyntaxError() throws {
        var checked = 0
        for url in Self.files where url.lastPathComponent.hasPrefix("y_") {
            let tree = JSONParser.parse(Array(try Data(contentsOf: url)))
            #expect(tree.diagnostics.filter { $0.severity == .error }.isEmpty,
                    "\(url.lastPathComponent): \(tree.diagnostics.map(\.message))")
            checked += 1
        }
        if !Self.files.isEmpty { #expect(checked == 95) }
    }

    @Test func rejectedFilesGetAnError() throws {
        var checked = 0
        for url in Self.files where url.lastPathComponent.hasPrefix("n_") {
            let tree = JSONParser.parse(Array(try Data(contentsOf: url)))
            #expect(tree.diagnostics.contains { $0.severity == .error }, "\(url.lastPathComponent) was accepted")
            checked += 1
        }
        if !Self.files.isEmpty { #expect(checked == 188) }
    }

    @Test func everyFileRoundTripsAndImplementationDefinedOnesFinish() throws {
        for url in Self.files {
            let bytes = Array(try Data(contentsOf: url))
            let tree = JSONParser.parse(bytes)
            #expect(tree.printed() == bytes, "\(url.lastPathComponent) does not round-trip")
            TreeInvariants.check(tree, url.lastPathComponent)
        }
    }

    @Test func deepNestingIsLinear() {
        let bytes = [UInt8](repeating: UInt8(ascii: "["), count: 100_000)
        let clock = ContinuousClock()
        let start = clock.now
        let tree = JSONParser.parse(bytes)
        let elapsed = clock.now - start
        #expect(tree.diagnostics.count == 1)
        #expect(tree.diagnostics.first?.rule == .unbalanced)
        #expect(tree.nodes.count == 100_000)
        #expect(tree.printed() == bytes)
        // Not a timing assertion of speed, a guard against quadratic behaviour (debug build).
        #expect(elapsed < .seconds(20))
    }
}

/// Structural invariants every tree must satisfy.
enum TreeInvariants {
    static func check(_ tree: SyntaxTree, _ name: String) {
        var tokenEnd = 0
        for t in tree.tokens() {
            #expect(t.range.start == tokenEnd, "\(name): gap or overlap at \(tokenEnd)")
            tokenEnd = t.range.end
        }
        #expect(tokenEnd == tree.source.count, "\(name): tokens stop at \(tokenEnd)")
        for (i, node) in tree.nodes.enumerated() {
            #expect(node.start <= node.end && Int(node.end) <= tree.source.count, "\(name): node \(i) range")
            #expect(Int(node.subtreeEnd) > i && Int(node.subtreeEnd) <= tree.nodes.count, "\(name): node \(i) subtree")
            if node.kind == .object {
                var count = 0
                for c in tree.children(of: i) {
                    #expect(tree.nodes[c].start >= node.start && tree.nodes[c].end <= node.end, "\(name): child \(c) outside \(i)")
                    count += 1
                }
                #expect(count % 2 == 0, "\(name): object \(i) has an odd number of children")
            }
        }
        for d in tree.diagnostics {
            #expect(d.range.end <= tree.source.count, "\(name): diagnostic beyond the end")
            if let fix = d.fix {
                var last = -1
                for e in fix.edits {
                    #expect(e.range.start >= last, "\(name): overlapping edits in \(d.rule)")
                    #expect(e.range.end <= tree.source.count)
                    last = e.range.end
                }
            }
        }
    }
}
