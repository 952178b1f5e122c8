import CTCore
import CTRules

/// Tool name and version, shown by `--version` and in SARIF.
package enum ToolInfo {
    package static let name = "cloudtrail-lint"
    package static let version = "0.1.0"
    package static let informationURI = "https://github.com/cloudtrail-lint/cloudtrail-lint"

    /// What `--version` prints: `cloudtrail-lint 0.1.0 (commit 3c4f20f0a1b2)`, or `(commit unknown)` for a build
    /// made without git (the executable's `BuildInfo.swift`, written by `BuildInfoPlugin`, hands the commit in).
    package static func versionLine(commit: String?) -> String {
        "\(name) \(version) (commit \(commit ?? "unknown"))\n"
    }
}

extension Reporters {
    /// SARIF 2.1.0: one run, a `rules` array from the rule metadata, full regions (1-based lines,
    /// columns in Unicode code points, plus UTF-8 byte offsets), notes as related locations, and
    /// fixes as `fixes[].artifactChanges` with byte-offset regions.
    package static func sarif(_ reports: [FileReport]) -> String {
        var writer = ReportWriter(format: .sarif)
        var summary = RunSummary()
        for r in reports { summary.add(r) }
        return writer.begin() + reports.map { writer.write($0) }.joined() + writer.end(summary: summary)
    }

    static func sarifLevel(_ s: Severity) -> String { s == .error ? "error" : s == .warning ? "warning" : "note" }
    static func sarifText(_ s: String) -> String { JSONWriter.object([("text", JSONWriter.quote(s))]) }

    /// Everything before the first result, and each rule's index in the `rules` array.
    /// `workingDirectory` is `%SRCROOT%`, what the paths of the files under it are relative to.
    static func sarifHead(workingDirectory: String) -> (String, [RuleID: Int]) {
        let rules = RuleRegistry.all
        var ruleIndex: [RuleID: Int] = [:]
        for (i, r) in rules.enumerated() { ruleIndex[r.id] = i }
        let level = sarifLevel, text = sarifText
        let ruleObjects = rules.map { r in
            JSONWriter.object([
                ("id", JSONWriter.quote(r.id.rawValue)),
                ("name", JSONWriter.quote(r.id.rawValue.split(separator: "-").map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined())),
                ("shortDescription", text(r.summary)),
                ("fullDescription", text(r.rationale)),
                ("defaultConfiguration", JSONWriter.object([("level", JSONWriter.quote(level(r.defaultSeverity)))])),
                ("help", text(r.rationale + (r.fixNote.map { " Fix: " + $0 } ?? ""))),
                ("properties", JSONWriter.object([("category", JSONWriter.quote(r.category.rawValue)),
                                                  ("fixable", JSONWriter.quote(r.fixability.rawValue))])),
            ])
        }
        let driver = JSONWriter.object([
            ("name", JSONWriter.quote(ToolInfo.name)),
            ("version", JSONWriter.quote(ToolInfo.version)),
            ("semanticVersion", JSONWriter.quote(ToolInfo.version)),
            ("informationUri", JSONWriter.quote(ToolInfo.informationURI)),
            ("rules", JSONWriter.array(ruleObjects)),
        ])
        // The closing brackets come in `sarifTail`: `results` is the last member of the one run.
        let marker = "\u{0}"
        let run = JSONWriter.object([
            ("tool", JSONWriter.object([("driver", driver)])),
            ("originalUriBaseIds", JSONWriter.object([("%SRCROOT%", JSONWriter.object([
                ("uri", JSONWriter.quote(fileURI(ReportPath.normalized(workingDirectory), directory: true))),
            ]))])),
            ("columnKind", JSONWriter.quote("unicodeCodePoints")),
            ("results", marker),
        ])
        let whole = JSONWriter.object([
            ("$schema", JSONWriter.quote("https://json.schemastore.org/sarif-2.1.0.json")),
            ("version", JSONWriter.quote("2.1.0")),
            ("runs", JSONWriter.array([run])),
        ])
        let head = String(whole[..<whole.firstRange(of: marker)!.lowerBound]) + "["
        return (head, ruleIndex)
    }

    /// What follows the last result: the run's one invocation, which only the end of the run knows (a run that could
    /// not read an input did not execute successfully, and exits 2), then the closing brackets.
    static func sarifTail(summary: RunSummary, exitCode: Int32) -> String {
        let invocation = JSONWriter.object([("executionSuccessful", summary.unreadable == 0 ? "true" : "false"),
                                            ("exitCode", "\(exitCode)")])
        return "],\"invocations\":" + JSONWriter.array([invocation]) + "}]}\n"
    }

