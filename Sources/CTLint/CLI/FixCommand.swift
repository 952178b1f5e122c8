import CTCore
import CTInput
import CTRules

/// `fix` and `format`: rewrite files in place (atomically), or show a diff, or check.
enum FixCommand {
    enum Mode { case fix, format }

    static let spec = ArgumentList.Spec(
        flags: ["--unsafe-fixes", "--diff", "--check", "--compact", "--quiet", "-q", "--syntax-only", "--help", "-h",
                "--follow-symlinks", "--verbose", "-v"],
        options: ["--select", "--ignore", "--input-format", "--indent", "--max-decompressed-size"])

    static func run(_ args: [String], console: Console, mode: Mode) throws -> Int32 {
        let a = try ArgumentList(args, spec: spec)
        if a.has("--help") || a.has("-h") { console.out(Help.main); return 0 }
        var layout = Formatter.Layout.pretty(indent: nil)
        if a.has("--compact") { layout = .compact }
        if let v = a.value("--indent") {
            guard let n = Int(v), (0...16).contains(n) else { throw UsageError("invalid value `\(v)` for `--indent`: expected 0 to 16") }
            if a.has("--compact") { throw UsageError("`--indent` and `--compact` cannot be combined") }
            layout = .pretty(indent: n)
        }
        if mode == .fix && (a.has("--compact") || a.value("--indent") != nil) {
            throw UsageError("`--indent` and `--compact` belong to `format`")
        }
        let selection = try CLI.commonSelection(a)
        let formatOverride = try CLI.inputFormat(a)
        let maxDocumentBytes = try CLI.maxDocumentSize(a) ?? CheckOptions.defaultMaxDecompressedBytes
        try CLI.checkOperands(a.operands)
        TemporaryFiles.installHandlers()
        let fixer = Fixer(linter: Linter(selection: selection), includeUnsafe: a.has("--unsafe-fixes"))
        let formatter = Formatter(layout: layout)
        let quiet = a.has("--quiet") || a.has("-q")
        let diffOnly = a.has("--diff"), checkOnly = a.has("--check")
        var status: Int32 = 0
        var changedFiles = 0

        /// `name` is shown escaped (`VisibleText`): file names may hold control characters.
        func process(name rawName: String, bytes: [UInt8], kind: InputKind, write: ([UInt8]) throws -> Void) {
            let name = VisibleText.escaped(rawName)
            let format = kind.format
            var output = bytes
            var refusal: Diagnostic?
            var applied: [RuleID: Int] = [:]
            var remaining: [Diagnostic] = []
            switch mode {
            case .fix:
                let r = fixer.fix(bytes, format: format, fileName: nil)
                output = r.output; refusal = r.refusal; applied = r.applied; remaining = r.remaining
            case .format:
                // Format applies safe fixes first, so a file with a trailing comma can still be laid out.
                let fixed = fixer.fix(bytes, format: format).output
                switch format {
                case .json: if let f = formatter.format(json: fixed) { output = f } else {
                    refusal = Diagnostic(rule: UnrepairableRule.metadata.id, severity: .error, message: formatter.refusal(json: fixed), range: TextRange(empty: 0)) }
                case .jsonLines: if let f = formatter.format(jsonLines: fixed) { output = f } else {
                    refusal = Diagnostic(rule: UnrepairableRule.metadata.id, severity: .error, message: "not formatted: a line does not parse strictly", range: TextRange(empty: 0)) }
                case .markdown: output = formatter.format(markdown: fixed)
                }
            }
            if let refusal {
                console.err("\(name): \(VisibleText.escaped(refusal.message)) [\(refusal.rule.rawValue)]\n")
                status = max(status, 1)
            }
            let changed = refusal == nil && output != bytes
            if changed {
                if diffOnly {
                    console.out(UnifiedDiff.render(old: bytes, new: output, oldName: "a/\(name)", newName: "b/\(name)"))
                } else if checkOnly {
                    console.out("would \(mode == .fix ? "fix" : "reformat") \(name)\n")
                } else {
                    do { try write(output) } catch {
                        console.err("\(name): \(VisibleText.escaped(String(describing: error)))\n")
                        status = 2
                        return
                    }
                }
                // Counted only once written (or shown).
                changedFiles += 1
                if !quiet && !applied.isEmpty && !diffOnly && !checkOnly {
                    let parts = applied.sorted { $0.key < $1.key }.map { "\($0.key.rawValue) ×\($0.value)" }.joined(separator: ", ")
                    console.err("\(name): fixed \(parts)\n")
                }
                if checkOnly || diffOnly { status = max(status, 1) }
            }
            let unfixed = remaining.filter { $0.severity == .error }
            if !unfixed.isEmpty && mode == .fix { status = max(status, 1) }
            if mode == .fix && !quiet && !unfixed.isEmpty && refusal == nil {
                var byRule: [RuleID: Int] = [:]
                for d in unfixed { byRule[d.rule, default: 0] += 1 }
                let parts = byRule.sorted { $0.key < $1.key }.map { "\($0.key.rawValue) ×\($0.value)" }.joined(separator: ", ")
                console.err("\(name): left unfixed: \(parts)\(a.has("--unsafe-fixes") ? "" : " (some may have unsafe fixes: --unsafe-fixes)")\n")
            }
        }

        for operand in a.operands {
            func report(_ error: InputError) {
                console.err("\(VisibleText.escaped(error.path)): \(VisibleText.escaped(error.message)) [\(error.ruleID.rawValue)]\n")
                status = 2
            }
            if operand == "-" {
                let raw: [UInt8]
                switch console.readStandardInput(limit: maxDocumentBytes) {
                case .success(let read): raw = read
                case .failure(let error): report(error); continue
                }
                // Gzip on standard input is fixed as its text, under the same limit as a file, and written back
                // compressed.
                var bytes = raw
                let compressed = Gzip.isGzip(raw)
                if compressed {
                    switch Gzip.decompress(raw, maxOutputBytes: maxDocumentBytes) {
                    case .success(let inflated): bytes = inflated
                    case .failure(let error):
                        // A filter passes on what it cannot read, as it came.
                        report(InputError(path: "<stdin>", reason: .gzipCorrupt(error)))
                        if !diffOnly && !checkOnly { console.writeStandardOutput(raw) }
                        continue
                    }
                }
                let kind = InputKind(format: formatOverride ?? .json, formatFromContent: formatOverride == nil).refined(content: bytes)
                var emitted = false
                process(name: "<stdin>", bytes: bytes, kind: kind) { out in
                    if compressed {
                        guard case .success(let packed) = Gzip.compress(out) else {
                            throw AtomicWriter.WriteError(message: "not written: the output could not be compressed")
                        }
                        console.writeStandardOutput(packed)
                    } else {
                        console.writeStandardOutput(out)
                    }
                    if let failure = console.outputFailure { throw AtomicWriter.WriteError(message: "cannot write to standard output: \(failure)") }
                    emitted = true
                }
                if !emitted && !diffOnly && !checkOnly { console.writeStandardOutput(raw) }
                continue
            }
            var skipped: [InputCollector.Skipped] = []
            let collector = InputCollector(formatOverride: formatOverride, followSymlinks: a.has("--follow-symlinks"))
            let inputs = collector.collect([operand], skipped: &skipped)
            if a.has("--verbose") || a.has("-v") { CLI.reportSkipped(skipped, console: console) }
            for input in inputs {
                switch input {
                case .failure(let error):
                    report(error)
                case .success(let source):
                    switch InputReader.load(source, maxDecompressedBytes: maxDocumentBytes) {
                    case .failure(let error):
                        report(error)
                    case .success(let loaded):
                        guard let path = source.absolutePath else { continue }
                        let compressed = loaded.wasCompressed
                        process(name: source.displayName, bytes: loaded.bytes, kind: loaded.kind) { out in
                            // A gzip input is written back compressed (one member); the content outside the edits
                            // is unchanged, the compressed bytes are not.
                            guard compressed else { return try AtomicWriter.write(out, to: path, expecting: loaded.stamp) }
                            switch Gzip.compress(out) {
                            case .success(let packed): try AtomicWriter.write(packed, to: path, expecting: loaded.stamp)
                            case .failure(let error):
                                throw AtomicWriter.WriteError(message: "not rewritten: \(error.message)")
                            }
                        }
                    }
                }
            }
        }
        if !quiet {
            let verb = mode == .fix ? (checkOnly || diffOnly ? "would be fixed" : "fixed") : (checkOnly || diffOnly ? "would be reformatted" : "reformatted")
            console.err("\(changedFiles) file\(changedFiles == 1 ? "" : "s") \(verb)\n")
        }
        return status
    }
}
