// Benchmarks: `swift run -c release cloudtrail-lint-bench [--file BIG.json] [--day DIR] [--quick]`.
//
// Prints, on the same generated data:
//   1. parse only, in-process, one core (MB/s)
//   2. full check (parse + schema + rules), in-process, one core (MB/s)
//   3. whole processes: `cloudtrail-lint check --jobs 1` vs `jq empty` vs Python jsonschema with our schema
//   4. a day of 2,000 small gzip files: `cloudtrail-lint check` (all cores) vs `zcat` alone
//   5. peak memory (max RSS) of the CLI on the large file
//   6. issue 17's ratios: one file on two threads, JSON Lines against the compact log, `fix` against `check`, the
//      day on one thread against `zcat`, and start-up against `jq empty` (`--only-ratios` skips 1 to 5); issue 18's
//      check under a configuration with 20 suppressions and a 10,000-entry baseline against the same check without
//      (`--only-policy` runs that comparison alone)
//   7. issue 22: `redact` of the large log against `check` and `jq -c .` (`--only-redact` runs it alone)
// Data comes from ../shared/tools/gen-cloudtrail.py unless given.
import CTJSON
import CTLint
import Foundation
#if canImport(Glibc)
import Glibc
#endif

let args = Array(CommandLine.arguments.dropFirst())
func option(_ name: String) -> String? {
    guard let i = args.firstIndex(of: name), i + 1 < args.count else { return nil }
    return args[i + 1]
}
let quick = args.contains("--quick")
let onlyRatios = args.contains("--only-ratios")
let onlyPolicy = args.contains("--only-policy")
let onlyRedact = args.contains("--only-redact")
let repoRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
let shared = repoRoot.deletingLastPathComponent().appendingPathComponent("shared")
let generator = shared.appendingPathComponent("tools/gen-cloudtrail.py").path
let work = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("cloudtrail-lint-bench")
try? FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)

/// Wall time and CPU time (user + system, from the children's rusage) of one process.
struct Timing {
    var seconds: Double
    var cpu: Double
}

@discardableResult
func run(_ argv: [String], quiet: Bool = true) -> (status: Int32, seconds: Double) {
    let t = timed(argv, quiet: quiet)
    return (t.status, t.timing.seconds)
}

func childrenCPU() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_CHILDREN.rawValue, &usage)
    return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
}

func timed(_ argv: [String], quiet: Bool = true) -> (status: Int32, timing: Timing) {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    p.arguments = argv
    if quiet {
        p.standardOutput = FileHandle(forWritingAtPath: "/dev/null")
        p.standardError = FileHandle(forWritingAtPath: "/dev/null")
    }
    let cpu0 = childrenCPU()
    let start = Date()
    do { try p.run() } catch { return (-1, Timing(seconds: 0, cpu: 0)) }
    p.waitUntilExit()
    return (p.terminationStatus, Timing(seconds: Date().timeIntervalSince(start), cpu: childrenCPU() - cpu0))
}

func have(_ tool: String) -> Bool { run(["sh", "-c", "command -v \(tool)"]).status == 0 }

func median(_ xs: [Double]) -> Double { CloudTrailLintBench.median(xs) }

/// Runs the commands `rounds` times each, interleaved (a, b, a, b, …), so that both see the same moments of a
/// shared machine; returns each command's timings.
func interleaved(_ commands: [[String]], rounds: Int) -> [[Timing]] {
    var out = [[Timing]](repeating: [], count: commands.count)
    for _ in 0..<rounds {
        for (i, c) in commands.enumerated() { out[i].append(timed(c).timing) }
    }
    return out
}

/// Fastest and median wall time, and median CPU time, of a series.
struct Summary {
    var fastest: Double
    var median: Double
    var cpu: Double
    init(_ ts: [Timing]) {
        fastest = ts.map(\.seconds).min() ?? 0
        median = CloudTrailLintBench.median(ts.map(\.seconds))
        cpu = CloudTrailLintBench.median(ts.map(\.cpu))
    }
}

enum CloudTrailLintBench {
    static func median(_ xs: [Double]) -> Double { xs.isEmpty ? 0 : xs.sorted()[xs.count / 2] }
}

