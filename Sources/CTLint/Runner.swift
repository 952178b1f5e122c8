import CTCore
import CTInput
import CTJSON
import CTRules
import CTSchema
import Dispatch
import Foundation
import Synchronization

/// Options for a `check` run.
package struct CheckOptions: Sendable {
    package var selection = RuleSelection()
    package var formatOverride: InputKind.Format?
    /// Keep source lines for code frames.
    package var keepSourceLines = false
    /// Worker threads; 0 means one per core.
    package var jobs = 0
    /// Largest decompressed size of one gzip input read whole (a gzip bomb stops here with `gzip-corrupt`).
    /// JSON Lines inputs are streamed and need no limit.
    package var maxDecompressedBytes = CheckOptions.defaultMaxDecompressedBytes
    /// 1 GiB: several times the largest CloudTrail file, far below what would exhaust memory. (It was 4 GiB, and
    /// `check - < /dev/zero` then held 4.3 GB before it stopped.)
    package static let defaultMaxDecompressedBytes = 1 << 30
    /// `--max-findings-per-file`: findings kept per file (0: all); the rest are counted.
    package var maxFindingsPerFile = FileReport.defaultMaxFindings
    /// `--follow-symlinks`: directory walks follow symbolic links.
    package var followSymlinks = false
    /// Globs of what directory walks pass over (`--exclude` replaces the defaults, `--extend-exclude` adds to them).
    package var excludes = InputCollector.defaultExcludes
    /// `--stdin-filename`.
    package var standardInputName: String?
    /// Directory walks pass over what git ignores (`--no-respect-gitignore`: false).
    package var respectGitignore = true
    /// A run of one log file at least this large on disk (a gzip file: an eighth of it) checks it on `jobs` threads.
    package var minimumSplitFileSize = RecordStream.minimumParallelFileSize
    /// The configuration files (`.cloudtrail-lint.json`); nil: none.
    package var configurations: ConfigurationFiles?
    /// What the command line says that a configuration could say too; its rules are `selection`'s.
    package var commandLine: CommandLineSettings {
        get { var c = settings; c.selection = selection; return c }
        set { settings = newValue }
    }
    private var settings = CommandLineSettings()
    /// `--force-exclude`: files named as operands are excluded as walked ones are (pre-commit names every file).
    package var forceExclude = false
    /// `--baseline`: findings it holds are hidden (`check`).
    package var baseline: Baseline?
    /// `--write-baseline`: the file's absolute path and its entries before the run.
    package var baselineRecorder: BaselineRecorder?

    package init() {}
}

/// What one input gives: its report, whether it could be read, and its facts for the run-level rules.
struct FileOutcome: Sendable {
    var report: FileReport
    var unreadable: Bool
    /// Nil when no run-level rule runs.
    var facts: RunFacts?
}

/// What the run keeps of an input once it is reported: its name, its facts for the run-level rules (with their
/// positions), and how many findings it has shown (for `--max-findings-per-file`).
struct RunDocument: Sendable {
    var displayName: String
    var facts: RunFacts
    var shown = 0
    /// The input's index in the run's plan.
    var input = 0
}

/// The outcome of checking many inputs (the reports gathered; `check` itself prints each as it comes).
package struct CheckResult: Sendable {
    package var reports: [FileReport]
    package var summary: RunSummary
    /// What the directory walks passed over (symbolic links, FIFOs), for `--verbose`.
    package var skipped: [InputCollector.Skipped] = []

    /// Every finding of the input named `displayName`: its own report's, then the run-level rules' (a report at the
    /// end of the run).
    package func findings(in displayName: String) -> [LocatedDiagnostic] {
        reports.filter { $0.displayName == displayName }.flatMap(\.diagnostics)
    }
}

