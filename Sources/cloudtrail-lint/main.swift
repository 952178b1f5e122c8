import CTLint
#if canImport(Glibc)
import Glibc
#endif

// A closed pipe (e.g. `| head`) must not kill the process with SIGPIPE.
signal(SIGPIPE, SIG_IGN)
// `buildCommit` is in BuildInfo.swift, generated on every build by BuildInfoPlugin from `git rev-parse`.
exit(CLI.run(CLI.processArguments, console: ProcessConsole(), commit: buildCommit))