func timeIt(_ repeats: Int, _ body: () -> Void) -> Double {
    var times: [Double] = []
    for _ in 0..<repeats {
        let start = DispatchTime.now().uptimeNanoseconds
        body()
        times.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
    }
    return median(times)
}

// MARK: Data

var bigFile = option("--file")
if bigFile == nil {
    let dir = work.appendingPathComponent(quick ? "big-quick" : "big")
    let records = quick ? "12530" : "125300"
    if (try? FileManager.default.contentsOfDirectory(atPath: dir.path))?.first(where: { $0.hasSuffix(".json") }) == nil {
        print("generating \(quick ? "20" : "200") MB compact log with gen-cloudtrail.py …")
        run(["python3", generator, "--files", "1", "--records", records, "--compact", "--out", dir.path])
    }
    if let name = (try? FileManager.default.contentsOfDirectory(atPath: dir.path))?.first(where: { $0.hasSuffix(".json") }) {
        bigFile = dir.appendingPathComponent(name).path
    }
}
guard let bigFile, let data = FileManager.default.contents(atPath: bigFile) else {
    print("no input: pass --file FILE or put ../shared/tools/gen-cloudtrail.py beside the repository")
    exit(2)
}
let bytes = [UInt8](data)
let mb = Double(bytes.count) / 1e6
print(String(format: "input: %@ (%.1f MB)", bigFile, mb))

let cli = repoRoot.appendingPathComponent(".build/release/cloudtrail-lint").path
let rounds = quick ? 3 : 5
let day = option("--day") ?? work.appendingPathComponent("day").path

if onlyPolicy {
    policyCost(bigFile, rounds: quick ? 3 : 7)
    exit(0)
}
if onlyRedact {
    redactCost(bigFile, rounds: quick ? 3 : 5)
    exit(0)
}

// MARK: In-process

