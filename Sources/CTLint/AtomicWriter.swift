import CTCore
import CTInput

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Rewrites a file atomically and leaves it as it was in every other respect.
///
/// - A symbolic link is written through: its final target is replaced (a temporary file beside the target,
///   renamed over it), and the link stays a link.
/// - A file with more than one hard link is refused: a rename would split the links.
/// - A file without its owner's write bit (a read-only file) is refused.
/// - A file that changed after it was read (device, inode, size or modification time differ from `expected`)
///   is refused, so a concurrent edit is never lost.
/// - The new file keeps the owner, group and permission bits, less setuid and setgid (as `install` does).
/// - The data is flushed with `fsync`, then the directory after the rename; SIGINT or SIGTERM during the write
///   removes the temporary file.
/// A failure throws, and leaves the original untouched.
package enum AtomicWriter {
    package struct WriteError: Error, CustomStringConvertible {
        package var message: String
        package var description: String { message }
    }

    package static func write(_ bytes: [UInt8], to path: String, expecting expected: FileStamp? = nil) throws {
        // The file the path finally names, symbolic links resolved.
        guard let resolved = PathBytes.withCString(path, { realpath($0, nil) }) else { throw failure("cannot resolve \(path)", errno) }
        let target = PathBytes.string(cString: resolved)
        free(resolved)
        var st = stat()
        guard PathBytes.withCString(target, { lstat($0, &st) }) == 0 else { throw failure("cannot examine \(path)", errno) }
        guard st.st_mode & S_IFMT == S_IFREG else { throw WriteError(message: "not rewritten: not a regular file") }
        guard st.st_nlink <= 1 else {
            throw WriteError(message: "not rewritten: the file has \(st.st_nlink) hard links, which replacing it would split")
        }
        guard st.st_mode & S_IWUSR != 0 else { throw WriteError(message: "not rewritten: the file is read-only") }
        try checkUnchanged(target, expected)

        let slash = target.lastIndex(of: "/")!
        let dir = slash == target.startIndex ? "/" : String(target[..<slash])
        let base = String(target[target.index(after: slash)...])
        var template = PathBytes.bytes("\(dir)/.\(base).cloudtrail-lint-XXXXXX").map { CChar(bitPattern: $0) } + [0]
        // The signals that remove the temporary file wait while it is created and recorded, so none can come
        // between the two and leave it behind.
        let fd = TemporaryFiles.withSignalsHeld {
            let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
            if fd >= 0 { TemporaryFiles.register(template) }
            return fd
        }
        guard fd >= 0 else { throw failure("cannot create a temporary file in \(dir)", errno) }
        defer { TemporaryFiles.clear() }
        let tmpPath = PathBytes.string(template.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) })
        var error = writeAll(fd, bytes) ?? 0
        let mode = st.st_mode & 0o1777  // permission bits and sticky; setuid and setgid dropped
        // Owner and group as they were; a user who may not give the file its owner gets an error, not a file
        // that silently changed hands.
        if error == 0 && fchown(fd, st.st_uid, st.st_gid) != 0 { error = errno }
        if error == 0 && fchmod(fd, mode) != 0 { error = errno }
        if error == 0 && fsync(fd) != 0 { error = errno }
        if close(fd) != 0 && error == 0 { error = errno }
        if error == 0 {
            do { try checkUnchanged(target, expected) } catch {
                PathBytes.withCString(tmpPath) { _ = unlink($0) }
                throw error
            }
        }
        guard error == 0, PathBytes.withCString(tmpPath, { from in PathBytes.withCString(target) { rename(from, $0) } }) == 0 else {
            let e = error != 0 ? error : errno
            PathBytes.withCString(tmpPath) { _ = unlink($0) }
            throw failure("cannot write \(path)", e)
        }
        // The rename is durable once the directory is flushed.
        let dirFD = PathBytes.withCString(dir) { open($0, O_RDONLY | O_DIRECTORY | O_CLOEXEC) }
        if dirFD >= 0 {
            let synced = fsync(dirFD) == 0 || errno == EINVAL
            let e = errno
            close(dirFD)
            if !synced { throw failure("written, but the directory \(dir) could not be flushed", e) }
        }
    }

    /// Writes a file that may not exist yet (`check --output-file`): replaced as `write` replaces a file when it
    /// exists; else created empty (mode 0666 less the umask), then replaced the same way, and removed again when
    /// that fails, so a reader never sees part of the text.
    /// `mode`: the permissions a new file is created with (less the umask); `redact --mapping` gives 0600.
    package static func create(_ bytes: [UInt8], at path: String, mode: mode_t = 0o666) throws {
        var st = stat()
        var created = false
        if PathBytes.withCString(path, { stat($0, &st) }) != 0 {
            guard errno == ENOENT else { throw failure("cannot examine \(path)", errno) }
            let fd = PathBytes.withCString(path) { open($0, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode) }
            guard fd >= 0 else { throw failure("cannot create \(path)", errno) }
            close(fd)
            created = true
        }
        do { try write(bytes, to: path) } catch {
            if created { PathBytes.withCString(path) { _ = unlink($0) } }
            throw error
        }
    }

    /// Throws when `path` is no longer the file that was read.
    static func checkUnchanged(_ path: String, _ expected: FileStamp?) throws {
        guard let expected else { return }
        guard FileStamp.of(path: path) == expected else {
            throw WriteError(message: "not rewritten: the file changed after it was read")
        }
    }

    static func failure(_ what: String, _ code: Int32) -> WriteError {
        WriteError(message: "\(what): \(String(cString: strerror(code)))")
    }
}

/// The temporary file being written, removed by SIGINT and SIGTERM before the process ends with that signal.
///
/// The path lives in a fixed C buffer so the handler touches no Swift runtime state (only `unlink`, `signal`
/// and `raise`, which are async-signal-safe). Writes happen on one thread at a time (`fix` rewrites files in turn).
enum TemporaryFiles {
    private static let capacity = 4096
    nonisolated(unsafe) private static let buffer: UnsafeMutablePointer<CChar> = {
        let p = UnsafeMutablePointer<CChar>.allocate(capacity: 4096)
        p.initialize(repeating: 0, count: 4096)
        return p
    }()

    /// Installs the handlers; call once, before the first write.
    static func installHandlers() {
        _ = buffer
        for sig in [SIGINT, SIGTERM, SIGHUP] {
            _ = signal(sig) { sig in
                if TemporaryFiles.buffer[0] != 0 { unlink(TemporaryFiles.buffer) }
                signal(sig, SIG_DFL)
                raise(sig)
            }
        }
    }

    /// Records `path` (a NUL-terminated C string); the first byte is written last, so the handler never sees half a path.
    static func register(_ path: [CChar]) {
        guard path.count < capacity else { return }
        buffer[0] = 0
        for i in 1..<path.count { buffer[i] = path[i] }
        buffer[0] = path[0]
    }

    static func clear() { buffer[0] = 0 }

    /// Runs `body` with SIGINT, SIGTERM and SIGHUP held back (delivered after it, in this thread).
    static func withSignalsHeld<R>(_ body: () -> R) -> R {
        var held = sigset_t(), previous = sigset_t()
        sigemptyset(&held)
        for sig in [SIGINT, SIGTERM, SIGHUP] { sigaddset(&held, sig) }
        pthread_sigmask(SIG_BLOCK, &held, &previous)
        defer { pthread_sigmask(SIG_SETMASK, &previous, nil) }
        return body()
    }
}
