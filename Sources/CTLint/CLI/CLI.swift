import CTCore
import CTJSON
import Foundation
import CTInput
import CTRules
import CTSchema

/// The command-line interface: `cloudtrail-lint [check|fix|format|rules|explain|schema] …`.
///
/// Exit status: 0 no error-level finding (warnings too with `--strict`); 1 findings; 2 usage error or an
/// input that could not be read (the other inputs are still checked).
public enum CLI {
    /// The process's arguments after the command name, with file names that are not UTF-8 kept byte for byte
    /// (`PathBytes`); `CommandLine.arguments` would turn their bytes into U+FFFD.
    public static var processArguments: [String] {
        (1..<Int(CommandLine.argc)).compactMap { i in
            CommandLine.unsafeArgv[i].map { PathBytes.string(cString: $0) }
        }
    }

    /// Runs one command line. `commit` is the commit the executable was built from, shown by `--version`.
    public static func run(_ arguments: [String], console: Console, commit: String? = nil) -> Int32 {
        let status = dispatch(arguments, console: console, commit: commit)
        // Every write to standard output is checked: a full disk or an I/O error is exit status 2, never a
        // silently short report or fixed file. A closed pipe (`| head`) is not an error.
        if let failure = console.finishOutput() {
            console.err("error: cannot write to standard output: \(VisibleText.escaped(failure))\n")
            return 2
        }
        return status
    }

    static func dispatch(_ arguments: [String], console: Console, commit: String?) -> Int32 {
        var args = arguments
        let commands = OptionTables.commands
        var command = "check"
        // `cloudtrail-lint --help` is the tool's help; `cloudtrail-lint check --help` the command's.
        let named = args.first.map(commands.contains) ?? false
        if let first = args.first, commands.contains(first) {
            command = first
            args.removeFirst()
        } else if let first = args.first, !first.hasPrefix("-"), !first.contains("/"), !first.contains("."),
                  let s = EditDistance.closest(to: first, among: commands), s != first,
                  !FileSystemProbe.exists(first) {
            console.err("error: unknown command `\(VisibleText.escaped(first))`; did you mean `\(s)`?\n")
            return 2
        }
        do {
            switch command {
            case "help": return try HelpCommand.run(args, console: console)
            case "completions": return try CompletionsCommand.run(args, console: console)
            case "rules": return try RulesCommand.run(args, console: console)
            case "explain": return try ExplainCommand.run(args, console: console)
            case "schema": return try SchemaCommand.run(args, console: console)
            case "fix": return try FixCommand.run(args, console: console, mode: .fix)
            case "format": return try FixCommand.run(args, console: console, mode: .format)
            case "verify": return try VerifyCommand.run(args, console: console)
            case "redact": return try RedactCommand.run(args, console: console)
            default: return try CheckCommand.run(args, console: console, named: named, commit: commit)
            }
        } catch let error as ConfigurationError {
            // Each problem at its line and column in the configuration file, as the linter reports a finding.
            for line in error.description.split(separator: "\n") { console.err(VisibleText.escaped(String(line)) + "\n") }
            return 2
        } catch let error as UsageError {
            console.err("error: \(VisibleText.escaped(error.message))\n")
            console.err("Run `cloudtrail-lint \(command == "check" ? "" : command + " ")--help` for usage.\n")
            return 2
        } catch {
            console.err("error: \(VisibleText.escaped(String(describing: error)))\n")
            return 2
        }
    }

    /// `--exclude GLOB` (repeatable; replaces the default excludes) and `--extend-exclude GLOB` (adds to them).
    static func excludes(_ a: ArgumentList) throws -> [String] {
        let given = a.repeated("--exclude"), extra = a.repeated("--extend-exclude")
        if (given + extra).contains(where: \.isEmpty) { throw UsageError("`--exclude` and `--extend-exclude` need a glob") }
        return (given.isEmpty ? InputCollector.defaultExcludes : given) + extra
    }

    /// `--stdin-filename NAME`: a non-empty name.
    static func standardInputName(_ a: ArgumentList) throws -> String? {
        guard let name = a.value("--stdin-filename") else { return nil }
        guard !name.isEmpty, !name.hasSuffix("/") else { throw UsageError("`--stdin-filename` needs a file name") }
        return name
    }

