import CTCore
import CTInput
import CTJSON
import CTRules
import Foundation

/// `redact`: copies of the inputs with their identifiers replaced by consistent documentation values.
enum RedactCommand {
    /// Input bytes judged together (see `flush`): bounded, so that memory does not grow with the run.
    static let batchBytes = 512 << 20

    static func run(_ args: [String], console: Console) throws -> Int32 {
        let a = try ArgumentList(args, spec: OptionTables.redact.spec)
        if a.has("--help") || a.has("-h") { console.out(OptionTables.redact.help); return 0 }
        var options = try CLI.readingOptions(a)
        if let n = try CLI.jobs(a) { options.jobs = n }
        _ = try RunControl.configure(a, &options)
        try CLI.checkOperands(a.operands)
        let here = FileProbe.currentDirectory
        let outputDirectory = a.value("--output").map { InputCollector.absolutePath($0, relativeTo: here) }
        if let out = a.value("--output"), out.isEmpty { throw UsageError("`--output` needs a directory") }
        let inPlace = a.has("--in-place")
        if inPlace && outputDirectory != nil { throw UsageError("`--in-place` and `--output` cannot be combined") }
        var shift: TimeShift?
        if let v = a.value("--shift-time") {
            guard let s = TimeShift(parsing: v) else {
                throw UsageError("invalid value `\(v)` for `--shift-time`: expected a duration such as -30d, +2h, 1d12h or 3600s")
            }
            shift = s
        }
        var seed: UInt64?
        if let v = a.value("--seed") {
            guard let n = UInt64(v) else { throw UsageError("invalid value `\(v)` for `--seed`: expected a non-negative integer") }
            seed = n
        }
        let fields = a.list("--field")
        if fields.contains(where: \.isEmpty) { throw UsageError("`--field` needs member names") }
        let mappingPath = a.value("--mapping").map { InputCollector.absolutePath($0, relativeTo: here) }
        if let m = a.value("--mapping"), m.isEmpty { throw UsageError("`--mapping` needs a file") }

        var table = Pseudonyms(seed: seed ?? 0)
        if let mappingPath, FileProbe.isRegularFile(mappingPath) {
            table = try MappingFile.read(mappingPath, shown: a.value("--mapping") ?? mappingPath, seed: seed)
        }
        table.keepsEntries = mappingPath != nil
        let runner = Runner(options: options)
        let plan = try runner.plan(a.operands)
        let toStandardOutput = outputDirectory == nil && !inPlace
        if toStandardOutput && plan.inputs.count > 1 {
            throw UsageError("\(plan.inputs.count) inputs: give `--output DIR` or `--in-place` (standard output takes one)")
        }
        TemporaryFiles.installHandlers()
        let redactor = Redactor(scanner: IdentifierScanner(fields: fields, findsTimes: shift != nil), shift: shift,
                                fixer: a.has("--fix") ? Fixer(linter: Linter(selection: options.selection), includeUnsafe: false) : nil)
        let quiet = a.has("--quiet") || a.has("-q")
        var status: Int32 = 0
        var written = 0, refused = 0
        var replaced: [IdentifierKind: Int] = [:]
        var freeTextCount = 0
        // Inputs are judged in batches of up to `batchBytes`: a first pass gives every identifier found by its field
        // its replacement, then the second writes, so that a name met anywhere in a batch is replaced everywhere in it
        // (`"masterUsername": "alice"` before the record whose userName is `alice`).
        var pending: [(Document, Redactor.Scanned?)] = []
        var pendingBytes = 0
        func finish(_ document: Document, _ scannedOrNil: Redactor.Scanned?) {
            let name = VisibleText.escaped(document.source.displayName)
            guard case .loaded(let loaded) = document.content, let scanned = scannedOrNil else {
                if case .unreadable(let error) = document.content {
                    console.err("\(VisibleText.escaped(error.path)): \(VisibleText.escaped(error.message)) [\(error.ruleID)]\n")
                }
                status = 2
                return
            }
            if let refusal = scanned.refusal {
                let at = LineIndex(scanned.bytes).location(of: refusal.offset)
                console.err("\(name):\(at): \(VisibleText.escaped(refusal.message)) [\(UnrepairableRule.metadata.id)]\n")
                refused += 1
                status = max(status, 1)
                return
            }
            let applied = redactor.apply(scanned, format: loaded.kind.format, table: &table)
            if applied.broken {
                console.err("\(name): not redacted: the result would not parse strictly (a bug; please report it) [\(RuleID.internalError)]\n")
                status = 2
                return
            }
            for (k, v) in applied.replaced { replaced[k, default: 0] += v }
            if !quiet && !scanned.fixed.isEmpty {
                console.err("\(name): fixed first: \(scanned.fixed.sorted { $0.key < $1.key }.map { "\($0.key) ×\($0.value)" }.joined(separator: ", "))\n")
            }
            if !applied.freeText.isEmpty {
                freeTextCount += applied.freeText.count
                if !quiet {
                    let index = LineIndex(scanned.bytes)
                    for item in applied.freeText.prefix(20) {
                        console.err("\(name):\(index.location(of: item.offset)): warning: \(item.kind.singular) in free text at \(VisibleText.escaped(item.pointer)) was replaced too\n")
                    }
                    if applied.freeText.count > 20 { console.err("\(name): warning: \(applied.freeText.count - 20) more identifiers in free text were replaced\n") }
                }
            }
            do {
                if toStandardOutput {
                    console.writeStandardOutput(applied.output)
                    if let failure = console.outputFailure {
                        console.err("\(name): cannot write to standard output: \(VisibleText.escaped(failure))\n")
                        status = 2
                        return
                    }
                } else {
                    var bytes = applied.output
                    if loaded.wasCompressed {
                        switch Gzip.compress(bytes) {
                        case .success(let packed): bytes = packed
                        case .failure(let error): throw AtomicWriter.WriteError(message: "not written: \(error.message)")
                        }
                    }
                    if inPlace {
                        guard let path = loaded.source.absolutePath else { console.writeStandardOutput(applied.output); written += 1; return }
                        // Nothing replaced: the file is left as it is (a gzip file is not compressed again).
                        if applied.output != loaded.bytes { try AtomicWriter.write(bytes, to: path, expecting: loaded.stamp) }
                        if OutputPaths.namesAccount(document.source.displayName) && !quiet {
                            console.err("\(name): warning: its path still names an account (give `--output DIR` for redacted names)\n")
                        }
                    } else if let outputDirectory {
                        // Standard input is written as `stdin.json` (`.jsonl`, `.md`), or under its `--stdin-filename`.
                        let shown = loaded.source.absolutePath == nil && loaded.source.standardInputPath == nil
                            ? "stdin." + (loaded.kind.format == .markdown ? "md" : loaded.kind.format.rawValue)
                            : document.source.displayName
                        let relative = OutputPaths.redacted(OutputPaths.relative(shown), table: &table, shift: shift)
                        let target = outputDirectory + "/" + relative
                        if let source = loaded.source.absolutePath, source == target {
                            throw AtomicWriter.WriteError(message: "not written: the output would replace the input (\(target))")
                        }
                        let parent = String(target[..<target.lastIndex(of: "/")!])
                        try FileManager.default.createDirectory(atPath: parent, withIntermediateDirectories: true)
                        try AtomicWriter.create(bytes, at: target)
                    }
                }
                written += 1
            } catch {
                console.err("\(name): \(VisibleText.escaped(String(describing: error)))\n")
                status = 2
            }
        }
        func flush() {
            if pending.contains(where: { $0.1?.hasCandidates ?? false }) {
                for (_, scanned) in pending { if let scanned, scanned.refusal == nil { redactor.learn(scanned, table: &table) } }
            }
            for (document, scanned) in pending { finish(document, scanned) }
            pending.removeAll()
            pendingBytes = 0
        }
        runner.run(plan, standardInput: console.readStandardInput, streaming: false,
                   process: { document, _, _ -> (Document, Redactor.Scanned?) in
                       guard case .loaded(let loaded) = document.content else { return (document, nil) }
                       return (document, redactor.scan(loaded.bytes, format: loaded.kind.format, fileName: document.source.checkedPath))
                   }) { item, _ in
            pending.append(item)
            pendingBytes += item.1?.bytes.count ?? 0
            if pendingBytes >= Self.batchBytes { flush() }
        }
        flush()
        if let mappingPath {
            do {
                try AtomicWriter.create(Array(MappingFile.text(table).utf8), at: mappingPath, mode: 0o600)
            } catch {
                console.err("cannot write the mapping \(VisibleText.escaped(mappingPath)): \(VisibleText.escaped(String(describing: error)))\n")
                status = 2
            }
        }
        if !quiet {
            let counts = table.counts
            var parts = IdentifierKind.allCases.compactMap { kind -> String? in
                // Event and request IDs are drawn without a table (unless `--mapping` keeps one): counted where met.
                guard kind != .time, let n = counts[kind] ?? replaced[kind], n > 0 else { return nil }
                return "\(n) \(n == 1 ? String(kind.singular.split(separator: " ", maxSplits: 1)[1]) : kind.plural)"
            }
            if let n = replaced[.time], n > 0, let shift { parts.append("\(n) time\(n == 1 ? "" : "s") moved by \(shift.seconds) s") }
            var line = "redacted \(written) file\(written == 1 ? "" : "s")"
            if refused > 0 { line += ", refused \(refused)" }
            line += parts.isEmpty ? ": no identifier found" : ": " + parts.joined(separator: ", ")
            if freeTextCount > 0 { line += " (\(freeTextCount) in free text)" }
            console.err(line + "\n")
        }
        return status
    }
}

