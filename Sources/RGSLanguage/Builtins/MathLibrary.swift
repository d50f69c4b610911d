import Foundation
import RGSNumerics

/// Elementary functions; each applies elementwise to lists and ranges of numbers.
enum MathLibrary {
    static var builtins: [Builtin] { [
        unary("abs", "Absolute value.", { Swift.abs($0) }, derivative: { $0 < 0 ? -1 : 1 }),
        unary("sqrt", "Square root (nan for negative numbers).", { $0.squareRoot() }, derivative: { 0.5 / $0.squareRoot() }),
        unary("exp", "Exponential e^x.", { Foundation.exp($0) }, derivative: { Foundation.exp($0) }),
        unary("log", "Natural logarithm (-inf at 0, nan below).", { Foundation.log($0) }, derivative: { 1 / $0 }),
        unary("sin", "Sine (radians).", { Foundation.sin($0) }, derivative: { Foundation.cos($0) }),
        unary("cos", "Cosine (radians).", { Foundation.cos($0) }, derivative: { -Foundation.sin($0) }),
        unary("tanh", "Hyperbolic tangent.", { Foundation.tanh($0) }, derivative: { 1 / (Foundation.cosh($0) * Foundation.cosh($0)) }),
        unary("cosh", "Hyperbolic cosine.", { Foundation.cosh($0) }, derivative: { Foundation.sinh($0) }),
        unary("sinh", "Hyperbolic sine.", { Foundation.sinh($0) }, derivative: { Foundation.cosh($0) }),
        unary("floor", "Largest integer not above x.", { $0.rounded(.down) }),
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

    /// An elementwise function; with its `derivative` it also takes measurements, the error
    /// propagated to first order: |f'(x)| sigma (each source's part times f'(x)).
    private static func unary(_ name: String, _ summary: String, _ f: @escaping (Double) -> Double,
                              derivative: ((Double) -> Double)? = nil) -> Builtin {
        let kinds: [ParamType] = derivative == nil ? [.number, .list] : [.number, .list, .kind("Measurement")]
        return Builtin(name, summary + " Elementwise on lists." + (derivative == nil ? "" : " Measurements keep an error bar."),
                       parameters: [Parameter("x", .oneOf(kinds), "a number or list of numbers")]) { args in
            guard let derivative, let x = args.value("x"), MeasurementValue.isMeasurement(x) || containsMeasurement(x) else {
                return try elementwise(args, "x", f)
            }
            func apply(_ v: Value) throws -> Value {
                guard let m = MeasurementValue.tracked(v) else {
                    throw args.error("`x` must hold numbers or measurements, found \(withArticle(v.typeName))", at: "x")
                }
                return .object(MeasurementValue(tracked: m.mapped(to: f(m.value), slope: derivative(m.value))))
            }
            if case .list(let items) = x { return .list(try items.map(apply)) }
            return try apply(x)
        }
    }

    private static func containsMeasurement(_ v: Value) -> Bool {
        if case .list(let items) = v { return items.contains(where: MeasurementValue.isMeasurement) }
        return false
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
