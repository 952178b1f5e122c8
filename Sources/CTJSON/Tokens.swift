import CTCore

/// A lexical piece of the input: tokens and trivia together tile the source exactly.
public struct Token: Hashable, Sendable {
    public enum Kind: UInt8, Sendable {
        case punctuation, string, number, literal, invalid
        case whitespace, comment, byteOrderMark
        /// Bytes recovery skipped (stray characters, placeholders).
        case skipped
        public var isTrivia: Bool { self == .whitespace || self == .comment || self == .byteOrderMark }
    }
    public var kind: Kind
    /// Byte range in the source.
    public var range: TextRange
}

extension SyntaxTree {
    /// Every byte of the source as tokens and trivia, in order. Leaf values come from the tree's nodes;
    /// the bytes between them are classified as punctuation, whitespace, comments or skipped bytes.
    /// Concatenating `source[token.range]` for all tokens gives back `source`.
    public func tokens() -> [Token] {
        var out: [Token] = []
        var cursor = 0
        func gap(to end: Int) {
            var i = cursor
            while i < end {
                let b = source[i]
                let start = i
                let kind: Token.Kind
                if i == 0 && end >= 3 && source[0] == 0xEF && source[1] == 0xBB && source[2] == 0xBF {
                    i = 3; kind = .byteOrderMark
                } else if b.isJSONWhitespace {
                    while i < end && source[i].isJSONWhitespace { i += 1 }
                    kind = .whitespace
                } else if b == .openBrace || b == .closeBrace || b == .openBracket || b == .closeBracket
                            || b == .colon || b == .comma {
                    i += 1; kind = .punctuation
                } else if b == .slash && i + 1 < end && source[i + 1] == .star {
                    i += 2
                    while i < end && !(source[i - 1] == .star && source[i] == .slash && i - 2 >= start + 1) { i += 1 }
                    i = min(end, i + 1); kind = .comment
                } else if b == .hash || (b == .slash && i + 1 < end && source[i + 1] == .slash) {
                    while i < end && source[i] != .lf && source[i] != .cr { i += 1 }
                    kind = .comment
                } else {
                    while i < end && !source[i].isJSONWhitespace && source[i] != .comma && source[i] != .closeBrace
                            && source[i] != .closeBracket && source[i] != .openBrace && source[i] != .openBracket
                            && source[i] != .colon { i += 1 }
                    if i == start { i += 1 }
                    kind = .skipped
                }
                out.append(Token(kind: kind, range: TextRange(start: start, end: i)))
            }
            cursor = end
        }
        for node in nodes {
            let s = Int(node.start), e = Int(node.end)
            switch node.kind {
            case .object, .array, .missing: continue
            default: break
            }
            if s < cursor { continue }
            gap(to: s)
            let kind: Token.Kind = switch node.kind {
            case .string: .string
            case .number: .number
            case .true, .false, .null: .literal
            default: .invalid
            }
            out.append(Token(kind: kind, range: node.range))
            cursor = e
        }
        gap(to: source.count)
        return out
    }

    /// The source rebuilt from `tokens()`; equals `source` byte for byte.
    public func printed() -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(source.count)
        for t in tokens() { out.append(contentsOf: source[t.range.start..<t.range.end]) }
        return out
    }
}