/// Paths of redacted copies under `--output DIR`: the input's tree kept, account IDs in it replaced (and the
/// delivery time of a CloudTrail file name moved with `--shift-time`).
enum OutputPaths {
    /// The path as shown, made relative: no leading `/`, no `.` or `..` segments (a copy never leaves the directory).
    static func relative(_ displayName: String) -> String {
        let kept = displayName.split(separator: "/").filter { $0 != "." && $0 != ".." && !$0.isEmpty }
        return kept.isEmpty ? "stdin.json" : kept.joined(separator: "/")
    }

    /// Whether a path holds a 12-digit number standing alone (`AWSLogs/111122223333/…`, `111122223333_CloudTrail_…`).
    static func namesAccount(_ path: String) -> Bool { !accountRanges(Array(path.utf8)).isEmpty }

    private static func accountRanges(_ b: [UInt8]) -> [Range<Int>] {
        var out: [Range<Int>] = []
        var i = 0
        while i < b.count {
            guard b[i] >= 0x30 && b[i] <= 0x39 else { i += 1; continue }
            var e = i
            while e < b.count && b[e] >= 0x30 && b[e] <= 0x39 { e += 1 }
            if e - i == 12 { out.append(i..<e) }
            i = e
        }
        return out
    }

    static func redacted(_ path: String, table: inout Pseudonyms, shift: TimeShift?) -> String {
        var b = Array(path.utf8)
        for r in accountRanges(b).reversed() {
            let new = table.replacement(for: String(decoding: b[r], as: UTF8.self), kind: .account)
            b.replaceSubrange(r, with: Array(new.utf8))
        }
        var text = String(decoding: b, as: UTF8.self)
        guard let shift, shift.seconds != 0 else { return text }
        // `…_20240301T1205Z_…` in the file name, and the `YYYY/MM/DD` folders before it when they are its date.
        var segments = text.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        guard var name = segments.last else { return text }
        let pieces = name.split(separator: "_", omittingEmptySubsequences: false).map(String.init)
        for (k, piece) in pieces.enumerated() {
            let u = Array(piece.utf8)
            guard u.count == 14, u[8] == UInt8(ascii: "T"), u[13] == UInt8(ascii: "Z"),
                  u[0..<8].allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }), u[9..<13].allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { continue }
            let p = Array(piece)
            let iso = String(p[0..<4]) + "-" + String(p[4..<6]) + "-" + String(p[6..<8]) + "T" + String(p[9..<11]) + ":" + String(p[11..<13]) + ":00Z"
            guard let moved = shift.shifted(Substring(iso)) else { continue }
            let m = Array(moved.utf8)
            var n8: [UInt8] = Array(m[0..<4])
            n8 += m[5..<7]
            n8 += m[8..<10]
            n8.append(UInt8(ascii: "T"))
            n8 += m[11..<13]
            n8 += m[14..<16]
            n8.append(UInt8(ascii: "Z"))
            let newPiece = String(decoding: n8, as: UTF8.self)
            var newPieces = pieces
            newPieces[k] = newPiece
            name = newPieces.joined(separator: "_")
            let n = segments.count
            if n >= 4, segments[n - 4] == String(piece.prefix(4)), segments[n - 3] == String(piece.dropFirst(4).prefix(2)),
               segments[n - 2] == String(piece.dropFirst(6).prefix(2)) {
                segments[n - 4] = String(moved.prefix(4))
                segments[n - 3] = String(moved.dropFirst(5).prefix(2))
                segments[n - 2] = String(moved.dropFirst(8).prefix(2))
            }
            break
        }
        segments[segments.count - 1] = name
        text = segments.joined(separator: "/")
        return text
    }
}