/// The one input loop of `check`, `fix` and `format`: lists the inputs, opens each as a `Document` (standard input
/// as one more source), processes them in parallel, and hands each outcome on in input order as soon as it and every
/// input before it are done, so memory holds a bounded number of outcomes whatever the run's size.
package struct Runner: Sendable {
    package var options: CheckOptions

    package init(options: CheckOptions) { self.options = options }

    /// Outcomes done ahead of the next one to hand on, at most (a slow file holds the others back; beyond this the
    /// workers wait for it instead of piling up reports).
    static let maxAhead = 256

    /// The inputs of a run and how each is judged: the settings of its configuration file resolved per input, and
    /// the linters they need (inputs with the same rules share one; suppressions only copy it).
    package struct Plan: Sendable {
        package var inputs: [Result<InputSource, InputError>]
        /// Per input: its absolute path (a named standard input's too), and the index of its linter.
        package var paths: [String?]
        var linterIndex: [Int]
        var linters: [Linter]
        /// The `suppress` entries that apply to at least one input (the others cannot be found unused).
        var appliedEntries: Set<Int> = []
        /// The first run-wide entry number of each configuration's `suppress`, by the configuration's path.
        var entryBase: [String: Int] = [:]
        package var skipped: [InputCollector.Skipped] = []

        func linter(for i: Int) -> Linter { linters[linterIndex[i]] }
    }

    /// Lists the inputs of `operands` and resolves their settings; a configuration file that cannot be read stops
    /// the run here, before any input is read.
    package func plan(_ operands: [String]) throws(ConfigurationError) -> Plan {
        // Load the schema catalog (its index: each version's schema compiles on first use) while the inputs are
        // being listed, instead of in the first worker while the others wait for it. (It was started by `check`,
        // after the listing, once the listing moved here.)
        if !options.selection.syntaxOnly {
            DispatchQueue.global(qos: .userInitiated).async { _ = CloudTrailSchemaChecker.shared }
        }
        var skipped: [InputCollector.Skipped] = []
        var collector = InputCollector(formatOverride: options.formatOverride, followSymlinks: options.followSymlinks)
        collector.excludes = options.excludes
        collector.standardInputName = options.standardInputName
        collector.respectGitignore = options.respectGitignore
        let configurations = options.configurations
        if let configurations {
            // The `exclude` of the configuration that applies where the walk is, relative to its directory.
            collector.configuredExclusion = { path in
                guard let c = configurations.configuration(forFile: path), !c.exclude.isEmpty,
                      let relative = PathGlob.relative(path, to: c.directory) else { return nil }
                let segments = relative.split(separator: "/").map(String.init)
                return c.exclude.first { $0.matches(segments: segments) }?.text
            }
        }
        var inputs = collector.collect(operands, skipped: &skipped)
        if let failure = configurations?.failure { throw failure }
        if options.forceExclude {
            // What a walk would pass over is passed over when named too.
            inputs.removeAll { input in
                guard case .success(let source) = input, let path = source.absolutePath else { return false }
                // A name glob (`node_modules`) covers the file when it names the file or a folder above it.
                let names = (PathGlob.relative(path, to: collector.currentDirectory) ?? source.displayName).split(separator: "/").map(String.init)
                let byName = names.lazy.compactMap { collector.exclusion(name: $0, path: source.displayName) }.first
                guard let pattern = byName ?? collector.configuredExclusion?(path) else { return false }
                skipped.append(InputCollector.Skipped(path: source.displayName, reason: "excluded by `\(pattern)` (--force-exclude)"))
                return true
            }
        }
        var plan = Plan(inputs: inputs, paths: [], linterIndex: [], linters: [], skipped: skipped)
        let commandLine = options.commandLine
        let base = Linter(policy: FileSettings.resolve(nil, relativePath: nil, commandLine: commandLine).policy)
        guard let configurations else {
            plan.paths = inputs.map { input in (try? input.get()).flatMap { $0.absolutePath ?? $0.standardInputPath } }
            plan.linterIndex = Array(repeating: 0, count: inputs.count)
            plan.linters = [base]
            return plan
        }
        var base0 = 0
        for c in configurations.files {
            plan.entryBase[c.path] = base0
            base0 += c.suppress.count
        }
        // Linters by the rules they run; policies by everything.
        var byRules: [[RuleID]: Linter] = [base.policy.ruleKey: base]
        var byPolicy: [String: Int] = [:]
        let here = FileProbe.currentDirectory
        for i in inputs.indices {
            var path: String?
            var directory = here
            if case .success(let source) = inputs[i] {
                path = source.absolutePath ?? source.standardInputPath
                if let path { directory = ConfigurationFiles.parent(path) }
            }
            let config = configurations.configuration(forDirectory: directory)
            // A configuration first found here (a file named as an operand: the walk did not look for one) is
            // numbered after the others, so that its `suppress` entries do not share numbers with theirs.
            if let c = config, plan.entryBase[c.path] == nil {
                plan.entryBase[c.path] = base0
                base0 += c.suppress.count
            }
            let relative = config.flatMap { c in path.flatMap { PathGlob.relative($0, to: c.directory) } }
            let settings = FileSettings.resolve(config, relativePath: relative, commandLine: commandLine,
                                                entryBase: config.flatMap { plan.entryBase[$0.path] } ?? 0)
            plan.paths.append(path)
            plan.appliedEntries.formUnion(settings.suppressions)
            if let format = settings.format, options.formatOverride == nil, case .success(var source) = inputs[i] {
                source.kind = InputKind(format: format, isGzipped: source.kind.isGzipped, formatFromContent: false)
                inputs[i] = .success(source)
            }
            let key = "\(config?.path ?? "")|\(settings.overrides)|\(settings.suppressions)"
            if let k = byPolicy[key] { plan.linterIndex.append(k); continue }
            let ruleKey = settings.policy.ruleKey
            let linter = byRules[ruleKey].map { $0.judging(by: settings.policy) } ?? Linter(policy: settings.policy)
            byRules[ruleKey] = byRules[ruleKey] ?? linter
            byPolicy[key] = plan.linters.count
            plan.linterIndex.append(plan.linters.count)
            plan.linters.append(linter)
        }
        // A configuration first read for a file named as an operand may be the one that cannot be read.
        if let failure = configurations.failure { throw failure }
        plan.inputs = inputs
        return plan
    }

    /// Runs `process` on every input of `plan` and gives the outcomes to `emit` with the input's index, in input
    /// order, on the calling thread. `standardInput` reads `-` (once per `-`, before the run). `streaming`: large logs
    /// and JSON Lines files are left to `process` to read piece by piece (`check`); otherwise every document is read
    /// whole (`fix`). `process` is also given the input's linter, and the threads it may use for its input: all of
    /// them for a run of one input, else one.
    /// `progress` (the progress line) is called on the calling thread once standard input is read, as (0, total, 0),
    /// then after each `emit` with the inputs handed on, the total, and the bytes of that input as stored
    /// (`Document.storedSize`, taken on the worker only when `progress` is given).
    func run<Outcome: Sendable>(_ plan: Plan, standardInput: (Int) -> Result<[UInt8], InputError>, streaming: Bool,
                                process: @escaping @Sendable (Document, Linter, Int) -> Outcome,
                                progress: ((_ done: Int, _ total: Int, _ bytes: Int) -> Void)? = nil,
                                emit: (Outcome, Int) -> Void) {
        let inputs = plan.inputs
        let limit = options.maxDecompressedBytes
        var stdin: [Int: Result<[UInt8], InputError>] = [:]
        for (i, input) in inputs.enumerated() {
            if case .success(let source) = input, case .standardInput = source.location { stdin[i] = standardInput(limit) }
        }
        let read = stdin
        let jobs = options.jobs > 0 ? options.jobs : ProcessInfo.processInfo.activeProcessorCount
        let each = inputs.count == 1 ? jobs : 1
        let sized = progress != nil
        let open: @Sendable (Int) -> (outcome: Outcome, bytes: Int) = { i in
            switch inputs[i] {
            case .failure(let error): return (process(Document(error), plan.linter(for: i), each), 0)
            case .success(let source):
                let document = Document.open(source, standardInput: read[i], streaming: streaming,
                                             windowedFrom: RecordStream.minimumWindowedFileSize, maxDecompressedBytes: limit)
                return (process(document, plan.linter(for: i), each), sized ? document.storedSize : 0)
            }
        }
        progress?(0, inputs.count, 0)
        func handOn(_ i: Int, _ done: (outcome: Outcome, bytes: Int)) {
            emit(done.outcome, i)
            progress?(i + 1, inputs.count, done.bytes)
        }
        guard inputs.count > 1 && jobs > 1 else {
            for i in inputs.indices { handOn(i, open(i)) }
            return
        }
        // Work-stealing by index: each worker takes the next unclaimed input, at most `maxAhead` past the next one to
        // hand on; the calling thread hands them on in order.
        let state = OrderedResults<(outcome: Outcome, bytes: Int)>(count: inputs.count, maxAhead: Self.maxAhead)
        let workers = min(jobs, inputs.count)
        DispatchQueue.global(qos: .userInitiated).async {
            DispatchQueue.concurrentPerform(iterations: workers) { _ in
                while let i = state.claim() { state.finish(i, open(i)) }
            }
        }
        for i in inputs.indices { handOn(i, state.take(i)) }
    }

    /// `check`: every input of `plan` linted, each report judged (the baseline) and handed to `emit` in input order
    /// as soon as it is ready; then the findings of the run-level rules, one report per file that has some; then the
    /// suppressions that covered nothing. Returns the run's totals, and what `--write-baseline` gathered.
    package func check(_ plan: Plan, standardInput: (Int) -> Result<[UInt8], InputError> = Runner.noStandardInput,
                       progress: ((_ done: Int, _ total: Int, _ bytes: Int) -> Void)? = nil,
                       emit: (FileReport) -> Void) -> (summary: RunSummary, recorder: BaselineRecorder?) {
        let keep = options.keepSourceLines
        let limit = options.maxDecompressedBytes
        let maxFindings = options.maxFindingsPerFile
        let splitFrom = options.minimumSplitFileSize
        var summary = RunSummary()
        var documents: [RunDocument] = []
        var baseline = options.baseline
        var recorder = options.baselineRecorder
        var used: Set<Int> = []
        // The rules each linter runs: the baseline's entries of other rules are neither found fixed nor dropped.
        let ran: [Set<String>] = baseline == nil && recorder == nil ? [] : plan.linters.map { linter in
            Set(RuleID.all.filter { linter.runs($0) }.map(\.rawValue))
        }
        func rules(_ i: Int) -> Set<String> { ran.isEmpty ? Baseline.allRules : ran[plan.linterIndex[i]] }
        /// The policy's last word on a report: the baseline hides what it holds (after `--write-baseline` saw it).
        func judged(_ report: FileReport, _ i: Int) -> FileReport {
            var report = report
            used.formUnion(report.suppressionsUsed)
            recorder?.record(report, path: plan.paths[i], ran: rules(i))
            baseline?.judge(&report, path: plan.paths[i], ran: rules(i))
            return report
        }
        run(plan, standardInput: standardInput, streaming: true, process: { document, linter, jobs in
            linter.check(document, keepSourceLines: keep, maxFindings: maxFindings, maxDecompressedBytes: limit,
                         jobs: jobs, splitFrom: splitFrom)
        }, progress: progress, emit: { outcome, i in
            let report = judged(outcome.report, i)
            summary.add(report)
            if outcome.unreadable { summary.unreadable += 1 }
            if let facts = outcome.facts, !facts.isEmpty {
                documents.append(RunDocument(displayName: report.displayName, facts: facts,
                                             shown: report.diagnostics.count, input: i))
            }
            emit(report)
        })
        if !documents.isEmpty {
            // Each run-level rule over the documents whose linter runs it (overrides may turn one off for some
            // files): a document's facts hold one collector per rule of its own linter, in that linter's order.
            var found = [[LocatedDiagnostic]](repeating: [], count: documents.count)
            for rule in RuleRegistry.runRules {
                let id = type(of: rule).metadata.id
                var members: [(document: Int, facts: any RunRuleCollector)] = []
                for (f, document) in documents.enumerated() {
                    let theirs = plan.linter(for: document.input).runRules
                    if let k = theirs.firstIndex(where: { type(of: $0).metadata.id == id }) { members.append((f, document.facts.collectors[k])) }
                }
                guard !members.isEmpty else { continue }
                let results = rule.findings(in: members.map { RunRuleDocument(displayName: documents[$0.document].displayName, facts: $0.facts) })
                for (j, more) in results.enumerated() where !more.isEmpty { found[members[j].document] += more }
            }
            for (f, added) in found.enumerated() where !added.isEmpty {
                var kept = added.sorted { $0.diagnostic < $1.diagnostic }
                let policy = plan.linter(for: documents[f].input).policy
                policy.judge(&kept)
                policy.suppress(&kept)
                var omitted = SeverityCounts()
                var report = FileReport(displayName: documents[f].displayName, diagnostics: kept)
                report.setAsideSuppressed(maxFindings: maxFindings)
                omitted.cap(&report.diagnostics, room: SeverityCounts.room(under: maxFindings, kept: documents[f].shown),
                            severity: \.diagnostic.severity)
                report.omitted = omitted
                report = judged(report, documents[f].input)
                // Counted as findings, not as another file.
                summary.add(report)
                summary.files -= 1
                emit(report)
            }
        }
        for report in unusedSuppressions(plan, used: used) {
            summary.add(report)
            summary.files -= 1
            emit(report)
        }
        summary.baselineFixed = baseline?.fixed ?? 0
        return (summary, recorder)
    }

    /// `unused-suppression` for each `suppress` entry that applies to a file of the run and covered nothing: one
    /// report per configuration file, at the entries' lines.
    func unusedSuppressions(_ plan: Plan, used: Set<Int>) -> [FileReport] {
        guard let configurations = options.configurations else { return [] }
        var reports: [FileReport] = []
        for c in configurations.files {
            let first = plan.entryBase[c.path] ?? 0
            let unused = c.suppress.indices.filter { plan.appliedEntries.contains(first + $0) && !used.contains(first + $0) }
            guard !unused.isEmpty else { continue }
            let bytes = (try? FileProbe.read(c.path, limit: 1 << 20).get()) ?? []
            var found = unused.map { j in
                let s = c.suppress[j]
                return Diagnostic(rule: .unusedSuppression, severity: UnusedSuppressionRule.metadata.defaultSeverity,
                                  message: "the suppression of `\(s.rule)`\(s.pointerText.map { " at `\($0)`" } ?? "") covered no finding in the files it names that were checked; remove it or narrow it",
                                  range: s.range, pointer: "/suppress/\(j)")
            }
            let policy = FileSettings.resolve(c, relativePath: Configuration.fileName, commandLine: options.commandLine).policy
            policy.judge(&found)
            guard !found.isEmpty else { continue }
            let shown = PathGlob.relative(c.path, to: FileProbe.currentDirectory) ?? c.path
            reports.append(FileReport(displayName: shown, source: bytes, diagnostics: found, keepSourceLines: options.keepSourceLines))
        }
        return reports
    }

    /// Every report gathered (tests, the benchmark): `plan` and `check(_:emit:)` collected.
    package func check(operands: [String]) -> CheckResult {
        var reports: [FileReport] = []
        guard let plan = try? plan(operands) else { return CheckResult(reports: [], summary: RunSummary()) }
        let (summary, _) = check(plan) { reports.append($0) }
        return CheckResult(reports: reports, summary: summary, skipped: plan.skipped)
    }

    /// For runs without a console: `-` reads nothing.
    package static let noStandardInput: @Sendable (Int) -> Result<[UInt8], InputError> = { _ in
        .failure(InputError(path: "<stdin>", reason: .closedStandardInput))
    }

    static func unreadable(_ error: InputError) -> FileOutcome {
        var message = error.message
        if let gzip = error.gzipError, gzip.kind == .tooLarge {
            message = "not checked: \(gzip.message) (the limit of --max-decompressed-size; a gzip bomb?)"
        }
        let d = Diagnostic(rule: error.ruleID, severity: .error, message: message, range: TextRange(empty: 0))
        let located = LocatedDiagnostic(diagnostic: d, start: LineColumn(line: 1, column: 1),
                                        end: LineColumn(line: 1, column: 1), noteStarts: [], sourceLine: nil)
        return FileOutcome(report: FileReport(displayName: error.path, diagnostics: [located]), unreadable: true)
    }
}

