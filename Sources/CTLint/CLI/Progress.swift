import CTInput
import Foundation

/// The progress line of a long `check`, `fix` or `format` run (issue 18): files done of total, bytes, MB/s and
/// elapsed time on standard error, redrawn in place, e.g. `[12/2,000 files] 153.2 MB  48.1 MB/s  3.2 s`.
///
/// It is drawn only on a terminal (`start`), and only once the run has taken `after` (a second), so a quick run
/// leaves no trace; at most once per `interval` (a tenth of a second), so a run of many small files does not spend
/// its time on the terminal; never wider than the terminal, which would wrap it onto a second line that `\r` cannot
/// take back. It is cleared before anything else the command writes to standard error (`ProgressConsole`), before
/// what it writes to standard output when that is a terminal too (most likely the same screen), and by `finish` when
/// the inputs are done, before the summary.
///
/// Two threads update it: the run's calling thread after each input is handed on (`record`), and, on a real
/// terminal, a ticker that redraws it while the run is inside a slow input, so the elapsed time moves on. A run of one
/// large file shows 0/1 files until it is done: the bytes of an input are counted when it is handed on. Every field,
/// and every write, is under `condition`'s lock.
package final class ProgressLine: @unchecked Sendable {
    /// Seconds on a monotonic clock.
    package typealias Clock = @Sendable () -> Double

    /// `CLOUDTRAIL_LINT_PROGRESS_AFTER_MS`: replaces the one-second wait before the line is drawn. For tests, which
    /// run the tool under a pseudo-terminal without waiting a second.
    static let afterVariable = "CLOUDTRAIL_LINT_PROGRESS_AFTER_MS"

    private let condition = NSCondition()
    private let now: Clock
    private let started: Double
    private let after: Double
    private let interval: Double
    private let width: () -> Int?
    /// Called with the lock held: by the calling thread, or by the ticker (which only ever gets the system clock,
    /// hence a `ProcessConsole`, whose `err` is one `write(2)`).
    private let write: (String) -> Void
    /// Nil until the inputs are listed: nothing is drawn before (nor while standard input is read, maybe typed in).
    private var total: Int?
    private var done = 0
    private var bytes = 0
    /// Since `started`, of the last draw.
    private var drawnAt: Double?
    /// Whether the line is on the screen now.
    private var shown = false
    private var finished = false

    /// `width`: the terminal's columns, asked at each draw (a resized window); nil: 80.
    package init(after: Double = 1, interval: Double = 0.1, width: @escaping () -> Int? = { nil }, now: @escaping Clock,
                 write: @escaping (String) -> Void) {
        self.now = now
        self.started = now()
        self.after = after
        self.interval = interval
        self.width = width
        self.write = write
    }

    /// The runner's hook (`Runner.run`'s `progress`): `done` inputs of `total` handed on, the last of `bytes`.
    package func record(done: Int, total: Int, bytes: Int) {
        condition.lock()
        defer { condition.unlock() }
        self.done = done
        self.total = total
        self.bytes += bytes
        drawIfDue()
    }

    /// Redraws the line if it is due (the ticker's step; tests call it with their clock).
    package func tick() {
        condition.lock()
        defer { condition.unlock() }
        drawIfDue()
    }

    /// Runs `body` (a write of the command's own) with the line off the screen, and no redraw until it is done. The
    /// next `record` or tick draws the line again.
    package func hidden<T>(_ body: () -> T) -> T {
        condition.lock()
        defer { condition.unlock() }
        clear()
        return body()
    }

    /// Clears the line and stops the ticker: the inputs are done, and what follows (the summary) stays. Nothing is
    /// drawn afterwards.
    package func finish() {
        condition.lock()
        defer { condition.unlock() }
        guard !finished else { return }
        finished = true
        clear()
        condition.broadcast()
    }

    /// Redraws the line every `interval` until `finish`, on a thread of its own: a run's calling thread may wait on
    /// one input (or be inside it) for minutes, and the line would stand still.
    func startTicking() {
        let thread = Thread { [self] in
            condition.lock()
            defer { condition.unlock() }
            while !finished {
                _ = condition.wait(until: Date(timeIntervalSinceNow: interval))
                drawIfDue()
            }
        }
        thread.name = "progress"
        thread.start()
    }

    /// With the lock held.
    private func drawIfDue() {
        guard !finished, let total else { return }
        let elapsed = now() - started
        guard elapsed >= after else { return }
        if let drawnAt, elapsed - drawnAt < interval { return }
        drawnAt = elapsed
        var text = Self.text(done: done, total: total, bytes: bytes, elapsed: elapsed)
        // The last column is left empty: a line that fills it leaves some terminals waiting to wrap.
        let columns = max(width() ?? 80, 2)
        if text.count >= columns { text = String(text.prefix(columns - 1)) }
        write("\r" + text + "\u{1B}[K")
        shown = true
    }

    /// With the lock held.
    private func clear() {
        guard shown else { return }
        write("\r\u{1B}[K")
        shown = false
    }

    /// `[12/2,000 files] 153.2 MB  48.1 MB/s  3.2 s`.
    package static func text(done: Int, total: Int, bytes: Int, elapsed: Double) -> String {
        let rate = elapsed > 0 ? Double(bytes) / elapsed / 1e6 : 0
        return "[\(grouped(done))/\(grouped(total)) \(total == 1 ? "file" : "files")] \(size(bytes))  "
            + "\(String(format: "%.1f", rate)) MB/s  \(duration(elapsed))"
    }

    /// `2,000`.
    static func grouped(_ n: Int) -> String {
        var digits = String(n)
        var i = digits.endIndex
        while digits.distance(from: digits.startIndex, to: i) > 3 {
            i = digits.index(i, offsetBy: -3)
            digits.insert(",", at: i)
        }
        return digits
    }

    /// Decimal units, as the rate's MB/s: `512 B`, `12.3 kB`, `153.2 MB`, `4.1 GB`.
    static func size(_ bytes: Int) -> String {
        let b = Double(bytes)
        if bytes < 1000 { return "\(bytes) B" }
        if b < 1e6 { return String(format: "%.1f kB", b / 1e3) }
        if b < 1e9 { return String(format: "%.1f MB", b / 1e6) }
        return String(format: "%.1f GB", b / 1e9)
    }

    /// `3.2 s`, `4m05s`, `1h02m`.
    static func duration(_ seconds: Double) -> String {
        if seconds < 60 { return String(format: "%.1f s", seconds) }
        let s = Int(seconds)
        if s < 3600 { return String(format: "%dm%02ds", s / 60, s % 60) }
        return String(format: "%dh%02dm", s / 3600, s % 3600 / 60)
    }
}