    /// The options of how inputs are found and read, as `fix`, `format` and `redact` take them.
    static func readingOptions(_ a: ArgumentList) throws -> CheckOptions {
        var options = CheckOptions()
        options.formatOverride = try inputFormat(a)
        options.maxDecompressedBytes = try maxDocumentSize(a) ?? CheckOptions.defaultMaxDecompressedBytes
        options.followSymlinks = a.has("--follow-symlinks")
        options.excludes = try excludes(a)
        options.standardInputName = try standardInputName(a)
        options.respectGitignore = !a.has("--no-respect-gitignore")
        return options
    }

    /// Shared option handling for commands that lint.
    /// `--jobs N` / `-j N` (0: one per core), or nil when not given.
    static func jobs(_ a: ArgumentList) throws -> Int? {
        guard let j = a.value("--jobs") ?? a.value("-j") else { return nil }
        guard let n = Int(j), n >= 0 else { throw UsageError("invalid value `\(j)` for `--jobs`: expected a number") }
        return n
    }

    static func commonSelection(_ a: ArgumentList) throws -> RuleSelection {
        let selection = RuleSelection(select: a.list("--select"), ignore: a.list("--ignore"), syntaxOnly: a.has("--syntax-only"))
        if let (pattern, suggestion) = selection.unknownPatterns().first {
            var message = "unknown rule or prefix `\(pattern)`"
            if let suggestion { message += "; did you mean `\(suggestion)`?" }
            throw UsageError(message)
        }
        return selection
    }

    static func inputFormat(_ a: ArgumentList) throws -> InputKind.Format? {
        guard let v = a.value("--input-format") else { return nil }
        guard let f = InputKind.Format(argument: v) else {
            throw UsageError("invalid value `\(v)` for `--input-format`: expected json, jsonl or markdown")
        }
        return f
    }

    /// `--max-decompressed-size SIZE`: the most bytes one document may take in memory (gzip output, a file read
    /// whole, standard input); nil when not given.
    static func maxDocumentSize(_ a: ArgumentList) throws -> Int? {
        guard let v = a.value("--max-decompressed-size") else { return nil }
        guard let bytes = parseSize(v) else {
            throw UsageError("invalid value `\(v)` for `--max-decompressed-size`: expected bytes, optionally with K, M or G")
        }
        return bytes
    }

    /// `--verbose`: what the directory walks passed over, one line each on stderr.
    static func reportSkipped(_ skipped: [InputCollector.Skipped], console: Console) {
        for entry in skipped { console.err("\(VisibleText.escaped(entry.path)): skipped: \(entry.reason)\n") }
    }

    /// Operands must be given, and none may be empty (`""` would otherwise name the current directory).
    static func checkOperands(_ operands: [String]) throws {
        guard !operands.isEmpty else { throw UsageError("no input: give a file, a directory or `-` for standard input") }
        if operands.contains("") { throw UsageError("an empty path was given as an input") }
    }

    /// `512`, `64K`, `100M`, `4G` (binary multiples) → bytes.
    static func parseSize(_ text: String) -> Int? {
        var digits = Substring(text)
        var scale = 1
        if let last = digits.last, let unit = ["K": 1 << 10, "M": 1 << 20, "G": 1 << 30][String(last).uppercased()] {
            scale = unit
            digits = digits.dropLast()
        }
        guard let n = Int(digits), n > 0 else { return nil }
        return n.multipliedReportingOverflow(by: scale).overflow ? nil : n * scale
    }

    static func useColor(_ a: ArgumentList, console: Console) throws -> Bool {
        switch try a.choice("--color", ["auto", "always", "never"], default: "auto") {
        case "always": return true
        case "never": return false
        default:
            if let v = console.environment("NO_COLOR"), !v.isEmpty { return false }
            if console.environment("TERM") == "dumb" { return false }
            return console.isTerminal
        }
    }
}

/// `check`: lint inputs and report.
enum CheckCommand {
    static let spec = OptionTables.check.spec

