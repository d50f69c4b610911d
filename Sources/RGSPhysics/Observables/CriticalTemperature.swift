import RGSNumerics

/// Critical-temperature estimates from finite-size data; pure functions on arrays.
///
/// Crossings are found on cubic Hermite curves through the measured points (`MeasuredCurve`). Errors come
/// from a parametric bootstrap with fixed seed: every input value is redrawn from a Gaussian of
/// its error, the crossing is found again (the zero nearest the central one), and the spread of
/// the replicas is the error. Correlations between pairs that share a curve are kept that way.
public enum CriticalTemperature {
    /// The result of a Binder-cumulant crossing analysis.
    public struct BinderCrossing: Sendable, Equatable {
        /// T_c: the inverse-variance weighted mean of the pairwise crossings, with the bootstrap
        /// spread of that mean as error. A drift of the pairs with L shows corrections to scaling;
        /// the largest pair is then the better estimate.
        public var estimate: RGSNumerics.Measurement
        /// One row per adjacent pair of sizes: columns L1, L2, Tc and U (with errors).
        public var pairs: Table
    }

    /// T_c from the crossings of Binder curves U_L(T) of adjacent sizes (sorted by L).
    ///
    /// Of several sign changes of U_L1 - U_L2 the most significant one is taken (the largest change
    /// across the interval relative to the errors), since the curves of all sizes meet in noise
    /// at 0 for high T and 2/3 for low T.
    public static func binderCrossing(_ curves: [(size: Int, temperatures: [Double], values: [RGSNumerics.Measurement])],
                                      replicas: Int = 1000, seed: UInt64 = 1) throws -> BinderCrossing {
        guard curves.count >= 2 else {
            throw CoreError("a Binder crossing needs curves for at least two sizes (got \(curves.count))")
        }
        guard Set(curves.map(\.size)).count == curves.count else {
            throw CoreError("two Binder curves have the same size L", hint: "give one curve per L")
        }
        try validate(replicas: replicas)
        let sorted = curves.sorted { $0.size < $1.size }
        let measured = try sorted.map { try MeasuredCurve(x: $0.temperatures, values: $0.values, what: "the curve for L = \($0.size)") }
        let pairCount = measured.count - 1
        let central = try (0..<pairCount).map { p in
            guard let c = CurveCrossing(a: measured[p], b: measured[p + 1], target: 0).best() else {
                throw CoreError("the Binder curves for L = \(sorted[p].size) and L = \(sorted[p + 1].size) do not cross",
                                hint: "extend the temperature range around the expected T_c")
            }
            return c
        }
        // replicas x pairs: (T, U) of the crossing nearest the central one, NaN when a replica has none.
        let draws = (0..<replicas).map { i -> [(Double, Double)] in
            var rng = RandomStream(seed: seed, stream: UInt64(i))
            let redrawn = measured.map { $0.resampled(&rng) }
            return (0..<pairCount).map { p in
                let c = CurveCrossing(a: redrawn[p], b: redrawn[p + 1], target: 0).nearest(to: central[p].x)
                return (c?.x ?? .nan, c?.value ?? .nan)
            }
        }
        let tErrors = (0..<pairCount).map { p in spread(draws.map { $0[p].0 }) }
        let uErrors = (0..<pairCount).map { p in spread(draws.map { $0[p].1 }) }
        let weights = tErrors.allSatisfy { $0 > 0 && $0.isFinite } ? tErrors.map { 1 / ($0 * $0) } : tErrors.map { _ in 1.0 }
        func weightedMean(_ t: [Double]) -> Double { zip(t, weights).reduce(0) { $0 + $1.0 * $1.1 } / weights.reduce(0, +) }
        let estimate = RGSNumerics.Measurement(weightedMean(central.map(\.x)),
                                               error: spread(draws.map { weightedMean($0.map(\.0)) }))
        let pairs = Table(title: "Binder crossings", columns: [
            Table.Column("L1", sorted.dropLast().map { Double($0.size) }),
            Table.Column("L2", sorted.dropFirst().map { Double($0.size) }),
            Table.Column("Tc", central.map(\.x), errors: tErrors),
            Table.Column("U", central.map(\.value), errors: uErrors),
        ])
        return BinderCrossing(estimate: estimate, pairs: pairs)
    }

    /// T_c where the energy scaling dimension crosses `target` (1 in 2D, as the long-range paper
    /// fixes T_c by Delta_eps(T_c) = 1), from Delta_eps(T) ± error; the most significant crossing.
    public static func deltaCrossing(temperatures: [Double], deltas: [RGSNumerics.Measurement], target: Double = 1,
                                     replicas: Int = 1000, seed: UInt64 = 1) throws -> RGSNumerics.Measurement {
        try validate(replicas: replicas)
        guard target.isFinite else { throw CoreError("the target dimension must be finite") }
        let curve = try MeasuredCurve(x: temperatures, values: deltas, what: "Delta(T)")
        guard let central = CurveCrossing(a: curve, b: nil, target: target).best() else {
            throw CoreError("Delta(T) does not cross \(formatNumber(target)) in the temperatures given",
                            hint: "extend the temperature range")
        }
        let draws = (0..<replicas).map { i -> Double in
            var rng = RandomStream(seed: seed, stream: UInt64(i))
            return CurveCrossing(a: curve.resampled(&rng), b: nil, target: target).nearest(to: central.x)?.x ?? .nan
        }
        return RGSNumerics.Measurement(central.x, error: spread(draws))
    }

    private static func validate(replicas: Int) throws {
        guard replicas >= 2 else { throw CoreError("replicas must be at least 2 (got \(replicas))", hint: "the default is 1000") }
    }

    /// Standard deviation of the finite values (replicas without a crossing are left out);
    /// infinite when fewer than two remain.
    private static func spread(_ x: [Double]) -> Double {
        let finite = x.filter(\.isFinite)
        return finite.count < 2 ? .infinity : Statistics.variance(finite).squareRoot()
    }
}
