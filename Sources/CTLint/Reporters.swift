import CTCore
import CTInput
import CTRules

/// Output formats for `check`.
package enum OutputFormat: String, Sendable, CaseIterable {
    case text, concise, json, sarif, github, gitlab, junit
}

/// Text output options.
package struct TextStyle: Sendable {
    package var color: Bool
    package var showSource: Bool
    /// The columns a code frame may take: the terminal's, or 120 when standard output is not one.
    package var width: Int
    package init(color: Bool, showSource: Bool, width: Int = 120) {
        self.color = color
        self.showSource = showSource
        self.width = width
    }
}

package enum Reporters {
    // MARK: Text

    /// `path:line:col: severity: message [rule]`, then an optional code frame.
    package static func text(_ reports: [FileReport], style: TextStyle) -> String {
        var out = ""
        for report in reports {
            for d in report.diagnostics {
                out += textLine(report.displayName, d, style: style)
            }
        }
        return out
    }

    /// What is said on stderr of the findings past the per-file limit (one line per file that has some), so the
    /// report itself keeps its one shape of line.
    package static func omittedLines(_ reports: [FileReport]) -> String {
        reports.compactMap { report in omittedLine(report).map { "\(VisibleText.escaped(report.displayName)): \($0)\n" } }.joined()
    }

    /// What is said of the findings past the per-file limit, or nil when none was left out.
    static func omittedLine(_ report: FileReport) -> String? {
        let o = report.omitted
        guard o.total > 0 else { return nil }
        return "\(o.total) more finding\(o.total == 1 ? "" : "s") not shown (\(o.errors) errors, \(o.warnings) warnings, \(o.infos) infos; "
            + "the first \(report.diagnostics.count) are; --max-findings-per-file sets the limit)"
    }

    static func textLine(_ path: String, _ d: LocatedDiagnostic, style: TextStyle) -> String {
        let sev = d.diagnostic.severity.rawValue
        let colored: String
        if style.color {
            let code = d.diagnostic.severity == .error ? "31" : d.diagnostic.severity == .warning ? "33" : "36"
            colored = "\u{1B}[1;\(code)m\(sev)\u{1B}[0m"
        } else {
            colored = sev
        }
        let message = VisibleText.escaped(d.diagnostic.message)
        var out = "\(VisibleText.escaped(path)):\(d.start.line):\(d.start.column): \(colored): \(message) [\(d.diagnostic.rule.rawValue)]\n"
        if style.showSource, let line = d.sourceLine {
            let gutter = String(d.start.line)
            let pad = String(repeating: " ", count: gutter.count)
            out += " \(pad) |\n"
            let before = line.unicodeScalars.prefix(max(0, d.start.column - d.sourceLineColumn))
            // Carets stop at the end of the line shown (an excerpt of a long line): a finding that spans an 8 MB
            // record would otherwise print 8 MB of them.
            let shown = line.unicodeScalars.count - before.count
            let width = max(1, min(d.end.line == d.start.line ? d.end.column - d.start.column : 1, shown))
            let frame = cut(line, caretAt: before.count, caretWidth: width, cutBefore: d.sourceLineColumn > 1,
                            cutAfter: d.sourceLineContinues, columns: max(20, style.width - gutter.count - 4))
            out += " \(gutter) | \(frame.text)\n"
            var caret = String(repeating: "^", count: frame.caretWidth)
            if style.color { caret = "\u{1B}[1;31m" + caret + "\u{1B}[0m" }
            out += " \(pad) | \(String(repeating: " ", count: frame.caretColumn))\(caret)\n"
            for (note, at) in zip(d.diagnostic.notes, d.noteStarts) {
                out += " \(pad) = note: \(VisibleText.escaped(note.message)) (\(at.line):\(at.column))\n"
            }
            if let fix = d.diagnostic.fix {
                out += " \(pad) = help: \(VisibleText.escaped(fix.title))\(fix.applicability == .unsafe ? " (unsafe fix)" : "")\n"
            }
        }
        return out
    }

    /// A source line for a code frame: a tab as four spaces, every other character `VisibleText` escapes as its escape.
    static func framed(_ line: String) -> String {
        var out = ""
        for u in line.unicodeScalars {
            if u == "\t" { out += "    " } else if VisibleText.needsEscape(u) { out += VisibleText.escape(u) } else { out.unicodeScalars.append(u) }
        }
        return out
    }

    /// A code frame's line (`framed`) cut to at most `columns` columns around the caret, as rustc and ruff do, with
    /// `…` where something was cut (`cutBefore`, `cutAfter`: the excerpt `line` is already cut there); the caret's
    /// column and width in what is shown. A line that fits is shown whole, as before: a finding in a one-line compact
    /// log no longer prints a line, and a caret line, thousands of columns wide.
    ///
    /// `caretAt` counts the scalars of `line` before the caret; `caretWidth` its width in scalars.
    package static func cut(_ line: String, caretAt: Int, caretWidth: Int, cutBefore: Bool, cutAfter: Bool,
                    columns: Int) -> (text: String, caretColumn: Int, caretWidth: Int) {
        let scalars = Array(line.unicodeScalars)
        let widths = scalars.map(frameWidth)
        let total = widths.reduce(0, +)
        let caretColumn = widths.prefix(caretAt).reduce(0, +)
        if !cutBefore && !cutAfter && total <= columns {
            return (framed(line), caretColumn, caretWidth)
        }
        // Two columns for the marks; the caret's start a third of the way in, unless the line's start or end is near.
        let room = max(8, columns - 2)
        var first = 0, from = 0
        let want = max(0, min(caretColumn - room / 3, total - room))
        while first < scalars.count, from + widths[first] <= want { from += widths[first]; first += 1 }
        var last = first, to = from
        while last < scalars.count, to + widths[last] <= from + room { to += widths[last]; last += 1 }
        let before = cutBefore || first > 0, after = cutAfter || last < scalars.count
        var text = before ? "…" : ""
        text += framed(String(String.UnicodeScalarView(scalars[first..<last])))
        if after { text += "…" }
        let shownCaret = max(1, min(caretWidth, to - caretColumn))
        return (text, (before ? 1 : 0) + caretColumn - from, shownCaret)
    }

    /// The columns `u` takes in `framed` output.
    static func frameWidth(_ u: Unicode.Scalar) -> Int { u == "\t" ? 4 : VisibleText.width(u) }

    package static func summaryLine(_ s: RunSummary) -> String {
        func plural(_ n: Int, _ w: String) -> String { "\(n) \(w)\(n == 1 ? "" : "s")" }
        var line = "\(plural(s.files, "file")) checked: \(plural(s.errors, "error")), \(plural(s.warnings, "warning")), \(plural(s.infos, "info"))"
        if s.unreadable > 0 { line += "; \(s.unreadable) unreadable" }
        if s.omitted > 0 { line += "; \(s.omitted) not shown (--max-findings-per-file)" }
        if s.suppressed > 0 { line += "; \(s.suppressed) suppressed" }
        if s.baselined > 0 { line += "; \(s.baselined) in the baseline" }
        if s.baselineFixed > 0 { line += "; \(plural(s.baselineFixed, "baseline entry")) no longer found (--write-baseline shrinks it)".replacingAll("entrys", "entries") }
        return line
    }

    // MARK: JSON (version 1)

    package static func json(_ reports: [FileReport], summary: RunSummary) -> String {
        var writer = ReportWriter(format: .json)
        return writer.begin() + reports.map { writer.write($0) }.joined() + writer.end(summary: summary)
    }

    /// The JSON objects of a report's findings.
    static func jsonItems(_ report: FileReport) -> [String] {
        var items: [String] = []
        do {
            for d in report.diagnostics {
                let diag = d.diagnostic
                var fix = "null"
                if let f = diag.fix {
                    fix = JSONWriter.object([
                        ("applicability", JSONWriter.quote(f.applicability.rawValue)),
                        ("title", JSONWriter.quote(f.title)),
                        ("edits", JSONWriter.array(f.edits.map {
                            JSONWriter.object([("offset", "\($0.range.start)"), ("endOffset", "\($0.range.end)"),
                                               ("replacement", JSONWriter.quote(bytes: $0.replacement))])
                        })),
                    ])
                }
                let notes = JSONWriter.array(zip(diag.notes, d.noteStarts).map { note, at in
                    JSONWriter.object([("message", JSONWriter.quote(note.message)), ("line", "\(at.line)"),
                                       ("column", "\(at.column)"), ("offset", "\(note.range.start)"),
                                       ("endOffset", "\(note.range.end)")])
                })
                items.append(JSONWriter.object([
                    ("path", JSONWriter.quote(report.displayName)),
                    ("line", "\(d.start.line)"), ("column", "\(d.start.column)"),
                    ("endLine", "\(d.end.line)"), ("endColumn", "\(d.end.column)"),
                    ("offset", "\(diag.range.start)"), ("endOffset", "\(diag.range.end)"),
                    ("severity", JSONWriter.quote(diag.severity.rawValue)),
                    ("rule", JSONWriter.quote(diag.rule.rawValue)),
                    ("message", JSONWriter.quote(diag.message)),
                    ("pointer", JSONWriter.optional(diag.pointer)),
                    ("notes", notes),
                    ("fix", fix),
                ]))
            }
        }
        return items
    }

    /// The `summary` object of the JSON report.
    static func jsonSummary(_ summary: RunSummary) -> String {
        var summaryMembers = [("files", "\(summary.files)"), ("errors", "\(summary.errors)"),
                              ("warnings", "\(summary.warnings)"), ("infos", "\(summary.infos)")]
        // Only when some were left out, so the output of every other run is unchanged.
        if summary.omitted > 0 { summaryMembers.append(("omitted", "\(summary.omitted)")) }
        // Findings a suppression or the baseline covers are in none of the counts above.
        summaryMembers.append(("suppressed", "\(summary.suppressed)"))
        if summary.baselined > 0 || summary.baselineFixed > 0 {
            summaryMembers += [("baselined", "\(summary.baselined)"), ("baselineFixed", "\(summary.baselineFixed)")]
        }
        return JSONWriter.object(summaryMembers)
    }

    // MARK: GitHub Actions

    /// Workflow commands: `::error file=…,line=…,col=…,endLine=…,endColumn=…,title=…::message`.
    package static func github(_ reports: [FileReport]) -> String {
        // Scalar by scalar (a Swift `Character` joins "\r\n" into one). In a message, controls and bidi characters
        // are written out (`VisibleText`), so no raw CR or LF is left. A property (a file name, a rule id) is given
        // exactly where the format can carry it (CR and LF as `%0D` and `%0A`, `:` and `,` escaped), so the
        // annotation lands on the real file; its other controls are written out as in messages.
        func escape(_ s: String, property: Bool) -> String {
            var out = ""
            for u in s.unicodeScalars {
                switch u {
                case "%": out += "%25"
                case "\r" where property: out += "%0D"
                case "\n" where property: out += "%0A"
                case ":" where property: out += "%3A"
                case "," where property: out += "%2C"
                default: if VisibleText.needsEscape(u) { out += VisibleText.escape(u) } else { out.unicodeScalars.append(u) }
                }
            }
            return out
        }
        func escapeData(_ s: String) -> String { escape(s, property: false) }
        func escapeProperty(_ s: String) -> String { escape(s, property: true) }
        var out = ""
        for report in reports {
            for d in report.diagnostics {
                let level = d.diagnostic.severity == .error ? "error" : d.diagnostic.severity == .warning ? "warning" : "notice"
                out += "::\(level) file=\(escapeProperty(report.displayName)),line=\(d.start.line),col=\(d.start.column),"
                    + "endLine=\(d.end.line),endColumn=\(d.end.column),title=\(escapeProperty(d.diagnostic.rule.rawValue))::"
                    + escapeData(d.diagnostic.message) + "\n"
            }
        }
        return out
    }
}

