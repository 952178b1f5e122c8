import CTCore
import CTInput
import CTRules

/// The command line and the configuration files together: what `check`, `fix` and `format` share.
struct RunControl {
    /// The configuration that holds the run-wide settings: `--config`'s, else the one for the current directory.
    var root: Configuration?
    var strict = false
    var unsafeFixes = false
    var baseline: String?
    var writeBaseline: String?

    /// Reads `--config`/`--no-config`, finds the root configuration, and sets `options` from both (flags win).
    static func configure(_ a: ArgumentList, _ options: inout CheckOptions) throws -> RunControl {
        let here = FileProbe.currentDirectory
        if a.has("--no-config") && a.value("--config") != nil { throw UsageError("`--config` and `--no-config` cannot be combined") }
        let files: ConfigurationFiles
        if a.has("--no-config") {
            files = ConfigurationFiles(.none)
        } else if let path = a.value("--config") {
            guard !path.isEmpty else { throw UsageError("`--config` needs a path") }
            files = try ConfigurationFiles.explicit(path, currentDirectory: here)
        } else {
            files = ConfigurationFiles(.discover)
        }
        var control = RunControl()
        control.root = files.configuration(forDirectory: here)
        if let failure = files.failure { throw failure }
        options.configurations = files
        var line = CommandLineSettings()
        line.selection = options.selection
        if let v = a.value("--non-cloudtrail") {
            guard let p = NonCloudTrailPolicy(rawValue: v) else {
                throw UsageError("invalid value `\(v)` for `--non-cloudtrail`: expected skip, syntax or check")
            }
            line.nonCloudTrail = p
        }
        options.commandLine = line
        let root = control.root
        if !a.has("--no-respect-gitignore"), let r = root?.respectGitignore { options.respectGitignore = r }
        options.forceExclude = a.has("--force-exclude") || root?.forceExclude == true
        control.strict = root?.strict ?? false
        control.unsafeFixes = root?.unsafeFixes ?? false
        control.baseline = root?.baseline.map { root!.resolving($0) }
        control.writeBaseline = root?.writeBaseline.map { root!.resolving($0) }
        return control
    }

    /// `--show-settings PATH`: the settings that apply to the file at `path`, and where they come from.
    static func showSettings(_ path: String, options: CheckOptions, control: RunControl) -> String {
        let here = FileProbe.currentDirectory
        let absolute = InputCollector.absolutePath(path, relativeTo: here)
        let config = options.configurations?.configuration(forFile: absolute)
        let relative = config.flatMap { PathGlob.relative(absolute, to: $0.directory) }
        let settings = FileSettings.resolve(config, relativePath: relative, commandLine: options.commandLine)
        var out = "file: \(VisibleText.escaped(path))\n"
        out += "configuration: \(config.map { VisibleText.escaped($0.path) } ?? "none (defaults)")\n"
        let detected = InputKind.detect(fileName: path, override: options.formatOverride)
        out += "input-format: \((options.formatOverride ?? settings.format ?? detected.format).rawValue)"
            + (options.formatOverride != nil ? " (--input-format)" : settings.format != nil ? " (input-format)" : " (from the name)") + "\n"
        out += "non-cloudtrail: \(settings.policy.nonCloudTrail.rawValue)\n"
        out += "strict: \(control.strict)\nunsafe-fixes: \(control.unsafeFixes)\n"
        out += "respect-gitignore: \(options.respectGitignore)\n"
        out += "exclude: \((options.excludes + (config?.exclude.map(\.text) ?? [])).joined(separator: ", "))\n"
        out += "baseline: \(control.baseline ?? "none")\n"
        if let config {
            out += "overrides applied: " + (settings.overrides.isEmpty ? "none" : settings.overrides.map { i in
                "#\(i + 1) (\(config.overrides[i].files.map(\.text).joined(separator: ", ")))"
            }.joined(separator: "; ")) + "\n"
            out += "suppressions:" + (settings.policy.suppressions.isEmpty ? " none\n" : "\n")
            for s in settings.policy.suppressions {
                // Resolved with no entry offset: an entry's number is its index in the file.
                let entry = config.suppress[s.mark.entry]
                out += "  \(entry.rule)\(entry.pointerText.map { " at \($0)" } ?? ""): \(VisibleText.escaped(entry.reason))\n"
            }
        }
        out += "rules:\n"
        for meta in RuleRegistry.all {
            let on = settings.policy.keeps(meta.id) && (!options.selection.syntaxOnly || meta.category == .syntax || meta.category == .input)
            let level = settings.policy.level(of: meta.id) ?? meta.defaultSeverity
            out += "  \(meta.id.rawValue.padding(toLength: 24, withPad: " ", startingAt: 0)) \(on ? level.rawValue : "off")\n"
        }
        return out
    }
}