var sink = 0
if !onlyRatios {
let parseSeconds = timeIt(quick ? 3 : 5) { sink &+= JSONParser.parse(bytes).nodes.count }
print(String(format: "parse only (in-process, 1 core):     %7.0f MB/s  (%.3f s)", mb / parseSeconds, parseSeconds))
let linter = Linter()
let checkSeconds = timeIt(3) { sink &+= linter.lint(bytes, format: .json).count }
print(String(format: "full check (in-process, 1 core):     %7.0f MB/s  (%.3f s)", mb / checkSeconds, checkSeconds))

// MARK: Whole processes

guard FileManager.default.isExecutableFile(atPath: cli) else {
    print("(build the CLI with `swift build -c release` for whole-process comparisons)")
    exit(0)
}
// Peak RSS of one run, read by GNU time when it is installed.
if FileManager.default.isExecutableFile(atPath: "/usr/bin/time") {
    let out = work.appendingPathComponent("maxrss.txt").path
    run(["/usr/bin/time", "-f", "%M", "-o", out, cli, "check", "--jobs", "1", "--quiet", bigFile])
    if let text = try? String(contentsOfFile: out, encoding: .utf8),
       let kb = Double(text.split(separator: "\n").last.map(String.init) ?? "") {
        print(String(format: "peak memory, cloudtrail-lint check on the file: %.0f MB (%.2f× the input)",
                     kb / 1024, kb * 1024 / Double(bytes.count)))
    }
}
var names = ["cloudtrail-lint check (full, 1 core)", "cloudtrail-lint check --syntax-only"]
var commands = [[cli, "check", "--jobs", "1", "--quiet", bigFile], [cli, "check", "--syntax-only", "--jobs", "1", "--quiet", bigFile]]
if have("jq") {
    names.append("jq empty")
    commands.append(["jq", "empty", bigFile])
}
var summaries = interleaved(commands, rounds: rounds).map(Summary.init)
let jsonschemaScript = repoRoot.appendingPathComponent("scripts/bench-jsonschema.py").path
if !quick, run(["python3", "-c", "import jsonschema, referencing"]).status == 0 {
    names.append("python jsonschema, our schema, every record")
    summaries.append(Summary([timed(["python3", jsonschemaScript, bigFile]).timing]))
}
print("\nwhole process on the same file, \(rounds) interleaved runs each (python: one run):")
print("  command                                         fastest   median  median CPU   MB/s   × ours (fastest, median)")
let base = summaries[0]
for (name, t) in zip(names, summaries) {
    print("  " + name.padding(toLength: 46, withPad: " ", startingAt: 0)
          + String(format: " %7.2f s %7.2f s %8.2f s %6.0f   %6.1f× %6.1f×", t.fastest, t.median, t.cpu,
                   mb / t.median, t.fastest / base.fastest, t.median / base.median))
}

// MARK: A day of small gzip files

if (try? FileManager.default.contentsOfDirectory(atPath: day))?.isEmpty ?? true {
    print("\ngenerating a day of 2,000 gzip files …")
    run(["python3", generator, "--files", "2000", "--records", "40", "--vary", "--gzip", "--out", day])
}
let dayRuns = interleaved([[cli, "check", "--quiet", day],
                           ["sh", "-c", "find '\(day)' -name '*.json.gz' -print0 | xargs -0 zcat > /dev/null"]],
                          rounds: rounds).map(Summary.init)
let dayFiles = (try? FileManager.default.contentsOfDirectory(atPath: day))?.count ?? 0
print(String(format: "\nday of %d gzip files, %d interleaved runs each: cloudtrail-lint check (all cores) fastest %.2f s, median %.2f s (CPU %.2f s);", dayFiles, rounds, dayRuns[0].fastest, dayRuns[0].median, dayRuns[0].cpu))
print(String(format: "  zcat alone fastest %.2f s, median %.2f s (CPU %.2f s); ours / zcat: %.2f× fastest, %.2f× median",
             dayRuns[1].fastest, dayRuns[1].median, dayRuns[1].cpu, dayRuns[0].fastest / dayRuns[1].fastest, dayRuns[0].median / dayRuns[1].median))

// MARK: Start-up

// A pre-commit style run: ten small files (of the day) in one process.
if let files = try? FileManager.default.contentsOfDirectory(atPath: day).sorted().prefix(10), files.count == 10 {
    let small = Summary(interleaved([[cli, "check", "--quiet"] + files.map { day + "/" + $0 }], rounds: rounds)[0])
    print(String(format: "\nten small files in one run (pre-commit style): fastest %.0f ms, median %.0f ms", small.fastest * 1000, small.median * 1000))
}
}
ratios()
if sink == 42 { print("") }

// MARK: Issue 17's ratios

/// Peak RSS (MB) of one run of `argv`, read by GNU time.
func peakMB(_ argv: [String]) -> Double? {
    guard FileManager.default.isExecutableFile(atPath: "/usr/bin/time") else { return nil }
    let out = work.appendingPathComponent("maxrss.txt").path
    run(["/usr/bin/time", "-f", "%M", "-o", out] + argv)
    guard let text = try? String(contentsOfFile: out, encoding: .utf8) else { return nil }
    return Double(text.split(separator: "\n").last.map(String.init) ?? "").map { $0 / 1024 }
}

/// Median CPU and wall time of each command, interleaved, and their ratios to the first.
/// `redact` of one large log against `check` of it, and `jq -c .` (which also rewrites it whole), with peak memory.
func redactCost(_ log: String, rounds: Int) {
    let out = work.appendingPathComponent("redacted.json").path
    let redact = ["sh", "-c", "exec '\(cli)' redact --jobs 1 --quiet '\(log)' > '\(out)'"]
    let jq = ["sh", "-c", "exec jq -c . '\(log)' > '\(out)'"]
    compare("redact against check (one log)", ["check --jobs 1 LOG", "redact --jobs 1 LOG > OUT", "jq -c . LOG > OUT"],
            [[cli, "check", "--jobs", "1", "--quiet", log], redact] + (have("jq") ? [jq] : []), rounds: rounds)
    if let c = peakMB([cli, "check", "--jobs", "1", "--quiet", log]), let r = peakMB(redact) {
        print(String(format: "  peak memory: check %.0f MB, redact %.0f MB", c, r))
    }
}

