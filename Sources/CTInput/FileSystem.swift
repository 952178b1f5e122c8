import CTCore
import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// How many times each file was opened for reading, once `start()` is called: lets a test prove that an input is
/// read once. Off, it costs one atomic load per open.
package enum OpenCounter {
    private static let counting = Atomic<Bool>(false)
    private static let counts = Mutex<[String: Int]>([:])

    package static func start() { counting.store(true, ordering: .relaxed) }
    static var isCounting: Bool { counting.load(ordering: .relaxed) }
    static func count(_ path: String) { counts.withLock { $0[path, default: 0] += 1 } }
    /// The opens of `path` so far (an absolute path, as the inputs carry).
    package static func opens(of path: String) -> Int { counts.withLock { $0[path] ?? 0 } }
}

/// Thin POSIX wrappers: the module's only file-system calls. Errors are `errno` values.
enum FileSystem {
    /// An `errno` value from a failed call.
    struct SystemError: Error {
        var code: Int32
    }

    /// What `stat(2)` says about a path (symbolic links followed).
    struct Status {
        var isDirectory: Bool
        var isRegularFile: Bool
        /// Only from `linkStatus`: the path is itself a symbolic link.
        var isSymbolicLink: Bool
        /// (device, inode): identifies a directory for symlink-loop detection.
        var identity: FileIdentity
        /// Size in bytes (meaningful for regular files only).
        var size: Int
        /// Identity, size and modification time: what tells that a file changed after it was read.
        var stamp: FileStamp
    }

    struct FileIdentity: Hashable {
        var device: UInt64
        var inode: UInt64
    }

    /// One directory entry; a name that is not UTF-8 holds `PathBytes` stand-ins for its raw bytes.
    struct Entry {
        var name: String
        var rawName: [UInt8]
        /// From `d_type` when the file system reports it; nil means "ask stat".
        var isDirectoryHint: Bool?
    }

    static func status(_ path: String) -> Result<Status, SystemError> {
        var info = stat()
        guard PathBytes.withCString(path, { stat($0, &info) }) == 0 else { return .failure(SystemError(code: errno)) }
        return .success(Status(info))
    }

    /// What `lstat(2)` says: a symbolic link is described itself, not followed.
    static func linkStatus(_ path: String) -> Result<Status, SystemError> {
        var info = stat()
        guard PathBytes.withCString(path, { lstat($0, &info) }) == 0 else { return .failure(SystemError(code: errno)) }
        return .success(Status(info))
    }

    static func status(fd: Int32) -> Result<Status, SystemError> {
        var info = stat()
        guard fstat(fd, &info) == 0 else { return .failure(SystemError(code: errno)) }
        return .success(Status(info))
    }

    /// nil when the calling process may read `path`, else the errno from `access(2)`.
    static func readabilityError(_ path: String) -> Int32? {
        PathBytes.withCString(path) { access($0, R_OK) } == 0 ? nil : errno
    }

    static func directoryEntries(_ path: String) -> Result<[Entry], SystemError> {
        guard let dir = PathBytes.withCString(path, { opendir($0) }) else { return .failure(SystemError(code: errno)) }
        defer { closedir(dir) }
        var entries: [Entry] = []
        while let entry = readdir(dir) {
            let raw: [UInt8] = withUnsafeBytes(of: &entry.pointee.d_name) { bytes in
                Array(bytes.prefix { $0 != 0 })
            }
            if raw == [0x2E] || raw == [0x2E, 0x2E] { continue }
            let type = Int32(entry.pointee.d_type)
            let hint: Bool? = type == Int32(DT_DIR) ? true : type == Int32(DT_REG) ? false : nil
            entries.append(Entry(name: PathBytes.string(raw), rawName: raw, isDirectoryHint: hint))
        }
        return .success(entries)
    }

    static func currentDirectory() -> String? {
        guard let pointer = getcwd(nil, 0) else { return nil }
        defer { free(pointer) }
        return String(cString: pointer)
    }

    static func openForReading(_ path: String) -> Result<Int32, SystemError> {
        if OpenCounter.isCounting { OpenCounter.count(path) }
        let fd = PathBytes.withCString(path) { open($0, O_RDONLY | O_CLOEXEC) }
        return fd >= 0 ? .success(fd) : .failure(SystemError(code: errno))
    }

    static func closeFile(_ fd: Int32) { _ = close(fd) }

    static let standardInput: Int32 = 0

    static func message(for code: Int32) -> String {
        guard let text = strerror(code) else { return "error \(code)" }
        return String(cString: text)
    }

    static let notFound = ENOENT
    static let permissionDenied = EACCES
    static let isDirectory = EISDIR

    /// `readAll`'s failure when the input holds more than its limit.
    static let tooLarge = EFBIG

