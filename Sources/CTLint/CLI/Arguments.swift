import CTRules

/// A usage error: printed with `error:` and exit status 2.
package struct UsageError: Error, Sendable, CustomStringConvertible {
    package var message: String
    package init(_ message: String) { self.message = message }
    package var description: String { message }
}

/// A small hand-written argument parser: flags, options with values (`--x v` or `--x=v`), operands.
struct ArgumentList {
    struct Spec {
        var flags: Set<String>
        var options: Set<String>
    }

    var flags: Set<String> = []
    var values: [String: [String]] = [:]
    var operands: [String] = []

    init(_ args: [String], spec: Spec) throws {
        var i = 0
        var onlyOperands = false
        while i < args.count {
            let a = args[i]
            i += 1
            if onlyOperands || a == "-" || !a.hasPrefix("-") { operands.append(a); continue }
            if a == "--" { onlyOperands = true; continue }
            var name = a
            var inline: String?
            if let eq = a.firstIndex(of: "="), a.hasPrefix("--") {
                name = String(a[..<eq])
                inline = String(a[a.index(after: eq)...])
            }
            if spec.flags.contains(name) {
                if inline != nil { throw UsageError("option `\(name)` takes no value") }
                flags.insert(name)
            } else if spec.options.contains(name) {
                let value: String
                if let inline { value = inline } else {
                    guard i < args.count else { throw UsageError("option `\(name)` needs a value") }
                    value = args[i]
                    i += 1
                }
                values[name, default: []].append(value)
            } else {
                let known = Array(spec.flags) + Array(spec.options)
                var message = "unknown option `\(name)`"
                if let s = EditDistance.closest(to: name, among: known.sorted()) { message += "; did you mean `\(s)`?" }
                throw UsageError(message)
            }
        }
    }

    func has(_ flag: String) -> Bool { flags.contains(flag) }
    /// Every value given to a repeatable option, in order (commas kept: a glob may hold one).
    func repeated(_ name: String) -> [String] { values[name] ?? [] }
    func value(_ name: String) -> String? { values[name]?.last }

    /// Comma-separated lists, accumulated over repeats.
    func list(_ name: String) -> [String] {
        (values[name] ?? []).flatMap { $0.split(separator: ",").map { String($0).trimmingSpaces() } }.filter { !$0.isEmpty }
    }

    func choice(_ name: String, _ allowed: [String], default d: String) throws -> String {
        guard let v = value(name) else { return d }
        guard allowed.contains(v) else {
            var message = "invalid value `\(v)` for `\(name)`: expected one of \(allowed.joined(separator: ", "))"
            if let s = EditDistance.closest(to: v, among: allowed) { message += "; did you mean `\(s)`?" }
            throw UsageError(message)
        }
        return v
    }
}

extension String {
    func trimmingSpaces() -> String {
        var s = Substring(self)
        while s.first == " " { s = s.dropFirst() }
        while s.last == " " { s = s.dropLast() }
        return String(s)
    }
}
