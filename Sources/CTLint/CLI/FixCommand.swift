import CTCore
import CTInput
import CTRules

/// `fix` and `format`: rewrite files in place (atomically), or show a diff, or check.
enum FixCommand {
    enum Mode { case fix, format }

    /// `fix` and `format` take the same options (`--indent` and `--compact` with `fix` are a usage error that says
    /// they belong to `format`); each shows its own in `--help`.
    static let spec = ArgumentList.Spec(flags: OptionTables.fix.spec.flags.union(OptionTables.format.spec.flags),
                                        options: OptionTables.fix.spec.options.union(OptionTables.format.spec.options))

    static func run(_ args: [String], console: Console, mode: Mode) throws -> Int32 {
        let a = try ArgumentList(args, spec: spec)
        if a.has("--help") || a.has("-h") { console.out(mode == .fix ? OptionTables.fix.help : OptionTables.format.help); return 0 }
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
        var options = try CLI.readingOptions(a)
        options.selection = try CLI.commonSelection(a)
        let control = try RunControl.configure(a, &options)
        if let path = a.value("--show-settings") {
            console.out(RunControl.showSettings(path, options: options, control: control))
            return 0
        }
        try CLI.checkOperands(a.operands)
        let runner = Runner(options: options)
        let plan = try runner.plan(a.operands)
        TemporaryFiles.installHandlers()
        let unsafe = a.has("--unsafe-fixes") || control.unsafeFixes
        let job = FixJob(mode: mode, fixer: Fixer(linter: Linter(selection: options.selection), includeUnsafe: unsafe),
                         formatter: Formatter(layout: layout), diffOnly: a.has("--diff"), checkOnly: a.has("--check"),
                         quiet: a.has("--quiet") || a.has("-q"), unsafeHint: !unsafe,
                         maxDecompressedBytes: options.maxDecompressedBytes)
        let progress = ProgressLine.start(a, console: console)
        let console = progress?.console ?? console
        var status: Int32 = 0
        var changedFiles = 0
        // The runner's one input loop; each outcome is printed in input order. `fix` reads a large log or JSON Lines
        // file as `check` does first (see `FixJob.process`); `format` reads every document whole.
        runner.run(plan, standardInput: console.readStandardInput, streaming: mode == .fix,
                   process: { document, linter, _ in job.process(document, linter: linter) },
                   progress: progress?.line.record) { outcome, _ in
            if let bytes = outcome.standardOutput {
                console.writeStandardOutput(bytes)
                if outcome.changed, let failure = console.outputFailure {
                    console.err("<stdin>: cannot write to standard output: \(VisibleText.escaped(failure))\n")
                    status = 2
                    return
                }
            }
            console.out(outcome.output)
            console.err(outcome.messages)
            status = max(status, outcome.status)
            if outcome.changed { changedFiles += 1 }
        }
        progress?.line.finish()
        if a.has("--verbose") || a.has("-v") { CLI.reportSkipped(plan.skipped, console: console) }
        if !job.quiet {
            let verb = mode == .fix ? (job.checkOnly || job.diffOnly ? "would be fixed" : "fixed")
                : (job.checkOnly || job.diffOnly ? "would be reformatted" : "reformatted")
            console.err("\(changedFiles) file\(changedFiles == 1 ? "" : "s") \(verb)\n")
        }
        return status
    }
}

/// What `fix` or `format` does to one document, on a worker thread: fix (and lay out), verify, write or show.
struct FixJob: Sendable {
    let mode: FixCommand.Mode
    var fixer: Fixer
    let formatter: Formatter
    let diffOnly: Bool
    let checkOnly: Bool
    let quiet: Bool
    /// Whether "left unfixed" mentions `--unsafe-fixes`.
    let unsafeHint: Bool
    /// `--max-decompressed-size`, for a large file read whole once a fix is found in it.
    let maxDecompressedBytes: Int

