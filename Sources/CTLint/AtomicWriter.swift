#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes a file atomically: a temporary file in the same directory, flushed, given the original's
/// permissions, then renamed over the original. A failure leaves the original untouched.
public enum AtomicWriter {
    public struct WriteError: Error, CustomStringConvertible {
        public var message: String
        public var description: String { message }
    }

    public static func write(_ bytes: [UInt8], to path: String) throws {
        var st = stat()
        let mode: mode_t = stat(path, &st) == 0 ? st.st_mode & 0o7777 : 0o644
        let dir: String
        let base: String
        if let slash = path.lastIndex(of: "/") {
            dir = String(path[..<slash]).isEmpty ? "/" : String(path[..<slash])
            base = String(path[path.index(after: slash)...])
        } else {
            dir = "."
            base = path
        }
        var template = Array("\(dir)/.\(base).cloudtrail-lint-XXXXXX".utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard fd >= 0 else { throw WriteError(message: "cannot create a temporary file in \(dir): \(String(cString: strerror(errno)))") }
        let tmpPath = String(decoding: template.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        var ok = true
        bytes.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let n = Glibc.write(fd, raw.baseAddress! + offset, raw.count - offset)
                if n > 0 { offset += n } else if n < 0 && errno == EINTR { continue } else { ok = false; break }
            }
        }
        if ok { ok = fchmod(fd, mode) == 0 && fsync(fd) == 0 }
        let saved = errno
        close(fd)
        guard ok, rename(tmpPath, path) == 0 else {
            let e = ok ? errno : saved
            unlink(tmpPath)
            throw WriteError(message: "cannot write \(path): \(String(cString: strerror(e)))")
        }
    }
}
