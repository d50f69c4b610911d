import Foundation
import RGSNumerics

/// Arithmetic, comparison, indexing and member access. Numbers follow IEEE 754 (1/0 is inf, never
/// a trap); lists of numbers broadcast elementwise against numbers and equal-length lists.
extension Interpreter {
    func unary(_ op: UnaryOp, _ v: Value, _ span: Span) throws(RGSError) -> Value {
        switch (op, v) {
        case (.negate, .number(let x)): return .number(-x)
        case (.negate, .list), (.negate, .range):
            return try broadcast(v, .number(-1), span) { $0 * $1 }
        case (.not, .bool(let b)): return .bool(!b)
        case (.negate, .object(let o)):
            if let v = try hostCall(span, { try o.arithmetic(.multiply, .number(-1), selfOnLeft: true) }) { return v }
            fallthrough
        default:
            throw RGSError(.runtime, "cannot apply '\(op.rawValue)' to \(withArticle(v.typeName))", at: span)
        }
    }

    func binary(_ op: BinaryOp, _ l: Value, _ r: Value, _ span: Span, _ ls: Span, _ rs: Span) throws(RGSError) -> Value {
        switch op {
        case .equal: return .bool(l.equals(r))
        case .notEqual: return .bool(!l.equals(r))
        case .less, .lessEqual, .greater, .greaterEqual:
            return .bool(try compare(op, l, r, span))
        case .add:
            switch (l, r) {
            case (.object(let a), .object(let b)):
                if let v = try hostCall(span, { try a.adding(b) }) { return v }
                if let v = try hostCall(span, { try a.arithmetic(.add, r, selfOnLeft: true) }) { return v }
                throw RGSError(.runtime, "cannot add \(withArticle(a.kindName)) and \(withArticle(b.kindName))", at: span)
            case (.string(let a), .string(let b)): return try joined(a, b, span)
            case (.string(let a), _): return try joined(a, r.description, span)
            case (_, .string(let b)) where !isNumeric(l): return try joined(l.description, b, span)
            case (.number(let a), .string(let b)): return try joined(formatNumber(a), b, span)
            case (.list(let a), .list(let b)) where !(isNumberList(a) && isNumberList(b) && a.count == b.count):
                guard a.count + b.count <= Value.maximumListLength else {
                    throw RGSError(.runtime, "the joined list would have \(a.count + b.count) elements, more than \(Value.maximumListLength)", at: span)
                }
                return .list(a + b)
            case (.range, .list), (.list, .range), (.range, .range):
                // A range is the list of its elements: it joins a list of another length as the
                // list would (`[0] + range(3)` said "lists of different lengths").
                let a = listLength(l), b = listLength(r)
                guard a + b <= Value.maximumListLength || a == b else {
                    throw RGSError(.runtime, "the joined list would have \(a + b) elements, more than \(Value.maximumListLength)", at: span)
                }
                guard let xs = l.elements(), let ys = r.elements() else {
                    throw RGSError(.runtime, "a list of more than \(Value.maximumListLength) elements cannot take part in `+`", at: span)
                }
                return try binary(.add, .list(xs), .list(ys), span, ls, rs)
            default: return try arithmetic(l, r, span, ls, rs, op) { $0 + $1 }
            }
        case .subtract: return try arithmetic(l, r, span, ls, rs, op) { $0 - $1 }
        case .multiply: return try arithmetic(l, r, span, ls, rs, op) { $0 * $1 }
        case .divide: return try arithmetic(l, r, span, ls, rs, op) { $0 / $1 }
        case .remainder: return try arithmetic(l, r, span, ls, rs, op) { a, b in
            let m = a.truncatingRemainder(dividingBy: b)
            return m != 0 && (m < 0) != (b < 0) ? m + b : m  // sign of the divisor, as Python
        }
        case .power: return try arithmetic(l, r, span, ls, rs, op) { Foundation.pow($0, $1) }
        }
    }

