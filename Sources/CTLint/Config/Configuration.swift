import CTCore
import CTInput
import CTJSON
import CTRules

/// What to do with a JSON document that holds no CloudTrail record (a `tsconfig.json`, a `package.json` found by
/// a directory walk): the `non-cloudtrail` setting.
package enum NonCloudTrailPolicy: String, Sendable, CaseIterable {
    /// Not checked at all (the default): a repository of logs also holds other JSON, and a `tsconfig.json` with
    /// comments must not fail a commit.
    case skip
    /// Checked as strict JSON only.
    case syntax
    /// Every rule, as for a log (`not-cloudtrail` says what the document is not).
    case check
}

/// One `.cloudtrail-lint.json`, read by the project's own parser (comments and trailing commas allowed) and checked
/// key by key: an unknown key or a bad value is an error at its line and column, with a "did you mean".
package struct Configuration: Sendable {
    /// `severity`: a rule id, prefix or category, and its level (nil: `off`).
    package struct SeverityEntry: Sendable, Hashable {
        package var pattern: String
        package var level: Severity?
    }

    /// One entry of `overrides`, applied in order to the files its globs cover.
    package struct Override: Sendable {
        package var files: [PathGlob]
        package var select: [String]?
        package var ignore: [String]
        package var severity: [SeverityEntry]
    }

    /// One entry of `suppress`.
    package struct SuppressEntry: Sendable {
        /// A rule id, prefix or category.
        package var rule: String
        /// Empty: every file under the configuration's directory.
        package var files: [PathGlob]
        /// An RFC 6901 pointer in which `*` stands for one token; nil or empty: the whole document.
        package var pointer: [String]?
        package var pointerText: String?
        package var reason: String
        /// Where the entry is written (`unused-suppression` is reported there).
        package var range: TextRange
    }

    /// The file's absolute path, and its directory (globs and `baseline` are relative to it).
    package let path: String
    package var directory: String {
        guard let slash = path.lastIndex(of: "/") else { return "/" }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }

    package var select: [String]?
    package var ignore: [String] = []
    package var severity: [SeverityEntry] = []
    package var exclude: [PathGlob] = []
    package var respectGitignore: Bool?
    /// `force-exclude`: files named on the command line are excluded too (pre-commit names every file).
    package var forceExclude: Bool?
    package var inputFormat: [(glob: PathGlob, format: InputKind.Format)] = []
    package var strict: Bool?
    package var unsafeFixes: Bool?
    package var nonCloudTrail: NonCloudTrailPolicy?
    package var overrides: [Override] = []
    package var suppress: [SuppressEntry] = []
    /// `baseline` and `write-baseline`, as written (relative to `directory` unless absolute).
    package var baseline: String?
    package var writeBaseline: String?

    /// `path` (as written in this file) made absolute against its directory.
    package func resolving(_ path: String) -> String { InputCollector.absolutePath(path, relativeTo: directory) }

    /// The name looked for in each directory.
    package static let fileName = ".cloudtrail-lint.json"
    /// The keys, in the order of the documentation and the shipped schema.
    package static let keys = ["$schema", "select", "ignore", "severity", "exclude", "respect-gitignore", "input-format",
                               "strict", "unsafe-fixes", "non-cloudtrail", "overrides", "suppress", "baseline", "write-baseline",
                               "force-exclude"]
    static let overrideKeys = ["files", "select", "ignore", "severity"]
    static let suppressKeys = ["rule", "files", "pointer", "reason"]
    static let levels = ["error", "warning", "info", "off"]


    init(path: String) { self.path = path }

    /// The configuration in `bytes`, or every problem found in it.
    package static func parse(_ bytes: [UInt8], path: String) -> Result<Configuration, ConfigurationError> {
        var reader = Reader(tree: JSONParser.parse(bytes), lines: LineIndex(bytes), path: path)
        let config = reader.read()
        if reader.problems.isEmpty { return .success(config) }
        return .failure(ConfigurationError(problems: reader.problems))
    }

    /// Reads the tree key by key, noting every problem.
    private struct Reader {
        let tree: SyntaxTree
        let lines: LineIndex
        let path: String
        var problems: [ConfigurationError.Problem] = []

        init(tree: SyntaxTree, lines: LineIndex, path: String) {
            self.tree = tree
            self.lines = lines
            self.path = path
        }

        mutating func problem(_ message: String, at range: TextRange, rule: RuleID? = nil) {
            problems.append(.init(path: path, position: lines.location(of: range.start), message: message, rule: rule))
        }

        mutating func read() -> Configuration {
            var config = Configuration(path: path)
            for d in tree.diagnostics where !Linter.lenientSyntax.contains(d.rule) {
                problem(d.message, at: d.range, rule: d.rule)
            }
            guard problems.isEmpty, let root = tree.root else {
                if problems.isEmpty { problem("the configuration is empty: it must be a JSON object", at: TextRange(empty: 0)) }
                return config
            }
            guard tree.kind(root) == .object else {
                problem("the configuration must be a JSON object, not \(tree.typeName(root))", at: tree.range(root))
                return config
            }
            for (k, v) in tree.members(of: root) {
                guard let key = tree.string(k) else { continue }
                switch key {
                case "$schema": _ = string(v, key)
                case "select": config.select = rules(v, key)
                case "ignore": config.ignore = rules(v, key) ?? []
                case "severity": config.severity = severities(v, key)
                case "exclude": config.exclude = globs(v, key)
                case "respect-gitignore": config.respectGitignore = bool(v, key)
                case "force-exclude": config.forceExclude = bool(v, key)
                case "input-format": config.inputFormat = formats(v, key)
                case "strict": config.strict = bool(v, key)
                case "unsafe-fixes": config.unsafeFixes = bool(v, key)
                case "non-cloudtrail":
                    if let s = choice(v, key, NonCloudTrailPolicy.allCases.map(\.rawValue)) { config.nonCloudTrail = NonCloudTrailPolicy(rawValue: s) }
                case "overrides": config.overrides = overrides(v)
                case "suppress": config.suppress = suppressions(v)
                case "baseline", "write-baseline":
                    if let s = string(v, key) {
                        if s.isEmpty { problem("`\(key)` needs a path", at: tree.range(v)) }
                        else if key == "baseline" { config.baseline = s } else { config.writeBaseline = s }
                    }
                default: unknownKey(k, key, among: Configuration.keys, in: "the configuration")
                }
            }
            return config
        }

        mutating func unknownKey(_ node: Int, _ key: String, among keys: [String], in place: String) {
            var message = "unknown key `\(key)` in \(place)"
            if let s = EditDistance.closest(to: key, among: keys) { message += "; did you mean `\(s)`?" }
            else { message += " (known keys: \(keys.filter { $0 != "$schema" }.joined(separator: ", ")))" }
            problem(message, at: tree.range(node))
        }

        mutating func string(_ v: Int, _ key: String) -> String? {
            guard tree.kind(v) == .string, let s = tree.string(v) else {
                problem("`\(key)` must be a string, not \(tree.typeName(v))", at: tree.range(v))
                return nil
            }
            return s
        }

        mutating func bool(_ v: Int, _ key: String) -> Bool? {
            guard let b = tree.bool(v) else {
                problem("`\(key)` must be true or false, not \(tree.typeName(v))", at: tree.range(v))
                return nil
            }
            return b
        }

        mutating func choice(_ v: Int, _ key: String, _ allowed: [String]) -> String? {
            guard let s = string(v, key) else { return nil }
            guard allowed.contains(s) else {
                var message = "invalid value `\(s)` for `\(key)`: expected one of \(allowed.joined(separator: ", "))"
                if let c = EditDistance.closest(to: s, among: allowed) { message += "; did you mean `\(c)`?" }
                problem(message, at: tree.range(v))
                return nil
            }
            return s
        }

        mutating func strings(_ v: Int, _ key: String) -> [(String, Int)]? {
            guard tree.kind(v) == .array else {
                problem("`\(key)` must be an array of strings, not \(tree.typeName(v))", at: tree.range(v))
                return nil
            }
            var out: [(String, Int)] = []
            for item in tree.children(of: v) {
                if let s = string(item, key + "[]") { out.append((s, item)) }
            }
            return out
        }

        /// Rule ids, prefixes, categories or `ALL`.
        mutating func rules(_ v: Int, _ key: String) -> [String]? {
            guard let items = strings(v, key) else { return nil }
            var out: [String] = []
            for (name, node) in items {
                if RuleNames.isKnown(name) { out.append(name) } else { unknownRule(name, at: node) }
            }
            return out
        }

        mutating func unknownRule(_ name: String, at node: Int) {
            var message = "unknown rule, prefix or category `\(name)`"
            if let s = RuleRegistry.suggestion(for: name) { message += "; did you mean `\(s)`?" }
            problem(message, at: tree.range(node))
        }

        mutating func severities(_ v: Int, _ key: String) -> [Configuration.SeverityEntry] {
            guard tree.kind(v) == .object else {
                problem("`\(key)` must be an object of rule → level, not \(tree.typeName(v))", at: tree.range(v))
                return []
            }
            var out: [Configuration.SeverityEntry] = []
            for (k, value) in tree.members(of: v) {
                guard let name = tree.string(k) else { continue }
                guard RuleNames.isKnown(name) else { unknownRule(name, at: k); continue }
                guard let level = choice(value, "\(key).\(name)", Configuration.levels) else { continue }
                out.append(.init(pattern: name, level: level == "off" ? nil : Severity(rawValue: level)))
            }
            return out
        }

        mutating func globs(_ v: Int, _ key: String) -> [PathGlob] {
            guard let items = strings(v, key) else { return [] }
            var out: [PathGlob] = []
            for (text, node) in items {
                if let g = PathGlob(text) { out.append(g) } else {
                    problem("`\(text)` in `\(key)` is not a usable glob (empty, or more than 4 `**` or 16 `*` in a segment)", at: tree.range(node))
                }
            }
            return out
        }

        mutating func formats(_ v: Int, _ key: String) -> [(glob: PathGlob, format: InputKind.Format)] {
            guard tree.kind(v) == .object else {
                problem("`\(key)` must be an object of glob → format, not \(tree.typeName(v))", at: tree.range(v))
                return []
            }
            var out: [(glob: PathGlob, format: InputKind.Format)] = []
            for (k, value) in tree.members(of: v) {
                guard let text = tree.string(k) else { continue }
                guard let glob = PathGlob(text) else { problem("`\(text)` is not a usable glob", at: tree.range(k)); continue }
                guard let s = string(value, "\(key).\(text)") else { continue }
                guard let format = InputKind.Format(argument: s) else {
                    problem("invalid format `\(s)` for `\(text)`: expected json, jsonl or markdown", at: tree.range(value))
                    continue
                }
                out.append((glob, format))
            }
            return out
        }

        mutating func objects(_ v: Int, _ key: String) -> [Int] {
            guard tree.kind(v) == .array else {
                problem("`\(key)` must be an array of objects, not \(tree.typeName(v))", at: tree.range(v))
                return []
            }
            return tree.children(of: v).filter { item in
                if tree.kind(item) == .object { return true }
                problem("each entry of `\(key)` must be an object, not \(tree.typeName(item))", at: tree.range(item))
                return false
            }
        }

        mutating func overrides(_ v: Int) -> [Configuration.Override] {
            objects(v, "overrides").compactMap { item in
                var entry = Configuration.Override(files: [], select: nil, ignore: [], severity: [])
                var hasFiles = false
                for (k, value) in tree.members(of: item) {
                    guard let key = tree.string(k) else { continue }
                    switch key {
                    case "files": entry.files = globs(value, "overrides[].files"); hasFiles = true
                    case "select": entry.select = rules(value, "overrides[].select")
                    case "ignore": entry.ignore = rules(value, "overrides[].ignore") ?? []
                    case "severity": entry.severity = severities(value, "overrides[].severity")
                    default: unknownKey(k, key, among: Configuration.overrideKeys, in: "an override")
                    }
                }
                if !hasFiles { problem("an override needs `files`: the globs of the files it applies to", at: tree.headRange(item)) }
                return hasFiles ? entry : nil
            }
        }

        mutating func suppressions(_ v: Int) -> [Configuration.SuppressEntry] {
            objects(v, "suppress").compactMap { item in
                var rule: String?, reason: String?, files: [PathGlob] = [], pointer: [String]?, pointerText: String?
                for (k, value) in tree.members(of: item) {
                    guard let key = tree.string(k) else { continue }
                    switch key {
                    case "rule":
                        if let s = string(value, "suppress[].rule") {
                            if RuleNames.isKnown(s) { rule = s } else { unknownRule(s, at: value) }
                        }
                    case "files": files = globs(value, "suppress[].files")
                    case "pointer":
                        if let s = string(value, "suppress[].pointer") {
                            if s.isEmpty || s.hasPrefix("/") {
                                pointer = JSONPointerPattern.tokens(s)
                                pointerText = s
                            } else {
                                problem("`pointer` must be a JSON pointer (RFC 6901) starting with `/`, such as `/Records/*/userIdentity`", at: tree.range(value))
                            }
                        }
                    case "reason":
                        if let s = string(value, "suppress[].reason") {
                            if s.trimmingSpaces().isEmpty { problem("`reason` must say why the finding is accepted", at: tree.range(value)) }
                            else { reason = s }
                        }
                    default: unknownKey(k, key, among: Configuration.suppressKeys, in: "a suppression")
                    }
                }
                let keys = Set(tree.members(of: item).compactMap { tree.string($0.key) })
                if !keys.contains("rule") { problem("a suppression needs `rule`: the rule id it silences", at: tree.headRange(item)) }
                if !keys.contains("reason") { problem("a suppression needs `reason`: why the finding is accepted", at: tree.headRange(item)) }
                guard let rule, let reason else { return nil }
                return Configuration.SuppressEntry(rule: rule, files: files, pointer: pointer, pointerText: pointerText,
                                                   reason: reason, range: tree.headRange(item))
            }
        }
    }
}

