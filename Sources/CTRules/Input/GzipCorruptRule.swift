import CTCore

/// Input rule `gzip-corrupt`: a gzip input that is truncated, corrupt, or decompresses past the size limit.
package enum GzipCorruptRule {
    package static let metadata = RuleMetadata(
        id: .gzipCorrupt,
        category: .input,
        summary: "A gzip input that is truncated, corrupt or larger than the decompression limit",
        rationale: "A log file cut off during download, or a damaged archive, cannot be checked. A tiny file that inflates to gigabytes (a gzip bomb) stops at the limit of `--max-decompressed-size` (default 1 GiB) instead of exhausting memory. The other inputs are still checked, and the run exits with status 2.",
        defaultSeverity: .error)
}
