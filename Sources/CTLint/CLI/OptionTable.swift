import CTCore

/// One option of a command: its names, the value it takes and what it does, in one line. The parser's spec, the
/// command's `--help` and the shell completions are all read from these, so they cannot drift apart.
struct OptionEntry: Sendable {
    /// What a value is, for completions: a file to complete, one of `choices`, or anything.
    enum Value: Sendable, Equatable {
        case none
        case file(String)
        case choice([String])
        case text(String)
    }

    var names: [String]
    var value: Value
    var help: String

    init(_ names: String..., value: Value = .none, help: String) {
        self.names = names
        self.value = value
        self.help = help
    }

    /// `--format text|json|…`, `--jobs N, -j N`, `--quiet, -q`: as the help shows it.
    var synopsis: String {
        let argument: String
        switch value {
        case .none: argument = ""
        case .file(let name), .text(let name): argument = " " + name
        case .choice(let choices): argument = " " + choices.joined(separator: "|")
        }
        return names.map { $0 + argument }.joined(separator: ", ")
    }
}

/// A command's options, usage, one-line summary and examples.
struct OptionTable: Sendable {
    var command: String
    var usage: [String]
    var summary: String
    var options: [OptionEntry]
    /// What operands are, for completions: files, rule ids, shells, or none.
    var operands: OptionEntry.Value
    var examples: [String]

    /// What `ArgumentList` accepts.
    var spec: ArgumentList.Spec {
        var spec = ArgumentList.Spec(flags: [], options: [])
        for o in options {
            if o.value == .none { spec.flags.formUnion(o.names) } else { spec.options.formUnion(o.names) }
        }
        return spec
    }

    /// `COMMAND --help`: usage, summary, every option with its line, examples.
    var help: String {
        var out = "usage: " + usage.map { "cloudtrail-lint " + $0 }.joined(separator: "\n       ") + "\n\n" + summary + "\n"
        if !options.isEmpty {
            out += "\nOPTIONS\n"
            for o in options {
                let head = "  " + o.synopsis
                out += head.count < 36 ? head.padding(toLength: 36, withPad: " ", startingAt: 0) + o.help + "\n"
                    : head + "\n" + String(repeating: " ", count: 36) + o.help + "\n"
            }
        }
        if !examples.isEmpty { out += "\nEXAMPLES\n" + examples.map { "  " + $0 + "\n" }.joined() }
        return out
    }
}

/// Every command's table.
enum OptionTables {
    static let commands = ["check", "fix", "format", "verify", "redact", "rules", "explain", "schema", "completions", "help"]

    // Options several commands share.
    static let help = OptionEntry("--help", "-h", help: "show this help")
    static let quiet = OptionEntry("--quiet", "-q", help: "no summary line (nor progress line) on stderr")
    static let noProgress = OptionEntry("--no-progress", help: "no progress line on stderr (shown on a terminal for runs over a second)")
    static let syntaxOnly = OptionEntry("--syntax-only", help: "only JSON syntax rules, no CloudTrail checks")
    static let select = OptionEntry("--select", value: .text("RULES"), help: "comma-separated rule ids, id prefixes or categories to run")
    static let ignore = OptionEntry("--ignore", value: .text("RULES"), help: "comma-separated rule ids, id prefixes or categories to skip")
    static let inputFormat = OptionEntry("--input-format", value: .choice(["json", "jsonl", "markdown"]), help: "read every input as this format")
    static let maxDecompressed = OptionEntry("--max-decompressed-size", value: .text("SIZE"),
                                             help: "limit for one document read whole, e.g. 512M (default 1G)")
    static let exclude = OptionEntry("--exclude", value: .text("GLOB"), help: "directory walks pass over matching entries (repeatable; replaces the defaults)")
    static let extendExclude = OptionEntry("--extend-exclude", value: .text("GLOB"), help: "the same, added to the default excludes")
    static let noGitignore = OptionEntry("--no-respect-gitignore", help: "also walk what git ignores")
    static let stdinName = OptionEntry("--stdin-filename", value: .text("NAME"), help: "report `-` under NAME and detect its format from NAME")
    static let followSymlinks = OptionEntry("--follow-symlinks", help: "directory walks follow symbolic links (default: skipped)")
    static let verbose = OptionEntry("--verbose", "-v", help: "say what directory walks skipped (links, FIFOs, devices)")
    static let config = OptionEntry("--config", value: .file("PATH"), help: "the configuration file (default: the nearest .cloudtrail-lint.json)")
    static let noConfig = OptionEntry("--no-config", help: "ignore configuration files")
    static let showSettings = OptionEntry("--show-settings", value: .file("PATH"), help: "print the settings for PATH and the file they come from")
    static let forceExclude = OptionEntry("--force-exclude", help: "files named as operands are excluded as walked ones are (for hooks)")
    static let nonCloudTrail = OptionEntry("--non-cloudtrail", value: .choice(["skip", "syntax", "check"]),
                                           help: "JSON that holds no CloudTrail record (default skip)")

