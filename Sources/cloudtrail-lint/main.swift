import CTLint
#if canImport(Glibc)
import Glibc
#endif

// A closed pipe (e.g. `| head`) must not kill the process with SIGPIPE.
signal(SIGPIPE, SIG_IGN)
exit(CLI.run(CLI.processArguments, console: ProcessConsole()))