/// Problems in a configuration file: a usage error (exit status 2), each at its line and column.
package struct ConfigurationError: Error, Sendable, CustomStringConvertible {
    package struct Problem: Sendable {
        package var path: String
        package var position: LineColumn
        package var message: String
        /// The syntax rule, for a JSON error.
        package var rule: RuleID?
    }

    package var problems: [Problem]

    package var description: String {
        problems.map { p in
            "\(p.path):\(p.position.line):\(p.position.column): error\(p.rule.map { "[\($0.rawValue)]" } ?? ""): \(p.message)"
        }.joined(separator: "\n")
    }
}

/// RFC 6901 pointers with `*` for one token.
package enum JSONPointerPattern {
    /// The tokens of `pointer` (still escaped: patterns and pointers compare escaped).
    package static func tokens(_ pointer: String) -> [String] {
        guard !pointer.isEmpty else { return [] }
        return pointer.split(separator: "/", omittingEmptySubsequences: false).dropFirst().map(String.init)
    }

    /// Whether `pattern` matches `pointer` or a pointer above it (a finding inside what the pattern names).
    package static func matches(_ pattern: [String], _ pointer: String) -> Bool {
        guard !pattern.isEmpty else { return true }
        var tokens = pointer.utf8.split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: false).dropFirst().makeIterator()
        for p in pattern {
            guard let t = tokens.next() else { return false }
            if p != "*" && !p.utf8.elementsEqual(t) { return false }
        }
        return true
    }
}
