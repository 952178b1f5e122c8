/// What an input holds and whether it is gzip-wrapped.
public struct InputKind: Sendable, Hashable, CustomStringConvertible {
    /// The document format inside any compression.
    public enum Format: String, Sendable, Hashable, CaseIterable {
        /// One JSON document (a `{"Records":[…]}` log file, a digest, a single record, …).
        case json
        /// One JSON value per line (`.jsonl`, `.ndjson`).
        case jsonLines = "jsonl"
        /// Markdown with fenced JSON blocks.
        case markdown

        /// Parses an `--input-format` argument: `json`, `jsonl` (also `jsonlines`, `ndjson`),
        /// `markdown` (also `md`). ASCII case-insensitive.
        public init?(argument: String) {
            switch argument.lowercased() {
            case "json": self = .json
            case "jsonl", "jsonlines", "json-lines", "ndjson": self = .jsonLines
            case "markdown", "md": self = .markdown
            default: return nil
            }
        }
    }

    public var format: Format
    /// Whether the bytes are (or, before reading, are expected to be) gzip-compressed.
    public var isGzipped: Bool

    public init(format: Format, isGzipped: Bool = false) {
        self.format = format
        self.isGzipped = isGzipped
    }

    public static let json = InputKind(format: .json)
    public static let jsonLines = InputKind(format: .jsonLines)
    public static let markdown = InputKind(format: .markdown)

    /// The kind a file name announces, or nil when its extension is not one we know.
    ///
    /// Known (ASCII case-insensitive): `.json`, `.jsonl`, `.ndjson`, `.md`, `.markdown`, each optionally
    /// followed by `.gz`, and a bare `.gz` (taken as gzip-wrapped JSON).
    public init?(fileName: String) {
        var name = Substring(fileName)
        if let slash = name.lastIndex(of: "/") { name = name[name.index(after: slash)...] }
        let lower = name.lowercased()
        var stem = Substring(lower)
        var gzipped = false
        if stem.hasSuffix(".gz") {
            gzipped = true
            stem = stem.dropLast(3)
        }
        if stem.hasSuffix(".json") {
            self.init(format: .json, isGzipped: gzipped)
        } else if stem.hasSuffix(".jsonl") || stem.hasSuffix(".ndjson") {
            self.init(format: .jsonLines, isGzipped: gzipped)
        } else if stem.hasSuffix(".md") || stem.hasSuffix(".markdown") {
            self.init(format: .markdown, isGzipped: gzipped)
        } else if gzipped && !stem.isEmpty {
            self.init(format: .json, isGzipped: true)
        } else {
            return nil
        }
    }

    /// The kind for a named input: `override` decides the format when given, else the name
    /// (JSON when the name says nothing). Compression still follows the name; the content decides
    /// at read time (see `InputKind.sniffed(content:)`).
    public static func detect(fileName: String, override: Format? = nil) -> InputKind {
        var kind = InputKind(fileName: fileName) ?? InputKind(format: .json)
        if let override { kind.format = override }
        return kind
    }

    /// This kind with `isGzipped` set from the content's magic bytes, whatever the name said.
    public func sniffed(content: some Collection<UInt8>) -> InputKind {
        InputKind(format: format, isGzipped: Gzip.isGzip(content))
    }

    /// Whether a directory walk takes a file of this name: `*.json`, `*.json.gz`, `*.jsonl`,
    /// `*.jsonl.gz`, `*.ndjson`, `*.ndjson.gz`, `*.md`, `*.markdown` (ASCII case-insensitive).
    public static func isCollectedInDirectories(fileName: String) -> Bool {
        guard let kind = InputKind(fileName: fileName) else { return false }
        let lower = fileName.lowercased()
        switch kind.format {
        case .json: return lower.hasSuffix(".json") || lower.hasSuffix(".json.gz")
        case .jsonLines: return true
        case .markdown: return !kind.isGzipped
        }
    }

    public var description: String { isGzipped ? "\(format.rawValue)+gzip" : format.rawValue }
}