    /// `a + b` for strings, refused past `Value.maximumTextLength` bytes (doubling a string in
    /// a loop would otherwise fill the memory).
    private func joined(_ a: String, _ b: String, _ span: Span) throws(RGSError) -> Value {
        let bytes = a.utf8.count + b.utf8.count
        guard bytes <= Value.maximumTextLength else {
            throw RGSError(.runtime, "the joined string would have \(bytes) bytes, more than \(Value.maximumTextLength)", at: span)
        }
        return .string(a + b)
    }

    private func isNumeric(_ v: Value) -> Bool {
        if case .number = v { return true }
        return false
    }

    private func isNumberList(_ xs: [Value]) -> Bool { xs.allSatisfy(isNumeric) }

    /// The number of elements of a list or range (ranges are not materialised).
    private func listLength(_ v: Value) -> Int {
        switch v {
        case .list(let xs): return xs.count
        case .range(let r): return r.count
        default: return 0
        }
    }

    private func arithmetic(_ l: Value, _ r: Value, _ span: Span, _ ls: Span, _ rs: Span, _ op: BinaryOp,
                            _ f: (Double, Double) -> Double) throws(RGSError) -> Value {
        if case .number(let a) = l, case .number(let b) = r { return .number(f(a, b)) }
        if let hostOp = ArithmeticOperator(rawValue: op.rawValue) {
            if case .object(let a) = l, let v = try hostCall(span, { try a.arithmetic(hostOp, r, selfOnLeft: true) }) { return v }
            if case .object(let b) = r, let v = try hostCall(span, { try b.arithmetic(hostOp, l, selfOnLeft: false) }) { return v }
        }
        let bad = !(isNumeric(l) || l.isSequence) ? (l, ls) : (r, rs)
        guard (isNumeric(l) || l.isSequence), (isNumeric(r) || r.isSequence) else {
            throw RGSError(.runtime, "cannot apply '\(op.rawValue)' to \(withArticle(l.typeName)) and \(withArticle(r.typeName))",
                           at: bad.1, hint: op == .add ? "`+` joins two strings or two lists, or adds numbers" : nil)
        }
        return try broadcast(l, r, span, f)
    }

    private func broadcast(_ l: Value, _ r: Value, _ span: Span, _ f: (Double, Double) -> Double) throws(RGSError) -> Value {
        func numbers(_ v: Value) throws(RGSError) -> [Double]? {
            if case .number = v { return nil }
            guard let xs = v.elements(limit: 50_000_000) else {
                throw RGSError(.runtime, "sequence too long for elementwise arithmetic", at: span)
            }
            var out: [Double] = []
            out.reserveCapacity(xs.count)
            for x in xs {
                guard case .number(let n) = x else {
                    throw RGSError(.runtime, "elementwise arithmetic needs numbers, found \(withArticle(x.typeName)) in the list", at: span)
                }
                out.append(n)
            }
            return out
        }
        let a = try numbers(l), b = try numbers(r)
        switch (a, b, l, r) {
        case (let xs?, let ys?, _, _):
            guard xs.count == ys.count else {
                throw RGSError(.runtime, "lists of different lengths (\(xs.count) and \(ys.count))", at: span)
            }
            return .list(zip(xs, ys).map { .number(f($0, $1)) })
        case (let xs?, nil, _, .number(let y)): return .list(xs.map { .number(f($0, y)) })
        case (nil, let ys?, .number(let x), _): return .list(ys.map { .number(f(x, $0)) })
        default: throw RGSError(.runtime, "cannot combine these values", at: span)
        }
    }

