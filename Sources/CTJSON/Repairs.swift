import CTCore

/// Recognisers for the damage found in documentation samples (issue "Repair documentation samples"): Markdown and
/// HTML left in a block, prose between members, Python and Ruby spellings, quotes lost next to a colon, bare dates,
/// braces around a bare value, and filter patterns that are not JSON at all. Each looks at bytes only and answers
/// where the construct ends (or nil); the parser's state machine decides what to report. None of them runs on a
/// strict document: they are reached only where the parser has already left its fast path.
extension ParserState {
    // MARK: Lines

    /// The offset of the line break (or the input's end) at or after `i`.
    func lineEnd(from i: Int) -> Int {
        var q = i
        while q < n && c[q] != .lf && c[q] != .cr { q += 1 }
        return q
    }

    /// True when only spaces and tabs stand between `i` and the end of its line.
    func restOfLineIsBlank(from i: Int) -> Bool {
        var q = i
        while q < n && (c[q] == .space || c[q] == .tab) { q += 1 }
        return q >= n || c[q] == .lf || c[q] == .cr
    }

    /// True when only spaces and tabs stand between the start of `i`'s line and `i`.
    func lineIsBlank(before i: Int) -> Bool {
        var q = i
        while q > 0 && (c[q - 1] == .space || c[q - 1] == .tab) { q -= 1 }
        return q == 0 || c[q - 1] == .lf || c[q - 1] == .cr
    }

    /// The first byte after spaces and tabs from `i` (0 at the end of the input).
    func nextOnLine(_ i: Int) -> (byte: UInt8, at: Int) {
        var q = i
        while q < n && (c[q] == .space || c[q] == .tab) { q += 1 }
        return (c[q], q)
    }

    /// True when a value can end before `i`: only spaces, then `,`, `}`, `]`, a line break or the end.
    func endsValue(at i: Int) -> Bool {
        let (b, q) = nextOnLine(i)
        return q >= n || b == .comma || b == .closeBrace || b == .closeBracket || b == .lf || b == .cr
    }

    // MARK: Filter patterns

    /// A CloudWatch Logs filter pattern (`{ ($.eventName = "ConsoleLogin") && … }`) starting at `p`: `{` then a
    /// selector (`$.` or `(`…`$.`), and a comparison somewhere after it. Such a block is not JSON and is not repaired.
    func isFilterPattern(at i: Int) -> Bool {
        guard c[i] == .openBrace else { return false }
        var q = i + 1
        while q < n && (c[q].isJSONWhitespace || c[q] == UInt8(ascii: "(")) { q += 1 }
        guard c[q] == UInt8(ascii: "$"), c[q + 1] == .dot || c[q + 1] == .openBracket else { return false }
        // A comparison operator outside strings: `=`, `!=`, `>`, `<`, or the keywords of `IS`/`NOT EXISTS`.
        var k = q + 2
        var inString = false
        while k < n {
            let b = c[k]
            if b == .quote { inString.toggle() } else if b == .backslash && inString { k += 1 }
            else if !inString && (b == UInt8(ascii: "=") || b == .greaterThan || b == .lessThan) { return true }
            else if !inString && b == UInt8(ascii: "I") && c[k + 1] == UInt8(ascii: "S") && c[k - 1] == .space { return true }
            else if !inString && b == UInt8(ascii: "E") && c[k + 1] == UInt8(ascii: "X") && c[k + 2] == UInt8(ascii: "I") { return true }
            k += 1
        }
        return false
    }

    // MARK: Markup

