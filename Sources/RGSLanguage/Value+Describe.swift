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
        var pending = [(self, other)]
        while let (a, b) = pending.popLast() {
            switch (a, b) {
            case (.number(let x), .number(let y)): if x != y { return false }
            case (.bool(let x), .bool(let y)): if x != y { return false }
            case (.string(let x), .string(let y)): if x != y { return false }
            case (.nothing, .nothing): continue
            case (.range(let x), .range(let y)) where x.count == y.count && x.start == y.start && x.step == y.step:
                continue  // the same elements, without materialising ranges too long for `elements()`
            case (.list, .list), (.range, .list), (.list, .range), (.range, .range):
                guard let xs = a.elements(), let ys = b.elements(), xs.count == ys.count else { return false }
                pending.append(contentsOf: zip(xs, ys))
            case (.record(let x), .record(let y)):
                guard x.fields.count == y.fields.count else { return false }
                for field in x.fields {
                    guard let value = y[field.name] else { return false }
                    pending.append((field.value, value))
                }
            case (.function(let x), .function(let y)): if x !== y { return false }
            case (.object(let x), .object(let y)): if !x.isEqual(to: y) { return false }
            default: return false
            }
        }
        return true
    }
}

/// "1 epoch", "3 epochs": a count with its noun, plural by an s.
public func counted(_ n: Int, _ noun: String) -> String { "\(n) \(noun)\(n == 1 ? "" : "s")" }

/// A type name with its indefinite article, as messages use it: "a list", "an Ensemble", "an RBM".
public func withArticle(_ noun: String) -> String {
    let vowelSound = noun.first.map { "aeiouAEIOU".contains($0) } ?? false || noun.hasPrefix("RBM")
    return (vowelSound ? "an " : "a ") + noun
}