    private func compare(_ op: BinaryOp, _ l: Value, _ r: Value, _ span: Span) throws(RGSError) -> Bool {
        let order: Int
        switch (l, r) {
        case (.number(let a), .number(let b)):
            switch op {
            case .less: return a < b
            case .lessEqual: return a <= b
            case .greater: return a > b
            default: return a >= b
            }
        case (.string(let a), .string(let b)): order = a < b ? -1 : a == b ? 0 : 1
        default:
            // A measurement has no order (its error would be dropped silently); its value does.
            let valued = [l, r].contains(where: MeasurementValue.isMeasurement)
            throw RGSError(.runtime, "cannot compare \(withArticle(l.typeName)) with \(withArticle(r.typeName))", at: span,
                           hint: valued ? "compare the values: `x.value < y` (and `x.error` for its error bar)" : nil)
        }
        switch op {
        case .less: return order < 0
        case .lessEqual: return order <= 0
        case .greater: return order > 0
        default: return order >= 0
        }
    }

    /// Converts an index value to a position in 0..<count; negative indices count from the end.
    func listIndex(_ v: Value, count: Int, span: Span) throws(RGSError) -> Int {
        guard case .number(let x) = v else {
            throw RGSError(.runtime, "index must be a number, got \(withArticle(v.typeName))", at: span)
        }
        guard x == x.rounded() else {
            throw RGSError(.runtime, "index must be an integer, got \(formatNumber(x))", at: span)
        }
        let i = abs(x) < 1e15 ? Int(x) : nil
        let j = i.map { $0 < 0 ? count + $0 : $0 } ?? -1
        guard j >= 0, j < count else {
            throw RGSError(.runtime, "index \(formatNumber(x)) out of range for \(count) element\(count == 1 ? "" : "s")", at: span,
                           hint: count == 0 ? "the sequence is empty" : "valid indices are 0...\(count - 1) (or -\(count)...-1)")
        }
        return j
    }

    /// The positions `x[a..b]` (or `x[a..b step s]`) selects from `count` elements. Both bounds are
    /// included and negative ones count from the end, as single indices do: `x[0..-1]` is every
    /// element, `x[-3..-1]` the last three. A bound out of range, or a range running against its
    /// step (`x[5..2]`), is an error rather than a silently empty or wrapped selection.
    func slicePositions(_ r: RangeValue, count: Int, span: Span) throws(RGSError) -> [Int] {
        if count == 0 && r.start == 0 && r.end == -1 { return [] }  // every element of nothing
        let first = try listIndex(.number(r.start), count: count, span: span)
        let last = try listIndex(.number(r.end), count: count, span: span)
        guard r.step == r.step.rounded() else {
            throw RGSError(.runtime, "a slice's step must be an integer, got \(formatNumber(r.step))", at: span)
        }
        guard abs(r.step) < 1e15 else {
            throw RGSError(.runtime, "a slice's step of \(formatNumber(r.step)) is too large", at: span,
                           hint: "a step as long as the sequence takes its first element only: [a..b step \(max(1, count))]")
        }
        let step = Int(r.step)
        guard step > 0 ? first <= last : first >= last else {
            let bounds = "\(formatNumber(r.start))..\(formatNumber(r.end))"
            throw RGSError(.runtime, "the slice \(bounds) runs \(step > 0 ? "backwards" : "forwards") (from element \(first) to \(last) of \(count))",
                           at: span, hint: step > 0 ? "slices include both ends and run upwards: [\(last)..\(first)], or add `step -1` to walk backwards; [0..-1] is every element"
                                                    : "a slice with a negative step runs downwards: [\(last)..\(first) step \(step)]")
        }
        return Array(stride(from: first, through: last, by: step))
    }