func compare(_ title: String, _ labels: [String], _ commands: [[String]], rounds: Int) {
    let s = interleaved(commands, rounds: rounds).map(Summary.init)
    print("\n\(title) (\(rounds) interleaved runs, medians):")
    for (label, t) in zip(labels, s) {
        print("  " + label.padding(toLength: 44, withPad: " ", startingAt: 0)
              + String(format: " wall %6.2f s  CPU %6.2f s   wall %5.2f×  CPU %5.2f×", t.median, t.cpu, t.median / s[0].median, t.cpu / s[0].cpu))
    }
}

func ratios() {
    let r = quick ? 3 : 7
    let log = bigFile
    // 1. One large log and its records as JSON Lines, on one thread and on two.
    let jsonl = work.appendingPathComponent("big.jsonl").path
    if !FileManager.default.fileExists(atPath: jsonl) {
        run(["sh", "-c", "python3 -c 'import json,sys; [print(json.dumps(r, separators=(\",\", \":\"))) for r in json.load(open(sys.argv[1]))[\"Records\"]]' '\(log)' > '\(jsonl)'"])
    }
    compare("one large log, one thread and two", ["check --jobs 1 LOG", "check --jobs 2 LOG"],
            [[cli, "check", "--jobs", "1", "--quiet", log], [cli, "check", "--jobs", "2", "--quiet", log]], rounds: r)
    compare("the same records as JSON Lines", ["check --jobs 1 LOG", "check --jobs 1 LOG.jsonl", "check --jobs 2 LOG.jsonl"],
            [[cli, "check", "--jobs", "1", "--quiet", log], [cli, "check", "--jobs", "1", "--quiet", jsonl],
             [cli, "check", "--jobs", "2", "--quiet", jsonl]], rounds: r)
    // 2. fix against check: a clean copy, and a copy with 50 fixable eventSource values (unsafe fixes), each run
    //    on a fresh copy.
    let clean = work.appendingPathComponent("fix-clean.json").path
    let dirty = work.appendingPathComponent("fix-50.json").path
    let original = work.appendingPathComponent("fix-50-original.json").path
    if !FileManager.default.fileExists(atPath: original) {
        run(["python3", "-c", """
import re,sys
data=bytearray(open(sys.argv[1],'rb').read())
idx=[m.start(1) for m in re.finditer(rb'"eventSource":"([a-z])', data)]
for k in idx[::max(1,len(idx)//50)][:50]: data[k]=data[k]-32
open(sys.argv[2],'wb').write(data)
""", log, original])
    }
    run(["cp", log, clean])
    compare("fix against check (200 MB log)", ["check --jobs 1", "fix (nothing to fix)", "fix --unsafe-fixes (50 fixes)"],
            [[cli, "check", "--jobs", "1", "--quiet", log], ["sh", "-c", "cp '\(log)' '\(clean)' && exec '\(cli)' fix --quiet '\(clean)'"],
             ["sh", "-c", "cp '\(original)' '\(dirty)' && exec '\(cli)' fix --quiet --unsafe-fixes '\(dirty)'"]], rounds: r)
    let copy = Summary(interleaved([["cp", log, clean]], rounds: r)[0])
    print(String(format: "  (the copy before each fix: %.2f s CPU, to subtract)", copy.cpu))
    run(["cp", original, dirty])
    if let c = peakMB([cli, "check", "--jobs", "1", "--quiet", log]), let f = peakMB([cli, "fix", "--quiet", clean]),
       let g = peakMB([cli, "fix", "--quiet", "--unsafe-fixes", dirty]) {
        print(String(format: "  peak memory: check %.0f MB, fix (nothing to fix) %.0f MB (%.2f×), fix (50 fixes) %.0f MB", c, f, f / c, g))
    }
    // 3. The day on one thread and on two, against zcat.
    let zcat = ["sh", "-c", "find '\(day)' -name '*.json.gz' -print0 | xargs -0 zcat > /dev/null"]
    compare("a day of gzip files against zcat", ["zcat of every file", "check --jobs 1 DAY", "check --jobs 2 DAY"],
            [zcat, [cli, "check", "--jobs", "1", "--quiet", day], [cli, "check", "--jobs", "2", "--quiet", day]], rounds: r)
    // 4. Start-up: a file of five records.
    let small = work.appendingPathComponent("five").path
    if (try? FileManager.default.contentsOfDirectory(atPath: small))?.isEmpty ?? true {
        run(["python3", generator, "--files", "1", "--records", "5", "--out", small])
    }
    if let name = (try? FileManager.default.contentsOfDirectory(atPath: small))?.first(where: { $0.hasSuffix(".json") }), have("jq") {
        let five = small + "/" + name
        compare("start-up: check of a 5-record file against jq empty", ["jq empty", "check FILE"],
                [["jq", "empty", five], [cli, "check", "--quiet", five]], rounds: quick ? 10 : 30)
    }
    // 5. Issue 18's cost of a configuration.
    policyCost(log, rounds: r)
    if args.contains("--gigabyte") {
        // 6. Memory on 1 GB of JSON Lines (five copies of the records, their eventIDs made unique).
        let gb = work.appendingPathComponent("gigabyte.jsonl").path
        if !FileManager.default.fileExists(atPath: gb) {
            run(["sh", "-c", "for i in 1 2 3 4 5; do sed \"s/\\\"eventID\\\":\\\"......../\\\"eventID\\\":\\\"0000000$i/\" '\(jsonl)'; done > '\(gb)'"])
        }
        if let all = peakMB([cli, "check", "--jobs", "1", "--quiet", gb]),
           let without = peakMB([cli, "check", "--jobs", "1", "--quiet", "--ignore", "duplicate-event-id", gb]) {
            print(String(format: "\n1 GB of JSON Lines: peak %.0f MB with every rule, %.0f MB without duplicate-event-id", all, without))
        }
    }
}

