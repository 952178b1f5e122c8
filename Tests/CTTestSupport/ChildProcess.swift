#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// Runs the tool's own executable in a child process and measures that child alone: a peak RSS read in the test
/// process would count every test running beside it.
public enum ChildProcess {
    /// The debug build of `cloudtrail-lint` that `swift test` builds next to the tests, or nil when it is absent.
    public static var toolPath: String? {
        let path = SharedCorpus.repositoryRoot.appendingPathComponent(".build/debug/cloudtrail-lint").path
        return FileManager.default.isExecutableFile(atPath: path) ? path : nil
    }

    /// Runs `executable` with `arguments` (standard output and error discarded); its exit status and peak resident
    /// memory in bytes, or nil when it could not be started.
    public static func run(_ executable: String, _ arguments: [String]) -> (status: Int32, peakRSS: Int)? {
        var actions: posix_spawn_file_actions_t = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        defer { for p in argv { free(p) } }
        var pid: pid_t = 0
        guard posix_spawn(&pid, executable, &actions, nil, argv, environ) == 0 else { return nil }
        var status: Int32 = 0
        var usage = rusage()
        while wait4(pid, &status, 0, &usage) < 0 {
            guard errno == EINTR else { return nil }
        }
        // ru_maxrss is in kilobytes on Linux.
        return ((status >> 8) & 0xFF, Int(usage.ru_maxrss) * 1024)
    }
}