    func subscriptValue(_ base: Value, _ index: Value, _ span: Span, _ indexSpan: Span) throws(RGSError) -> Value {
        if case .range(let r) = index {
            switch base {
            case .list(let xs): return .list(try slicePositions(r, count: xs.count, span: indexSpan).map { xs[$0] })
            case .string(let s):
                if let bytes = s.asciiBytes {
                    return .string(String(decoding: try slicePositions(r, count: bytes.count, span: indexSpan).map { bytes[$0] }, as: UTF8.self))
                }
                let chars = Array(s)
                return .string(String(try slicePositions(r, count: chars.count, span: indexSpan).map { chars[$0] }))
            default: break
            }
        }
        switch base {
        case .list(let xs): return xs[try listIndex(index, count: xs.count, span: indexSpan)]
        case .range(let r): return .number(r.element(try listIndex(index, count: r.count, span: indexSpan)))
        case .string(let s):
            if let bytes = s.asciiBytes { return .string(String(decoding: [bytes[try listIndex(index, count: bytes.count, span: indexSpan)]], as: UTF8.self)) }
            let chars = Array(s)
            return .string(String(chars[try listIndex(index, count: chars.count, span: indexSpan)]))
        case .record(let rec):
            guard case .string(let name) = index else {
                throw RGSError(.runtime, "records are indexed by field name strings", at: indexSpan)
            }
            guard let v = rec[name] else { throw missingField(name, in: rec, at: indexSpan) }
            return v
        case .object(let o):
            if case .string(let name) = index, let v = o.member(name) { return v }
            if index.isSequence, let n = o.length {
                var positions: [Int] = []
                if case .range(let r) = index {
                    positions = try slicePositions(r, count: n, span: indexSpan)
                } else {
                    for i in index.elements(limit: 100_000_000) ?? [] { positions.append(try listIndex(i, count: n, span: indexSpan)) }
                }
                if let v = try hostCall(span, { try o.slice(positions) }) { return v }
            }
            guard let n = o.length else {
                throw RGSError(.runtime, "\(withArticle(o.kindName)) cannot be indexed", at: span)
            }
            let i = try listIndex(index, count: n, span: indexSpan)
            guard let v = o.element(at: i) else {
                throw RGSError(.runtime, "\(withArticle(o.kindName)) cannot be indexed", at: span)
            }
            return v
        default:
            throw RGSError(.runtime, "\(withArticle(base.typeName)) cannot be indexed", at: span)
        }
    }

    /// Runs a host-object hook, turning its errors into located runtime errors.
    private func hostCall(_ span: Span, _ body: () throws -> Value?) throws(RGSError) -> Value? {
        do {
            return try body()
        } catch let e as RGSError {
            throw e
        } catch let e as CoreError {
            throw RGSError(.runtime, e.message, at: span, hint: e.hint)
        } catch {
            throw RGSError(.runtime, "\(error)", at: span)
        }
    }

    /// The error for a record field that does not exist. `x_err` of a field `x` holding a
    /// measurement (a table row) points at `x.error`.
    private func missingField(_ name: String, in rec: Record, at span: Span) -> RGSError {
        if name.hasSuffix("_err"), case .object(_ as MeasurementValue)? = rec[String(name.dropLast(4))] {
            let base = name.dropLast(4)
            return RGSError(.runtime, "no field '\(name)' in this record: '\(base)' is a measurement that carries its error",
                            at: span, hint: "write \(base).error (and \(base).value for the number)")
        }
        return RGSError(.runtime, "no field '\(name)' in this record", at: span, hint: Suggest.hint(name, in: rec.fields.map(\.name)))
    }

    func memberValue(_ base: Value, _ name: String, _ span: Span) throws(RGSError) -> Value {
        switch base {
        case .record(let rec):
            if let v = rec[name] { return v }
            throw missingField(name, in: rec, at: span)
        case .object(let o):
            if let v = o.member(name) { return v }
            if o.memberNames.contains(name) {
                let (message, hint) = o.missingMember(name)
                throw RGSError(.runtime, message, at: span, hint: hint)
            }
            throw RGSError(.runtime, "\(withArticle(o.kindName)) has no member '\(name)'", at: span,
                           hint: Suggest.hint(name, in: o.memberNames) ?? (o.memberNames.isEmpty ? nil : "members: " + o.memberNames.joined(separator: ", ")))
        case .list(let xs) where name == "length":
            return .number(Double(xs.count))
        default:
            throw RGSError(.runtime, "\(withArticle(base.typeName)) has no member '\(name)'", at: span)
        }
    }
}

extension Value {
    var isSequence: Bool {
        switch self {
        case .list, .range: return true
        default: return false
        }
    }
}