    /// What every command that reads inputs takes.
    static let inputs = [syntaxOnly, select, ignore, inputFormat, maxDecompressed, exclude, extendExclude, noGitignore, stdinName,
                         followSymlinks, verbose, config, noConfig, showSettings, nonCloudTrail, forceExclude, quiet, noProgress]

    static let check = OptionTable(
        command: "check", usage: ["[check] [OPTIONS] PATH..."],
        summary: "Check files, directories, or `-` (standard input), and report the findings.",
        options: [
            OptionEntry("--format", value: .choice(OutputFormat.allCases.map(\.rawValue)), help: "output format (default text)"),
            OptionEntry("--color", value: .choice(["auto", "always", "never"]), help: "colour text output (auto honours NO_COLOR and terminals)"),
            OptionEntry("--show-source", help: "a code frame under each finding (default: on a terminal)"),
            OptionEntry("--no-show-source", help: "no code frame"),
            OptionEntry("--strict", help: "warnings fail the run too"),
            OptionEntry("--exit-zero", help: "exit 0 whatever the findings (2 still when an input is unreadable)"),
            OptionEntry("--max-warnings", value: .text("N"), help: "exit 1 when there are more than N warnings"),
            OptionEntry("--max-findings-per-file", value: .text("N"), help: "findings shown per file (default 10000, 0: all)"),
            OptionEntry("--statistics", help: "print a count per rule instead of the findings (text or json)"),
            OptionEntry("--output-file", value: .file("FILE"), help: "write the report to FILE (atomically); the summary stays on stderr"),
            OptionEntry("--jobs", "-j", value: .text("N"), help: "worker threads (default: one per core)"),
            OptionEntry("--baseline", value: .file("FILE"), help: "hide the findings FILE holds; say how many of its entries are fixed"),
            OptionEntry("--write-baseline", value: .file("FILE"), help: "write every finding of the run to FILE"),
        ] + inputs + [OptionEntry("--version", "-V", help: "print the version"), help],
        operands: .file("PATH"),
        examples: ["cloudtrail-lint check logs/", "cloudtrail-lint check --format sarif --output-file lint.sarif logs/",
                   "aws s3 cp s3://bucket/log.json.gz - | cloudtrail-lint check --stdin-filename log.json.gz -"])

    static let fix = OptionTable(
        command: "fix", usage: ["fix [OPTIONS] PATH..."],
        summary: "Apply the fixes of the findings in place (atomically), or show them as a diff.",
        options: [
            OptionEntry("--unsafe-fixes", help: "also apply unsafe fixes"),
            OptionEntry("--diff", help: "print a unified diff, write nothing"),
            OptionEntry("--check", help: "write nothing; exit 1 if something would change"),
        ] + inputs + [help],
        operands: .file("PATH"),
        examples: ["cloudtrail-lint fix --diff logs/", "cloudtrail-lint fix logs/", "cloudtrail-lint fix - < log.json > fixed.json"])

    static let format = OptionTable(
        command: "format", usage: ["format [OPTIONS] PATH..."],
        summary: "Rewrite documents in a canonical layout (keys and values as written), in place or as a diff.",
        options: [
            OptionEntry("--indent", value: .text("N"), help: "indent by N spaces, 0 to 16 (default: the indent detected)"),
            OptionEntry("--compact", help: "one line per document"),
            OptionEntry("--diff", help: "print a unified diff, write nothing"),
            OptionEntry("--check", help: "write nothing; exit 1 if something would change"),
        ] + inputs + [help],
        operands: .file("PATH"),
        examples: ["cloudtrail-lint format --check logs/", "cloudtrail-lint format --indent 2 logs/"])

