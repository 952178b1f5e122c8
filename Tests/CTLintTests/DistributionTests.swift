import CTLint
import CTTestSupport
import Foundation
import Testing

/// The version, the pre-commit hooks and the release artefacts (issue 19).
///
/// The heavy steps are `.ci/run`'s: it installs pre-commit and auditwheel into `.build-tools/venv`, runs
/// `scripts/release` (`.build-release/dist/`) and `scripts/hooks-e2e --hooks all` (every hook, the `language: swift`
/// ones built by pre-commit). The tests here use what exists and print why they skip otherwise.
@Suite struct DistributionTests {
    static let root = SharedCorpus.repositoryRoot
    static let dist = root.appendingPathComponent(".build-release/dist")

    @Test func versionPrintsTheCommit() {
        let console = TestConsole()
        #expect(CLI.run(["--version"], console: console, commit: "3c4f20f0a1b2") == 0)
        #expect(console.stdout == "cloudtrail-lint \(ToolInfo.version) (commit 3c4f20f0a1b2)\n")
        let unknown = TestConsole()
        #expect(CLI.run(["check", "-V"], console: unknown) == 0)
        #expect(unknown.stdout == "cloudtrail-lint \(ToolInfo.version) (commit unknown)\n")
    }

    /// The version is semantic, has its CHANGELOG entry, and is the tag the README pins.
    @Test func versionIsInTheChangelogAndTheReadme() throws {
        #expect(ToolInfo.version.wholeMatch(of: /\d+\.\d+\.\d+/) != nil)
        let changelog = try String(contentsOf: Self.root.appendingPathComponent("CHANGELOG.md"), encoding: .utf8)
        #expect(changelog.contains("\n## [\(ToolInfo.version)]\n"))
        let readme = try String(contentsOf: Self.root.appendingPathComponent("README.md"), encoding: .utf8)
        #expect(readme.contains("rev: v\(ToolInfo.version)\n"))
        #expect(readme.contains("cloudtrail_lint-\(ToolInfo.version)-py3-none-"))
        #expect(readme.contains("cloudtrail-lint-\(ToolInfo.version)-linux-x86_64.tar.gz"))
    }

    /// The debug build `swift test` made knows the commit it was built from (BuildInfoPlugin).
    @Test func builtBinaryReportsItsCommit() throws {
        guard let tool = ChildProcess.toolPath else {
            print("skipping: .build/debug/cloudtrail-lint is absent"); return
        }
        let head = Self.run("/usr/bin/env", ["git", "-C", Self.root.path, "rev-parse", "--short=12", "HEAD"])
        let version = Self.run(tool, ["--version"])
        #expect(version.status == 0)
        if head.status == 0 {
            let commit = head.output.trimmingCharacters(in: .whitespacesAndNewlines)
            #expect(version.output == "cloudtrail-lint \(ToolInfo.version) (commit \(commit))\n")
        } else {
            #expect(version.output == "cloudtrail-lint \(ToolInfo.version) (commit unknown)\n")
        }
    }

