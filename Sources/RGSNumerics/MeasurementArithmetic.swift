import Foundation

/// Arithmetic on measurements with first-order propagation of independent errors: a number is a
/// measurement with error 0. Two measurements taken from the same data are correlated; their
/// combination's error is then only an estimate (a difference of positively correlated values
/// gets too large an error).
extension Measurement {
    public static func + (a: Measurement, b: Measurement) -> Measurement {
        Measurement(a.value + b.value, error: hypot(a.error, b.error))
    }

    public static func - (a: Measurement, b: Measurement) -> Measurement {
        Measurement(a.value - b.value, error: hypot(a.error, b.error))
    }

    public static func * (a: Measurement, b: Measurement) -> Measurement {
        Measurement(a.value * b.value, error: hypot(b.value * a.error, a.value * b.error))
    }

    public static func / (a: Measurement, b: Measurement) -> Measurement {
        let q = a.value / b.value
        return Measurement(q, error: hypot(a.error / b.value, q * b.error / b.value))
    }

    /// a^b: d/da = b a^(b-1), d/db = a^b ln a (each term only where its side has an error, so
    /// an exact 0^b is not 0 x inf = nan; a^b ln a -> 0 as a^b -> 0; an exact exponent 0 gives
    /// the constant 1, also at a = 0, where b a^(b-1) would be 0 x inf).
    public func power(_ b: Measurement) -> Measurement {
        let p = Foundation.pow(value, b.value)
        let byBase = error == 0 || b.value == 0 ? 0 : b.value * Foundation.pow(value, b.value - 1) * error
        let byExponent = b.error == 0 || p == 0 ? 0 : p * Foundation.log(value) * b.error
        return Measurement(p, error: hypot(byBase, byExponent))
    }
}