extension Linter {
    /// The one way `check` lints a document: a JSON Lines file line by line, a large log through a window (both as
    /// they are read), anything else whole; findings located, facts for the run-level rules with their positions.
    /// `jobs`: threads for one input of at least `splitFrom` bytes (a run of several inputs gives each its own thread
    /// instead).
    func check(_ document: Document, keepSourceLines: Bool, maxFindings: Int, maxDecompressedBytes: Int, jobs: Int = 1,
               splitFrom: Int = RecordStream.minimumParallelFileSize) -> FileOutcome {
        let source = document.source
        switch document.content {
        case .unreadable(let error):
            return Runner.unreadable(error)
        case .streamed:
            if source.kind.format == .jsonLines {
                let split = jobs > 1 && RecordStream.isWorthSplitting(source, from: splitFrom)
                return StreamedLines.check(source, linter: self, keepSourceLines: keepSourceLines, maxFindings: maxFindings,
                                           maxLineBytes: maxDecompressedBytes, jobs: split ? jobs : 1,
                                           batchSize: RecordStream.batchSize(for: source, jobs: jobs))
            }
            var oneThread = true
            if jobs > 1 && RecordStream.isWorthSplitting(source, from: splitFrom) {
                let batch = RecordStream.batchSize(for: source, jobs: jobs)
                switch RecordStream.checkInParallel(source, linter: self, jobs: jobs, keepSourceLines: keepSourceLines,
                                                    maxFindings: maxFindings, chunkSize: batch / 4, batchSize: batch,
                                                    maxRecordBytes: maxDecompressedBytes) {
                case .done(let outcome?): return outcome
                case .done(nil): oneThread = false
                case .oneThread: break
                }
            }
            if oneThread, let outcome = RecordStream.check(source, linter: self, keepSourceLines: keepSourceLines,
                                                           maxFindings: maxFindings, maxRecordBytes: maxDecompressedBytes) {
                return outcome
            }
            // Not a strict `{"Records": [...]}` file: checked whole, as a tree.
            switch InputReader.load(source, maxDecompressedBytes: maxDecompressedBytes) {
            case .failure(let error): return Runner.unreadable(error)
            case .success(let loaded): return check(loaded, keepSourceLines: keepSourceLines, maxFindings: maxFindings)
            }
        case .loaded(let loaded):
            return check(loaded, keepSourceLines: keepSourceLines, maxFindings: maxFindings)
        }
    }

