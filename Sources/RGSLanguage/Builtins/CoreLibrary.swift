import Foundation
import RGSNumerics

/// The language's own builtins: output, help, types, seeds and timing.
enum CoreLibrary {
    static var builtins: [Builtin] { [
        Builtin("print", "Writes its arguments, separated by spaces (by new lines when one spans several lines, as a table does), and a newline.",
                variadic: Parameter("values", .any, "values to print")) { args in
            let texts = args.rest.map(\.description)
            args.write(texts.joined(separator: texts.contains { $0.contains("\n") } ? "\n" : " ") + "\n")
            return .nothing
        },
        Builtin("help", "Shows the documentation of a builtin, or lists every builtin.",
                parameters: [Parameter("name", .oneOf([.string, .function]), optional: true, "a name or a function")]) { args in
            let interpreter = args.context
            guard let v = args.value("name") else {
                args.write(interpreter.overview())
                return .nothing
            }
            let name: String
            switch v {
            case .function(let f):
                if let text = interpreter.helpText(for: f) {
                    args.write(text)
                    return .nothing
                }
                name = f.name
            case .string(let s): name = s
            default: name = ""
            }
            guard let text = interpreter.helpText(for: name) else {
                throw args.error("no help for '\(name)'", at: "name",
                                 hint: Suggest.hint(name, in: interpreter.builtinNames) ?? "type `help` for the list")
            }
            args.write(text)
            return .nothing
        },
        Builtin("type", "The type name of a value: number, string, list, Ensemble, ...",
                parameters: [Parameter("value", .any, "any value")]) { args in
            .string(args.value("value")?.typeName ?? "nil")
        },
        Builtin("str", "The text of a value, as `print` writes it.",
                parameters: [Parameter("value", .any, "any value")]) { args in
            let text = args.value("value")?.description ?? "nil"
            guard text.utf8.count <= Value.maximumTextLength else {
                throw args.error("the text would have more than \(Value.maximumTextLength) bytes", at: "value")
            }
            return .string(text)
        },
        Builtin("pad", "The text of a value padded with spaces to `width` characters (for aligned tables).",
                parameters: [Parameter("value", .any, "any value"),
                             Parameter("width", .integer, "the width in characters (at most 10000)"),
                             Parameter("right", .bool, default: .bool(false), "align to the right")]) { args in
            let text = args.value("value").map { v in if case .string(let s) = v { s } else { v.description } } ?? ""
            let width = try args.int("width")
            guard width >= 0 else { throw args.error("width must be >= 0, got \(width)", at: "width") }
            guard width <= 10_000 else { throw args.error("width must be at most 10000 characters, got \(width)", at: "width") }
            let fill = String(repeating: " ", count: max(0, width - text.count))
            return .string(try args.bool("right") ? fill + text : text + fill)
        },
        Builtin("len", "The number of elements of a list, range, string, record or domain value.",
                parameters: [Parameter("value", .any, "a sequence")]) { args in
            let v = args.value("value") ?? .nothing
            switch v {
            case .list(let xs): return .number(Double(xs.count))
            case .range(let r): return .number(Double(r.count))
            case .string(let s): return .number(Double(s.asciiBytes?.count ?? s.count))
            case .record(let r): return .number(Double(r.fields.count))
            case .object(let o):
                if let n = o.length { return .number(Double(n)) }
            default: break
            }
            throw args.error("\(withArticle(v.typeName)) has no length", at: "value")
        },
        Builtin("range", "Numbers from start up to (not including) stop: range(5) is 0, 1, 2, 3, 4.",
                parameters: [
                    Parameter("start", .number, "first value, or the stop when given alone"),
                    Parameter("stop", .number, optional: true, "end (excluded)"),
                    Parameter("step", .number, default: .number(1), "increment (non-zero)"),
                ],
                details: "The `a..b step s` syntax includes b when a step lands on it; range() never includes stop.") { args in
            var start = try args.number("start"), stop = 0.0
            if let s = try args.optionalNumber("stop") { stop = s } else { (start, stop) = (0, start) }
            let step = try args.number("step")
            guard step != 0, step.isFinite, start.isFinite, stop.isFinite else {
                throw args.error("range needs finite bounds and a non-zero step", at: "step")
            }
            let n = max(0, ((stop - start) / step).rounded(.up))
            guard n < 1e15 else { throw args.error("range too long") }
            if n == 0 { return .list([]) }
            guard let r = RangeValue(start: start, end: start + (n - 1) * step, step: step) else { throw args.error("invalid range") }
            return .range(r)
        },
        Builtin("seed", "Sets the default seed of random primitives called without `seed:`.",
                parameters: [Parameter("value", .integer, "a non-negative integer")],
                details: "Each unseeded random call then draws the next seed of a fixed sequence, so a script\nthat starts with seed(n) prints the same numbers every run, on any thread count.") { args in
            let n = try args.int("value")
            guard n >= 0 else { throw args.error("seed must be non-negative (got \(n))", at: "value") }
            Settings.defaultSeed = UInt64(n)
            Settings.resetSeedSequence()
            return .nothing
        },
        Builtin("time", "Runs a function of no arguments, prints its wall time and returns its value.",
                parameters: [Parameter("f", .function, "e.g. fn() = ising(L: 32, beta: 0.44, samples: 100)")]) { args in
            guard case .function(let f)? = args.value("f") else { return .nothing }
            let start = DispatchTime.now().uptimeNanoseconds
            let result = try args.call(f, [])
            let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) * 1e-9
            args.write("time: \(formatDuration(seconds))\n")
            return result
        },
        Builtin("assert", "Stops with an error unless the condition holds.",
                parameters: [Parameter("condition", .bool, "must be true"),
                             Parameter("message", .string, default: .string("assertion failed"), "the error text")]) { args in
            if try !args.bool("condition") { throw args.error(try args.string("message"), at: "condition") }
            return .nothing
        },
    ] }
}

/// "12.3 ms", "4.56 s", "2 min 03 s".
public func formatDuration(_ seconds: Double) -> String {
    if seconds < 1e-3 { return String(format: "%.1f µs", seconds * 1e6) }
    if seconds < 1 { return String(format: "%.1f ms", seconds * 1e3) }
    if seconds < 120 { return String(format: "%.2f s", seconds) }
    return String(format: "%d min %02d s", Int(seconds) / 60, Int(seconds) % 60)
}

extension Interpreter {
    /// The `help` listing: every builtin with its one-line summary.
    func overview() -> String {
        let names = builtinNames
        let width = names.map(\.count).max() ?? 0
        var out = "builtins (help NAME for details; docs/language.md for the language):\n"
        for n in names { out += "  " + n.padding(width) + "  " + (builtins[n]?.summary ?? "") + "\n" }
        return out
    }
}
