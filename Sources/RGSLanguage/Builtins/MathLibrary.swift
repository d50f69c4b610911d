import Foundation

/// Elementary functions; each applies elementwise to lists and ranges of numbers.
enum MathLibrary {
    static var builtins: [Builtin] { [
        unary("abs", "Absolute value.") { Swift.abs($0) },
        unary("sqrt", "Square root (nan for negative numbers).") { $0.squareRoot() },
        unary("exp", "Exponential e^x.") { Foundation.exp($0) },
        unary("log", "Natural logarithm (-inf at 0, nan below).") { Foundation.log($0) },
        unary("sin", "Sine (radians).") { Foundation.sin($0) },
        unary("cos", "Cosine (radians).") { Foundation.cos($0) },
        unary("tanh", "Hyperbolic tangent.") { Foundation.tanh($0) },
        unary("cosh", "Hyperbolic cosine.") { Foundation.cosh($0) },
        unary("sinh", "Hyperbolic sine.") { Foundation.sinh($0) },
        unary("floor", "Largest integer not above x.") { $0.rounded(.down) },
        Builtin("round", "Rounds to the nearest value with `digits` decimals (halves away from zero).",
                parameters: [Parameter("x", .oneOf([.number, .list]), "a number or list of numbers"),
                             Parameter("digits", .integer, default: .number(0), "decimals to keep")]) { args in
            let d = try args.int("digits")
            guard (-15...15).contains(d) else { throw args.error("digits must be between -15 and 15", at: "digits") }
            let scale = Foundation.pow(10.0, Double(d))
            // Beyond 2^52 a double has no fractional digits left at this scale: it is returned as is
            // (scaling 1e308 up would overflow to inf).
            return try elementwise(args, "x") { x in
                let y = x * scale
                return y.isFinite && Swift.abs(y) < 4_503_599_627_370_496 ? y.rounded() / scale : x
            }
        },
    ] }

    private static func unary(_ name: String, _ summary: String, _ f: @escaping (Double) -> Double) -> Builtin {
        Builtin(name, summary + " Elementwise on lists.",
                parameters: [Parameter("x", .oneOf([.number, .list]), "a number or list of numbers")]) { args in
            try elementwise(args, "x", f)
        }
    }

    static func elementwise(_ args: Arguments, _ name: String, _ f: (Double) -> Double) throws -> Value {
        switch args.value(name) {
        case .number(let x)?: return .number(f(x))
        default:
            guard let xs = try args.numbers(name) else { return .nothing }
            return .list(xs.map { .number(f($0)) })
        }
    }
}