extension String {
    func replacingAll(_ target: String, _ replacement: String) -> String {
        guard !target.isEmpty else { return self }
        var out = ""
        var rest = Substring(self)
        while let r = rest.firstRange(of: target) {
            out += rest[..<r.lowerBound]
            out += replacement
            rest = rest[r.upperBound...]
        }
        return out + rest
    }

}

/// Writes a report as it comes, file by file, in any output format: what `check` prints, so that nothing waits for
/// the end of the run but the closing lines (JSON's `summary`, SARIF's closing brackets).
package struct ReportWriter {
    package let format: OutputFormat
    package let style: TextStyle
    /// What paths are relative to in SARIF (`%SRCROOT%`), GitLab's report and the fingerprints.
    package let workingDirectory: String
    /// How SARIF's `invocations[].exitCode` is found from the run's totals (as `check`'s exit status is).
    package let exitPolicy: ExitPolicy
    private var items = 0
    private var sarifIndex: [RuleID: Int] = [:]
    private var fingerprints = FingerprintCounter()
    /// JUnit's test cases, in input order, and the index of each file's (run-level findings come in a later report).
    private var junitCases: [Reporters.JUnitCase] = []
    private var junitIndex: [String: Int] = [:]

    package init(format: OutputFormat, style: TextStyle = TextStyle(color: false, showSource: false),
                 workingDirectory: String = FileProbe.currentDirectory, exitPolicy: ExitPolicy = ExitPolicy()) {
        self.format = format
        self.style = style
        self.workingDirectory = workingDirectory
        self.exitPolicy = exitPolicy
    }

    /// What comes before the first report.
    package mutating func begin() -> String {
        switch format {
        case .json: return "{\"version\":1,\"diagnostics\":[\n"
        case .gitlab: return "["
        case .sarif:
            let (head, index) = Reporters.sarifHead(workingDirectory: workingDirectory)
            sarifIndex = index
            return head
        case .text, .concise, .github, .junit: return ""
        }
    }

    /// One input's findings.
    package mutating func write(_ report: FileReport) -> String {
        switch format {
        case .text: return Reporters.text([report], style: style)
        case .concise: return Reporters.text([report], style: TextStyle(color: style.color, showSource: false))
        case .github: return Reporters.github([report])
        case .junit:
            // Every file checked is a test case; a file's run-level findings join its case.
            let i = junitIndex[report.displayName] ?? {
                junitCases.append(Reporters.JUnitCase(name: report.displayName))
                junitIndex[report.displayName] = junitCases.count - 1
                return junitCases.count - 1
            }()
            junitCases[i].failures += Reporters.junitFailures(report)
            return ""
        case .json, .sarif, .gitlab:
            let new: [String]
            switch format {
            case .json: new = Reporters.jsonItems(report)
            case .gitlab: new = Reporters.gitlabItems(report, workingDirectory: workingDirectory, fingerprints: &fingerprints)
            default: new = Reporters.sarifResults(report, ruleIndex: sarifIndex, workingDirectory: workingDirectory,
                                                  fingerprints: &fingerprints)
            }
            guard !new.isEmpty else { return "" }
            defer { items += new.count }
            let separator = format == .sarif ? "," : ",\n"
            return (items > 0 ? separator : format == .gitlab ? "\n" : "") + new.joined(separator: separator)
        }
    }

    /// What comes after the last report.
    package func end(summary: RunSummary) -> String {
        switch format {
        case .json: return (items > 0 ? "\n" : "") + "],\"summary\":" + Reporters.jsonSummary(summary) + "}\n"
        case .gitlab: return (items > 0 ? "\n" : "") + "]\n"
        case .sarif: return Reporters.sarifTail(summary: summary, exitCode: exitPolicy.status(summary))
        case .junit: return Reporters.junit(junitCases)
        case .text, .concise, .github: return ""
        }
    }
}
