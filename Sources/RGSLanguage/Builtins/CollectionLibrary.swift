import RGSNumerics

/// Reductions and higher-order functions over lists, ranges and numeric domain values.
enum CollectionLibrary {
    static var builtins: [Builtin] { [
        reduction("sum", "Sum of the numbers.", measured: { total, _ in total }) { $0.reduce(0, +) },
        reduction("mean", "Arithmetic mean of the numbers.", emptyIsError: true,
                  measured: { total, n in total / TrackedMeasurement(exact: Double(n)) }) { $0.reduce(0, +) / Double($0.count) },
        extremum("min", "Smallest number of a list, or of its arguments.") { Swift.min($0, $1) },
        extremum("max", "Largest number of a list, or of its arguments.") { Swift.max($0, $1) },
        Builtin("map", "Applies a function to every element: map([1, 2], fn(x) = x * x) is [1, 4].",
                parameters: [Parameter("items", .any, "a list, range or sequence"),
                             Parameter("f", .function, "a function of one argument")]) { args in
            let (items, f) = try sequenceAndFunction(args)
            var out: [Value] = []
            out.reserveCapacity(items.count)
            for x in items {
                if Cancellation.isRequested { throw Cancelled() }
                let y = try args.call(f, [x])
                if y.nesting >= Value.maximumNesting { throw args.error(Value.nestingMessage, at: "f") }
                out.append(y)
            }
            return .list(out)
        },
        Builtin("filter", "Keeps the elements for which the function returns true.",
                parameters: [Parameter("items", .any, "a list, range or sequence"),
                             Parameter("f", .function, "a function returning a bool")]) { args in
            let (items, f) = try sequenceAndFunction(args)
            var out: [Value] = []
            for x in items {
                if Cancellation.isRequested { throw Cancelled() }
                let keep = try args.call(f, [x])
                guard let b = keep.asBool else {
                    throw args.error("filter's function must return a bool, got \(withArticle(keep.typeName))", at: "f")
                }
                if b { out.append(x) }
            }
            return .list(out)
        },
        Builtin("append", "A new list with the value added at the end.",
                parameters: [Parameter("items", .list, "a list"), Parameter("value", .any, "the element to add")]) { args in
            guard let items = args.value("items")?.elements() else { throw args.error("expected a list", at: "items") }
            let value = args.value("value") ?? .nothing
            if value.nesting >= Value.maximumNesting { throw args.error(Value.nestingMessage, at: "value") }
            return .list(items + [value])
        },
        Builtin("sort", "The numbers or strings of a list in ascending order (nan last).",
                parameters: [Parameter("items", .list, "numbers or strings")]) { args in
            guard let items = args.value("items")?.elements() else { throw args.error("expected a list", at: "items") }
            if let xs = items.map(\.asNumber) as? [Double] {
                // A total order: `<` alone is not one with nan, and left the list unsorted.
                return .list(xs.sorted { $0 < $1 || (!$0.isNaN && $1.isNaN) }.map(Value.number))
            }
            if let ss = items.map(\.asString) as? [String] { return .list(ss.sorted().map(Value.string)) }
            throw args.error("sort needs a list of only numbers or only strings", at: "items")
        },
    ] }

    private static func sequenceAndFunction(_ args: Arguments) throws -> ([Value], Function) {
        guard let v = args.value("items"), let items = v.elements() else {
            if case .range(let r)? = args.value("items") {
                throw args.error("the range has \(r.count) elements, more than the 50,000,000 a function is mapped over", at: "items")
            }
            throw args.error("expected a list, range or sequence, got \(withArticle(args.value("items")?.typeName ?? "nil"))", at: "items")
        }
        guard case .function(let f)? = args.value("f") else { throw args.error("expected a function", at: "f") }
        return (items, f)
    }

    /// The numbers of a list/range/numeric object argument, with a located error otherwise.
    static func numbers(of v: Value, _ args: Arguments, _ name: String) throws -> [Double] {
        var out: [Double] = []
        try collectNumbers(v, into: &out, args, name)
        return out
    }