    static let verify = OptionTable(
        command: "verify", usage: ["verify [OPTIONS] DIR..."],
        summary: "Verify a local copy of a CloudTrail bucket against its digest files: every log listed and unchanged, the digest chain whole, the signatures valid (offline).",
        options: [
            OptionEntry("--public-keys", value: .file("FILE"), help: "the JSON of `aws cloudtrail list-public-keys`: check signatures"),
            OptionEntry("--signatures", value: .file("FILE"), help: "a JSON object from digest key to hex signature (`<digest>.sig` files are read too)"),
            OptionEntry("--start-time", value: .text("TIME"), help: "only digests ending at or after TIME (ISO 8601, UTC)"),
            OptionEntry("--end-time", value: .text("TIME"), help: "only digests ending at or before TIME (ISO 8601, UTC)"),
            OptionEntry("--account", value: .text("IDS"), help: "only these accounts (comma-separated)"),
            OptionEntry("--region", value: .text("REGIONS"), help: "only these regions (comma-separated)"),
            OptionEntry("--trail", value: .text("NAMES"), help: "only these trails' digests (comma-separated)"),
            OptionEntry("--format", value: .choice(OutputFormat.allCases.map(\.rawValue)), help: "output format (default text)"),
            OptionEntry("--color", value: .choice(["auto", "always", "never"]), help: "colour text output (auto honours NO_COLOR and terminals)"),
            OptionEntry("--jobs", "-j", value: .text("N"), help: "worker threads (default: one per core)"),
            select, ignore, exclude, extendExclude, noGitignore, followSymlinks, verbose, config, noConfig, quiet, noProgress, help,
        ],
        operands: .file("DIR"),
        examples: ["cloudtrail-lint verify evidence/amzn-s3-demo-bucket/",
                   "cloudtrail-lint verify --public-keys keys.json --signatures signatures.json --start-time 2024-03-14T00:00:00Z copy/"])

    static let redact = OptionTable(
        command: "redact", usage: ["redact [OPTIONS] PATH..."],
        summary: "Copy logs or Markdown samples with their account IDs, addresses, keys, principal IDs, names and e-mail addresses replaced by documentation values, the same original by the same value everywhere in the run.",
        options: [
            OptionEntry("--output", value: .file("DIR"), help: "write the copies under DIR, keeping their relative paths (account IDs in them replaced)"),
            OptionEntry("--in-place", help: "rewrite the inputs themselves (atomically)"),
            OptionEntry("--seed", value: .text("N"), help: "seed of the random parts of keys, IDs and UUIDs (default 0: the output is reproducible)"),
            OptionEntry("--mapping", value: .file("FILE"), help: "read, then write, the original→replacement table; SECRET: it holds the original values"),
            OptionEntry("--shift-time", value: .text("DURATION"), help: "move every time by DURATION, e.g. -30d, +2h, 1d12h"),
            OptionEntry("--field", value: .text("NAMES"), help: "also replace the string values of these members (comma-separated, repeatable)"),
            OptionEntry("--fix", help: "apply the safe fixes first to a document that does not parse strictly"),
            OptionEntry("--jobs", "-j", value: .text("N"), help: "worker threads (default: one per core)"),
            inputFormat, maxDecompressed, exclude, extendExclude, noGitignore, stdinName, followSymlinks, config, noConfig, quiet, help,
        ],
        operands: .file("PATH"),
        examples: ["cloudtrail-lint redact --output samples/ AWSLogs/", "cloudtrail-lint redact - < real.json > sample.json",
                   "cloudtrail-lint redact --mapping secret-map.json --shift-time -400d --output shared/ logs/"])

    static let rules = OptionTable(
        command: "rules", usage: ["rules [--format text|json|markdown]"],
        summary: "List every rule: id, category, default severity, whether it has a fix.",
        options: [OptionEntry("--format", value: .choice(["text", "json", "markdown"]), help: "output format (default text)"), help],
        operands: .none, examples: ["cloudtrail-lint rules", "cloudtrail-lint rules --format json"])

    static let explain = OptionTable(
        command: "explain", usage: ["explain RULE"],
        summary: "Explain a rule: what it finds, why, its fix, and examples.",
        options: [help], operands: .choice(RuleID.all.map(\.rawValue)), examples: ["cloudtrail-lint explain trailing-comma"])

    static let schema = OptionTable(
        command: "schema", usage: ["schema [VERSION | NAME]", "schema --list"],
        summary: "Print an embedded JSON Schema: a CloudTrail record version's (default the newest), or the configuration's.",
        options: [OptionEntry("--list", help: "list the embedded schemas"), help],
        operands: .text("VERSION"), examples: ["cloudtrail-lint schema 1.09", "cloudtrail-lint schema cloudtrail-lint-config.schema.json"])

    static let completions = OptionTable(
        command: "completions", usage: ["completions bash|zsh|fish"],
        summary: "Print a shell completion script (commands, options, their values).",
        options: [help], operands: .choice(["bash", "zsh", "fish"]),
        examples: ["cloudtrail-lint completions bash > /etc/bash_completion.d/cloudtrail-lint",
                   "cloudtrail-lint completions zsh > \"${fpath[1]}/_cloudtrail-lint\"",
                   "cloudtrail-lint completions fish > ~/.config/fish/completions/cloudtrail-lint.fish"])

    /// Every command's table, in the order `help` lists them.
    static let all = [check, fix, format, verify, redact, rules, explain, schema, completions]
}