    /// The artifact location of the file shown as `displayName`: relative to `%SRCROOT%` when it is under the working
    /// directory (code scanning then maps it to the repository), a `file://` URI otherwise.
    static func sarifArtifactLocation(_ path: ReportPath) -> String {
        guard let absolute = path.absolute else { return JSONWriter.object([("uri", JSONWriter.quote(uriEncode(path.relative)))]) }
        guard path.isUnderWorkingDirectory else { return JSONWriter.object([("uri", JSONWriter.quote(fileURI(absolute, directory: false)))]) }
        return JSONWriter.object([("uri", JSONWriter.quote(uriEncode(path.relative))), ("uriBaseId", JSONWriter.quote("%SRCROOT%"))])
    }

    /// `file://` and the percent-encoded absolute path (a directory's with a final `/`, as a base URI needs).
    static func fileURI(_ absolute: String, directory: Bool) -> String {
        "file://" + uriEncode(absolute) + (directory && !absolute.hasSuffix("/") ? "/" : "")
    }

    /// The SARIF results of a report's findings, with a `partialFingerprints` key as stable as the baseline's (so
    /// GitHub code scanning follows a finding across commits).
    static func sarifResults(_ report: FileReport, ruleIndex: [RuleID: Int], workingDirectory: String,
                             fingerprints: inout FingerprintCounter) -> [String] {
        let level = sarifLevel, text = sarifText
        var results: [String] = []
        do {
            let path = ReportPath(displayName: report.displayName, workingDirectory: workingDirectory)
            let uri = sarifArtifactLocation(path)
            // Suppressed findings are results too, with `suppressions` (SARIF 3.27.23): viewers hide them and show why.
            for d in report.diagnostics + report.suppressed {
                let diag = d.diagnostic
                let region = JSONWriter.object([
                    ("startLine", "\(d.start.line)"), ("startColumn", "\(d.start.column)"),
                    ("endLine", "\(d.end.line)"), ("endColumn", "\(d.end.column)"),
                    ("byteOffset", "\(diag.range.start)"), ("byteLength", "\(diag.range.length)"),
                ])
                var members: [(String, String)] = [
                    ("ruleId", JSONWriter.quote(diag.rule.rawValue)),
                    ("ruleIndex", "\(ruleIndex[diag.rule] ?? 0)"),
                    ("level", JSONWriter.quote(level(diag.severity))),
                    ("message", text(diag.message)),
                    ("locations", JSONWriter.array([JSONWriter.object([
                        ("physicalLocation", JSONWriter.object([("artifactLocation", uri), ("region", region)])),
                    ])])),
                ]
                if !diag.notes.isEmpty {
                    members.append(("relatedLocations", JSONWriter.array(zip(diag.notes, d.noteStarts).enumerated().map { i, pair in
                        JSONWriter.object([
                            ("id", "\(i)"),
                            ("message", text(pair.0.message)),
                            ("physicalLocation", JSONWriter.object([
                                ("artifactLocation", uri),
                                ("region", JSONWriter.object([("startLine", "\(pair.1.line)"), ("startColumn", "\(pair.1.column)"),
                                                              ("byteOffset", "\(pair.0.range.start)"),
                                                              ("byteLength", "\(pair.0.range.length)")])),
                            ])),
                        ])
                    })))
                }
                if let fix = diag.fix {
                    let replacements = fix.edits.map { e in
                        JSONWriter.object([
                            ("deletedRegion", JSONWriter.object([("byteOffset", "\(e.range.start)"), ("byteLength", "\(e.range.length)")])),
                            ("insertedContent", JSONWriter.object([("text", JSONWriter.quote(bytes: e.replacement))])),
                        ])
                    }
                    members.append(("fixes", JSONWriter.array([JSONWriter.object([
                        ("description", text(fix.title + (fix.applicability == .unsafe ? " (unsafe)" : ""))),
                        ("artifactChanges", JSONWriter.array([JSONWriter.object([
                            ("artifactLocation", uri), ("replacements", JSONWriter.array(replacements)),
                        ])])),
                    ])])))
                }
                members.append(("partialFingerprints", JSONWriter.object([("cloudtrailLint/v1", JSONWriter.quote(fingerprints.next(d, path: path)))])))
                if let s = diag.suppression {
                    members.append(("suppressions", JSONWriter.array([JSONWriter.object([
                        ("kind", JSONWriter.quote(s.kind.rawValue)), ("justification", JSONWriter.quote(s.justification)),
                    ])])))
                }
                if let p = diag.pointer {
                    members.append(("properties", JSONWriter.object([("jsonPointer", JSONWriter.quote(p))])))
                }
                results.append(JSONWriter.object(members))
            }
        }
        return results
    }

    /// Percent-encodes what a relative URI reference may not hold literally.
    static func uriEncode(_ path: String) -> String {
        var out = ""
        for b in PathBytes.bytes(path) {
            let c = Character(Unicode.Scalar(b))
            if b < 0x80 && (c.isLetter || c.isNumber || "-._~/!$&'()*+,;=:@".contains(c)) {
                out.append(c)
            } else {
                out += "%" + String(b, radix: 16, uppercase: true).leftPadded(2)
            }
        }
        return out
    }
}

extension String {
    func leftPadded(_ width: Int) -> String { String(repeating: "0", count: max(0, width - count)) + self }
}
