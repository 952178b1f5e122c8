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
    func environment(_ name: String) -> String?
    /// Standard input, read fully (for `-`).
    func readStandardInput() -> [UInt8]
    func writeStandardOutput(_ bytes: [UInt8])
}

/// The process's real standard streams.
public final class ProcessConsole: Console {
    public init() {}
    public func out(_ s: String) { writeAll(1, Array(s.utf8)) }
    public func err(_ s: String) { writeAll(2, Array(s.utf8)) }
    public var isTerminal: Bool { isatty(1) == 1 }
    public func environment(_ name: String) -> String? { getenv(name).map { String(cString: $0) } }
    public func readStandardInput() -> [UInt8] {
        var out: [UInt8] = []
        var buf = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n = buf.withUnsafeMutableBytes { read(0, $0.baseAddress, $0.count) }
            if n > 0 { out.append(contentsOf: buf[0..<n]) }
            else if n < 0 && errno == EINTR { continue }
            else { break }
        }
        return out
    }
    public func writeStandardOutput(_ bytes: [UInt8]) { writeAll(1, bytes) }

    private func writeAll(_ fd: Int32, _ bytes: [UInt8]) {
        var offset = 0
        bytes.withUnsafeBytes { raw in
            while offset < raw.count {
                let n = write(fd, raw.baseAddress! + offset, raw.count - offset)
                if n > 0 { offset += n } else if n < 0 && errno == EINTR { continue } else { break }
            }
        }
    }
}
