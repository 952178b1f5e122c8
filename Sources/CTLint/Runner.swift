import CTCore
import CTInput
import CTJSON
import CTRules
import CTSchema
import Dispatch
import Foundation
import Synchronization

/// Options for a `check` run.
public struct CheckOptions: Sendable {
    public var selection = RuleSelection()
    public var formatOverride: InputKind.Format?
    /// Keep source lines for code frames.
    public var keepSourceLines = false
    /// Worker threads; 0 means one per core.
    public var jobs = 0
    /// Largest decompressed size of one gzip input read whole (a gzip bomb stops here with `gzip-corrupt`).
    /// JSON Lines inputs are streamed and need no limit.
    public var maxDecompressedBytes = CheckOptions.defaultMaxDecompressedBytes
    /// 1 GiB: several times the largest CloudTrail file, far below what would exhaust memory. (It was 4 GiB, and
    /// `check - < /dev/zero` then held 4.3 GB before it stopped.)
    public static let defaultMaxDecompressedBytes = 1 << 30
    /// `--max-findings-per-file`: findings kept per file (0: all); the rest are counted.
    public var maxFindingsPerFile = FileReport.defaultMaxFindings
    /// `--follow-symlinks`: directory walks follow symbolic links.
    public var followSymlinks = false

    public init() {}
}

/// The outcome of checking many inputs.
public struct CheckResult: Sendable {
    public var reports: [FileReport]
    public var summary: RunSummary
    /// What the directory walks passed over (symbolic links, FIFOs), for `--verbose`.
    public var skipped: [InputCollector.Skipped] = []
}

/// Checks inputs in parallel; output order is the input order whatever the parallelism.
public struct Runner: Sendable {
    public var options: CheckOptions

    public init(options: CheckOptions) { self.options = options }

    public func check(operands: [String]) -> CheckResult {
        // Compile the schemas (about 20 ms, once per process) while the inputs are being listed, instead of in the
        // first worker while the others wait for it.
        if !options.selection.syntaxOnly {
            DispatchQueue.global(qos: .userInitiated).async { _ = CloudTrailSchemaChecker.shared }
        }
        var skipped: [InputCollector.Skipped] = []
        let inputs = InputCollector(formatOverride: options.formatOverride, followSymlinks: options.followSymlinks)
            .collect(operands, skipped: &skipped)
        let linter = Linter(selection: options.selection)
        let keep = options.keepSourceLines
        let limit = options.maxDecompressedBytes
        let maxFindings = options.maxFindingsPerFile
        let jobs = options.jobs > 0 ? options.jobs : ProcessInfo.processInfo.activeProcessorCount
        let check: @Sendable (Int) -> FileOutcome = { i in Self.checkOne(inputs[i], linter: linter, keepSourceLines: keep, maxDecompressedBytes: limit,
                                                                          maxFindings: maxFindings) }
        var outcomes: [FileOutcome]
        if inputs.count <= 1 || jobs == 1 {
            outcomes = inputs.indices.map(check)
        } else {
            // Work-stealing by index: each worker takes the next unclaimed input; results land in input order.
            let state = Mutex((next: 0, results: [FileOutcome?](repeating: nil, count: inputs.count)))
            DispatchQueue.concurrentPerform(iterations: min(jobs, inputs.count)) { _ in
                while true {
                    let i = state.withLock { s in defer { s.next += 1 }; return s.next }
                    guard i < inputs.count else { break }
                    let outcome = check(i)
                    state.withLock { $0.results[i] = outcome }
                }
            }
            outcomes = state.withLock { $0.results.map { $0! } }
        }
        if linter.collectsRunFacts {
            var found = [[Diagnostic]](repeating: [], count: outcomes.count)
            if linter.collectsEventIDs { found = DuplicateEventIDRule.findings(outcomes) }
            if linter.collectsBucketOwners {
                for (f, more) in BucketOwnerRule.findings(outcomes).enumerated() where !more.isEmpty { found[f] += more }
            }
            RunLevelFindings.place(found, in: &outcomes, keepSourceLines: keep, maxFindings: maxFindings)
        }
        var summary = RunSummary()
        var reports: [FileReport] = []
        for o in outcomes {
            summary.add(o.report)
            if o.unreadable { summary.unreadable += 1 }
            reports.append(o.report)
        }
        return CheckResult(reports: reports, summary: summary, skipped: skipped)
    }

    /// What one worker produces for one input.
    struct FileOutcome: Sendable {
        var report: FileReport
        var unreadable: Bool
        /// What the file contributes to the run-level rules.
        var facts = RunFacts()
        /// The input, so a file that gains run-level findings can be re-read to place them.
        var input: InputSource?
        /// Whether the input was linted line by line while reading (JSON Lines), never held whole.
        var streamed = false
    }

    static func checkOne(_ input: Result<InputSource, InputError>, linter: Linter, keepSourceLines: Bool,
                         maxDecompressedBytes: Int = CheckOptions.defaultMaxDecompressedBytes,
                         maxFindings: Int = FileReport.defaultMaxFindings) -> FileOutcome {
        switch input {
        case .failure(let error):
            return unreadable(error)
        case .success(let source):
            // JSON Lines: line by line from the file, in memory bounded by the longest line.
            if source.kind.format == .jsonLines {
                return StreamedLines.check(source, linter: linter, keepSourceLines: keepSourceLines, maxFindings: maxFindings,
                                           maxLineBytes: maxDecompressedBytes)
            }
            // A large delivered log file that turns out clean is read piece by piece and never held whole; at the
            // first finding it is read whole and checked again, so findings are placed as usual. Small files are
            // read whole at once: for the 2,000 files of a day (60 KB each) the window's buffers cost more than
            // they save (1.84 s against 1.11 s on one core, release).
            if source.kind.format == .json, let size = source.regularFileSize, size >= RecordStream.minimumWindowedFileSize,
               let clean = RecordStream.checkClean(source, linter: linter, collectIDs: linter.collectsRunFacts,
                                                   maxRecordBytes: maxDecompressedBytes) {
                return FileOutcome(report: FileReport(displayName: source.displayName, diagnostics: []),
                                   unreadable: false, facts: clean.facts, input: source)
            }
            switch InputReader.load(source, maxDecompressedBytes: maxDecompressedBytes) {
            case .failure(let error):
                return unreadable(error)
            case .success(let loaded):
                let output = linter.lintWithEvents(loaded.bytes, format: loaded.kind.format, fileName: source.absolutePath)
                let report = FileReport(displayName: source.displayName, source: loaded.bytes,
                                        diagnostics: output.diagnostics, keepSourceLines: keepSourceLines, maxFindings: maxFindings)
                return FileOutcome(report: report, unreadable: false, facts: output.facts, input: source)
            }
        }
    }

    static func unreadable(_ error: InputError) -> FileOutcome {
        var message = error.message
        if let gzip = error.gzipError, gzip.kind == .tooLarge {
            message = "not checked: \(gzip.message) (the limit of --max-decompressed-size; a gzip bomb?)"
        }
        let d = Diagnostic(rule: error.ruleID, severity: .error, message: message, range: TextRange(empty: 0))
        let located = LocatedDiagnostic(diagnostic: d, start: LineColumn(line: 1, column: 1),
                                        end: LineColumn(line: 1, column: 1), noteStarts: [], sourceLine: nil)
        return FileOutcome(report: FileReport(displayName: error.path, diagnostics: [located]),
                           unreadable: true, input: nil)
    }
}
