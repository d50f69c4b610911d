import RGSNumerics

extension Value {
    /// The REPL's one-line summary: strings quoted, long lists elided.
    public var summary: String { render(quoted: true, limit: 12) }

    /// The text `print` writes: strings raw, lists in full up to 1,000 elements.
    public var description: String { render(quoted: false, limit: 1000) }

    /// The most UTF-8 bytes one value renders to, elements past it elided: a list that shares its
    /// parts (`a = [a, a]` in a loop) can hold 2^40 elements in a few bytes of memory.
    public static let maximumTextLength = 100_000_000

    /// Elements a value too large to render in full (shared parts) shows at most: its lists and
    /// records below the deepest level that stays within this are elided.
    public static let summaryElements = 10_000

    func render(quoted: Bool, limit: Int) -> String {
        var budget = Value.maximumTextLength
        return render(quoted: quoted, limit: limit, depth: displayDepth(limit: limit), budget: &budget)
    }

    /// The levels of nesting rendered: all (nil) unless the value shows more than
    /// `maximumTextLength / 3` elements (each at least a character and a separator), which only a
    /// value that shares its parts can; then the deepest level showing at most `summaryElements`.
    private func displayDepth(limit: Int) -> Int? {
        guard isContainer, shownElements(limit: limit, depth: nil) > Value.maximumTextLength / 3 else { return nil }
        var depth = 1
        while depth < Value.maximumNesting, shownElements(limit: limit, depth: depth + 1) <= Value.summaryElements { depth += 1 }
        return depth
    }

    /// The scalars and elided parts rendering shows with `limit` elements per list and `depth`
    /// levels (nil: all), at most `maximumTextLength`. Counted once per storage buffer and
    /// level, so a value that shares its parts takes time linear in its distinct parts.
    private func shownElements(limit: Int, depth: Int?) -> Int {
        var counted: [ShownKey: Int] = [:]
        return shownElements(limit: limit, depth: depth, &counted)
    }

    private func shownElements(limit: Int, depth: Int?, _ counted: inout [ShownKey: Int]) -> Int {
        guard isContainer else { return 1 }
        if depth == 0 { return 1 }
        let inner = depth.map { $0 - 1 }
        func sum(_ key: ShownKey, _ count: Int, _ part: (Int) -> Value, _ counted: inout [ShownKey: Int]) -> Int {
            if let known = counted[key] { return known }
            // An empty list still shows as `[]`: counted as one, so `a = [a, a]` from `[]` elides too.
            var total = count == 0 ? 1 : 0
            for i in 0..<count where total < Value.maximumTextLength {
                total = min(Value.maximumTextLength, total + part(i).shownElements(limit: limit, depth: inner, &counted))
            }
            counted[key] = total
            return total
        }
        switch self {
        case .list(let xs): return sum(ShownKey(xs, depth), min(limit, xs.count), { xs[$0] }, &counted)
        case .record(let r): return sum(ShownKey(r.fields, depth), r.fields.count, { r.fields[$0].value }, &counted)
        default: return 1
        }
    }

    private func render(quoted: Bool, limit: Int, depth: Int?, budget: inout Int) -> String {
        let text: String
        let inner = depth.map { $0 - 1 }
        switch self {
        case .list(let xs):
            if depth == 0 { return "[… (\(counted(xs.count, "element")))]" }
            var shown: [String] = []
            budget -= 2
            for x in xs.prefix(limit) {
                // Ctrl-C ends a long rendering.
                guard budget > 0, !Cancellation.isRequested else { break }
                budget -= 2
                shown.append(x.render(quoted: true, limit: limit, depth: inner, budget: &budget))
            }
            let more = xs.count > shown.count ? ", … (\(xs.count) elements)" : ""
            return "[" + shown.joined(separator: ", ") + more + "]"
        case .record(let rec):
            if depth == 0 { return "{… (\(counted(rec.fields.count, "field")))}" }
            var shown: [String] = []
            budget -= 2
            for field in rec.fields {
                guard budget > 0, !Cancellation.isRequested else { shown.append("…"); break }
                budget -= field.name.utf8.count + 4
                shown.append("\(field.name): \(field.value.render(quoted: true, limit: limit, depth: inner, budget: &budget))")
            }
            return "{" + shown.joined(separator: ", ") + "}"
        default: text = renderScalar(quoted: quoted)
        }
        budget -= text.utf8.count
        return text
    }

    private func renderScalar(quoted: Bool) -> String {
        switch self {
        case .number(let x): return formatNumber(x)
        case .bool(let b): return b ? "true" : "false"
        case .string(let s):
            guard quoted else { return s }
            return "\"" + (s.utf8.contains(UInt8(ascii: "\"")) ? s.replacingOccurrences("\"", "\\\"") : s) + "\""
        case .nothing: return "nil"
        case .list, .record: return render(quoted: quoted, limit: 1000)  // not reached: render(quoted:limit:depth:budget:) takes them
        case .range(let r):
            let step = r.step == 1 ? "" : " step \(formatNumber(r.step))"
            return "\(formatNumber(r.start))..\(formatNumber(r.end))\(step) (\(r.count) elements)"
        case .function(let f):
            if let b = f.builtin { return "<builtin \(b.signature)>" }
            return "<fn \(f.name)(\(f.parameterNames.joined(separator: ", ")))>"
        case .object(let o): return quoted ? o.summary : o.longDescription
        }
    }

    /// Structural equality (`==`); host objects compare through `isEqual`. Each pair of list
    /// storages is compared once, so values that share their parts (`a = [a, a]` in a loop)
    /// compare in time linear in their distinct parts.
    public func equals(_ other: Value) -> Bool {
        var pending = [(self, other)]
        var compared: Set<StoragePair> = []
        while let (a, b) = pending.popLast() {
            if case .list(let xs) = a, case .list(let ys) = b, xs.contains(where: \.isContainer) {
                if !compared.insert(StoragePair(xs, ys)).inserted { continue }
            }
            if case .record(let x) = a, case .record(let y) = b, x.fields.contains(where: { $0.value.isContainer }) {
                if !compared.insert(StoragePair(x.fields, y.fields)).inserted { continue }
            }
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

/// A list's (or record's fields') storage at a level of rendering (`Value.shownElements`).
private struct ShownKey: Hashable {
    let storage: UnsafeRawPointer?, depth: Int?

    init<T>(_ items: [T], _ depth: Int?) {
        storage = storageAddress(items)
        self.depth = depth
    }
}

/// The storages of two lists (or records' fields) being compared.
private struct StoragePair: Hashable {
    let left: UnsafeRawPointer?, right: UnsafeRawPointer?

    init<T>(_ left: [T], _ right: [T]) {
        self.left = storageAddress(left)
        self.right = storageAddress(right)
    }
}

/// "1 epoch", "3 epochs": a count with its noun, plural by an s.
public func counted(_ n: Int, _ noun: String) -> String { "\(n) \(noun)\(n == 1 ? "" : "s")" }

/// A type name with its indefinite article, as messages use it: "a list", "an Ensemble", "an RBM".
public func withArticle(_ noun: String) -> String {
    if noun == "nil" { return noun }  // "got nil", not "got a nil"
    let vowelSound = noun.first.map { "aeiouAEIOU".contains($0) } ?? false || noun.hasPrefix("RBM")
    return (vowelSound ? "an " : "a ") + noun
}
