/// What an input holds and whether it is gzip-wrapped.
package struct InputKind: Sendable, Hashable, CustomStringConvertible {
    /// The document format inside any compression.
    package enum Format: String, Sendable, Hashable, CaseIterable {
        /// One JSON document (a `{"Records":[…]}` log file, a digest, a single record, …).
        case json
        /// One JSON value per line (`.jsonl`, `.ndjson`).
        case jsonLines = "jsonl"
        /// Markdown with fenced JSON blocks.
        case markdown

        /// Parses an `--input-format` argument: `json`, `jsonl` (also `jsonlines`, `ndjson`),
        /// `markdown` (also `md`). ASCII case-insensitive.
        package init?(argument: String) {
            switch argument.lowercased() {
            case "json": self = .json
            case "jsonl", "jsonlines", "json-lines", "ndjson": self = .jsonLines
            case "markdown", "md": self = .markdown
            default: return nil
            }
        }
    }

    package var format: Format
    /// Whether the bytes are (or, before reading, are expected to be) gzip-compressed.
    package var isGzipped: Bool
    /// True when neither the name nor `--input-format` announced the format: `format` is JSON until the
    /// content says otherwise (see `refined(content:)`).
    package var formatFromContent: Bool

    package init(format: Format, isGzipped: Bool = false, formatFromContent: Bool = false) {
        self.format = format
        self.isGzipped = isGzipped
        self.formatFromContent = formatFromContent
    }

    package static let json = InputKind(format: .json)
    package static let jsonLines = InputKind(format: .jsonLines)
    package static let markdown = InputKind(format: .markdown)

    /// The kind a file name announces, or nil when its extension is not one we know.
    ///
    /// Known (ASCII case-insensitive): `.json`, `.jsonl`, `.ndjson`, `.md`, `.markdown`, each optionally
    /// followed by `.gz`, and a bare `.gz` (taken as gzip-wrapped JSON).
    package init?(fileName: String) {
        guard let (format, gzipped) = InputKind.classify(fileName) else { return nil }
        self.init(format: format, isGzipped: gzipped)
    }

    static func classify(_ fileName: String) -> (format: Format, gzipped: Bool)? {
        classifyName(fileName).map { ($0.format, $0.gzipped) }
    }

    /// The format announced by the last path component's suffix, compared in ASCII lowercase on the UTF-8 bytes
    /// (`Character`-level `lowercased()` and `hasSuffix` were paid twice for each of a day's 2,000 files, on
    /// the main thread before any checking starts, callgrind), and whether the name ends in `.json` or
    /// `.json.gz` exactly (for directory collection).
    private static func classifyName(_ fileName: String) -> (format: Format, gzipped: Bool, plainJSON: Bool, announced: Bool)? {
        var name = Array(fileName.utf8)[...]
        if let slash = name.lastIndex(of: 0x2F) { name = name[(slash + 1)...] }
        func hasSuffix(_ s: ArraySlice<UInt8>, _ suffix: StaticString) -> Bool {
            let n = suffix.utf8CodeUnitCount
            guard s.count >= n else { return false }
            return suffix.withUTF8Buffer { suf in
                zip(s.suffix(n), suf).allSatisfy { a, b in (a >= 0x41 && a <= 0x5A ? a | 0x20 : a) == b }
            }
        }
        var stem = name
        var gzipped = false
        if hasSuffix(stem, ".gz") {
            gzipped = true
            stem = stem.dropLast(3)
        }
        if hasSuffix(stem, ".json") { return (.json, gzipped, true, true) }
        if hasSuffix(stem, ".jsonl") || hasSuffix(stem, ".ndjson") { return (.jsonLines, gzipped, false, true) }
        if hasSuffix(stem, ".md") || hasSuffix(stem, ".markdown") { return (.markdown, gzipped, false, true) }
        // A bare `.gz` says how the bytes are packed, not what they hold.
        if gzipped && !stem.isEmpty { return (.json, true, false, false) }
        return nil
    }

    /// The kind for a named input: `override` decides the format when given, else the name
    /// (JSON when the name says nothing). Compression still follows the name; the content decides
    /// at read time (see `InputKind.sniffed(content:)`).
    package static func detect(fileName: String, override: Format? = nil) -> InputKind {
        var kind = classifyName(fileName).map { InputKind(format: $0.format, isGzipped: $0.gzipped, formatFromContent: !$0.announced) }
            ?? InputKind(format: .json, formatFromContent: true)
        if let override {
            kind.format = override
            kind.formatFromContent = false
        }
        return kind
    }

    /// This kind with `isGzipped` set from the content's magic bytes, whatever the name said.
    package func sniffed(content: some Collection<UInt8>) -> InputKind {
        InputKind(format: format, isGzipped: Gzip.isGzip(content), formatFromContent: formatFromContent)
    }

    /// This kind with the format decided by the (decompressed) content when nothing announced it: Markdown
    /// when the text does not start with `{` or `[` (after a byte order mark and whitespace) and has a fenced
    /// code block (a line starting, after at most three spaces, with three backticks or tildes), such as
    /// a documentation page saved as `.txt`; JSON otherwise.
    package func refined(content: [UInt8]) -> InputKind {
        guard formatFromContent, format == .json, Self.looksLikeMarkdown(content) else { return self }
        return InputKind(format: .markdown, isGzipped: isGzipped)
    }

    static func looksLikeMarkdown(_ b: [UInt8]) -> Bool {
        var i = b.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
        while i < b.count, b[i] == 0x20 || b[i] == 0x09 || b[i] == 0x0A || b[i] == 0x0D { i += 1 }
        guard i < b.count, b[i] != UInt8(ascii: "{"), b[i] != UInt8(ascii: "[") else { return false }
        var lineStart = 0
        while lineStart < b.count {
            var j = lineStart
            while j < b.count, j - lineStart < 3, b[j] == 0x20 { j += 1 }
            if j + 2 < b.count, b[j] == b[j + 1], b[j] == b[j + 2], b[j] == UInt8(ascii: "`") || b[j] == UInt8(ascii: "~") {
                return true
            }
            guard let newline = b[j...].firstIndex(of: 0x0A) else { break }
            lineStart = newline + 1
        }
        return false
    }

    /// Whether a directory walk takes a file of this name: `*.json`, `*.json.gz`, `*.jsonl`,
    /// `*.jsonl.gz`, `*.ndjson`, `*.ndjson.gz`, `*.md`, `*.markdown` (ASCII case-insensitive).
    package static func isCollectedInDirectories(fileName: String) -> Bool {
        guard let found = classifyName(fileName) else { return false }
        switch found.format {
        case .json: return found.plainJSON
        case .jsonLines: return true
        case .markdown: return !found.gzipped
        }
    }

    package var description: String { isGzipped ? "\(format.rawValue)+gzip" : format.rawValue }
}
