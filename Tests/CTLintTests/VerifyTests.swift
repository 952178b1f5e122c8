import CTLint
import Foundation
import Testing

/// `verify` against signed bucket copies built by `scripts/make-signed-bucket.py` (the committed test key of
/// `Fixtures/verify/keys/`): a clean copy verifies, and each tampering is reported with its rule, on its file, and
/// for a log with the digest that lists it. The generator hashes with Python's `hashlib` and signs with the `openssl`
/// command line, and checks a copy on its own (`--verify-with-openssl`), so the two sides share no code.
@Suite(.serialized) struct VerifyTests {
    static let generator = Repo.root.appendingPathComponent("scripts/make-signed-bucket.py").path
    static let available: Bool = {
        FileManager.default.fileExists(atPath: generator) && tool("python3") && tool("openssl")
    }()

    static func tool(_ name: String) -> Bool {
        run("/usr/bin/env", ["sh", "-c", "command -v \(name)"]).status == 0
    }

    static func run(_ executable: String, _ arguments: [String]) -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        do { try process.run() } catch { return (127, "\(error)") }
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    /// A finding the manifest expects. `digest-modified` is reported on the digest that changed (`previous`), not on
    /// the one recording its hash (`file`).
    struct Expected: Decodable {
        var rule: String
        var file: String
        var digest: String?
        var previous: String?
        var reportedOn: String { rule == "digest-modified" ? previous ?? file : file }
    }
    struct Manifest: Decodable { var expected: [Expected]; var optional: [Expected] }
    struct Finding { var path: String; var rule: String; var message: String; var severity: String }

    /// Builds a copy (tampered with `tamper`), verifies it, and returns the manifest, the findings and the status.
    static func verify(_ tamper: String?, extra: [String] = []) throws -> (Manifest, [Finding], Int32, URL) {
        let out = Repo.tempDirectory()
        let manifest = out.appendingPathComponent("manifest.json")
        let copy = out.appendingPathComponent("copy")
        var args = [generator, copy.path, "--manifest", manifest.path]
        if let tamper { args += ["--tamper", tamper] }
        let made = run("/usr/bin/env", ["python3"] + args)
        #expect(made.status == 0, "generator: \(made.output)")
        let m = try JSONDecoder().decode(Manifest.self, from: Data(contentsOf: manifest))
        let (status, console) = TestConsole.run(["verify", "--no-config", "--format", "json",
                                                 "--public-keys", copy.appendingPathComponent("public-keys.json").path,
                                                 "--signatures", copy.appendingPathComponent("signatures.json").path]
                                                + extra + [copy.appendingPathComponent("bucket").path])
        let json = try JSONSerialization.jsonObject(with: Data(console.stdout.utf8)) as? [String: Any]
        let findings = (json?["diagnostics"] as? [[String: Any]] ?? []).map {
            Finding(path: $0["path"] as? String ?? "", rule: $0["rule"] as? String ?? "", message: $0["message"] as? String ?? "",
                    severity: $0["severity"] as? String ?? "")
        }
        return (m, findings, status, out)
    }

    @Test(.enabled(if: available, "python3, openssl or scripts/make-signed-bucket.py is absent; skipping"))
    func cleanCopyVerifies() throws {
        let (_, findings, status, out) = try Self.verify(nil)
        defer { Repo.remove(out) }
        #expect(findings.isEmpty, "\(findings.map { "\($0.rule) \($0.path)" })")
        #expect(status == 0)
        // The independent implementation agrees.
        let check = Self.run("/usr/bin/env", ["python3", Self.generator, "--verify-with-openssl", out.appendingPathComponent("copy").path])
        #expect(check.status == 0, "\(check.output)")
    }

    static let cases = ["log-edited", "log-deleted", "log-added", "log-renamed", "digest-edited", "digest-deleted",
                        "digest-moved", "chain-restart", "signature-swapped", "wrong-key", "key-expired",
                        "previous-signature-null", "truncated-gz", "signature-missing"]

    @Test(.enabled(if: available, "python3, openssl or scripts/make-signed-bucket.py is absent; skipping"), arguments: cases)
    func tamperingIsReported(_ tamper: String) throws {
        let (manifest, findings, status, out) = try Self.verify(tamper)
        defer { Repo.remove(out) }
        #expect(!manifest.expected.isEmpty)
        for e in manifest.expected {
            let hits = findings.filter { $0.rule == e.rule && $0.path.hasSuffix("/" + e.reportedOn) }
            #expect(!hits.isEmpty, "\(tamper): no \(e.rule) on \(e.reportedOn); found \(findings.map { "\($0.rule) \($0.path)" })")
            if let digest = e.digest, let name = digest.split(separator: "/").last {
                #expect(hits.contains { $0.message.contains(name) }, "\(tamper): \(e.rule) does not name the digest \(name)")
            }
        }
        // Nothing else is an error: every error finding is expected (or allowed) by the manifest.
        let allowed = manifest.expected + manifest.optional
        for f in findings where f.severity == "error" {
            #expect(allowed.contains { $0.rule == f.rule && f.path.hasSuffix("/" + $0.reportedOn) },
                    "\(tamper): unexpected \(f.rule) on \(f.path): \(f.message)")
        }
        #expect(status == (findings.contains { $0.rule == "gzip-corrupt" } ? 2 : (findings.contains { $0.severity == "error" } ? 1 : 0)))
    }
}
