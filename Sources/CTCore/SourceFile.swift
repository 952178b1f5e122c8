/// Where a document's bytes came from.
package struct SourceFile: Sendable {
    /// Name used in reports: a relative path, `<stdin>`, or `file.md` for embedded blocks.
    package var displayName: String
    /// The raw bytes, as read (after decompression).
    package var bytes: [UInt8]

    package init(displayName: String, bytes: [UInt8]) {
        self.displayName = displayName
        self.bytes = bytes
    }
}
