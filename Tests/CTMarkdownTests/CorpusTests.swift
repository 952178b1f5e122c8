import CTCore
import CTTestSupport
import Foundation
import Testing
import CTMarkdown

/// Runs the scanner over the AWS documentation pages in `../shared` (beside the repository).
@Suite("Markdown corpus")
struct CorpusTests {
    static let shared = SharedCorpus.root
    static let folders = [
        shared.appendingPathComponent("corpus/awsdocs"),
        shared.appendingPathComponent("seeds"),
    ]

    static var pages: [URL] {
        folders.flatMap { folder -> [URL] in
            let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
            return names.filter { $0.hasSuffix(".md") || $0.hasSuffix(".txt") }.sorted()
                .map { folder.appendingPathComponent($0) }
        }
    }

    static var corpusPresent: Bool { !pages.isEmpty }

    @Test(.enabled(if: corpusPresent, "../shared/corpus/awsdocs and ../shared/seeds are absent; skipping"))
    func scannerInvariantsHoldOnEveryPage() throws {
        var blockCount = 0
        var jsonLike = 0
        var pagesWithJSON = 0
        for url in Self.pages {
            let host = [UInt8](try Data(contentsOf: url))
            let blocks = FenceScanner.blocks(in: host)
            blockCount += blocks.count
            let json = blocks.filter(\.isJSONLike)
            jsonLike += json.count
            if !json.isEmpty { pagesWithJSON += 1 }
            var previousEnd = 0
            for (index, block) in blocks.enumerated() {
                #expect(block.range.start >= previousEnd, "\(url.lastPathComponent): blocks overlap")
                previousEnd = block.range.end
                checkInvariants(block, in: host)
                guard block.isJSONLike, let open = block.content.firstIndex(where: { $0 == UInt8(ascii: "{") || $0 == UInt8(ascii: "[") })
                else { continue }
                // A line-inserting edit round-trips through the host.
                applyAndRescan(host, block: index, edits: [.insert("\n\"cloudtrail-lint\": 1,", at: open + 1)])
            }
        }
        print("CTMarkdown corpus: \(Self.pages.count) pages, \(blockCount) fenced blocks, \(jsonLike) JSON-like, on \(pagesWithJSON) pages")
        #expect(jsonLike >= Self.pages.count, "expected at least one JSON-like block per page on average")
        #expect(pagesWithJSON * 10 >= Self.pages.count * 8, "most pages hold a JSON sample")
    }

    @Test(.enabled(if: corpusPresent, "../shared/corpus/awsdocs and ../shared/seeds are absent; skipping"))
    func seedsHoldJSONBlocks() throws {
        let seeds = Self.pages.filter { $0.path.contains("/seeds/") }
        for url in seeds {
            let host = [UInt8](try Data(contentsOf: url))
            let json = FenceScanner.blocks(in: host).filter(\.isJSONLike)
            #expect(!json.isEmpty, "\(url.lastPathComponent) has no JSON-like block")
        }
    }
}