    /// Reads `fd` to end of file into one array. `sizeHint` (bytes, e.g. from fstat) sizes the first
    /// read so a regular file is read without regrowing; pipes grow geometrically. More than `limit` bytes
    /// (an endless device such as `/dev/zero`, a huge pipe) fails with `tooLarge` once the limit is passed.
    static func readAll(fd: Int32, sizeHint: Int, limit: Int = .max) -> Result<[UInt8], SystemError> {
        if sizeHint > limit { return .failure(SystemError(code: tooLarge)) }
        var capacity = sizeHint > 0 ? sizeHint + 1 : 1 << 16
        var outcome = (count: 0, atEnd: false, error: Int32(0))
        var buffer = [UInt8](unsafeUninitializedCapacity: capacity) { storage, initialized in
            outcome = fill(fd, storage.baseAddress!, capacity)
            initialized = outcome.count
        }
        while outcome.error == 0 && !outcome.atEnd {
            if buffer.count > limit { return .failure(SystemError(code: tooLarge)) }
            let old = buffer.count
            let extra = min(capacity, max(1, limit - old + 1))
            buffer.append(contentsOf: repeatElement(0, count: extra))
            outcome = buffer.withUnsafeMutableBufferPointer { storage in
                fill(fd, storage.baseAddress! + old, extra)
            }
            buffer.removeLast(extra - outcome.count)
            capacity += extra
        }
        if buffer.count > limit { return .failure(SystemError(code: tooLarge)) }
        return outcome.error == 0 ? .success(buffer) : .failure(SystemError(code: outcome.error))
    }

    /// Reads up to `buffer.count` bytes into `buffer` (fewer only at end of file); 0 means end of file.
    static func readSome(fd: Int32, into buffer: UnsafeMutableBufferPointer<UInt8>) -> Result<Int, SystemError> {
        guard let base = buffer.baseAddress, !buffer.isEmpty else { return .success(0) }
        let outcome = fill(fd, base, buffer.count)
        return outcome.error == 0 ? .success(outcome.count) : .failure(SystemError(code: outcome.error))
    }

    /// Reads into `base` until `capacity` bytes, end of file, or an error (EINTR retried).
    private static func fill(_ fd: Int32, _ base: UnsafeMutablePointer<UInt8>, _ capacity: Int)
        -> (count: Int, atEnd: Bool, error: Int32)
    {
        var count = 0
        while count < capacity {
            let n = read(fd, base + count, capacity - count)
            if n > 0 {
                count += n
            } else if n == 0 {
                return (count, true, 0)
            } else if errno != EINTR {
                return (count, false, errno)
            }
        }
        return (count, false, 0)
    }
}

extension FileSystem.Status {
    fileprivate init(_ info: stat) {
        let type = info.st_mode & mode_t(S_IFMT)
        isDirectory = type == mode_t(S_IFDIR)
        isRegularFile = type == mode_t(S_IFREG)
        isSymbolicLink = type == mode_t(S_IFLNK)
        identity = FileSystem.FileIdentity(device: UInt64(truncatingIfNeeded: info.st_dev),
                                           inode: UInt64(truncatingIfNeeded: info.st_ino))
        size = Int(info.st_size)
        stamp = FileStamp(device: identity.device, inode: identity.inode, size: size,
                          modifiedSeconds: Int(info.st_mtim.tv_sec), modifiedNanoseconds: Int(info.st_mtim.tv_nsec))
    }
}

/// What a file was when it was read: device, inode, size and modification time. A file whose stamp differs
/// when a fix is about to replace it was changed (or replaced) in between, and is left alone.
package struct FileStamp: Hashable, Sendable {
    package var device: UInt64
    package var inode: UInt64
    package var size: Int
    package var modifiedSeconds: Int
    package var modifiedNanoseconds: Int

    package init(device: UInt64, inode: UInt64, size: Int, modifiedSeconds: Int, modifiedNanoseconds: Int) {
        self.device = device
        self.inode = inode
        self.size = size
        self.modifiedSeconds = modifiedSeconds
        self.modifiedNanoseconds = modifiedNanoseconds
    }

    /// The stamp of what `path` names now (symbolic links followed), or nil when it cannot be examined.
    package static func of(path: String) -> FileStamp? {
        guard case .success(let status) = FileSystem.status(path), status.isRegularFile else { return nil }
        return status.stamp
    }
}

/// Small file-system questions and reads for callers outside the module (the configuration files, the baseline).
package enum FileProbe {
    /// Whether `path` names a regular file (links followed).
    package static func isRegularFile(_ path: String) -> Bool {
        if case .success(let s) = FileSystem.status(path) { return s.isRegularFile }
        return false
    }

    /// Whether anything exists at `path` (a `.git` directory or file).
    package static func exists(_ path: String) -> Bool {
        if case .success = FileSystem.linkStatus(path) { return true }
        return false
    }

    /// The whole of a small file, at most `limit` bytes; the failure as a message.
    package static func read(_ path: String, limit: Int) -> Result<[UInt8], InputError> {
        switch FileSystem.openForReading(path) {
        case .failure(let e): return .failure(.from(errno: e.code, path: path))
        case .success(let fd):
            defer { FileSystem.closeFile(fd) }
            switch FileSystem.readAll(fd: fd, sizeHint: 4096, limit: limit) {
            case .success(let bytes): return .success(bytes)
            case .failure(let e): return .failure(.from(errno: e.code, path: path))
            }
        }
    }

    /// The process's current directory ("/" when it cannot be known).
    package static var currentDirectory: String { FileSystem.currentDirectory() ?? "/" }
}
