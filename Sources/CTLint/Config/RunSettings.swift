import CTCore
import CTInput
import CTRules
import Synchronization

/// The configuration files of a run: found by walking up from each input's directory (as ruff does), stopping at
/// the first directory that holds `.git` or at the root; or the one `--config` names; or none (`--no-config`).
/// The nearest file wins whole: files are not merged.
package final class ConfigurationFiles: Sendable {
    package enum Source: Sendable {
        case discover
        case explicit(Configuration)
        case none
    }

    package let source: Source
    /// Directory → the index in `found` of its nearest configuration (nil: none), and every file read.
    private let state = Mutex<(byDirectory: [String: Int?], found: [Configuration], failure: ConfigurationError?)>(([:], [], nil))

    package init(_ source: Source) { self.source = source }

    /// `--config PATH` read, or the error to report (a usage error).
    package static func explicit(_ path: String, currentDirectory: String) throws(ConfigurationError) -> ConfigurationFiles {
        let absolute = InputCollector.absolutePath(path, relativeTo: currentDirectory)
        return ConfigurationFiles(.explicit(try read(absolute, shown: path)))
    }

    /// Every configuration read so far.
    package var files: [Configuration] {
        switch source {
        case .explicit(let c): return [c]
        case .none: return []
        case .discover: return state.withLock { $0.found }
        }
    }

    /// The first configuration that could not be read, once one has (the run then stops: exit status 2).
    package var failure: ConfigurationError? { state.withLock { $0.failure } }

    /// The configuration that applies in `directory` (absolute).
    package func configuration(forDirectory directory: String) -> Configuration? {
        switch source {
        case .explicit(let c): return c
        case .none: return nil
        case .discover: return state.withLock { state in Self.nearest(directory, in: &state).map { state.found[$0] } }
        }
    }

    /// The configuration for the file at `path` (absolute).
    package func configuration(forFile path: String) -> Configuration? {
        configuration(forDirectory: Self.parent(path))
    }

    private static func nearest(_ directory: String, in state: inout (byDirectory: [String: Int?], found: [Configuration], failure: ConfigurationError?)) -> Int? {
        if let known = state.byDirectory[directory] { return known }
        var result: Int?
        let candidate = directory == "/" ? "/" + Configuration.fileName : directory + "/" + Configuration.fileName
        if FileProbe.isRegularFile(candidate) {
            do throws(ConfigurationError) {
                state.found.append(try read(candidate, shown: candidate))
                result = state.found.count - 1
            } catch {
                if state.failure == nil { state.failure = error }
            }
        } else if directory != "/" && !FileProbe.exists(directory + "/.git") {
            result = nearest(parent(directory), in: &state)
        }
        state.byDirectory[directory] = result
        return result
    }

    static func parent(_ path: String) -> String {
        guard let slash = path.lastIndex(of: "/"), slash != path.startIndex else { return "/" }
        return String(path[..<slash])
    }

    /// Reads and checks one file; `shown` is its name in messages.
    static func read(_ absolute: String, shown: String) throws(ConfigurationError) -> Configuration {
        let bytes: [UInt8]
        switch FileProbe.read(absolute, limit: 1 << 20) {
        case .success(let b): bytes = b
        case .failure(let error):
            throw ConfigurationError(problems: [.init(path: shown, position: LineColumn(line: 1, column: 1),
                                                      message: "cannot read the configuration: \(error.message)", rule: nil)])
        }
        switch Configuration.parse(bytes, path: absolute) {
        case .success(let c): return c
        case .failure(var e):
            for i in e.problems.indices { e.problems[i].path = shown }
            throw e
        }
    }
}

/// What the command line says. Each flag given wins over the configuration files; the rest comes from them.
package struct CommandLineSettings: Sendable {
    /// `--select`, `--ignore`, `--syntax-only`.
    package var selection = RuleSelection()
    /// `--non-cloudtrail`. (The run-wide keys' flags, `--strict` and the rest, are read where they act.)
    package var nonCloudTrail: NonCloudTrailPolicy?

    package init() {}
}

