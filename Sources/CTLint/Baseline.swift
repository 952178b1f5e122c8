import CTCore
import CTInput
import CTJSON

/// The findings a repository has accepted for now (`--baseline FILE`, `--write-baseline FILE`; SwiftLint's
/// baseline): the run reports only findings that are not in it, and says how many of its entries are no longer
/// found, so that the file shrinks as they are fixed.
///
/// An entry is keyed by what the finding is, never by where: its rule, the file's path relative to the baseline,
/// the JSON pointer with the record's index as `*`, and a hash of the offending bytes. Records added or removed
/// elsewhere in the file do not wake old findings; identical findings that share a key are counted.
///
/// The file is JSON, sorted, one entry per line, so that it diffs well in review.
package struct Baseline: Sendable {
    package struct Key: Hashable, Comparable, Sendable {
        package var rule: String
        package var path: String
        package var pointer: String
        package var hash: String

        package static func < (a: Key, b: Key) -> Bool {
            (a.path, a.rule, a.pointer, a.hash) < (b.path, b.rule, b.pointer, b.hash)
        }

        package init(rule: String, path: String, pointer: String, hash: String) {
            self.rule = rule
            self.path = path
            self.pointer = pointer
            self.hash = hash
        }

        /// The key of `d`, found in the file at `relativePath` (relative to the baseline's directory, or to the
        /// working directory for a report's fingerprint).
        package init(_ d: LocatedDiagnostic, relativePath: String) {
            self.init(rule: d.diagnostic.rule.rawValue, path: relativePath, pointer: Baseline.normalized(d.diagnostic.pointer ?? ""),
                      hash: Baseline.hex(d.valueHash))
        }

        /// A stable fingerprint of the finding this key names (GitLab Code Quality's `fingerprint`, SARIF's
        /// `partialFingerprints`): the same parts the baseline matches on, so a finding keeps it when records are
        /// added or removed around it, and across commits. `occurrence` counts the earlier findings of the run
        /// with the same key (0 for the first): GitLab needs every fingerprint of a report to differ.
        ///
        /// Two FNV-1a 64 hashes (different offsets) of `rule|path|pointer|hash|occurrence`: 32 hex digits.
        package func fingerprint(occurrence: Int) -> String {
            let text = Array("\(rule)|\(path)|\(pointer)|\(hash)|\(occurrence)".utf8)
            func fnv(_ basis: UInt64) -> String {
                var h = basis
                for b in text { h = (h ^ UInt64(b)) &* 1_099_511_628_211 }
                let digits = String(h, radix: 16)
                return String(repeating: "0", count: 16 - digits.count) + digits
            }
            return fnv(14_695_981_039_346_656_037) + fnv(0x9E37_79B9_7F4A_7C15)
        }
    }

    /// The baseline file's directory (absolute): paths are relative to it.
    package let directory: String
    /// Entries and how many findings each still hides in this run.
    private(set) var remaining: [Key: Int]
    /// Every entry as read.
    package let entries: [Key: Int]
    /// The paths checked in this run, with the ids of the rules run on each: only their entries can be found fixed
    /// (`--select region` does not find an `arn-syntax` entry fixed).
    private var checked: [String: Set<String>] = [:]

    package init(directory: String, entries: [Key: Int]) {
        self.directory = directory
        self.entries = entries
        remaining = entries
    }

    /// The key of a finding in the file at `path` (absolute; nil: standard input without a name).
    package func key(_ d: LocatedDiagnostic, path: String?) -> Key {
        Key(d, relativePath: relativePath(path))
    }

    func relativePath(_ path: String?) -> String {
        guard let path else { return "<stdin>" }
        return Self.relative(path, from: directory)
    }

    /// Hides the findings of `report` (of the file at `path`) that the baseline holds, counting them. `ran`: the
    /// ids of the rules run on the file.
    package mutating func judge(_ report: inout FileReport, path: String?, ran: Set<String> = Baseline.allRules) {
        checked[relativePath(path), default: []].formUnion(ran)
        guard !remaining.isEmpty else { return }
        var hidden = 0
        report.diagnostics.removeAll { d in
            let k = key(d, path: path)
            guard let left = remaining[k], left > 0 else { return false }
            remaining[k] = left - 1
            hidden += 1
            return true
        }
        report.baselined += hidden
    }

    /// Entries of the files checked in the run, for rules the run ran, that hid nothing: fixed since the baseline
    /// was written.
    package var fixed: Int {
        remaining.reduce(0) { $0 + (Self.looked(for: $1.key, in: checked) ? $1.value : 0) }
    }

    /// Every rule's id.
    package static let allRules = Set(RuleID.all.map(\.rawValue))

    /// Whether the run looked for the finding `key` names: its file checked, by a run of its rule (a rule that no
    /// longer exists is looked for, and never found).
    static func looked(for key: Key, in checked: [String: Set<String>]) -> Bool {
        guard let ran = checked[key.path] else { return false }
        return ran.contains(key.rule) || !allRules.contains(key.rule)
    }

    /// `pointer` with its first array index (the record's, the line's) as `*`.
    static func normalized(_ pointer: String) -> String {
        var tokens = pointer.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        if let i = tokens.indices.dropFirst().first(where: { !tokens[$0].isEmpty && tokens[$0].allSatisfy(\.isASCII) && tokens[$0].allSatisfy(\.isNumber) }) {
            tokens[i] = "*"
        }
        return tokens.joined(separator: "/")
    }

    static func hex(_ v: UInt32) -> String {
        let digits = String(v, radix: 16)
        return String(repeating: "0", count: max(0, 8 - digits.count)) + digits
    }

    /// `path` relative to `directory` (both absolute, normalised), with `..` where it is not below it.
    static func relative(_ path: String, from directory: String) -> String {
        let p = path.split(separator: "/"), d = directory.split(separator: "/")
        var common = 0
        while common < p.count && common < d.count && p[common] == d[common] { common += 1 }
        return (Array(repeating: "..", count: d.count - common) + p[common...].map(String.init)).joined(separator: "/")
    }

    // MARK: The file

    /// Reads a baseline file; `shown` names it in messages.
    package static func read(_ absolute: String, shown: String) -> Result<Baseline, UsageError> {
        let bytes: [UInt8]
        switch FileProbe.read(absolute, limit: 1 << 30) {
        case .success(let b): bytes = b
        case .failure(let e): return .failure(UsageError("cannot read the baseline \(shown): \(e.message)"))
        }
        let tree = JSONParser.parse(bytes)
        let lines = LineIndex(bytes)
        func fail(_ message: String, at offset: Int) -> Result<Baseline, UsageError> {
            let at = lines.location(of: offset)
            return .failure(UsageError("\(shown):\(at.line):\(at.column): \(message)"))
        }
        if let d = tree.diagnostics.first { return fail("not a baseline: \(d.message)", at: d.range.start) }
        guard let root = tree.root, tree.kind(root) == .object, let list = tree.member("findings", of: root), tree.kind(list) == .array else {
            return fail("not a baseline: expected {\"version\": 1, \"findings\": [...]} (written by --write-baseline)", at: 0)
        }
        var entries: [Key: Int] = [:]
        for item in tree.children(of: list) {
            func field(_ name: String) -> String? { tree.member(named: name, of: item).flatMap(tree.string) }
            guard tree.kind(item) == .object, let rule = field("rule"), let path = field("path"), let pointer = field("pointer"),
                  let hash = field("hash") else {
                return fail("a baseline entry needs `rule`, `path`, `pointer` and `hash`", at: tree.range(item).start)
            }
            var count = 1
            if let c = tree.member(named: "count", of: item) {
                guard let n = tree.number(c), n >= 1, n <= 1e9, n == n.rounded() else { return fail("`count` must be a whole number ≥ 1", at: tree.range(c).start) }
                count = Int(n)
            }
            entries[Key(rule: rule, path: path, pointer: pointer, hash: hash), default: 0] += count
        }
        return .success(Baseline(directory: ConfigurationFiles.parent(absolute), entries: entries))
    }

    /// The text of a baseline holding `entries`: stable, sorted, one entry per line.
    package static func text(_ entries: [Key: Int]) -> String {
        var out = "{\"version\": 1, \"findings\": [\n"
        let lines = entries.sorted { $0.key < $1.key }.map { key, count in
            JSONWriter.object([("path", JSONWriter.quote(key.path)), ("rule", JSONWriter.quote(key.rule)),
                               ("pointer", JSONWriter.quote(key.pointer)), ("hash", JSONWriter.quote(key.hash))]
                              + (count > 1 ? [("count", "\(count)")] : []))
        }
        out += lines.joined(separator: ",\n")
        out += (lines.isEmpty ? "" : "\n") + "]}\n"
        return out
    }
}

/// What `--write-baseline` gathers during a run: the key of every finding reported (before the baseline hides any),
/// and the paths checked; entries of files the run did not check, or of rules it did not run on them, are kept from
/// the file it replaces.
package struct BaselineRecorder: Sendable {
    private var writer: Baseline
    private var found: [Baseline.Key: Int] = [:]
    private var checked: [String: Set<String>] = [:]

    /// `previous`: the baseline file's entries before this run (empty for a new file).
    package init(path absolute: String, previous: [Baseline.Key: Int]) {
        writer = Baseline(directory: ConfigurationFiles.parent(absolute), entries: previous)
    }

    /// `ran`: the ids of the rules run on the file.
    package mutating func record(_ report: FileReport, path: String?, ran: Set<String> = Baseline.allRules) {
        checked[writer.relativePath(path), default: []].formUnion(ran)
        for d in report.diagnostics { found[writer.key(d, path: path), default: 0] += 1 }
    }

    /// The new file's entries.
    package var entries: [Baseline.Key: Int] {
        var out = found
        for (k, n) in writer.entries where !Baseline.looked(for: k, in: checked) { out[k, default: 0] += n }
        return out
    }
}
