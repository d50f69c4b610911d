import Foundation

/// A number with its one-sigma statistical error, as every observable returns.
public struct Measurement: Sendable, Equatable, CustomStringConvertible {
    public var value: Double
    public var error: Double

    public init(_ value: Double, error: Double) {
        self.value = value
        self.error = error
    }

    /// `0.5123 ± 0.0021`: the value rounded to the error's second significant digit. Below 1e-4
    /// (the larger of value and error), and for errors from 1e6 on, both share one power of ten,
    /// `(-2.005711 ± 0.000016)e-5`, `(1.0 ± 2.5)e9`, rather than trailing a row of zeros.
    public var description: String {
        // An error at rounding level (a constant series) shows as an exact value; an unknown one as
        // nan, an unbounded one (a crossing no bootstrap replica found, a / 0) as inf.
        if (error.isNaN || error.isInfinite) && value.isFinite { return "\(compactNumber(value)) ± \(formatNumber(error))" }
        guard error.isFinite, error > 1e-12 * Swift.abs(value), error > 0, value.isFinite else { return compactNumber(value) }
        let size = max(Swift.abs(value), error)
        let exponent = size < 1e-4 || error >= 1e6 ? Int(floor(log10(size))) : 0
        // Below 1e-300 the power of ten would be subnormal (or 0): scale up in two normal steps.
        let (v, e) = exponent >= -300 ? (value / pow(10, Double(exponent)), error / pow(10, Double(exponent)))
            : (value * 1e150 * pow(10, Double(-exponent - 150)), error * 1e150 * pow(10, Double(-exponent - 150)))
        let digits = max(0, min(12, 1 - Int(floor(log10(e)))))
        let text = "\(fixed(v, digits)) ± \(fixed(e, digits))"
        return exponent == 0 ? text : "(\(text))e\(exponent)"
    }
}

/// Formats a value with a fixed number of decimals.
public func fixed(_ x: Double, _ digits: Int) -> String {
    guard x.isFinite else { return formatNumber(x) }
    return String(format: "%.\(max(0, min(17, digits)))f", x)
}

/// A float as the double it reads as: 0.001, not 0.0010000000474974513.
public func decimal(_ x: Float) -> Double { Double(x.description) ?? Double(x) }

/// The shortest round-tripping text of a number; integral values print without a decimal point.
public func formatNumber(_ x: Double) -> String {
    if x.isNaN { return "nan" }
    if x.isInfinite { return x < 0 ? "-inf" : "inf" }
    // Up to 1e16 (past 2^53) integers print in full; Swift's own text switches to 1e+16 there.
    if x == x.rounded(), Swift.abs(x) < 1e16 { return String(Int64(x)) }
    return "\(x)"
}

/// A number for tables: integral values as integers, others to six significant digits.
public func compactNumber(_ x: Double) -> String {
    if !x.isFinite || (x == x.rounded() && Swift.abs(x) < 1e16) { return formatNumber(x) }
    var s = String(format: "%.6g", x)
    if s.contains("e") { return s }
    while s.contains("."), s.hasSuffix("0") { s.removeLast() }
    return s
}

/// A formatter for `values` with 4 significant digits, or as many more (up to 12) as it takes for
/// values that differ to print differently (a message's "-3.9461 ... above -3.946").
public func distinguishingFormat(_ values: [Double]) -> (Double) -> String {
    let finite = values.filter(\.isFinite), distinct = Set(finite).count
    for digits in 4..<12 {
        let text = { (x: Double) in String(format: "%.\(digits)g", x) }
        if Set(finite.map(text)).count == distinct { return text }
    }
    return { String(format: "%.12g", $0) }
}

/// Whether `x` has at most four decimals (T = 2.5, beta = 0.4407: a value as typed; 1 / 0.7 is
/// not). Infinities count as short. Used to label temperatures by T or by beta, whichever reads
/// as typed.
public func hasFewDecimals(_ x: Double) -> Bool {
    let scaled = x * 1e4
    return !x.isFinite || (scaled - scaled.rounded()).magnitude < 1e-6 * max(1, scaled.magnitude)
}

/// Whether temperatures read better as beta: every beta has few decimals and some T does not.
public func labelsReadAsBeta(betas: [Double], temperatures: [Double]) -> Bool {
    betas.allSatisfy(hasFewDecimals) && !temperatures.allSatisfy(hasFewDecimals)
}