    /// A document read whole.
    func check(_ loaded: LoadedInput, keepSourceLines: Bool, maxFindings: Int) -> FileOutcome {
        let bytes = loaded.bytes
        let output = lintWithEvents(bytes, format: loaded.kind.format, fileName: loaded.source.checkedPath)
        let report = FileReport(displayName: loaded.source.displayName, source: bytes, diagnostics: output.diagnostics,
                                keepSourceLines: keepSourceLines, maxFindings: maxFindings)
        if let facts = output.facts, facts.hasUnplaced {
            _ = bytes.withUnsafeBufferPointer { facts.locate(from: PositionCursor(), in: $0, windowBase: 0) }
        }
        return FileOutcome(report: report, unreadable: false, facts: output.facts)
    }
}

/// Outcomes of a parallel run, handed on in input order (see `Runner.run`).
final class OrderedResults<Outcome: Sendable>: @unchecked Sendable {
    // Every field is read and written under `condition`'s lock.
    private let condition = NSCondition()
    private var slots: [Outcome?]
    private var next = 0
    private var handedOn = 0
    private let maxAhead: Int

    init(count: Int, maxAhead: Int) {
        slots = Array(repeating: nil, count: count)
        self.maxAhead = maxAhead
    }

    /// The next input to process, waiting while it is too far ahead; nil when all are claimed.
    func claim() -> Int? {
        condition.lock()
        defer { condition.unlock() }
        while next < slots.count && next >= handedOn + maxAhead { condition.wait() }
        guard next < slots.count else { return nil }
        defer { next += 1 }
        return next
    }

    func finish(_ i: Int, _ outcome: Outcome) {
        condition.lock()
        slots[i] = outcome
        condition.broadcast()
        condition.unlock()
    }

    /// The outcome of input `i`, waiting for it; it is dropped here.
    func take(_ i: Int) -> Outcome {
        condition.lock()
        defer { condition.unlock() }
        while slots[i] == nil { condition.wait() }
        let outcome = slots[i]!
        slots[i] = nil
        handedOn = i + 1
        condition.broadcast()
        return outcome
    }
}
