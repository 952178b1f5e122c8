import CTCore
import CTInput

/// How a run's totals become its exit status: the one place `check` and SARIF's `invocations[].exitCode` read.
package struct ExitPolicy: Sendable {
    /// `--strict`: warnings fail the run too.
    package var strict = false
    /// `--exit-zero`: 0 whatever the findings (2 still when an input is unreadable).
    package var exitZero = false
    /// `--max-warnings N`: more than N warnings fail the run.
    package var maxWarnings: Int?

    package init(strict: Bool = false, exitZero: Bool = false, maxWarnings: Int? = nil) {
        self.strict = strict
        self.exitZero = exitZero
        self.maxWarnings = maxWarnings
    }

    /// 2 when an input could not be read (whatever else is asked); 0 with `exitZero`; 1 for an error-level finding,
    /// a warning when `strict`, or more warnings than `maxWarnings`; else 0.
    package func status(_ s: RunSummary) -> Int32 {
        if s.unreadable > 0 { return 2 }
        if exitZero { return 0 }
        if s.errors > 0 || (strict && s.warnings > 0) { return 1 }
        if let maxWarnings, s.warnings > maxWarnings { return 1 }
        return 0
    }
}

/// Where a report's file is, for formats that name it for a CI system rather than for a reader: relative to the
/// working directory (a CI job runs at the repository's root, and GitLab and GitHub want repository paths).
struct ReportPath: Equatable {
    /// The path relative to the working directory (`..` where it is outside), or `<stdin>`.
    var relative: String
    /// The absolute, normalised path; nil for standard input without a name.
    var absolute: String?
    /// Whether the file is under the working directory.
    var isUnderWorkingDirectory: Bool

    init(displayName: String, workingDirectory: String) {
        guard displayName != "<stdin>" else {
            relative = displayName
            absolute = nil
            isUnderWorkingDirectory = false
            return
        }
        let base = Self.normalized(workingDirectory)
        let full = Self.normalized(displayName.hasPrefix("/") ? displayName : base + "/" + displayName)
        absolute = full
        relative = Baseline.relative(full, from: base)
        isUnderWorkingDirectory = base == "/" ? true : full.hasPrefix(base + "/")
    }

    /// `path` (absolute) without `.`, `..` and repeated slashes.
    static func normalized(_ path: String) -> String {
        var parts: [Substring] = []
        for part in path.split(separator: "/") where part != "." {
            if part == ".." { if !parts.isEmpty { parts.removeLast() } } else { parts.append(part) }
        }
        return "/" + parts.joined(separator: "/")
    }
}

/// The fingerprints of a run's findings: `Baseline.Key.fingerprint` over the path relative to the working directory,
/// with the occurrence of each key counted so that identical findings get different ones.
struct FingerprintCounter {
    private var seen: [Baseline.Key: Int] = [:]

    mutating func next(_ d: LocatedDiagnostic, path: ReportPath) -> String {
        let key = Baseline.Key(d, relativePath: path.relative)
        let n = seen[key, default: 0]
        seen[key] = n + 1
        return key.fingerprint(occurrence: n)
    }
}

extension Reporters {
    // MARK: GitLab Code Quality

    /// GitLab's severity for ours: `info`, `minor`, `major` (of `info`, `minor`, `major`, `critical`, `blocker`).
    static func gitlabSeverity(_ s: Severity) -> String { s == .error ? "major" : s == .warning ? "minor" : "info" }

    /// The Code Quality issues (a subset of Code Climate's) of a report's findings; suppressed ones are not reported.
    static func gitlabItems(_ report: FileReport, workingDirectory: String, fingerprints: inout FingerprintCounter) -> [String] {
        let path = ReportPath(displayName: report.displayName, workingDirectory: workingDirectory)
        return report.diagnostics.map { d in
            JSONWriter.object([
                ("description", JSONWriter.quote(VisibleText.escaped(d.diagnostic.message))),
                ("check_name", JSONWriter.quote(d.diagnostic.rule.rawValue)),
                ("fingerprint", JSONWriter.quote(fingerprints.next(d, path: path))),
                ("severity", JSONWriter.quote(gitlabSeverity(d.diagnostic.severity))),
                ("location", JSONWriter.object([
                    ("path", JSONWriter.quote(path.relative)),
                    ("lines", JSONWriter.object([("begin", "\(d.start.line)"), ("end", "\(d.end.line)")])),
                ])),
            ])
        }
    }

    // MARK: JUnit XML

    /// One test case: a file and its findings' `<failure>` elements.
    struct JUnitCase {
        var name: String
        var failures: [String] = []
    }

    /// The `<failure>` elements of a report's findings (suppressed ones are not reported).
    static func junitFailures(_ report: FileReport) -> [String] {
        report.diagnostics.map { d in
            let where_ = "\(report.displayName):\(d.start.line):\(d.start.column)"
            let body = "\(where_): \(d.diagnostic.severity.rawValue): \(d.diagnostic.message) [\(d.diagnostic.rule.rawValue)]"
            return "      <failure message=\"\(xmlEscaped(d.diagnostic.message))\" type=\"\(xmlEscaped(d.diagnostic.rule.rawValue))\">"
                + xmlEscaped(body) + "</failure>\n"
        }
    }

    /// The whole JUnit document: `<testsuites>` holding one `<testsuite>` of one `<testcase>` per file checked (a
    /// file without findings passes). The counts come first, as attributes, so the cases wait for the end.
    static func junit(_ cases: [JUnitCase]) -> String {
        let failures = cases.reduce(0) { $0 + $1.failures.count }
        let counts = "tests=\"\(cases.count)\" failures=\"\(failures)\" errors=\"0\""
        var out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        out += "<testsuites name=\"\(ToolInfo.name)\" \(counts)>\n"
        out += "  <testsuite name=\"\(ToolInfo.name)\" \(counts) skipped=\"0\">\n"
        for c in cases {
            let head = "    <testcase classname=\"\(ToolInfo.name)\" name=\"\(xmlEscaped(c.name))\""
            out += c.failures.isEmpty ? head + "/>\n" : head + ">\n" + c.failures.joined() + "    </testcase>\n"
        }
        out += "  </testsuite>\n</testsuites>\n"
        return out
    }

    /// `text` for XML 1.0 content or an attribute value: `&<>"'` as entities; every character `VisibleText` escapes
    /// (controls, bidi) and every one XML 1.0 cannot hold (U+FFFE, U+FFFF) written out as `\uXXXX` text.
    package static func xmlEscaped(_ text: String) -> String {
        var out = ""
        for u in text.unicodeScalars {
            switch u {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            default:
                if VisibleText.needsEscape(u) || u.value == 0xFFFE || u.value == 0xFFFF {
                    out += VisibleText.escape(u)
                } else {
                    out.unicodeScalars.append(u)
                }
            }
        }
        return out
    }
}