    /// Appends the numbers of `v` (nested lists flattened) to `out`, at most 10^8 of them: a list
    /// that shares its parts (`a = [a, a]` in a loop) can hold 2^60.
    private static func collectNumbers(_ v: Value, into out: inout [Double], _ args: Arguments, _ name: String) throws {
        let limit = 100_000_000
        switch v {
        case .number(let x): out.append(x)
        case .range(let r):
            guard r.count <= limit else { throw args.error("range too long to reduce", at: name) }
            out.append(contentsOf: (0..<r.count).lazy.map(r.element))
        case .list(let xs):
            for x in xs {
                switch x {
                case .number(let n): out.append(n)
                case .list, .range, .object: try collectNumbers(x, into: &out, args, name)
                default: throw args.error("expected numbers, found \(withArticle(x.typeName))", at: name)
                }
            }
        case .object(let o):
            guard let xs = o.numbers() else {
                // A table's columns mix labels (beta, T) with values: one column is what to reduce.
                throw args.error("\(withArticle(o.kindName)) has no numbers to reduce", at: name,
                                 hint: o.kindName == "Table" ? "reduce one column, e.g. t.value: sum(t.value), max(t.value)" : nil)
            }
            out.append(contentsOf: xs)
        default:
            throw args.error("expected a list of numbers, got \(withArticle(v.typeName))", at: name)
        }
        guard out.count <= limit else { throw args.error("too many numbers to reduce (more than 10^8)", at: name) }
    }

    /// A reduction over numbers; a list holding measurements (`MeasurementValue`) is summed as
    /// measurements and `measured(sum, count)` finishes it, so their errors are not dropped.
    private static func reduction(_ name: String, _ summary: String, emptyIsError: Bool = false,
                                  measured: @escaping (TrackedMeasurement, Int) -> TrackedMeasurement,
                                  _ f: @escaping ([Double]) -> Double) -> Builtin {
        Builtin(name, summary + " Accepts lists (nested lists are flattened), ranges and matrices.",
                parameters: [Parameter("items", .any, "numbers")],
                details: "Measurements in a list are added as `+` adds them, errors propagated by source.") { args in
            if case .list(let items)? = args.value("items"), let values = try measurements(items, args) {
                return .object(MeasurementValue(tracked: measured(TrackedMeasurement.sum(values), values.count)))
            }
            if let m = args.value("items")?.object(MeasurementValue.self) { return .object(MeasurementValue(tracked: measured(m.tracked, 1))) }
            let xs = try numbers(of: args.value("items") ?? .nothing, args, "items")
            if xs.isEmpty && emptyIsError { throw args.error("\(name) of an empty sequence", at: "items") }
            return .number(f(xs))
        }
    }

    /// The items as measurements when any of them is one (numbers exact), nil when none is. A
    /// list mixing measurements with other values is refused: reducing its numbers would drop
    /// the errors.
    private static func measurements(_ items: [Value], _ args: Arguments) throws -> [TrackedMeasurement]? {
        guard items.contains(where: MeasurementValue.isMeasurement) else { return nil }
        guard let values = MeasurementValue.trackedItems(items) else {
            throw args.error("a list with measurements must hold only numbers and measurements", at: "items")
        }
        return values
    }

    private static func extremum(_ name: String, _ summary: String, _ f: @escaping (Double, Double) -> Double) -> Builtin {
        Builtin(name, summary, parameters: [Parameter("items", .any, "a list, or the first number")],
                variadic: Parameter("more", .oneOf([.number, .kind("Measurement")]), "further numbers or measurements")) { args in
            // Measurements compete by value and the winner keeps its error.
            let first = args.value("items") ?? .nothing
            var items = args.rest
            if case .list(let xs) = first, items.isEmpty { items = xs } else { items.insert(first, at: 0) }
            if let values = try measurements(items, args) {
                let best = values.indices.dropFirst().reduce(0) { f(values[$0].value, values[$1].value) == values[$1].value ? $1 : $0 }
                return items[best]
            }
            var xs = try numbers(of: first, args, "items")
            for v in args.rest { xs += try numbers(of: v, args, "items") }
            guard var best = xs.first else { throw args.error("\(name) of an empty sequence", at: "items") }
            for x in xs.dropFirst() { best = f(best, x) }
            return .number(best)
        }
    }
}
