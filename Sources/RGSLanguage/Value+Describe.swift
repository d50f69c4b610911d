import RGSNumerics

extension Value {
    /// The REPL's one-line summary: strings quoted, long lists elided.
    public var summary: String { render(quoted: true, limit: 12) }

    /// The text `print` writes: strings raw, lists in full up to 1,000 elements.
    public var description: String { render(quoted: false, limit: 1000) }

    func render(quoted: Bool, limit: Int) -> String {
        switch self {
        case .number(let x): return formatNumber(x)
        case .bool(let b): return b ? "true" : "false"
        case .string(let s): return quoted ? "\"" + s.replacingOccurrences("\"", "\\\"") + "\"" : s
        case .nothing: return "nil"
        case .list(let xs):
            let shown = xs.prefix(limit).map { $0.render(quoted: true, limit: limit) }
            let more = xs.count > limit ? ", … (\(xs.count) elements)" : ""
            return "[" + shown.joined(separator: ", ") + more + "]"
        case .range(let r):
            let step = r.step == 1 ? "" : " step \(formatNumber(r.step))"
            return "\(formatNumber(r.start))..\(formatNumber(r.end))\(step) (\(r.count) elements)"
        case .record(let rec):
            return "{" + rec.fields.map { "\($0.name): \($0.value.render(quoted: true, limit: limit))" }
                .joined(separator: ", ") + "}"
        case .function(let f):
            if let b = f.builtin { return "<builtin \(b.signature)>" }
            return "<fn \(f.name)(\(f.parameterNames.joined(separator: ", ")))>"
        case .object(let o): return quoted ? o.summary : o.longDescription
        }
    }

    /// Structural equality (`==`); host objects compare through `isEqual`.
    public func equals(_ other: Value) -> Bool {
        switch (self, other) {
        case (.number(let a), .number(let b)): return a == b
        case (.bool(let a), .bool(let b)): return a == b
        case (.string(let a), .string(let b)): return a == b
        case (.nothing, .nothing): return true
        case (.list, .list), (.range, .list), (.list, .range), (.range, .range):
            guard let a = elements(), let b = other.elements(), a.count == b.count else { return false }
            return zip(a, b).allSatisfy { $0.equals($1) }
        case (.record(let a), .record(let b)):
            return a.fields.count == b.fields.count
                && a.fields.allSatisfy { f in b[f.name].map { $0.equals(f.value) } ?? false }
        case (.function(let a), .function(let b)): return a === b
        case (.object(let a), .object(let b)): return a.isEqual(to: b)
        default: return false
        }
    }
}