    struct Outcome: Sendable {
        /// Standard output: a diff or a "would fix" line.
        var output = ""
        /// The document itself, for standard input (fixed, or as it came).
        var standardOutput: [UInt8]?
        /// Standard error: what was fixed, what is left, why nothing was written.
        var messages = ""
        var status: Int32 = 0
        /// Rewritten (or, with `--diff`/`--check`, would be).
        var changed = false
    }

    /// `document` fixed (or laid out) under `linter`'s policy (the settings of its configuration).
    func process(_ document: Document, linter: Linter) -> Outcome {
        var job = self
        job.fixer.linter = linter
        return job.process(document)
    }

    private func process(_ document: Document) -> Outcome {
        var outcome = Outcome()
        let isStandardInput = document.source.absolutePath == nil
        var loaded: LoadedInput
        switch document.content {
        case .loaded(let l): loaded = l
        case .unreadable(let error):
            outcome.messages = "\(VisibleText.escaped(error.path)): \(VisibleText.escaped(error.message)) [\(error.ruleID)]\n"
            outcome.status = 2
            // A filter passes on what it cannot read, as it came.
            if isStandardInput, !diffOnly, !checkOnly, let raw = document.standardInputBytes { outcome.standardOutput = raw }
            return outcome
        case .streamed:
            // A large log (`fix` only) is fixed through the record window, as `check` reads it: with nothing to fix,
            // as in most logs, no more is held than `check` holds (read whole, a clean 200 MB log peaked at 410 MB
            // against 38 MB). Not for `--diff`, which shows the whole file's change.
            // A suppression with a pointer needs the file's pointers (`/Records/7/…`), which a record fixed alone does not
            // have: such a file is fixed whole, so that what the configuration suppresses stays as it is.
            if !diffOnly && document.source.kind.format == .json && fixer.linter.policy.suppressions.allSatisfy(\.pointer.isEmpty),
               let (fixed, stamp) = RecordStream.fix(document.source, fixer: fixer, maxRecordBytes: maxDecompressedBytes) {
                let name = VisibleText.escaped(document.source.displayName)
                if let refusal = fixed.refusal {
                    outcome.messages += "\(name): \(VisibleText.escaped(refusal.message)) [\(refusal.rule)]\n"
                    outcome.status = 1
                } else if fixed.changed {
                    if checkOnly {
                        outcome.output = "would fix \(name)\n"
                        outcome.status = 1
                    } else {
                        let written = LoadedInput(source: document.source, bytes: [], kind: document.source.kind, stamp: stamp)
                        do { try write(fixed.output, of: written, to: &outcome) } catch {
                            outcome.messages += "\(name): \(VisibleText.escaped(String(describing: error)))\n"
                            outcome.status = 2
                            return outcome
                        }
                        if !quiet { outcome.messages += "\(name): fixed \(Self.counts(fixed.applied))\n" }
                    }
                    outcome.changed = true
                }
                reportUnfixed(fixed.remaining, of: name, refused: fixed.refusal != nil, to: &outcome)
                return outcome
            }
            // A JSON Lines file is checked as `check` reads it first: read whole only when there is a fix to apply.
            if document.source.kind.format == .jsonLines {
                let checked = fixer.linter.check(document, keepSourceLines: false, maxFindings: 0, maxDecompressedBytes: maxDecompressedBytes)
                let found = checked.report.diagnostics.map(\.diagnostic)
                if !checked.unreadable && !found.contains(where: fixer.wouldFix) {
                    reportUnfixed(found, of: VisibleText.escaped(document.source.displayName), refused: false, to: &outcome)
                    return outcome
                }
            }
            switch InputReader.load(document.source, maxDecompressedBytes: maxDecompressedBytes) {
            case .success(let l): loaded = l
            case .failure(let error):
                outcome.messages = "\(VisibleText.escaped(error.path)): \(VisibleText.escaped(error.message)) [\(error.ruleID)]\n"
                outcome.status = 2
                return outcome
            }
        }
        let name = VisibleText.escaped(document.source.displayName)
        let bytes = loaded.bytes
        let format = loaded.kind.format
        var output = bytes
        var refusal: Diagnostic?
        var applied: [RuleID: Int] = [:]
        var remaining: [Diagnostic] = []
        let fileName = document.source.checkedPath
        switch mode {
        case .fix:
            let r = fixer.fix(bytes, format: format, fileName: fileName)
            output = r.output; refusal = r.refusal; applied = r.applied; remaining = r.remaining
        case .format:
            // Format applies safe fixes first, so a file with a trailing comma can still be laid out.
            let fixed = fixer.fix(bytes, format: format, fileName: fileName).output
            switch format {
            case .json: if let f = formatter.format(json: fixed) { output = f } else {
                refusal = Diagnostic(rule: UnrepairableRule.metadata.id, severity: .error, message: formatter.refusal(json: fixed), range: TextRange(empty: 0)) }
            case .jsonLines: if let f = formatter.format(jsonLines: fixed) { output = f } else {
                refusal = Diagnostic(rule: UnrepairableRule.metadata.id, severity: .error, message: "not formatted: a line does not parse strictly", range: TextRange(empty: 0)) }
            case .markdown: output = formatter.format(markdown: fixed)
            }
        }
        if let refusal {
            outcome.messages += "\(name): \(VisibleText.escaped(refusal.message)) [\(refusal.rule)]\n"
            outcome.status = 1
        }
        let changed = refusal == nil && output != bytes
        if changed {
            if diffOnly {
                outcome.output = UnifiedDiff.render(old: bytes, new: output, oldName: "a/\(name)", newName: "b/\(name)")
            } else if checkOnly {
                outcome.output = "would \(mode == .fix ? "fix" : "reformat") \(name)\n"
            } else {
                do { try write(output, of: loaded, to: &outcome) } catch {
                    outcome.messages += "\(name): \(VisibleText.escaped(String(describing: error)))\n"
                    outcome.status = 2
                    return outcome
                }
            }
            // Counted only once written (or shown).
            outcome.changed = true
            if !quiet && !applied.isEmpty && !diffOnly && !checkOnly { outcome.messages += "\(name): fixed \(Self.counts(applied))\n" }
            if checkOnly || diffOnly { outcome.status = max(outcome.status, 1) }
        } else if isStandardInput && !diffOnly && !checkOnly {
            outcome.standardOutput = document.standardInputBytes ?? bytes
        }
        reportUnfixed(remaining, of: name, refused: refusal != nil, to: &outcome)
        return outcome
    }

