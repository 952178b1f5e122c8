import CTCore
import CTInput
import CTIntegrity
import CTRules
import Foundation

/// `verify`: a local copy of a bucket checked against its digest files. The inputs are listed and read by the
/// runner's one input loop (each file hashed on a worker as it is read), the findings judged by the policy and
/// printed by the reporters of `check`; only the judging of the copy as a whole (`Verifier`) is its own.
enum VerifyCommand {
    static func run(_ args: [String], console: Console) throws -> Int32 {
        let a = try ArgumentList(args, spec: OptionTables.verify.spec)
        if a.has("--help") || a.has("-h") { console.out(OptionTables.verify.help); return 0 }
        let format = OutputFormat(rawValue: try a.choice("--format", OutputFormat.allCases.map(\.rawValue), default: "text"))!
        let color = try CLI.useColor(a, console: console)
        var options = CheckOptions()
        options.selection = try CLI.commonSelection(a)
        if let n = try CLI.jobs(a) { options.jobs = n }
        options.followSymlinks = a.has("--follow-symlinks")
        options.excludes = try CLI.excludes(a)
        options.respectGitignore = !a.has("--no-respect-gitignore")
        _ = try RunControl.configure(a, &options)
        guard !a.operands.isEmpty else { throw UsageError("verify needs a directory: a local copy of a bucket, or a folder inside one") }
        if a.operands.contains("-") { throw UsageError("verify reads a copy of a bucket on disk, not standard input") }
        var verifier = Verifier()
        verifier.filter = try filter(a)
        if let path = a.value("--public-keys") { verifier.keys = try publicKeys(path) }
        if let path = a.value("--signatures") { verifier.signatures = try signatures(path) }
        let here = FileProbe.currentDirectory
        verifier.displayName = { path in path.hasPrefix(here + "/") ? String(path.dropFirst(here.count + 1)) : path }

        let runner = Runner(options: options)
        let plan = try runner.plan(a.operands)
        let progress = ProgressLine.start(a, console: console)
        let console = progress?.console ?? console
        var examined: [ExaminedFile] = []
        var unreadable: [FileReport] = []
        var examinedPaths: [String: String] = [:]
        runner.run(plan, standardInput: Runner.noStandardInput, streaming: false, process: { document, _, _ in
            examine(document)
        }, progress: progress?.line.record) { outcome, _ in
            switch outcome {
            case .examined(let file): examined.append(file)
            case .unreadable(let report, let path):
                // Still known to the verifier (a listed log that cannot be read is not missing), with no hash.
                unreadable.append(report)
                examinedPaths[report.displayName] = path
                examined.append(ExaminedFile(path: path, displayName: report.displayName, place: TrailPath(path), sha256: nil))
            case .ignored: break
            }
        }
        progress?.line.finish()
        let verification = verifier.verify(examined)

        // One report per file, in the order of display names; the policy (selection, severity, configuration) judges.
        let policy = plan.inputs.isEmpty ? Linter(selection: options.selection).policy : plan.linter(for: 0).policy
        // An unreadable log names the digest that lists it.
        var reports = unreadable.map { report in
            var report = report
            if let path = examinedPaths[report.displayName], let digest = verification.listedBy[path] {
                for i in report.diagnostics.indices { report.diagnostics[i].diagnostic.message += " (listed by digest \(digest))" }
            }
            return report
        }
        let unreadablePaths = Set(examinedPaths.values)
        for file in examined where verification.findings[file.path] == nil && !unreadablePaths.contains(file.path) {
            reports.append(FileReport(displayName: file.displayName, diagnostics: []))
        }
        for (path, found) in verification.findings {
            var found = found
            policy.judge(&found)
            let report = FileReport(displayName: verification.displayNames[path] ?? path, source: verification.sources[path] ?? [],
                                    diagnostics: found, keepSourceLines: false)
            reports.append(report)
        }
        reports.sort { $0.displayName < $1.displayName }
        let inputs = Set(examined.map(\.displayName))
        var summary = RunSummary()
        summary.unreadable = unreadable.count
        let exitPolicy = ExitPolicy(strict: false, exitZero: false, maxWarnings: nil)
        var writer = ReportWriter(format: format, style: TextStyle(color: color, showSource: false, width: 120),
                                  workingDirectory: here, exitPolicy: exitPolicy)
        console.out(writer.begin())
        for report in reports {
            summary.add(report)
            if !inputs.contains(report.displayName) { summary.files -= 1 }
            console.out(writer.write(report))
        }
        console.out(writer.end(summary: summary))
        if a.has("--verbose") || a.has("-v") { CLI.reportSkipped(plan.skipped, console: console) }
        if !(a.has("--quiet") || a.has("-q")) {
            for chain in verification.chains {
                console.err("chain \(VisibleText.escaped(chain.name)): \(chain.digests) digest\(chain.digests == 1 ? "" : "s"), "
                            + "\(chain.logs) log file\(chain.logs == 1 ? "" : "s"); \(VisibleText.escaped(chain.verdict))\n")
            }
            if verification.digestsChecked == 0 {
                console.err("no digest file found under CloudTrail-Digest/ in \(a.operands.map(VisibleText.escaped).joined(separator: ", "))\n")
            }
            console.err(verification.summaryLine + "\n")
            console.err(Reporters.summaryLine(summary) + "\n")
        }
        if verification.digestsChecked == 0 && summary.errors == 0 && summary.unreadable == 0 { return 1 }
        return exitPolicy.status(summary)
    }

