import CTCore
import CTInput
import CTJSON
import CTMarkdown

/// Canonical layout that keeps key order and the exact spelling of every number and string.
package struct Formatter: Sendable {
    package enum Layout: Sendable, Equatable {
        /// Pretty, indented by the given number of spaces (nil: detect from the input, default 2).
        case pretty(indent: Int?)
        /// One line, the style CloudTrail delivers.
        case compact
    }

    package var layout: Layout

    package init(layout: Layout) { self.layout = layout }

    /// The deepest nesting that a pretty layout accepts. Each level indents every line inside it, so the output
    /// grows with the square of the depth (20 KB of `[` became 200 MB); deeper documents are refused, and
    /// `--compact` still lays them out.
    package static let maxPrettyDepth = 256

    /// Formats a strict JSON document; nil when it does not parse strictly (fix it first), or when a pretty
    /// layout is asked for a document nested deeper than `maxPrettyDepth` (`refusal(json:)` says which).
    package func format(json bytes: [UInt8]) -> [UInt8]? {
        let tree = JSONParser.parse(bytes)
        guard let root = tree.root, tree.diagnostics.allSatisfy({ $0.severity != .error }), tree.extraRoots.isEmpty else {
            return nil
        }
        if layout != .compact && Self.depth(of: tree) > Self.maxPrettyDepth { return nil }
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count + bytes.count / 4)
        let indent: Int?
        switch layout {
        case .compact: indent = nil
        case .pretty(let given): indent = given ?? Self.detectIndent(bytes) ?? 2
        }
        print(tree, root, indent: indent, depth: 0, into: &out)
        out.append(0x0A)
        return out
    }

    /// Formats a JSON Lines document: every line compact (pretty layouts would break the one-record-per-line rule).
    package func format(jsonLines bytes: [UInt8]) -> [UInt8]? {
        var out: [UInt8] = []
        let compact = Formatter(layout: .compact)
        for span in JSONLinesReader.lineSpans(in: bytes) {
            guard let f = compact.format(json: Array(bytes[span.range.start..<span.range.end])) else { return nil }
            out.append(contentsOf: f)
        }
        return out
    }

    /// Formats every strict JSON-like block of a Markdown page, keeping each block's base indentation.
    package func format(markdown page: [UInt8]) -> [UInt8] {
        var current = page
        for block in FenceScanner.blocks(in: page).reversed() where block.isLintable {
            guard let f = format(json: block.content), f != block.content else { continue }
            current = Splicer.splice(f, into: block, of: current)
        }
        return current
    }

    /// Why `format(json:)` gave nil for `bytes`, as a message for the user.
    package func refusal(json bytes: [UInt8]) -> String {
        let tree = JSONParser.parse(bytes)
        let depth = Self.depth(of: tree)
        if tree.isStrict && layout != .compact && depth > Self.maxPrettyDepth {
            return "not formatted: nested \(depth) levels deep, deeper than the \(Self.maxPrettyDepth) a pretty layout allows (its indentation grows with the square of the depth); `--compact` lays it out on one line"
        }
        return "not formatted: the document does not parse strictly; run `cloudtrail-lint fix` first"
    }

    /// The deepest nesting of containers in `tree` (0 for a scalar document), in one pass over the nodes.
    static func depth(of tree: SyntaxTree) -> Int {
        var open: [Int] = []  // subtree ends of the containers enclosing the current node
        var deepest = 0
        for i in tree.nodes.indices {
            while let last = open.last, i >= last { open.removeLast() }
            if tree.kind(i) == .object || tree.kind(i) == .array {
                open.append(Int(tree.nodes[i].subtreeEnd))
                deepest = max(deepest, open.count)
            }
        }
        return deepest
    }

    /// The indentation unit of the first indented line (spaces), or nil.
    static func detectIndent(_ bytes: [UInt8]) -> Int? {
        var i = 0
        while i < bytes.count {
            if bytes[i] == 0x0A {
                var j = i + 1
                while j < bytes.count && bytes[j] == 0x20 { j += 1 }
                if j > i + 1 && j < bytes.count && bytes[j] != 0x0A && bytes[j] != 0x0D { return min(j - i - 1, 8) }
                if j < bytes.count && bytes[j] == 0x09 { return 4 }
            }
            i += 1
        }
        return nil
    }

    private func print(_ tree: SyntaxTree, _ node: Int, indent: Int?, depth: Int, into out: inout [UInt8]) {
        // Iterative over siblings, recursive over depth; depth is bounded by the parser's input, so use an explicit stack.
        enum Step { case value(Int, Int), raw([UInt8]) }
        var stack: [Step] = [.value(node, depth)]
        func newline(_ d: Int) -> [UInt8] {
            guard let indent else { return [] }
            return [0x0A] + [UInt8](repeating: 0x20, count: indent * d)
        }
        while let step = stack.popLast() {
            switch step {
            case .raw(let bytes): out.append(contentsOf: bytes)
            case .value(let i, let d):
                let n = tree.nodes[i]
                switch n.kind {
                case .object:
                    let members = Array(tree.members(of: i))
                    if members.isEmpty { out.append(contentsOf: Array("{}".utf8)); continue }
                    out.append(UInt8(ascii: "{"))
                    var steps: [Step] = []
                    for (index, m) in members.enumerated() {
                        var head = newline(d + 1)
                        head.append(contentsOf: tree.source[Int(tree.nodes[m.key].start)..<Int(tree.nodes[m.key].end)])
                        head.append(UInt8(ascii: ":"))
                        if indent != nil { head.append(0x20) }
                        steps.append(.raw(head))
                        steps.append(.value(m.value, d + 1))
                        if index < members.count - 1 { steps.append(.raw([UInt8(ascii: ",")])) }
                    }
                    steps.append(.raw(newline(d) + [UInt8(ascii: "}")]))
                    stack.append(contentsOf: steps.reversed())
                case .array:
                    let items = Array(tree.children(of: i))
                    if items.isEmpty { out.append(contentsOf: Array("[]".utf8)); continue }
                    out.append(UInt8(ascii: "["))
                    var steps: [Step] = []
                    for (index, c) in items.enumerated() {
                        steps.append(.raw(newline(d + 1)))
                        steps.append(.value(c, d + 1))
                        if index < items.count - 1 { steps.append(.raw([UInt8(ascii: ",")])) }
                    }
                    steps.append(.raw(newline(d) + [UInt8(ascii: "]")]))
                    stack.append(contentsOf: steps.reversed())
                default:
                    out.append(contentsOf: tree.source[Int(n.start)..<Int(n.end)])
                }
            }
        }
    }
}