    /// `named`: the command was named (`check --help` prints the command's help, `--help` alone the tool's).
    /// `commit`: the commit the tool was built from, for `--version`.
    static func run(_ args: [String], console: Console, named: Bool = true, commit: String? = nil) throws -> Int32 {
        let a = try ArgumentList(args, spec: spec)
        if a.has("--help") || a.has("-h") { console.out(named ? OptionTables.check.help : Help.main); return 0 }
        if a.has("--version") || a.has("-V") { console.out(ToolInfo.versionLine(commit: commit)); return 0 }
        let format = OutputFormat(rawValue: try a.choice("--format", OutputFormat.allCases.map(\.rawValue), default: "text"))!
        let color = try CLI.useColor(a, console: console)
        var options = CheckOptions()
        options.selection = try CLI.commonSelection(a)
        options.formatOverride = try CLI.inputFormat(a)
        let showSource = !a.has("--no-show-source") && (a.has("--show-source") || console.isTerminal)
        options.keepSourceLines = format == .text && showSource
        if let n = try CLI.jobs(a) { options.jobs = n }
        if let bytes = try CLI.maxDocumentSize(a) { options.maxDecompressedBytes = bytes }
        options.followSymlinks = a.has("--follow-symlinks")
        if let v = a.value("--max-findings-per-file") {
            guard let n = Int(v), n >= 0 else { throw UsageError("invalid value `\(v)` for `--max-findings-per-file`: expected a number (0: no limit)") }
            options.maxFindingsPerFile = n
        }
        options.excludes = try CLI.excludes(a)
        options.standardInputName = try CLI.standardInputName(a)
        options.respectGitignore = !a.has("--no-respect-gitignore")
        var maxWarnings: Int?
        if let v = a.value("--max-warnings") {
            guard let n = Int(v), n >= 0 else { throw UsageError("invalid value `\(v)` for `--max-warnings`: expected a number") }
            maxWarnings = n
        }
        let outputFile = a.value("--output-file")
        if let outputFile, outputFile.isEmpty { throw UsageError("`--output-file` needs a path") }
        let statistics = a.has("--statistics")
        if statistics && format != .text && format != .json {
            throw UsageError("`--statistics` prints text or JSON (`--format text` or `--format json`)")
        }
        let control = try RunControl.configure(a, &options)
        if let path = a.value("--show-settings") {
            console.out(RunControl.showSettings(path, options: options, control: control))
            return 0
        }
        try CLI.checkOperands(a.operands)
        let here = FileProbe.currentDirectory
        if let path = a.value("--baseline").map({ InputCollector.absolutePath($0, relativeTo: here) }) ?? control.baseline {
            options.baseline = try Baseline.read(path, shown: a.value("--baseline") ?? path).get()
        }
        let writeBaseline = a.value("--write-baseline").map { InputCollector.absolutePath($0, relativeTo: here) } ?? control.writeBaseline
        if let writeBaseline {
            // Entries of files this run does not check are kept from the file it replaces.
            let previous = FileProbe.isRegularFile(writeBaseline) ? try Baseline.read(writeBaseline, shown: writeBaseline).get().entries : [:]
            options.baselineRecorder = BaselineRecorder(path: writeBaseline, previous: previous)
        }
        let runner = Runner(options: options)
        let plan = try runner.plan(a.operands)
        let progress = ProgressLine.start(a, console: console)
        let console = progress?.console ?? console
        // The report goes to standard output, or is gathered for `--output-file` (written once, atomically, at the end).
        var report = ""
        let out: (String) -> Void = { text in if outputFile == nil { console.out(text) } else { report += text } }
        let exitPolicy = ExitPolicy(strict: a.has("--strict") || control.strict, exitZero: a.has("--exit-zero"), maxWarnings: maxWarnings)
        // A code frame fits the terminal it is shown on; anywhere else (a file, a pipe, a CI log) 120 columns.
        let width = outputFile == nil && console.isTerminal ? console.terminalWidth ?? 120 : 120
        var writer = ReportWriter(format: format, style: TextStyle(color: color && outputFile == nil, showSource: showSource, width: width),
                                  workingDirectory: here, exitPolicy: exitPolicy)
        var counts = RuleStatistics()
        if !statistics { out(writer.begin()) }
        var omitted = ""
        let (summary, recorder) = runner.check(plan, standardInput: console.readStandardInput,
                                               progress: progress?.line.record) { fileReport in
            if statistics { counts.add(fileReport) } else { out(writer.write(fileReport)) }
            omitted += Reporters.omittedLines([fileReport])
        }
        progress?.line.finish()
        let skipped = plan.skipped
        out(statistics ? counts.rendered(json: format == .json, omitted: summary.omitted) : writer.end(summary: summary))
        if let writeBaseline, let recorder {
            let entries = recorder.entries
            do { try AtomicWriter.create(Array(Baseline.text(entries).utf8), at: writeBaseline) } catch {
                console.err("cannot write the baseline \(VisibleText.escaped(writeBaseline)): \(VisibleText.escaped(String(describing: error)))\n")
                return 2
            }
            if !(a.has("--quiet") || a.has("-q")) {
                console.err("wrote \(entries.values.reduce(0, +)) finding\(entries.values.reduce(0, +) == 1 ? "" : "s") to the baseline \(VisibleText.escaped(a.value("--write-baseline") ?? writeBaseline))\n")
            }
        }
        if let outputFile {
            do { try AtomicWriter.create(Array(report.utf8), at: outputFile) } catch {
                console.err("cannot write the report to \(VisibleText.escaped(outputFile)): \(VisibleText.escaped(String(describing: error)))\n")
                return 2
            }
        }
        if a.has("--verbose") || a.has("-v") { CLI.reportSkipped(skipped, console: console) }
        if !(a.has("--quiet") || a.has("-q")) {
            console.err(omitted)
            console.err(Reporters.summaryLine(summary) + "\n")
        }
        return exitPolicy.status(summary)
    }
}

