import CTCore
import CTInput
import CTJSON
import CTRules

/// Lints a JSON Lines input line by line while reading it (gunzipping on the fly), so memory stays bounded
/// by the longest line plus the findings: the whole file is never held. Positions are resolved per line
/// (the line number is the JSON Lines line number, the column counted within the line), giving the same
/// report as linting the file in memory.
enum StreamedLines {
    /// `jobs`: threads for the file (lines are checked in batches on worker threads, and placed in order here).
    static func check(_ source: InputSource, linter: Linter, keepSourceLines: Bool,
                      maxFindings: Int = FileReport.defaultMaxFindings, maxLineBytes: Int = .max, jobs: Int = 1,
                      batchSize: Int = RecordStream.batchSize) -> FileOutcome {
        let reader = JSONLinesReader(source: source, maxLineBytes: maxLineBytes)
        let facts = linter.newFacts()
        let origin = DocumentOrigin(fileName: source.absolutePath)
        var placer = Placer(findings: FileFindings(maxFindings: maxFindings, policy: linter.policy), facts: facts, keepSourceLines: keepSourceLines)
        if jobs > 1 {
            // Batches of lines for the workers; each line's facts in a set of its own, added to the file's in order
            // (the same facts, in the same order, as collected on one thread).
            struct Checked: Sendable {
                var line: JSONLine
                var diagnostics: [Diagnostic]
                var plain: Bool
                var facts: RunFacts?
            }
            let pipeline = OrderedPipeline<[JSONLine], [Checked]>(workers: jobs, maxInFlight: jobs + 2,
                                                                 state: { ParseScratch() }) { lines, scratch in
                lines.map { line in
                    var plain = false
                    let lineFacts = linter.newFacts()
                    let result = linter.lintLine(line.bytes, fileName: source.absolutePath, origin: origin, facts: lineFacts, shift: line.offset,
                                                 scratch: &scratch, plain: &plain)
                    return Checked(line: line, diagnostics: result.diagnostics, plain: plain, facts: lineFacts)
                }
            }
            var submitted = 0
            var taken = 0
            func merge(waiting: Bool) {
                while taken < submitted {
                    let next = waiting || submitted - taken >= pipeline.maxInFlight ? pipeline.take(taken) : pipeline.takeIfDone(taken)
                    guard let next else { return }
                    taken += 1
                    for c in next {
                        if let facts, let lineFacts = c.facts { facts.append(lineFacts, range: { $0 }) }
                        placer.place(c.line, c.diagnostics, plain: c.plain)
                    }
                }
            }
            var batch: [JSONLine] = []
            var bytes = 0
            for line in reader {
                bytes += line.bytes.count
                batch.append(line)
                if bytes >= batchSize {
                    pipeline.submit(batch)
                    submitted += 1
                    batch = []
                    bytes = 0
                    merge(waiting: false)
                }
            }
            if !batch.isEmpty {
                pipeline.submit(batch)
                submitted += 1
            }
            pipeline.close()
            merge(waiting: true)
        } else {
            var scratch = ParseScratch()
            for line in reader {
                var plain = false
                let result = linter.lintLine(line.bytes, fileName: source.absolutePath, origin: origin, facts: facts, shift: line.offset, scratch: &scratch,
                                             plain: &plain)
                placer.place(line, result.diagnostics, plain: plain)
            }
        }
        var unreadable = false
        if let failure = reader.failure {
            // Nothing read: the same outcome as an unreadable file. Otherwise keep what was checked and add the
            // failure where reading stopped.
            guard placer.sawLine else { return Runner.unreadable(failure) }
            unreadable = true
            let d = Diagnostic(rule: failure.ruleID, severity: .error, message: failure.message, range: TextRange(empty: placer.lastEnd))
            let at = LineColumn(line: placer.lastNumber + 1, column: 1)
            placer.findings.located.append(LocatedDiagnostic(diagnostic: d, start: at, end: at, noteStarts: [], sourceLine: nil))
        }
        return FileOutcome(report: placer.findings.report(displayName: source.displayName), unreadable: unreadable, facts: facts)
    }

    /// Locates each line's findings and facts (its facts already collected in `facts`), line after line.
    private struct Placer {
        var findings: FileFindings
        let facts: RunFacts?
        let keepSourceLines: Bool
        var sawLine = false
        var lastEnd = 0
        var lastNumber = 0

        mutating func place(_ line: JSONLine, _ diagnostics: [Diagnostic], plain: Bool) {
            sawLine = true
            let cursor = PositionCursor(offset: line.offset, line: line.number)
            line.bytes.withUnsafeBufferPointer { window in
                if !diagnostics.isEmpty {
                    findings.add(diagnostics.map { $0.shifted(by: line.offset) }, from: cursor, in: window,
                                 windowBase: line.offset, keepSourceLines: keepSourceLines)
                }
                if let facts, facts.hasUnplaced {
                    // A plain line's positions are counted (up to a trailing `\r`, which the line may keep).
                    let plainEnd = plain && line.bytes.last != 0x0D ? line.offset + line.bytes.count : nil
                    facts.locate(from: cursor, in: window, windowBase: line.offset, plainUpTo: plainEnd)
                }
            }
            lastEnd = line.offset + line.bytes.count
            lastNumber = line.number
        }
    }
}
