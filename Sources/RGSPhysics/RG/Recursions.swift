import Foundation
import RGSNumerics

/// An analytic decimation recursion for the Ising coupling K = beta J (J = 1).
public enum RGScheme: String, Sendable, CaseIterable {
    /// 2D checkerboard decimation with only the pair coupling kept: beta' = 3/8 ln cosh 4 beta
    /// (autoencoder paper, eq. 5). Non-trivial fixed point beta* ~ 0.5070 (repelling).
    case decimation2D = "decimation2d"
    /// Exact 1D decimation of every other spin: tanh beta' = tanh^2 beta. Only the trivial fixed
    /// points beta = 0 (attracting) and beta = infinity (repelling).
    case decimation1D = "decimation1d"
}

/// A fixed point beta* = R(beta*) of a recursion and how the flow behaves near it.
public struct RGFixedPoint: Sendable, Equatable {
    /// The fixed-point coupling (0 or `.infinity` for the trivial ones).
    public var beta: Double
    /// dbeta'/dbeta at a finite fixed point: > 1 repelling (a critical point), < 1 attracting.
    /// nil at beta = infinity.
    public var slope: Double?
    /// True when nearby couplings flow into it.
    public var isAttracting: Bool
    /// True for beta = 0 and beta = infinity.
    public var isTrivial: Bool
}

/// The analytic RG recursions of decimation and their fixed points.
public enum RGRecursion {
    /// One step of `scheme` from coupling `beta` (beta >= 0; infinity maps to infinity).
    public static func step(_ beta: Double, scheme: RGScheme) -> Double {
        switch scheme {
        case .decimation2D:
            // eq. 5 of the autoencoder paper: summing the decimated spin gives pair and quartet
            // couplings; keeping the pair coupling only gives beta' = 3/8 ln cosh 4 beta.
            return 0.375 * logCosh(4 * beta)
        case .decimation1D:
            // tanh beta' = tanh^2 beta, written as beta' = 1/2 ln cosh 2 beta (the same identity,
            // cosh 2K = (1 + tanh^2 K) / (1 - tanh^2 K)) so large beta does not round tanh to 1.
            return 0.5 * logCosh(2 * beta)
        }
    }

    /// The iterates beta_0 = beta, beta_1, ..., beta_steps (steps + 1 values).
    ///
    /// Throws a `CoreError` for a negative or NaN beta or steps outside 0...100000.
    public static func iterate(beta: Double, scheme: RGScheme, steps: Int) throws -> [Double] {
        try checkCoupling(beta, "beta")
        try checkSteps(steps)
        var out = [beta]
        for _ in 0..<steps { out.append(step(out[out.count - 1], scheme: scheme)) }
        return out
    }

    /// Exact 1D decimation with a field: the couplings (K', H') of the chain with every other
    /// spin summed out, for the reduced Hamiltonian -beta H = K sum s_i s_{i+1} + H sum s_i
    /// (K = beta J, H = beta h).
    ///
    /// Summing s_2 between s_1 and s_3 gives 2 cosh(K (s_1 + s_3) + H) = exp(g + K' s_1 s_3 +
    /// dH (s_1 + s_3) / 2); its three values A+ = 2 cosh(2K + H), A- = 2 cosh(2K - H),
    /// A0 = 2 cosh H give K' = 1/4 ln(A+ A- / A0^2) and dH = 1/2 ln(A+ / A-). Each kept spin keeps
    /// its own field and receives dH/2 from each of its two removed neighbours, so H' = H + dH.
    /// At H = 0 this is tanh K' = tanh^2 K.
    ///
    /// Both are evaluated without cancellation: A+ A- / A0^2 = 1 + sinh^2(2K) / cosh^2(H), so
    /// K' = 1/4 ln(1 + sinh^2(2K) / cosh^2(H)) stays >= 0 with full relative precision when K << H
    /// (in logarithms where the ratio would overflow), and dH = atanh(tanh 2K tanh H) when that product is small.
    public static func decimation1D(coupling k: Double, field h: Double) -> (coupling: Double, field: Double) {
        let ratio = sinh(2 * k) / cosh(h)
        let coupling: Double
        if ratio.isFinite && ratio < 1e150 {
            coupling = 0.25 * log1p(ratio * ratio)
        } else {
            let q = 2 * (logSinh(2 * k) - logCosh(h))  // ln of the squared ratio, without overflow
            coupling = 0.25 * (q > 0 ? q + log1p(exp(-q)) : log1p(exp(q)))
        }
        let t = tanh(2 * k) * tanh(h)
        let shift = abs(t) < 0.5 ? atanh(t) : 0.5 * (logCosh(2 * k + h) - logCosh(2 * k - h))
        return (coupling, h + shift)
    }