    /// Every hook selects by `files` alone (identify tags `.jsonl`/`.ndjson` with nothing and `.json.gz` as gzip, so
    /// `types` would drop them), each has a `-system` twin, and the patterns take the right names.
    @Test func hookManifestSelectsByFileName() throws {
        let hooks = try Self.manifest()
        #expect(Set(hooks.keys) == ["cloudtrail-lint", "cloudtrail-lint-fix", "cloudtrail-lint-markdown",
                                    "cloudtrail-lint-markdown-fix", "cloudtrail-lint-system", "cloudtrail-lint-fix-system",
                                    "cloudtrail-lint-markdown-system", "cloudtrail-lint-markdown-fix-system"])
        let logs = ["a.json", "dir/b.jsonl", "c.ndjson", "AWSLogs/1_CloudTrail_x.json.gz", "d.jsonl.gz"]
        let pages = ["README.md", "docs/page.markdown"]
        let neither = ["a.json.txt", "notes.txt", "a.gz", "md", "a.yaml", "a.jsonc"]
        for (id, hook) in hooks {
            #expect(hook["types"] == nil && hook["types_or"] == nil, "\(id) filters by types")
            let system = id.hasSuffix("-system")
            #expect(hook["language"] == (system ? "system" : "swift"), "\(id)")
            if !system { #expect(hooks[id + "-system"].map { $0["entry"] == hook["entry"] && $0["files"] == hook["files"] } == true) }
            #expect(hook["entry"] == (id.contains("fix") ? "cloudtrail-lint fix" : "cloudtrail-lint check"), "\(id)")
            let pattern = try NSRegularExpression(pattern: try #require(hook["files"]))
            let matches = { (name: String) in
                pattern.firstMatch(in: name, range: NSRange(name.startIndex..., in: name)) != nil
            }
            let wanted = id.contains("markdown") ? pages : logs
            for name in wanted { #expect(matches(name), "\(id) does not take \(name)") }
            for name in (id.contains("markdown") ? logs : pages) + neither { #expect(!matches(name), "\(id) takes \(name)") }
        }
    }

    /// The `-system` hooks under the real `pre-commit try-repo` of this checkout, with the debug build on PATH: each
    /// receives its broken and clean files, the check hooks fail naming each broken file, the fix hooks fix them.
    @Test func systemHooksUnderPreCommit() throws {
        guard let tool = ChildProcess.toolPath else {
            print("skipping: .build/debug/cloudtrail-lint is absent"); return
        }
        guard let preCommit = Self.preCommit else {
            print("skipping: pre-commit is not installed (.ci/run installs it into .build-tools/venv; or python3 -m pip install pre-commit)")
            return
        }
        let path = URL(fileURLWithPath: tool).deletingLastPathComponent().path + ":/usr/bin:/bin"
        let e2e = Self.run(Self.root.appendingPathComponent("scripts/hooks-e2e").path,
                           ["--hooks", "system", "--pre-commit", preCommit], path: path)
        #expect(e2e.status == 0, "\(e2e.output)")
        #expect(e2e.output.contains("expectations hold"))
    }

    /// `scripts/release`'s binary needs no Swift: `ldd` lists only the C library and its companions, and it runs with
    /// PATH reduced to `/usr/bin:/bin`. The tarball matches SHA256SUMS and holds that binary.
    @Test func releaseBinaryIsStatic() throws {
        guard let tarball = Self.artefact(suffix: ".tar.gz") else { return }
        let sums = Self.run("/usr/bin/env", ["sha256sum", "-c", "SHA256SUMS"], cwd: Self.dist)
        #expect(sums.status == 0, "\(sums.output)")
        let tmp = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: tmp) }
        #expect(Self.run("/usr/bin/env", ["tar", "-xzf", tarball.path, "-C", tmp.path]).status == 0)
        let folder = tarball.lastPathComponent.replacingOccurrences(of: ".tar.gz", with: "")
        let binary = tmp.appendingPathComponent("\(folder)/cloudtrail-lint").path
        let ldd = Self.run("/usr/bin/env", ["ldd", binary])
        #expect(ldd.status == 0, "\(ldd.output)")
        print("ldd \(folder)/cloudtrail-lint:\n\(ldd.output)")
        let allowed = ["linux-vdso.so", "libc.so", "libm.so", "ld-linux", "libstdc++.so", "libgcc_s.so", "libz.so",
                       "libpthread.so", "libdl.so", "librt.so", "libutil.so"]
        for line in ldd.output.split(separator: "\n") {
            let library = line.trimmingCharacters(in: .whitespaces)
            #expect(allowed.contains { library.hasPrefix($0) || library.contains("/\($0)") }, "not a C library: \(library)")
            #expect(!library.contains("swift") && !library.contains("Foundation") && !library.contains("icu"))
        }
        let version = Self.run(binary, ["--version"], path: "/usr/bin:/bin")
        #expect(version.status == 0)
        #expect(version.output.hasPrefix("cloudtrail-lint \(ToolInfo.version) (commit "))
        #expect(!version.output.contains("commit unknown"))
        for name in ["README.md", "CHANGELOG.md"] {
            #expect(FileManager.default.fileExists(atPath: tmp.appendingPathComponent("\(folder)/\(name)").path))
        }
    }

    /// The wheel installs into a fresh virtual environment and puts `cloudtrail-lint` on PATH; it runs with PATH
    /// reduced to the environment and `/usr/bin:/bin` (no Swift toolchain there), checks files, and runs the
    /// `-system` hooks under pre-commit. `auditwheel show` (when installed) finds it consistent with its tag.
    @Test func wheelRunsFromAFreshVirtualEnvironment() throws {
        guard let wheel = Self.artefact(suffix: ".whl") else { return }
        let tmp = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: tmp) }
        let venv = tmp.appendingPathComponent("venv").path
        let created = Self.run("/usr/bin/env", ["python3", "-m", "venv", venv])
        guard created.status == 0 else {
            print("skipping: python3 -m venv failed: \(created.output)"); return
        }
        let install = Self.run("\(venv)/bin/pip", ["install", "--quiet", "--no-index", "--no-deps", wheel.path])
        #expect(install.status == 0, "\(install.output)")
        let path = "\(venv)/bin:/usr/bin:/bin"
        #expect(Self.run("/bin/sh", ["-c", "command -v swift"], path: path).status != 0, "swift is on the reduced PATH")
        let which = Self.run("/bin/sh", ["-c", "command -v cloudtrail-lint"], path: path)
        #expect(which.output == "\(venv)/bin/cloudtrail-lint\n")
        let version = Self.run("/bin/sh", ["-c", "cloudtrail-lint --version"], path: path)
        #expect(version.status == 0, "\(version.output)")
        #expect(version.output.hasPrefix("cloudtrail-lint \(ToolInfo.version) (commit "))

        let log = Self.root.appendingPathComponent("Fixtures/logs/valid").path
        let clean = Self.run("/bin/sh", ["-c", "cloudtrail-lint check --no-config \"$1\"", "sh", log], path: path)
        #expect(clean.status == 0, "\(clean.output)")
        let broken = Self.root.appendingPathComponent("Fixtures/syntax/trailing-comma/input.json").path
        let found = Self.run("/bin/sh", ["-c", "cloudtrail-lint check --no-config \"$1\"", "sh", broken], path: path)
        #expect(found.status == 1)
        #expect(found.output.contains("[trailing-comma]"))

        if let preCommit = Self.preCommit {
            let e2e = Self.run(Self.root.appendingPathComponent("scripts/hooks-e2e").path,
                               ["--hooks", "system", "--pre-commit", preCommit], path: path)
            #expect(e2e.status == 0, "\(e2e.output)")
        } else {
            print("skipping the hooks with the wheel's binary: pre-commit is not installed")
        }
        let auditwheel = Self.root.appendingPathComponent(".build-tools/venv/bin/auditwheel").path
        if FileManager.default.isExecutableFile(atPath: auditwheel) {
            let shown = Self.run(auditwheel, ["show", wheel.path])
            print("auditwheel show \(wheel.lastPathComponent):\n\(shown.output)")
            #expect(shown.status == 0)
            let tag = wheel.lastPathComponent.split(separator: "-").last!.replacingOccurrences(of: ".whl", with: "")
            #expect(shown.output.replacingOccurrences(of: "\n", with: " ").contains("\"\(tag)\""), "\(shown.output)")
        } else {
            print("skipping auditwheel show: .build-tools/venv/bin/auditwheel is absent")
        }
    }

    // MARK: - Helpers

    /// `.build-tools/venv/bin/pre-commit` (what .ci/run installs), `$PRE_COMMIT`, or a `pre-commit` on PATH.
    static var preCommit: String? {
        let candidates = [root.appendingPathComponent(".build-tools/venv/bin/pre-commit").path,
                          ProcessInfo.processInfo.environment["PRE_COMMIT"] ?? ""]
            + (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":").map { "\($0)/pre-commit" }
        return candidates.first { !$0.isEmpty && FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// The one artefact in `.build-release/dist` ending in `suffix`, or nil after saying why the test skips.
    static func artefact(suffix: String) -> URL? {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: dist.path)) ?? []
        guard names.contains("SHA256SUMS"), let name = names.first(where: { $0.hasSuffix(suffix) }) else {
            print("skipping: no \(suffix) in .build-release/dist (scripts/release builds it; .ci/run runs it)")
            return nil
        }
        return dist.appendingPathComponent(name)
    }

    /// The hooks of `.pre-commit-hooks.yaml`: id -> key -> value (the flat subset the manifest uses).
    static func manifest() throws -> [String: [String: String]] {
        let text = try String(contentsOf: root.appendingPathComponent(".pre-commit-hooks.yaml"), encoding: .utf8)
        var hooks: [String: [String: String]] = [:]
        var current: String?
        for raw in text.split(separator: "\n") where !raw.hasPrefix("#") {
            var line = raw.trimmingCharacters(in: .whitespaces)
            if line.hasPrefix("- ") { line.removeFirst(2); current = nil }
            guard let colon = line.firstIndex(of: ":") else { continue }
            let key = String(line[..<colon])
            var value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            if value.count >= 2, value.hasPrefix("'"), value.hasSuffix("'") { value = String(value.dropFirst().dropLast()) }
            if key == "id" { current = value; hooks[value] = [:] } else if let current { hooks[current]?[key] = value }
        }
        return hooks
    }

    static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("ct-dist-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// Runs a program to its end; its exit status and its standard output and error together (through a file, so a
    /// full pipe cannot block it). `path` replaces PATH.
    static func run(_ executable: String, _ arguments: [String], path: String? = nil, cwd: URL? = nil)
        -> (status: Int32, output: String) {
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("ct-dist-\(UUID().uuidString).out")
        FileManager.default.createFile(atPath: out.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: out) }
        guard let handle = try? FileHandle(forWritingTo: out) else { return (-1, "cannot create \(out.path)") }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: executable)
        p.arguments = arguments
        var environment = ProcessInfo.processInfo.environment
        if let path { environment["PATH"] = path }
        p.environment = environment
        if let cwd { p.currentDirectoryURL = cwd }
        p.standardOutput = handle
        p.standardError = handle
        p.standardInput = FileHandle.nullDevice
        do { try p.run() } catch { return (-1, "cannot run \(executable): \(error)") }
        p.waitUntilExit()
        try? handle.close()
        let text = (try? String(contentsOf: out, encoding: .utf8)) ?? ""
        return (p.terminationStatus, text)
    }
}