/// `rules`: the catalog.
enum RulesCommand {
    static func run(_ args: [String], console: Console) throws -> Int32 {
        let a = try ArgumentList(args, spec: OptionTables.rules.spec)
        if a.has("--help") || a.has("-h") { console.out(OptionTables.rules.help); return 0 }
        guard a.operands.isEmpty else { throw UsageError("rules takes no operand (`cloudtrail-lint explain RULE` explains one)") }
        switch try a.choice("--format", ["text", "json", "markdown"], default: "text") {
        case "json": console.out(RuleCatalog.json())
        case "markdown": console.out(RuleCatalog.markdownTable())
        default: console.out(RuleCatalog.textTable())
        }
        return 0
    }
}

/// `explain RULE`: rationale and examples.
enum ExplainCommand {
    static func run(_ args: [String], console: Console) throws -> Int32 {
        let a = try ArgumentList(args, spec: OptionTables.explain.spec)
        if a.has("--help") || a.has("-h") { console.out(OptionTables.explain.help); return 0 }
        guard let id = a.operands.first else { throw UsageError("explain needs a rule id; `cloudtrail-lint rules` lists them") }
        guard a.operands.count == 1 else { throw UsageError("explain takes one rule id") }
        guard let meta = RuleRegistry.metadata(for: id) else {
            var message = "unknown rule `\(id)`"
            if let s = RuleRegistry.suggestion(for: id) { message += "; did you mean `\(s)`?" }
            throw UsageError(message)
        }
        console.out(RuleCatalog.explain(meta))
        return 0
    }
}

/// `help [COMMAND]`: the tool's help, or a command's.
enum HelpCommand {
    static func run(_ args: [String], console: Console) throws -> Int32 {
        guard let name = args.first else { console.out(Help.main); return 0 }
        guard args.count == 1, let table = OptionTables.all.first(where: { $0.command == name }) else {
            throw UsageError("help takes one command: \(OptionTables.all.map(\.command).joined(separator: ", "))")
        }
        console.out(table.help)
        return 0
    }
}

/// `completions bash|zsh|fish`.
enum CompletionsCommand {
    static func run(_ args: [String], console: Console) throws -> Int32 {
        let a = try ArgumentList(args, spec: OptionTables.completions.spec)
        if a.has("--help") || a.has("-h") { console.out(OptionTables.completions.help); return 0 }
        guard a.operands.count == 1, let script = Completions.script(for: a.operands[0]) else {
            throw UsageError("completions takes one shell: bash, zsh or fish")
        }
        console.out(script)
        return 0
    }
}

