/// Where a document's bytes came from.
public struct SourceFile: Sendable {
    /// Name used in reports: a relative path, `<stdin>`, or `file.md` for embedded blocks.
    public var displayName: String
    /// The raw bytes, as read (after decompression).
    public var bytes: [UInt8]

    public init(displayName: String, bytes: [UInt8]) {
        self.displayName = displayName
        self.bytes = bytes
    }
}