/// The settings of one file, resolved from the layers: its configuration's top level, its overrides in order, then
/// the command line.
package struct FileSettings: Sendable {
    package var policy: Policy
    package var format: InputKind.Format?
    /// The overrides that apply, by index.
    package var overrides: [Int]
    /// The run-wide numbers of the `suppress` entries that apply to the file and name a rule it runs (only those can
    /// be found unused).
    package var suppressions: [Int]

    /// Resolves the settings of the file at `relativePath` (relative to the configuration's directory; nil for
    /// standard input without a name, or a file outside it) under `configuration`. `entryBase` numbers the
    /// configuration's `suppress` entries across the run.
    package static func resolve(_ configuration: Configuration?, relativePath: String?, commandLine: CommandLineSettings,
                                entryBase: Int = 0) -> FileSettings {
        let segments = relativePath.map { $0.split(separator: "/").map(String.init) } ?? []
        let covers: ([PathGlob]) -> Bool = { globs in !segments.isEmpty && globs.contains { $0.matches(segments: segments) } }
        func rules(_ names: [String]) -> Set<RuleID> { Set(names.flatMap(RuleNames.rules)) }

        // Rules: the configuration's choice, replaced by `--select` when given; overrides add and remove (within
        // what `--select` allows); `--ignore` removes last.
        let cli = commandLine.selection
        var kept = Set(RuleID.all)
        if let select = configuration?.select { kept = rules(select) }
        kept.subtract(rules(configuration?.ignore ?? []))
        let allowed = cli.select.isEmpty ? Set(RuleID.all) : rules(cli.select)
        if !cli.select.isEmpty { kept = allowed }
        var levels: [(name: String, level: Severity?)] = (configuration?.severity ?? []).map { ($0.pattern, $0.level) }
        var applied: [Int] = []
        for (i, o) in (configuration?.overrides ?? []).enumerated() where covers(o.files) {
            applied.append(i)
            if let select = o.select { kept.formUnion(rules(select).intersection(allowed)) }
            kept.subtract(rules(o.ignore))
            levels += o.severity.map { ($0.pattern, $0.level) }
        }
        kept.subtract(rules(cli.ignore))
        // Levels from the least specific name to the most; among equals, the later (an override) wins. `off` is a
        // level like the others: a later or more specific level undoes it (`{"semantic": "off", "arn-syntax":
        // "warning"}`; an override's level after the top level's `off`).
        var resolved: [RuleID: Severity] = [:]
        var off: Set<RuleID> = []
        for entry in levels.enumerated().sorted(by: { (RuleNames.specificity($0.element.name), $0.offset) < (RuleNames.specificity($1.element.name), $1.offset) }) {
            for id in RuleNames.rules(entry.element.name) {
                if let level = entry.element.level { resolved[id] = level; off.remove(id) } else { resolved[id] = nil; off.insert(id) }
            }
        }
        kept.subtract(off)
        // A level does not turn on a rule the selection left out (only `off` turns one off).
        for (id, level) in resolved where RuleRegistry.metadata(for: id)?.defaultSeverity == level { resolved[id] = nil }

        var suppressions: [Policy.Suppressing] = []
        var entries: [Int] = []
        for (i, s) in (configuration?.suppress ?? []).enumerated() where s.files.isEmpty || covers(s.files) {
            // An entry for rules the file does not run cannot be found unused there.
            if !rules([s.rule]).isDisjoint(with: kept) { entries.append(entryBase + i) }
            suppressions.append(Policy.Suppressing(rules: rules([s.rule]), pointer: s.pointer ?? [],
                                                   mark: Suppression(kind: .external, justification: s.reason, entry: entryBase + i)))
        }
        let format = configuration?.inputFormat.first { !segments.isEmpty && $0.glob.matches(segments: segments) }?.format
        let nonCloudTrail = commandLine.nonCloudTrail ?? configuration?.nonCloudTrail ?? .skip
        let policy = Policy(selection: cli, kept: kept, levels: resolved, suppressions: suppressions, nonCloudTrail: nonCloudTrail)
        return FileSettings(policy: policy, format: format, overrides: applied,
                            suppressions: entries)
    }
}

extension Policy {
    /// What decides which rules the linter runs (two policies with equal keys share a resolved linter).
    var ruleKey: [RuleID] { RuleID.all.filter(keeps) }
}