    /// What markup starts at `i`, and where it ends: a Markdown image, an HTML tag around a value, or a numbered
    /// callout at the end (or start) of a line.
    func markupEnd(at i: Int) -> (end: Int, what: String)? {
        let b = c[i]
        if b == UInt8(ascii: "!") && c[i + 1] == .openBracket {
            // `![alt](target)` on one line (each part at most 500 bytes, so `![![![…` is not read to the line's end
            // once per `!`).
            var q = i + 2
            while q < n && q < i + 500 && c[q] != .closeBracket && c[q] != .lf && c[q] != .cr { q += 1 }
            guard c[q] == .closeBracket, c[q + 1] == UInt8(ascii: "(") else { return nil }
            q += 2
            let limit = q + 500
            while q < n && q < limit && c[q] != UInt8(ascii: ")") && c[q] != .lf && c[q] != .cr { q += 1 }
            guard c[q] == UInt8(ascii: ")") else { return nil }
            return (q + 1, "Markdown image")
        }
        if b == UInt8(ascii: "(") || b == .lessThan {
            // `(1)` or `<1>`: a numbered callout, alone at a line's end or start.
            let close = b == .lessThan ? UInt8.greaterThan : UInt8(ascii: ")")
            var q = i + 1
            while q < n && c[q].isDigit && q < i + 3 { q += 1 }
            if q > i + 1 && c[q] == close && (restOfLineIsBlank(from: q + 1) || lineIsBlank(before: i)) {
                return (q + 1, "numbered callout")
            }
        }
        if b == .lessThan {
            // `<b>`, `</b>`, `<br/>`, `<code>`…: an HTML tag of emphasis or layout.
            var q = i + 1
            let closing = c[q] == .slash
            if closing { q += 1 }
            let nameStart = q
            while q < n && c[q].isASCIILetter { q += 1 }
            let name = String(decoding: (nameStart..<q).map { c[$0] | 0x20 }, as: UTF8.self)
            guard Self.markupTags.contains(name) else { return nil }
            // Attributes (`<span class="x">`) up to `>` on the same line.
            let limit = q + 500
            while q < n && q < limit && c[q] != .greaterThan && c[q] != .lf && c[q] != .cr && c[q] != .lessThan { q += 1 }
            guard c[q] == .greaterThan else { return nil }
            q += 1
            // An opening tag counts only when it wraps something (`"eventName": <code>,` is a placeholder).
            if !closing && name != "br" {
                let (next, _) = nextOnLine(q)
                guard next == .quote || next == .apostrophe || next.isDigit || next == .minus || next.isASCIILetter
                    || next == .openBrace || next == .openBracket || next == .lessThan else { return nil }
            }
            return (q, "HTML tag")
        }
        // A circled number (①–⑳, U+2460–U+2473) at the end of a line.
        if b == 0xE2 && c[i + 1] == 0x91 && c[i + 2] >= 0xA0 && c[i + 2] <= 0xB3 && restOfLineIsBlank(from: i + 3) {
            return (i + 3, "numbered callout")
        }
        return nil
    }

    static let markupTags: Set<String> = [
        "b", "i", "u", "s", "em", "strong", "code", "br", "span", "sup", "sub", "mark", "small", "kbd", "tt", "a",
        "font", "del", "ins", "strike", "var", "samp",
    ]

    // MARK: Stray text

    /// Prose where a member should be: words that are not a key (no `:` or `=>` after the first word), up to the
    /// next string, closer or line end. Nil when a key, a string, or structure starts at `i`.
    func strayTextEnd(at i: Int) -> Int? {
        let b = c[i]
        if b == .quote || b == .apostrophe || b == .openBrace || b == .openBracket || b == .closeBrace || b == .closeBracket
            || b == .comma || b == .colon || b.isJSONWhitespace || SmartQuote.width(c, i) > 0 { return nil }
        if b < 0x21 || b == 0x7F { return nil }
        if b >= 0x80 && utf8SequenceLength(c, i) == 0 { return nil }
        // Unicode spaces are `unexpected-character`'s (they get a plain space back).
        if b == 0xC2 && c[i + 1] == 0xA0 || b == 0xE2 && c[i + 1] == 0x80 && (c[i + 2] == 0x8B || c[i + 2] == 0xAF)
            || b == 0xEF && c[i + 1] == 0xBB { return nil }
        var q = i
        if b.isIdentifierByte {
            while q < n && c[q].isIdentifierByte { q += 1 }
            let (next, at) = nextOnLine(q)
            // A key: `name:` or `name =>`, or a Python/JS prefix of a string (`u'…'`).
            if next == .colon || next == UInt8(ascii: "=") && c[at + 1] == .greaterThan { return nil }
            if at == q && (next == .apostrophe || next == .quote) { return nil }
        }
        var last = q
        while q < n {
            let x = c[q]
            if x == .quote || x == .closeBrace || x == .closeBracket || x == .lf || x == .cr || SmartQuote.width(c, q) > 0 { break }
            if x == .slash && (c[q + 1] == .slash || c[q + 1] == .star) { break }
            // A comma that ends the line is the member list's, not the prose's.
            if x == .comma && restOfLineIsBlank(from: q + 1) { break }
            q += max(1, utf8SequenceLength(c, q))
            if !(x == .space || x == .tab) { last = q }
        }
        return last > i ? last : nil
    }

