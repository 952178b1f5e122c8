import CTCore
import CTInput
import CTJSON
import CTRules

/// Lints a JSON Lines input line by line while reading it (gunzipping on the fly), so memory stays bounded
/// by the longest line plus the findings: the whole file is never held. Positions are resolved per line
/// (the line number is the JSON Lines line number, the column counted within the line), giving the same
/// report as linting the file in memory.
enum StreamedLines {
    static func check(_ source: InputSource, linter: Linter, keepSourceLines: Bool,
                      maxFindings: Int = FileReport.defaultMaxFindings, maxLineBytes: Int = .max) -> FileOutcome {
        let reader = JSONLinesReader(source: source, maxLineBytes: maxLineBytes)
        var findings = FileFindings(maxFindings: maxFindings)
        let facts = linter.newFacts()
        var sawLine = false
        var lastEnd = 0
        var lastNumber = 0
        var scratch = ParseScratch()
        for line in reader {
            sawLine = true
            var plain = false
            let result = linter.lintLine(line.bytes, fileName: source.absolutePath, facts: facts, shift: line.offset, scratch: &scratch,
                                         plain: &plain)
            let cursor = PositionCursor(offset: line.offset, line: line.number)
            line.bytes.withUnsafeBufferPointer { window in
                if !result.diagnostics.isEmpty {
                    findings.add(result.diagnostics.map { $0.shifted(by: line.offset) }, from: cursor, in: window,
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
        var unreadable = false
        if let failure = reader.failure {
            // Nothing read: the same outcome as an unreadable file. Otherwise keep what was checked and add the
            // failure where reading stopped.
            guard sawLine else { return Runner.unreadable(failure) }
            unreadable = true
            let d = Diagnostic(rule: failure.ruleID, severity: .error, message: failure.message, range: TextRange(empty: lastEnd))
            let at = LineColumn(line: lastNumber + 1, column: 1)
            findings.located.append(LocatedDiagnostic(diagnostic: d, start: at, end: at, noteStarts: [], sourceLine: nil))
        }
        return FileOutcome(report: findings.report(displayName: source.displayName), unreadable: unreadable, facts: facts)
    }
}