extension ProgressLine {
    /// The line of a `check`, `fix` or `format` run with arguments `a`, started now, and the console the command
    /// writes through from then on; nil when no line is shown: standard error is not a terminal, `TERM=dumb`,
    /// `--quiet`/`-q`, `--no-progress`.
    static func start(_ a: ArgumentList, console: Console) -> (line: ProgressLine, console: Console)? {
        guard console.isErrorTerminal, console.environment("TERM") != "dumb",
              !a.has("--quiet"), !a.has("-q"), !a.has("--no-progress") else { return nil }
        var after = 1.0
        if let ms = console.environment(afterVariable).flatMap({ Int($0) }), ms >= 0 { after = Double(ms) / 1000 }
        let clock = console.progressClock
        let line = ProgressLine(after: after, width: { console.errorTerminalWidth }, now: clock ?? Self.monotonicSeconds,
                                write: { console.err($0) })
        if clock == nil { line.startTicking() }
        return (line, ProgressConsole(console, line: line))
    }

    static let monotonicSeconds: Clock = { Double(DispatchTime.now().uptimeNanoseconds) / 1e9 }
}

extension Document {
    /// The input's size as stored (compressed, for gzip): standard input's bytes as read, a file's size when it was
    /// read or else as it is on disk now; 0 when it could not be read. The bytes the progress line counts.
    var storedSize: Int {
        if let bytes = standardInputBytes { return bytes.count }
        switch content {
        case .unreadable: return 0
        case .loaded(let loaded):
            if let size = loaded.stamp?.size, size >= 0 { return size }
            return source.regularFileSize ?? loaded.bytes.count
        case .streamed: return source.regularFileSize ?? 0
        }
    }
}

/// The console a command writes through while its progress line may be shown: every write to standard error, and
/// to standard output when that is a terminal, clears the line first and holds it off the screen while it is made
/// (the ticker would draw into the middle of it otherwise). Written to a file or a pipe, standard output is untouched.
final class ProgressConsole: Console {
    private let base: Console
    private let line: ProgressLine

    init(_ base: Console, line: ProgressLine) {
        self.base = base
        self.line = line
    }

    func out(_ s: String) {
        if base.isTerminal && !s.isEmpty { line.hidden { base.out(s) } } else { base.out(s) }
    }

    func writeStandardOutput(_ bytes: [UInt8]) {
        if base.isTerminal && !bytes.isEmpty { line.hidden { base.writeStandardOutput(bytes) } } else { base.writeStandardOutput(bytes) }
    }

    func err(_ s: String) {
        if !s.isEmpty { line.hidden { base.err(s) } }
    }

    var isTerminal: Bool { base.isTerminal }
    var isErrorTerminal: Bool { base.isErrorTerminal }
    var terminalWidth: Int? { base.terminalWidth }
    var errorTerminalWidth: Int? { base.errorTerminalWidth }
    var progressClock: (@Sendable () -> Double)? { base.progressClock }
    func environment(_ name: String) -> String? { base.environment(name) }
    func readStandardInput(limit: Int) -> Result<[UInt8], InputError> { base.readStandardInput(limit: limit) }
    var outputFailure: String? { base.outputFailure }
    func finishOutput() -> String? { base.finishOutput() }
}