/// The `--mapping` file: every original with its replacement, the seed and the draws made, as JSON. It holds the
/// original values, so it is written readable by its owner only (0600).
enum MappingFile {
    static func text(_ table: Pseudonyms) -> String {
        let rows = table.entries.map { e in
            "    " + JSONWriter.object([("kind", JSONWriter.quote(e.kind.rawValue)), ("original", JSONWriter.quote(e.original)),
                                       ("replacement", JSONWriter.quote(e.replacement))])
        }
        return "{\n  \"about\": \"cloudtrail-lint redact mapping: it holds the ORIGINAL values; keep it secret\",\n"
            + "  \"seed\": \(table.seed),\n  \"draws\": \(table.draws),\n  \"replacements\": [\n" + rows.joined(separator: ",\n")
            + (rows.isEmpty ? "" : "\n") + "  ]\n}\n"
    }

    static func read(_ path: String, shown: String, seed: UInt64?) throws -> Pseudonyms {
        guard let data = FileManager.default.contents(atPath: path) else { throw UsageError("cannot read the mapping \(shown)") }
        let tree = JSONParser.parse(Array(data))
        func bad(_ why: String) -> UsageError { UsageError("the mapping \(shown) is not one `redact --mapping` wrote: \(why)") }
        guard tree.isStrict, let root = tree.root, tree.kind(root) == .object else { throw bad("not a JSON object") }
        guard let s = tree.member(named: "seed", of: root), let seedValue = UInt64(tree.text(s)) else { throw bad("no `seed`") }
        if let seed, seed != seedValue { throw UsageError("the mapping \(shown) was made with seed \(seedValue), not \(seed)") }
        var table = Pseudonyms(seed: seedValue)
        if let d = tree.member(named: "draws", of: root), let draws = UInt64(tree.text(d)) { table.restore(draws: draws) }
        guard let list = tree.member(named: "replacements", of: root), tree.kind(list) == .array else { throw bad("no `replacements` array") }
        for row in tree.children(of: list) {
            guard tree.kind(row) == .object,
                  let k = tree.member(named: "kind", of: row).flatMap({ tree.string($0) }), let kind = IdentifierKind(rawValue: k),
                  let o = tree.member(named: "original", of: row).flatMap({ tree.string($0) }),
                  let r = tree.member(named: "replacement", of: row).flatMap({ tree.string($0) }) else { throw bad("a malformed entry") }
            table.record(kind: kind, original: o, replacement: r)
        }
        return table
    }
}