    enum Outcome: Sendable {
        case examined(ExaminedFile)
        case unreadable(FileReport, path: String)
        case ignored
    }

    /// On a worker: a log or digest of the copy hashed (and a digest read); anything else ignored.
    static func examine(_ document: Document) -> Outcome {
        guard let path = document.source.absolutePath, let place = TrailPath(path) else { return .ignored }
        switch document.content {
        case .unreadable(let error):
            return .unreadable(Runner.unreadable(error).report, path: path)
        case .streamed:
            return .ignored
        case .loaded(let loaded):
            var file = ExaminedFile(path: path, displayName: document.source.displayName, place: place,
                                    sha256: SHA256.hex(loaded.bytes))
            if place.kind == .digest {
                file.digestBytes = loaded.bytes
                file.digest = DigestFile(loaded.bytes)
                if let sidecar = FileManager.default.contents(atPath: path + ".sig") {
                    file.sidecarSignature = String(decoding: sidecar, as: UTF8.self)
                }
            }
            return .examined(file)
        }
    }

    static func filter(_ a: ArgumentList) throws -> VerifyFilter {
        var f = VerifyFilter()
        for (option, keyPath) in [("--start-time", \VerifyFilter.start), ("--end-time", \VerifyFilter.end)] {
            guard let v = a.value(option) else { continue }
            guard let t = TrailPath.normalisedTime(iso: v.count == 10 ? v + "T00:00:00Z" : v) else {
                throw UsageError("invalid value `\(v)` for `\(option)`: expected a UTC time such as 2024-03-14T00:00:00Z")
            }
            f[keyPath: keyPath] = t
        }
        f.accounts = Set(a.list("--account"))
        f.regions = Set(a.list("--region"))
        f.trails = Set(a.list("--trail"))
        return f
    }

    /// The JSON of `aws cloudtrail list-public-keys`: `PublicKeyList[]` with `Value` (base64 DER PKCS#1),
    /// `Fingerprint`, `ValidityStartTime`, `ValidityEndTime`.
    static func publicKeys(_ path: String) throws -> [PublicKeyEntry] {
        guard let data = FileManager.default.contents(atPath: path) else { throw UsageError("cannot read --public-keys \(path)") }
        guard let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
              let list = object["PublicKeyList"] as? [[String: Any]] else {
            throw UsageError("--public-keys \(path): expected the JSON of `aws cloudtrail list-public-keys` ({\"PublicKeyList\": [...]})")
        }
        var keys: [PublicKeyEntry] = []
        for (i, entry) in list.enumerated() {
            guard let value = entry["Value"] as? String, let der = Data(base64Encoded: value),
                  let key = RSAPublicKey(pkcs1: Array(der)), let fingerprint = entry["Fingerprint"] as? String else {
                throw UsageError("--public-keys \(path): PublicKeyList[\(i)] has no RSA key (`Value`, base64 DER) or no `Fingerprint`")
            }
            func time(_ name: String) -> String? {
                if let s = entry[name] as? String { return TrailPath.normalisedTime(iso: s) }
                if let n = entry[name] as? Double {
                    let f = DateFormatter()
                    f.locale = Locale(identifier: "en_US_POSIX")
                    f.timeZone = TimeZone(identifier: "UTC")
                    f.dateFormat = "yyyyMMdd'T'HHmmss'Z'"
                    return f.string(from: Date(timeIntervalSince1970: n))
                }
                return nil
            }
            keys.append(PublicKeyEntry(fingerprint: fingerprint, key: key, validFrom: time("ValidityStartTime"),
                                       validUntil: time("ValidityEndTime")))
        }
        return keys
    }

    /// A JSON object from digest key to hex signature.
    static func signatures(_ path: String) throws -> [String: String] {
        guard let data = FileManager.default.contents(atPath: path) else { throw UsageError("cannot read --signatures \(path)") }
        guard let object = try? JSONSerialization.jsonObject(with: data) as? [String: String] else {
            throw UsageError("--signatures \(path): expected a JSON object from digest key to hex signature")
        }
        return object
    }
}