/// `schema [VERSION]` and `schema --list`.
enum SchemaCommand {
    static func run(_ args: [String], console: Console) throws -> Int32 {
        let a = try ArgumentList(args, spec: OptionTables.schema.spec)
        if a.has("--help") || a.has("-h") { console.out(OptionTables.schema.help); return 0 }
        let files = EmbeddedSchemas.files
        if a.operands.count > 1 || (a.has("--list") && !a.operands.isEmpty) {
            throw UsageError("schema takes one version or name, or `--list`")
        }
        if a.has("--list") {
            for f in files where f.name.hasSuffix(".schema.json") { console.out(f.name + "\n") }
            return 0
        }
        let wanted = a.operands.first ?? newestVersion()
        let candidates = [wanted, "cloudtrail-\(wanted).schema.json", wanted + ".schema.json", "cloudtrail-\(wanted).schema.json".replacingAll("cloudtrail-cloudtrail-", "cloudtrail-")]
        if let f = files.first(where: { candidates.contains($0.name) }) {
            console.out(f.text.hasSuffix("\n") ? f.text : f.text + "\n")
            return 0
        }
        let names = files.map(\.name)
        var message = "no schema `\(wanted)`"
        if let s = EditDistance.closest(to: "cloudtrail-\(wanted).schema.json", among: names) { message += "; did you mean `\(s)`?" }
        throw UsageError(message + " (`cloudtrail-lint schema --list` lists them)")
    }
}

extension SchemaCommand {
    /// `newestVersion` from the embedded `index.json`.
    static func newestVersion() -> String {
        guard let index = EmbeddedSchemas.files.first(where: { $0.name == "index.json" }) else { return "1.11" }
        let tree = JSONParser.parse(Array(index.text.utf8))
        guard let root = tree.root, let v = tree.member("newestVersion", of: root), let s = tree.string(v) else { return "1.11" }
        return s
    }
}

/// Whether a path exists (used to tell a mistyped command from a file operand).
enum FileSystemProbe {
    static func exists(_ path: String) -> Bool { FileManager.default.fileExists(atPath: path) }
}

/// `check --statistics`: the findings counted per rule and severity, with how many have a fix, most frequent first.
struct RuleStatistics {
    private var rows: [Key: (count: Int, fixable: Int)] = [:]

    private struct Key: Hashable {
        var rule: RuleID
        var severity: Severity
    }

    mutating func add(_ report: FileReport) {
        for d in report.diagnostics {
            let key = Key(rule: d.diagnostic.rule, severity: d.diagnostic.severity)
            rows[key, default: (0, 0)].count += 1
            if d.diagnostic.fix != nil { rows[key, default: (0, 0)].fixable += 1 }
        }
    }

    /// Most frequent first, then by rule id and severity.
    private var sorted: [(key: Key, value: (count: Int, fixable: Int))] {
        rows.sorted { a, b in
            a.value.count != b.value.count ? a.value.count > b.value.count
                : a.key.rule != b.key.rule ? a.key.rule < b.key.rule : a.key.severity > b.key.severity
        }
    }

    /// A table (or a JSON array); `omitted` findings, past `--max-findings-per-file`, are not in it, and a last line
    /// (or member) says how many.
    func rendered(json: Bool, omitted: Int) -> String {
        if json {
            let items = sorted.map { row in
                JSONWriter.object([("rule", JSONWriter.quote(row.key.rule.rawValue)), ("severity", JSONWriter.quote(row.key.severity.rawValue)),
                                   ("count", "\(row.value.count)"), ("fixable", "\(row.value.fixable)")])
            }
            return JSONWriter.object([("statistics", JSONWriter.array(items)), ("notCounted", "\(omitted)")]) + "\n"
        }
        var out = ""
        for row in sorted {
            let count = String(row.value.count).leftPadded(to: 7)
            let fixable = row.value.fixable == 0 ? "" : "  [\(row.value.fixable) fixable]"
            let line = "\(count)  \(row.key.rule.rawValue.padding(toLength: 24, withPad: " ", startingAt: 0)) \(row.key.severity.rawValue.padding(toLength: 7, withPad: " ", startingAt: 0))\(fixable)"
            out += line.replacingOccurrences(of: " +$", with: "", options: .regularExpression) + "\n"
        }
        if omitted > 0 { out += "(\(omitted) more past --max-findings-per-file, not counted by rule)\n" }
        return out
    }
}

private extension String {
    func leftPadded(to width: Int) -> String { count >= width ? self : String(repeating: " ", count: width - count) + self }
}
