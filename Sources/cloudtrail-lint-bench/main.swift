// Benchmarks: `swift run -c release cloudtrail-lint-bench [--file BIG.json] [--day DIR] [--quick]`.
//
// Prints, on the same generated data:
//   1. parse only, in-process, one core (MB/s)
//   2. full check (parse + schema + rules), in-process, one core (MB/s)
//   3. whole processes: `cloudtrail-lint check --jobs 1` vs `jq empty` vs Python jsonschema with our schema
//   4. a day of 2,000 small gzip files: `cloudtrail-lint check` (all cores) vs `zcat` alone
//   5. peak memory (max RSS) of the CLI on the large file
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
let repoRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
let shared = repoRoot.deletingLastPathComponent().appendingPathComponent("shared")
let generator = shared.appendingPathComponent("tools/gen-cloudtrail.py").path
let work = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("cloudtrail-lint-bench")
try? FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)

@discardableResult
func run(_ argv: [String], quiet: Bool = true) -> (status: Int32, seconds: Double) {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    p.arguments = argv
    if quiet {
        p.standardOutput = FileHandle(forWritingAtPath: "/dev/null")
        p.standardError = FileHandle(forWritingAtPath: "/dev/null")
    }
    let start = Date()
    do { try p.run() } catch { return (-1, 0) }
    p.waitUntilExit()
    return (p.terminationStatus, Date().timeIntervalSince(start))
}

func have(_ tool: String) -> Bool { run(["sh", "-c", "command -v \(tool)"]).status == 0 }

func median(_ xs: [Double]) -> Double { let s = xs.sorted(); return s[s.count / 2] }

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

// MARK: In-process

var sink = 0
let parseSeconds = timeIt(quick ? 3 : 5) { sink &+= JSONParser.parse(bytes).nodes.count }
print(String(format: "parse only (in-process, 1 core):     %7.0f MB/s  (%.3f s)", mb / parseSeconds, parseSeconds))
let linter = Linter()
let checkSeconds = timeIt(3) { sink &+= linter.lint(bytes, format: .json).count }
print(String(format: "full check (in-process, 1 core):     %7.0f MB/s  (%.3f s)", mb / checkSeconds, checkSeconds))

// MARK: Whole processes

let cli = repoRoot.appendingPathComponent(".build/release/cloudtrail-lint").path
var table: [(String, Double)] = []
if FileManager.default.isExecutableFile(atPath: cli) {
    let ours = median((0..<3).map { _ in run([cli, "check", "--jobs", "1", "--quiet", bigFile]).seconds })
    table.append(("cloudtrail-lint check (full, 1 core)", ours))
    let oursSyntax = median((0..<3).map { _ in run([cli, "check", "--syntax-only", "--jobs", "1", "--quiet", bigFile]).seconds })
    table.append(("cloudtrail-lint check --syntax-only", oursSyntax))
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
} else {
    print("(build the CLI with `swift build -c release` for whole-process comparisons)")
}
if have("jq") {
    table.append(("jq empty", median((0..<3).map { _ in run(["jq", "empty", bigFile]).seconds })))
}
let jsonschemaScript = repoRoot.appendingPathComponent("scripts/bench-jsonschema.py").path
if !quick, run(["python3", "-c", "import jsonschema, referencing"]).status == 0 {
    table.append(("python jsonschema, our schema, every record", run(["python3", jsonschemaScript, bigFile]).seconds))
}
if !table.isEmpty {
    print("\nwhole process on the same file (median wall time):")
    let base = table.first!.1
    for (name, s) in table {
        print(String(format: "  %-46@ %7.2f s  %7.0f MB/s  %6.1f× ours", name as NSString, s, mb / s, s / base))
    }
}

// MARK: A day of small gzip files

if FileManager.default.isExecutableFile(atPath: cli) {
    let day = option("--day") ?? work.appendingPathComponent("day").path
    if (try? FileManager.default.contentsOfDirectory(atPath: day))?.isEmpty ?? true {
        print("\ngenerating a day of 2,000 gzip files …")
        run(["python3", generator, "--files", "2000", "--records", "40", "--vary", "--gzip", "--out", day])
    }
    let ours = median((0..<3).map { _ in run([cli, "check", "--quiet", day]).seconds })
    let zcat = median((0..<3).map { _ in run(["sh", "-c", "find '\(day)' -name '*.json.gz' -print0 | xargs -0 zcat > /dev/null"]).seconds })
    print(String(format: "\nday of 2,000 gzip files: cloudtrail-lint check (all cores) %.2f s; zcat alone %.2f s (%.2f×)", ours, zcat, ours / zcat))
}
if sink == 42 { print("") }
