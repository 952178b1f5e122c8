/// Usage text.
enum Help {
    static let main = """
    cloudtrail-lint: validate, lint and repair AWS CloudTrail logs

    USAGE
      cloudtrail-lint [check] [OPTIONS] PATH...      check files, directories, or `-` (stdin)
      cloudtrail-lint fix [OPTIONS] PATH...          apply fixes in place
      cloudtrail-lint format [OPTIONS] PATH...       rewrite in canonical layout
      cloudtrail-lint verify [OPTIONS] DIR...        verify a bucket copy against its digest files
      cloudtrail-lint rules [--format text|json|markdown]
      cloudtrail-lint explain RULE
      cloudtrail-lint schema [VERSION] | --list
      cloudtrail-lint completions bash|zsh|fish      print a shell completion script
      cloudtrail-lint help [COMMAND]                 this help, or a command's (also COMMAND --help)

    CHECK OPTIONS
      --format FORMAT                   output format (default text): text, concise (no code frame),
                                        json, sarif, github (annotations), gitlab (Code Quality), junit
      --color auto|always|never         colour text output (auto honours NO_COLOR and terminals)
      --show-source / --no-show-source  code frame under each finding (default: on a terminal), cut to
                                        the terminal's width (120 columns off a terminal)
      --quiet, -q                       no summary line (nor progress line) on stderr
      --no-progress                     no progress line: on a terminal, a run that takes over a second
                                        shows files done, bytes, MB/s and time on stderr (also for fix
                                        and format)
      --strict                          warnings fail the run too
      --syntax-only                     only JSON syntax rules, no CloudTrail checks
      --select RULES / --ignore RULES   comma-separated rule ids, id prefixes or categories
                                        (syntax, schema, semantic, input)
      --input-format json|jsonl|markdown  read every input as this format
      --jobs N, -j N                    worker threads (default: one per core)
      --max-decompressed-size SIZE      limit for one document read whole (gzip output, stdin,
                                        a file, a JSON Lines line), e.g. 512M (default 1G); also for fix and format
      --max-findings-per-file N         findings shown per file (default 10000, 0: all); the rest
                                        are counted in the summary and the exit status
      --exit-zero                       exit 0 whatever the findings (2 still when an input is unreadable)
      --max-warnings N                  exit 1 when there are more than N warnings
      --statistics                      print a count per rule (severity, how many fixable) instead of
                                        the findings, most frequent first (text or json)
      --output-file FILE                write the report to FILE (atomically); the summary stays on stderr
      --exclude GLOB                    directory walks pass over matching entries (repeatable; replaces
                                        the defaults node_modules, __pypackages__, site-packages, buck-out,
                                        bower_components); a glob without `/` matches names, one with `/`
                                        paths as shown; a file named as an operand is always checked
      --extend-exclude GLOB             the same, added to the defaults (also for fix and format)
      --no-respect-gitignore            also walk what git ignores (.gitignore files, .git/info/exclude,
                                        the global excludes file); named files are checked either way
      --stdin-filename NAME             report `-` under NAME, detect its format from NAME and run the
                                        file-name checks on NAME (also for fix and format)
      --config PATH                     the configuration file to use (default: the nearest
                                        .cloudtrail-lint.json above each input, up to a .git directory)
      --no-config                       ignore configuration files
      --force-exclude                   files named as operands are excluded as walked ones are (for hooks)
      --show-settings PATH              print the settings for PATH and the file they come from
      --non-cloudtrail skip|syntax|check  JSON that holds no CloudTrail record (default skip: passed over
                                        when it parses with comments and trailing commas allowed)
      --baseline FILE                   hide the findings FILE holds; say how many of its entries are fixed
      --write-baseline FILE             write every finding of the run to FILE (sorted, one per line)
      --follow-symlinks                 directory walks follow symbolic links (default: skipped)
      --verbose, -v                     say what directory walks skipped (links, FIFOs, devices)
      --help, -h / --version, -V

    FIX AND FORMAT OPTIONS
      --unsafe-fixes                    also apply unsafe fixes (fix)
      --diff                            print a unified diff, write nothing
      --check                           write nothing; exit 1 if something would change
      --indent N / --compact            layout for format (default: detected indent)

    Directories are searched recursively (sorted, hidden entries skipped) for *.json, *.json.gz,
    *.jsonl, *.ndjson and Markdown files; symbolic links and anything but regular files are skipped
    there. An operand is read as named (a link is followed, a FIFO is read as a stream). Markdown is read as fenced JSON blocks; a block after
    `<!-- cloudtrail-lint-disable-next-block -->` is skipped, and after
    `<!-- cloudtrail-lint-disable-next-block RULE, RULE -->` only those rules are suppressed in it.
    Configuration keys: select, ignore, severity, exclude, respect-gitignore, input-format, strict,
    unsafe-fixes, non-cloudtrail, overrides, suppress, baseline, write-baseline (see the README).

    EXIT STATUS
      0  no error-level finding (warnings allowed unless --strict)
      1  findings
      2  usage error, or an input could not be read (other inputs are still checked)

    """
}
