import CTCore
import CTJSON
import Foundation
import Testing
@testable import CTSchema

/// The CloudTrail schemas are compiled when a record first needs them: a check compiles only what its input uses,
/// and finds what a catalog with everything compiled finds.
@Suite struct LazyCatalogTests {
    static func record(_ version: String, extra: String = "") -> String {
        #"{"eventVersion":"\#(version)","eventTime":"2024-03-13T23:58:09Z","eventSource":"s3.amazonaws.com","eventName":"ListBuckets","awsRegion":"us-east-1","sourceIPAddress":"198.51.100.7","eventID":"0f4c2a91-5e3b-4d7a-9c18-6b2e0d9f1a37","recipientAccountId":"123456789012","userIdentity":{"type":"IAMUser","arn":"arn:aws:iam::123456789012:user/alice","accountId":"123456789012","principalId":"AIDAEXAMPLEEXAMPLE01","sessionContext":{"attributes":{"creationDate":"2024-03-01T09:00:00Z","mfaAuthenticated":"false"},"extraSession":1},"extraIdentity":1}\#(extra)}"#
    }

    static func freshChecker() throws -> (CloudTrailCatalog, CloudTrailSchemaChecker) {
        let catalog = try CloudTrailCatalog(files: EmbeddedSchemas.files)
        return (catalog, CloudTrailSchemaChecker(catalog: catalog))
    }

    @Test func loadingCompilesNothing() throws {
        let (catalog, checker) = try Self.freshChecker()
        #expect(catalog.compiledFiles == [])
        #expect(catalog.library.nodeCount == 0)
        #expect(catalog.library.documentCount == 0)
        #expect(checker.newestEventVersion == "1.11")
    }