/// Issue 18: `log` checked under a configuration with 20 suppressions and a 10,000-entry baseline, against the same
/// check with no configuration (`--only-policy` runs this alone).
func policyCost(_ log: String, rounds r: Int) {
    // Issue 18: the same log checked under a configuration with 20 suppressions and a 10,000-entry baseline (its
    //    entries name this file, so each is looked up), against the same check with no configuration.
    let policy = work.appendingPathComponent("policy")
    try? FileManager.default.createDirectory(at: policy.appendingPathComponent(".git"), withIntermediateDirectories: true)
    let linked = policy.appendingPathComponent("log.json").path
    if !FileManager.default.fileExists(atPath: linked) { run(["ln", log, linked]) }
    let rules = ["account-mismatch", "arn-syntax", "event-time", "region", "ip-address", "access-key-id", "principal-id",
                 "event-source", "resource-account", "identity-fields"]
    let suppress = (0..<20).map { i in
        "{\"rule\": \"\(rules[i % rules.count])\", \"files\": [\"*.json\"], \"pointer\": \"/Records/*/userIdentity/x\(i)\", \"reason\": \"benchmark\"}"
    }
    let config = "{\"baseline\": \"baseline.json\", \"suppress\": [\n" + suppress.joined(separator: ",\n") + "\n]}\n"
    FileManager.default.createFile(atPath: policy.appendingPathComponent(".cloudtrail-lint.json").path, contents: Data(config.utf8))
    let entries = (0..<10_000).map { i in
        "{\"path\": \"log.json\", \"rule\": \"\(rules[i % rules.count])\", \"pointer\": \"/Records/*/eventSource\", \"hash\": \"\(String(format: "%08x", i))\"}"
    }
    let baseline = "{\"version\": 1, \"findings\": [\n" + entries.joined(separator: ",\n") + "\n]}\n"
    FileManager.default.createFile(atPath: policy.appendingPathComponent("baseline.json").path, contents: Data(baseline.utf8))
    compare("a configuration with 20 suppressions and a 10,000-entry baseline (200 MB log)",
            ["check --jobs 1 --no-config LOG", "check --jobs 1 LOG (configuration, baseline)"],
            [[cli, "check", "--jobs", "1", "--quiet", "--no-config", linked], [cli, "check", "--jobs", "1", "--quiet", linked]], rounds: r)
}
