import CTInput

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Where a command writes: injectable so tests can capture output.
public protocol Console: AnyObject {
    func out(_ s: String)
    func err(_ s: String)
    /// Whether standard output is a terminal.
    var isTerminal: Bool { get }
    /// The columns of the terminal on standard output, when it is one and says: code frames are cut to fit.
    var terminalWidth: Int? { get }
    /// Whether standard error is a terminal: the progress line is drawn only there.
    var isErrorTerminal: Bool { get }
    /// The columns of the terminal on standard error, when it says (the progress line fits in them).
    var errorTerminalWidth: Int? { get }
    /// The clock the progress line reads, in seconds; nil for the system's monotonic clock, with a thread that
    /// redraws the line while a run is inside a slow input. A test gives its own clock, and gets no thread.
    var progressClock: (@Sendable () -> Double)? { get }
    func environment(_ name: String) -> String?
    /// Standard input, read fully (for `-`); a closed or unreadable stdin, or one longer than `limit` bytes, fails.
    func readStandardInput(limit: Int) -> Result<[UInt8], InputError>
    func writeStandardOutput(_ bytes: [UInt8])
    /// Why a write to standard output failed (a full disk, an I/O error), once one has; nil while every write
    /// succeeded. A closed pipe (`| head`) is not a failure: output stops quietly.
    var outputFailure: String? { get }
    /// Flushes and closes standard output; the failure, if that or any earlier write failed.
    func finishOutput() -> String?
}

/// The process's real standard streams.
public final class ProcessConsole: Console {
    public private(set) var outputFailure: String?
    /// Set when standard output's reader went away (EPIPE): later writes are skipped.
    private var outputClosed = false

    public init() {}
    public func out(_ s: String) { writeOut(Array(s.utf8)) }
    public func err(_ s: String) { _ = writeAll(2, Array(s.utf8)) }
    public var isTerminal: Bool { isatty(1) == 1 }
    public var isErrorTerminal: Bool { isatty(2) == 1 }
    public var terminalWidth: Int? { Self.width(of: 1) }
    public var errorTerminalWidth: Int? { Self.width(of: 2) }

    /// The columns of the terminal on `fd` (TIOCGWINSZ), or nil when it is none or does not say.
    private static func width(of fd: Int32) -> Int? {
        var size = winsize()
        guard ioctl(fd, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 else { return nil }
        return Int(size.ws_col)
    }
    public var progressClock: (@Sendable () -> Double)? { nil }
    public func environment(_ name: String) -> String? { getenv(name).map { String(cString: $0) } }
    public func readStandardInput(limit: Int) -> Result<[UInt8], InputError> {
        var out: [UInt8] = []
        var buf = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n = buf.withUnsafeMutableBytes { read(0, $0.baseAddress, $0.count) }
            if n > 0 {
                guard out.count + n <= limit else {
                    return .failure(InputError(path: "<stdin>", reason: .tooLarge(limit: limit)))
                }
                out.append(contentsOf: buf[0..<n])
            } else if n < 0 && errno == EINTR {
                continue
            } else if n < 0 {
                return .failure(InputError(path: "<stdin>", reason: errno == EBADF ? .closedStandardInput : .system(errno: errno)))
            } else {
                return .success(out)
            }
        }
    }
    public func writeStandardOutput(_ bytes: [UInt8]) { writeOut(bytes) }

    public func finishOutput() -> String? {
        if outputFailure == nil && !outputClosed && close(1) != 0 && errno != EPIPE && errno != EBADF {
            outputFailure = String(cString: strerror(errno))
        }
        return outputFailure
    }

    private func writeOut(_ bytes: [UInt8]) {
        guard outputFailure == nil, !outputClosed, let code = writeAll(1, bytes) else { return }
        if code == EPIPE { outputClosed = true } else { outputFailure = String(cString: strerror(code)) }
    }

}

/// Writes every byte of `bytes` to `fd` (retrying after EINTR); the errno of a failed write, or nil.
@discardableResult
func writeAll(_ fd: Int32, _ bytes: [UInt8]) -> Int32? {
    var failure: Int32?
    var offset = 0
    bytes.withUnsafeBytes { raw in
        while offset < raw.count {
            let n = write(fd, raw.baseAddress! + offset, raw.count - offset)
            if n > 0 { offset += n } else if n < 0 && errno == EINTR { continue } else { failure = n < 0 ? errno : EIO; break }
        }
    }
    return failure
}