    /// `rule ×count` per rule, in rule order.
    private static func counts(_ byRule: [RuleID: Int]) -> String {
        byRule.sorted { $0.key < $1.key }.map { "\($0.key) ×\($0.value)" }.joined(separator: ", ")
    }

    /// The errors left after `fix`: exit status 1, and (unless quiet, or the write was refused) a count per rule.
    private func reportUnfixed(_ remaining: [Diagnostic], of name: String, refused: Bool, to outcome: inout Outcome) {
        guard mode == .fix else { return }
        let unfixed = remaining.filter { $0.severity == .error && $0.suppression == nil }
        if !unfixed.isEmpty { outcome.status = max(outcome.status, 1) }
        if !quiet && !unfixed.isEmpty && !refused {
            var byRule: [RuleID: Int] = [:]
            for d in unfixed { byRule[d.rule, default: 0] += 1 }
            outcome.messages += "\(name): left unfixed: \(Self.counts(byRule))\(unsafeHint ? " (some may have unsafe fixes: --unsafe-fixes)" : "")\n"
        }
    }

    /// Writes the new bytes: a file atomically in place, standard input to standard output; gzip input compressed
    /// again (one member: the content outside the edits is unchanged, the compressed bytes are not).
    private func write(_ output: [UInt8], of loaded: LoadedInput, to outcome: inout Outcome) throws {
        var bytes = output
        if loaded.wasCompressed {
            switch Gzip.compress(output) {
            case .success(let packed): bytes = packed
            case .failure(let error): throw AtomicWriter.WriteError(message: "not rewritten: \(error.message)")
            }
        }
        guard let path = loaded.source.absolutePath else { outcome.standardOutput = bytes; return }
        try AtomicWriter.write(bytes, to: path, expecting: loaded.stamp)
    }
}