    /// The iterates of `decimation1D(coupling:field:)` (steps + 1 pairs, step 0 the input).
    ///
    /// Throws a `CoreError` for a negative or NaN coupling, a NaN or infinite field, or steps
    /// outside 0...100000.
    public static func iterate1D(coupling: Double, field: Double, steps: Int) throws
        -> [(coupling: Double, field: Double)] {
        try checkCoupling(coupling, "beta")
        guard field.isFinite else { throw CoreError("field must be a finite number (got \(formatNumber(field)))", argument: "h") }
        try checkSteps(steps)
        var out = [(coupling: coupling, field: field)]
        for _ in 0..<steps {
            let last = out[out.count - 1]
            out.append(decimation1D(coupling: last.coupling, field: last.field))
        }
        return out
    }

    /// All fixed points of `scheme`, trivial ones included, in increasing beta.
    public static func fixedPoints(scheme: RGScheme) -> [RGFixedPoint] {
        let zero = RGFixedPoint(beta: 0, slope: 0, isAttracting: true, isTrivial: true)
        switch scheme {
        case .decimation2D:
            let b = criticalBeta2D()
            let slope = 1.5 * tanh(4 * b)
            return [zero,
                    RGFixedPoint(beta: b, slope: slope, isAttracting: slope < 1, isTrivial: false),
                    RGFixedPoint(beta: .infinity, slope: nil, isAttracting: true, isTrivial: true)]
        case .decimation1D:
            // beta' < beta for every finite beta > 0: everything flows to 0, and infinity repels.
            return [zero, RGFixedPoint(beta: .infinity, slope: nil, isAttracting: false, isTrivial: true)]
        }
    }

    /// The non-trivial (critical) fixed point of `scheme`, to 1e-12.
    ///
    /// Throws a `CoreError` for `.decimation1D`, which has none: the chain has no
    /// finite-temperature transition.
    public static func criticalFixedPoint(scheme: RGScheme) throws -> Double {
        switch scheme {
        case .decimation2D:
            return criticalBeta2D()
        case .decimation1D:
            throw CoreError(
                "the 1d decimation recursion tanh beta' = tanh^2 beta has no non-trivial fixed point: only beta = 0 (attracting) and beta = infinity (repelling)",
                hint: "every finite beta flows to 0: the 1d Ising chain has no finite-temperature transition")
        }
    }

    /// The thermal exponent nu = ln b / ln(dbeta'/dbeta) at the critical fixed point, with the
    /// length rescaling b = sqrt 2 of one 2D decimation step (the exact value is 1).
    public static func correlationLengthExponent2D() -> Double {
        let b = criticalBeta2D()
        return log(2.0.squareRoot()) / log(1.5 * tanh(4 * b))
    }

    /// Root of 3/8 ln cosh 4b - b on [0.3, 1] by bisection (the function is negative at 0.3 and
    /// positive at 1, with one sign change) to the last representable bit.
    private static func criticalBeta2D() -> Double {
        var lo = 0.3, hi = 1.0
        while true {
            let mid = 0.5 * (lo + hi)
            if mid <= lo || mid >= hi { return mid }
            if step(mid, scheme: .decimation2D) - mid < 0 { lo = mid } else { hi = mid }
        }
    }

    private static func checkCoupling(_ x: Double, _ name: String) throws {
        guard !x.isNaN, x >= 0 else {
            throw CoreError("\(name) must be >= 0 (got \(formatNumber(x)))",
                            hint: "the recursions are for ferromagnetic couplings; infinity means T = 0", argument: name)
        }
    }

    private static func checkSteps(_ steps: Int) throws {
        guard (0...100_000).contains(steps) else {
            throw CoreError("steps must be between 0 and 100000 (got \(steps))")
        }
    }
}

/// ln cosh x without overflow for large x and without cancellation for small x.
@inline(__always)
func logCosh(_ x: Double) -> Double {
    let a = abs(x)
    if a.isInfinite { return a }
    // Below 1, ln cosh a = ln(1 + 2 sinh^2(a/2)) keeps full relative precision (a^2 / 2 for tiny
    // a; the form below cancels there: decimation1d from beta 0.001 gave 0 at step 3).
    if a < 1 {
        let s = sinh(a / 2)
        return log1p(2 * s * s)
    }
    return a + log1p(exp(-2 * a)) - M_LN2
}

/// ln sinh x for x >= 0 (-infinity at 0) without overflow for large x.
@inline(__always)
func logSinh(_ x: Double) -> Double {
    x < 20 ? log(sinh(x)) : x - M_LN2 + log1p(-exp(-2 * x))
}
