import CTCore

/// Input rule `text-encoding`: a UTF-16 or UTF-32 document. Reported by the linter before any parsing.
package enum TextEncodingRule {
    package static let metadata = RuleMetadata(
        id: .textEncoding,
        category: .input,
        summary: "A document in UTF-16 or UTF-32 instead of UTF-8",
        rationale: "RFC 8259 requires UTF-8 for JSON exchanged between systems, and CloudTrail writes UTF-8. A file saved as UTF-16 or UTF-32 (by PowerShell's `Out-File`, or a Windows editor) is read by other tools as NUL bytes between the characters, so it is reported once instead of as hundreds of syntax errors. The encoding is recognised by its byte-order mark, or by the pattern of NUL bytes in its first four bytes.",
        defaultSeverity: .error,
        fixability: .sometimes,
        fixNote: "Unsafe: the whole file is transcoded to UTF-8 (without a byte-order mark), keeping every character; a program that expects the old encoding will no longer read it. Not offered when the text is not valid in its encoding (an unpaired surrogate, a cut code unit).")
}