    @Test func aCheckOfOneVersionCompilesOnlyThatVersion() throws {
        let (catalog, checker) = try Self.freshChecker()
        let log = parse(#"{"Records":[\#(Self.record("1.05")),\#(Self.record("1.05", extra: #","tlsDetails":{}"#))]}"#)
        let findings = checker.check(log)
        #expect(catalog.compiledFiles == ["cloudtrail-1.05.schema.json"] + CloudTrailCatalog.identityFiles)
        // The unknown members found without compiling anything more (`field-too-new` from the annotations).
        #expect(findings.map(\.rule).contains(.fieldTooNew))
        #expect(findings.filter { $0.rule == .unknownField }.count == 4)
        // Only the documents these need were parsed: of the versions, 1.05 and the newest (its `x-since`).
        let parsed = catalog.library.withRegistry { $0.documents.map(\.name) }
        #expect(parsed.filter { $0.hasPrefix("cloudtrail-1.") }.sorted() == ["cloudtrail-1.05.schema.json", "cloudtrail-1.11.schema.json"])
        #expect(parsed.contains("defs/user-identity.schema.json"))
        // The identity schemas are shared with the version: compiling them made no node.
        let afterVersion = catalog.library.nodeCount
        let everything = try CloudTrailCatalog(files: EmbeddedSchemas.files)
        everything.compileAll()
        #expect(afterVersion < everything.library.nodeCount / 3)
        // Another version adds its own nodes only.
        _ = checker.check(parse(Self.record("1.08")))
        #expect(catalog.compiledFiles.count == 4)
        #expect(catalog.library.nodeCount < everything.library.nodeCount)
    }

    @Test func digestAndRoutesAreCompiledWhenMet() throws {
        let (catalog, checker) = try Self.freshChecker()
        _ = checker.check(parse(#"{"digestStartTime":"2024-03-13T00:00:00Z","logFiles":[]}"#))
        #expect(catalog.compiledFiles == ["cloudtrail-digest.schema.json"])
        _ = checker.check(parse(Self.record("1.11", extra: #","eventType":"AwsCloudTrailInsight","madeUp":1"#)))
        // A route's schema is needed only for a member the version's schema does not know.
        #expect(catalog.compiledFiles.contains("cloudtrail-insight.schema.json"))
        #expect(!catalog.compiledFiles.contains("cloudtrail-aggregated.schema.json"))
    }

    /// A registry that parses documents when references reach them compiles what one that parses them all does:
    /// each embedded schema's `$id` is the base URI and its name, so the one named by a reference's path is the one.
    @Test func lazyRegistryCompilesAsTheEagerOne() throws {
        let files = EmbeddedSchemas.files.filter { $0.name.hasSuffix(".schema.json") }
        let eager = try SchemaRegistry(documents: files)
        for name in eager.documentNames {
            let a = try eager.compile(name)
            let b = try SchemaRegistry(lazilyLoading: files).compile(name)
            #expect(a.nodeCount == b.nodeCount, "\(name)")
            #expect(a.uri == b.uri)
            #expect(a.uri == "https://cloudtrail-lint.dev/schemas/" + name)
        }
        var lazy = SchemaRegistry(lazilyLoading: files)
        #expect(try lazy.locateLoading("defs/common.schema.json#/$defs/region") != nil)
        #expect(lazy.documents.map(\.name) == ["defs/common.schema.json"])
        #expect(try lazy.locateLoading("https://cloudtrail-lint.dev/schemas/nowhere.json") == nil)
        #expect(lazy.documents.count == files.count)
    }

    /// The annotations read from the newest document are those of its compiled schema.
    @Test func sinceMatchesTheCompiledNewestSchema() throws {
        let catalog = try CloudTrailCatalog(files: EmbeddedSchemas.files)
        let newest = catalog.schema(version: catalog.versions.count - 1)
        let top = newest[node: newest.root]
        var compiled: [(String, String)] = []
        for (key, child) in zip(top.properties.keys, top.properties.children) {
            if let label = newest[node: child].since, EventVersion(label) != nil { compiled.append((key.name, label)) }
        }
        #expect(compiled.count > 20)
        #expect(compiled.map(\.0) == catalog.since.map(\.key.name))
        #expect(compiled.map(\.1) == catalog.since.map(\.label))
    }

    /// Records of every version, from the corpus and the fixtures: a lazy catalog checked on several threads at once
    /// (each thread compiling what it meets first) finds what one with everything compiled up front finds.
    @Test func lazyConcurrentChecksMatchEagerCompilation() async throws {
        var texts: [String] = (["1.0", "1.01", "1.02", "1.03", "1.04", "1.05", "1.06", "1.07", "1.08", "1.09", "1.10",
                                    "1.11", "0.9", "2.0", "1.x"]).map { Self.record($0) }
        texts.append(#"{"digestStartTime":"2024-03-13T00:00:00Z","logFiles":[{"s3Bucket":1}]}"#)
        texts.append(Self.record("1.08", extra: #","eventType":"AwsAggregatedEvent","summary":{}"#))
        texts.append(Self.record("1.11", extra: #","eventType":"AwsCloudTrailInsight","madeUp":1"#))
        for root in [TestPaths.sharedPath("corpus/records"), TestPaths.repoRoot.appendingPathComponent("Fixtures")] {
            guard let root, let walker = FileManager.default.enumerator(at: root, includingPropertiesForKeys: nil) else { continue }
            for case let url as URL in walker where url.pathExtension == "json" {
                texts.append(String(decoding: try Data(contentsOf: url), as: UTF8.self))
            }
        }
        let documents = texts
        let eager = try CloudTrailCatalog(files: EmbeddedSchemas.files)
        eager.compileAll()
        let expected = documents.map { CloudTrailSchemaChecker(catalog: eager).check(parse($0)) }
        let lazy = try CloudTrailCatalog(files: EmbeddedSchemas.files)
        let workers = 4
        let found = await withTaskGroup(of: [(Int, [Diagnostic])].self) { group in
            for w in 0..<workers {
                group.addTask {
                    // Each worker starts at a different document, so that first uses race.
                    var out: [(Int, [Diagnostic])] = []
                    for k in documents.indices {
                        let i = (k + w * documents.count / workers) % documents.count
                        out.append((i, CloudTrailSchemaChecker(catalog: lazy).check(parse(documents[i]))))
                    }
                    return out
                }
            }
            var all: [(Int, [Diagnostic])] = []
            for await part in group { all += part }
            return all
        }
        #expect(found.count == workers * documents.count)
        for (i, findings) in found {
            #expect(findings == expected[i], "document \(i): \(documents[i].prefix(80))")
        }
        #expect(Set(lazy.compiledFiles) == Set(eager.compiledFiles))
        #expect(lazy.compiledFiles.count == eager.compiledFiles.count, "each schema compiled once")
        if TestPaths.sharedPath("corpus/records") == nil {
            // A fresh clone without ../shared: the fixtures alone.
            print("skipping the corpus part of the count: ../shared/corpus/records is absent")
            #expect(documents.count > 20)
        } else {
            #expect(documents.count > 100)
        }
    }
}