    // MARK: Strings that lost a quote

    /// `u'…'`, `b"…"`, `r'…'`, `rb'…'`: the width of a Python string prefix at `i` before a quote that closes on the
    /// same line, else 0.
    func stringPrefixWidth(at i: Int) -> Int {
        var q = i
        while q < i + 2 && "uUbBrR".utf8.contains(c[q]) { q += 1 }
        guard q > i, c[q] == .quote || c[q] == .apostrophe, !(i > 0 && c[i - 1].isIdentifierByte) else { return 0 }
        let quote = c[q]
        var k = q + 1
        while k < n && c[k] != quote && c[k] != .lf && c[k] != .cr { k += c[k] == .backslash ? 2 : 1 }
        guard k < n, c[k] == quote, endsValue(at: k + 1) || nextOnLine(k + 1).byte == .colon else { return 0 }
        return q - i
    }

    /// `arn:aws:iam::111122223333:user/Alice",`: a value that lost its opening quote. The first `"` on the line
    /// after `i` ends the value when only `,`, a closer or the line's end follow it; the offset after it, or nil.
    ///
    /// The scan's stop is kept: a later scan from inside the same stretch stops at the same byte, so a line of
    /// 200,000 bare words (`[word,word,…]`) is read once, not once per word (the torture case took over 20 s).
    mutating func closingQuoteOfBareString(from i: Int) -> Int? {
        var q: Int
        if i >= bareScan.start && i <= bareScan.stop {
            q = bareScan.stop
        } else {
            q = i
            while q < n && c[q] != .quote && c[q] != .lf && c[q] != .cr && c[q] != .openBrace && c[q] != .openBracket {
                q += 1
            }
            bareScan = (i, q)
        }
        guard q < n, c[q] == .quote, endsValue(at: q + 1) else { return nil }
        return q + 1
    }

    /// `eventSource": "s3…"`: a key that lost its opening quote: an identifier run, then `"` and `:`. The offset after
    /// the quote, or nil.
    func closingQuoteOfBareKey(from i: Int) -> Int? {
        var q = i
        while q < n && (c[q].isIdentifierByte || c[q] == .dot) { q += 1 }
        guard q > i, c[q] == .quote, nextOnLine(q + 1).byte == .colon else { return nil }
        return q + 1
    }

    /// `"eventName: "ListBuckets",` or `"eventTime: String,`: a key string that swallowed its colon because its
    /// closing quote is missing. Returns the colon's offset when the key node `k` (followed by no `:`) holds a name
    /// then `: ` (or ends with `:`), nil otherwise.
    func swallowedColon(inKey k: Int) -> Int? {
        let node = nodes[k]
        let start = Int(node.start), end = Int(node.end)
        guard node.kind == .string, c[start] == .quote else { return nil }
        let flags = StringFlags(rawValue: node.flags)
        let contentEnd = flags.contains(.unterminated) ? end : end - 1
        var q = start + 1
        while q < contentEnd && (c[q].isIdentifierByte || c[q] == .dot || c[q] == .space) { q += 1 }
        guard q > start + 1, q < contentEnd, c[q] == .colon else { return nil }
        let after = c[q + 1]
        guard q + 1 == contentEnd || after == .space || after == .tab else { return nil }
        return q
    }

    // MARK: Bare dates

