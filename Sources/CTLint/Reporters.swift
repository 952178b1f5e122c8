import CTCore
import CTRules

/// Output formats for `check`.
package enum OutputFormat: String, Sendable, CaseIterable {
    case text, json, sarif, github
}

/// Text output options.
package struct TextStyle: Sendable {
    package var color: Bool
    package var showSource: Bool
    package init(color: Bool, showSource: Bool) { self.color = color; self.showSource = showSource }
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
            out += " \(gutter) | \(framed(line))\n"
            let before = line.unicodeScalars.prefix(max(0, d.start.column - d.sourceLineColumn))
            let prefix = String(repeating: " ", count: before.reduce(0) { $0 + frameWidth($1) })
            // Carets stop at the end of the line shown (an excerpt of a long line): a finding that spans an 8 MB
            // record would otherwise print 8 MB of them.
            let shown = line.unicodeScalars.count - before.count
            let width = max(1, min(d.end.line == d.start.line ? d.end.column - d.start.column : 1, shown))
            var caret = String(repeating: "^", count: width)
            if style.color { caret = "\u{1B}[1;31m" + caret + "\u{1B}[0m" }
            out += " \(pad) | \(prefix)\(caret)\n"
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
    private var items = 0
    private var sarifIndex: [RuleID: Int] = [:]

    package init(format: OutputFormat, style: TextStyle = TextStyle(color: false, showSource: false)) {
        self.format = format
        self.style = style
    }

    /// What comes before the first report.
    package mutating func begin() -> String {
        switch format {
        case .json: return "{\"version\":1,\"diagnostics\":[\n"
        case .sarif:
            let (head, index) = Reporters.sarifHead()
            sarifIndex = index
            return head
        case .text, .github: return ""
        }
    }

    /// One input's findings.
    package mutating func write(_ report: FileReport) -> String {
        switch format {
        case .text: return Reporters.text([report], style: style)
        case .github: return Reporters.github([report])
        case .json, .sarif:
            let new = format == .json ? Reporters.jsonItems(report) : Reporters.sarifResults(report, ruleIndex: sarifIndex)
            guard !new.isEmpty else { return "" }
            defer { items += new.count }
            let separator = format == .json ? ",\n" : ","
            return (items > 0 ? separator : "") + new.joined(separator: separator)
        }
    }

    /// What comes after the last report.
    package func end(summary: RunSummary) -> String {
        switch format {
        case .json: return (items > 0 ? "\n" : "") + "],\"summary\":" + Reporters.jsonSummary(summary) + "}\n"
        case .sarif: return Reporters.sarifTail
        case .text, .github: return ""
        }
    }
}