    /// In a member's value, a `,` at `i` inside bare text continues it when more bare text follows on the line: not
    /// a quote, bracket or line end, and not a key (`name:`). In an array a comma always separates elements.
    func commaContinuesBareText(at i: Int) -> Bool {
        guard let top = stack.last, top.isObject else { return false }
        let (b, k) = nextOnLine(i + 1)
        if k >= n || b == .lf || b == .cr || b == .quote || b == .apostrophe || b == .openBrace || b == .openBracket
            || b == .closeBrace || b == .closeBracket || b == .comma || SmartQuote.width(c, k) > 0 { return false }
        var q = k
        while q < n && c[q].isIdentifierByte { q += 1 }
        if q > k && !c[k].isDigit {
            // `u'managementEvent'`: a prefixed string.
            if c[q] == .quote || c[q] == .apostrophe { return false }
            let (after, at) = nextOnLine(q)
            if after == .colon && (c[at + 1] == .space || c[at + 1] == .quote || c[at + 1] == .tab || c[at + 1] == .lf) { return false }
        }
        return true
    }

    /// A bare value starting with a digit that is a date, a time or a dotted address rather than a number
    /// (`2019-03-04T18:20:31Z`, `2020/01/15 12:00:00`, `10:06:27`, `192.0.2.01`): its end, or nil.
    func bareDateEnd(from i: Int) -> Int? {
        guard c[i].isDigit else { return nil }
        var q = i
        while c[q].isDigit { q += 1 }
        let separator = c[q]
        if separator == .dot {
            // Dotted: at least three dots (an address or a version), digits and dots only.
            var dots = 0, k = q
            while c[k].isDigit || c[k] == .dot { if c[k] == .dot { dots += 1 }; k += 1 }
            guard dots >= 2, endsValue(at: k) else { return nil }
            return k
        }
        guard separator == .minus || separator == .slash || separator == .colon, c[q + 1].isDigit else { return nil }
        return bareTextEnd(from: i)
    }

    /// The end of bare text in value position: words, digits and punctuation up to `"`, `{`, `[`, a closer or the
    /// line's end; a `,` ends it unless more bare text follows in a member's value (`Jun 21, 2018`, `Thu, 04 May`,
    /// `1/3/2023, 9:00:00 AM`); a `:` continues it unless a space follows (`10:06:27`, `arn:aws:…`). Trailing
    /// spaces are not part of it.
    func bareTextEnd(from i: Int) -> Int {
        var q = i, last = i
        while q < n {
            let b = c[q]
            if b == .closeBrace || b == .closeBracket || b == .lf || b == .cr || b == .quote || b == .openBrace
                || b == .openBracket || b == .hash { break }
            if b == .slash && (c[q + 1] == .slash || c[q + 1] == .star) { break }
            if b == .colon && (c[q + 1] == .space || c[q + 1] == .tab || c[q + 1] == .lf || c[q + 1] == .cr || c[q + 1] == .quote) { break }
            if b == .comma && !commaContinuesBareText(at: q) { break }
            q += max(1, utf8SequenceLength(c, q))
            if !(b == .space || b == .tab) { last = q }
        }
        return last
    }
}

extension ParserState {
    /// The bytes of `r` as a JSON string literal: `"` and `\` escaped, control characters as `\u00XX`.
    func quoted(_ r: TextRange) -> String {
        var out: [UInt8] = [.quote]
        for i in r.start..<r.end {
            let b = c[i]
            if b == .quote || b == .backslash { out.append(.backslash); out.append(b) }
            else if b < 0x20 { out += Array("\\u00".utf8) + Array(hex2(b).lowercased().utf8) }
            else { out.append(b) }
        }
        out.append(.quote)
        return String(decoding: out, as: UTF8.self)
    }
}

extension ParserState {
    /// A template placeholder at `i`: `{{name}}` or `${name}` closed on the same line, with no quote inside. Its
    /// end, or nil.
    func templateEnd(at i: Int) -> Int? {
        let double = c[i] == .openBrace && c[i + 1] == .openBrace
        guard double || c[i] == UInt8(ascii: "$") && c[i + 1] == .openBrace else { return nil }
        var q = i + 2
        while q < n && c[q] != .closeBrace && c[q] != .lf && c[q] != .cr && c[q] != .quote && c[q] != .openBrace { q += 1 }
        guard c[q] == .closeBrace else { return nil }
        if double { guard c[q + 1] == .closeBrace else { return nil }; return q + 2 }
        return q + 1
    }
}
