import Foundation
import RGSNumerics

/// A scaling dimension from a power-law fit G(r) = B / r^(2 Delta) (eqs. 3-5 of the long-range paper).
public struct ScalingFit: Sendable, Equatable {
    /// The scaling dimension Delta with its jackknife error.
    public var delta: RGSNumerics.Measurement
    /// The amplitude B with its jackknife error.
    public var amplitude: RGSNumerics.Measurement
    /// The distances fitted, rmin...rmax.
    public var window: ClosedRange<Int>
    /// How many distances in the window had G(r) > 0 and entered the fit.
    public var points: Int

    /// Least squares of log G = log B + log f(r) over the pairs with G > 0 and 0 < r < period,
    /// with f(r) = r^(-2 Delta), or with `period` L the nearest periodic image added,
    /// f(r) = r^(-2 Delta) + (L - r)^(-2 Delta). Unweighted (the jackknife supplies the error);
    /// nil with fewer than two points.
    public static func powerLaw(r: [Double], g: [Double],
                                period: Double? = nil) -> (delta: Double, amplitude: Double, points: Int)? {
        let points = zip(r, g).filter { $0.0 > 0 && $0.0 < (period ?? .infinity) && $0.1 > 0 && $0.1.isFinite }
            .map { (r: $0.0, logG: log($0.1)) }
        guard points.count >= 2 else { return nil }
        let n = Double(points.count)
        guard let period else {
            let mx = points.reduce(0) { $0 + log($1.r) } / n, my = points.reduce(0) { $0 + $1.logG } / n
            let sxx = points.reduce(0) { $0 + (log($1.r) - mx) * (log($1.r) - mx) }
            let sxy = points.reduce(0) { $0 + (log($1.r) - mx) * ($1.logG - my) }
            let slope = sxy / sxx
            return (-slope / 2, exp(my - slope * mx), points.count)
        }
        // For fixed Delta the best log B is the mean residual; Delta by a scan and golden section.
        func fit(_ delta: Double) -> (sse: Double, logB: Double) {
            let residuals = points.map { $0.logG - log(pow($0.r, -2 * delta) + pow(period - $0.r, -2 * delta)) }
            let logB = residuals.reduce(0, +) / n
            return (residuals.reduce(0) { $0 + ($1 - logB) * ($1 - logB) }, logB)
        }
        let step = 0.01
        var lo = -2.0, best = (delta: lo, sse: Double.infinity)
        while lo <= 6 {
            let sse = fit(lo).sse
            if sse < best.sse { best = (lo, sse) }
            lo += step
        }
        var a = best.delta - step, b = best.delta + step
        let ratio = (5.0.squareRoot() - 1) / 2
        for _ in 0..<60 {
            let c = b - ratio * (b - a), d = a + ratio * (b - a)
            if fit(c).sse < fit(d).sse { b = d } else { a = c }
        }
        let delta = (a + b) / 2
        return (delta, exp(fit(delta).logB), points.count)
    }
}

public extension Ensemble {
    /// The period L along a lattice axis of `shape`, twice the largest distance of G(r): the
    /// shortest side, or 2m on a 2m x m rotated lattice.
    static func axisPeriod(shape: [Int]) -> Int { PairGeometry.period(shape) }

    /// The default fit window 1...max(3, L/4), capped at L/2 (L = `axisPeriod`): away from L/2,
    /// where the periodic image flattens G(r), and still three points on L = 10.
    static func defaultScalingWindow(shape: [Int]) -> ClosedRange<Int> {
        let side = axisPeriod(shape: shape)
        return 1...max(1, min(side / 2, max(3, side / 4)))
    }

    /// Delta of `op` for every (beta, h) group from G(r) ~ B / r^(2 Delta) over `window` (default
    /// `defaultScalingWindow`): columns beta, T, h, Delta, B (with jackknife errors over `bins`
    /// blocks of samples), rmin, rmax and points. `connected` as in `correlation`. `images` adds
    /// the nearest periodic image, G(r) = B (r^(-2 Delta) + (L - r)^(-2 Delta)), L the period above:
    /// the paper's plain form (the default) underestimates a small Delta on a torus.
    func scalingDimensions(_ op: LocalOperator = .spin, window: ClosedRange<Int>? = nil, connected: Bool? = nil,
                           images: Bool = false, bins: Int = 20) throws -> Table {
        let (groups, fits) = try scalingFits(op, window: window, connected: connected, images: images, bins: bins)
        let label = (op == .spin ? "spin" : "energy density") + (images ? ", with periodic image" : "")
        // A negative Delta is a fit that failed: G(r) does not fall as a power of r in the window.
        let negative = zip(groups, fits).filter { $0.1.delta.value < 0 }.map { compactNumber($0.0.temperature) }
        let note = negative.isEmpty ? "" : "; Delta < 0 at T = \(negative.joined(separator: ", ")): G(r) does not fall as a power "
            + "of r in the window (far from T_c, or lost in noise), so this is no scaling dimension"
        return Table(title: "scaling dimension (\(label))" + note,
                     columns: ObservableSupport.labelColumns(groups, rows: groups.map { _ in 1 }) + [
                         Table.Column("Delta", fits.map(\.delta.value), errors: fits.map(\.delta.error)),
                         Table.Column("B", fits.map(\.amplitude.value), errors: fits.map(\.amplitude.error)),
                         Table.Column("rmin", fits.map { Double($0.window.lowerBound) }),
                         Table.Column("rmax", fits.map { Double($0.window.upperBound) }),
                         Table.Column("points", fits.map { Double($0.points) }),
                     ])
    }

    /// The scaling dimension of `op` for an ensemble with a single (beta, h) label.
    func scalingDimension(_ op: LocalOperator = .spin, window: ClosedRange<Int>? = nil, connected: Bool? = nil,
                          images: Bool = false, bins: Int = 20) throws -> ScalingFit {
        let (groups, fits) = try scalingFits(op, window: window, connected: connected, images: images, bins: bins)
        return try ObservableSupport.single(groups, fits, what: "scaling_dimension")
    }

    /// One fit per group.
    private func scalingFits(_ op: LocalOperator, window: ClosedRange<Int>?, connected: Bool?, images: Bool,
                             bins: Int) throws -> ([LabelGroup], [ScalingFit]) {
        let period = Self.axisPeriod(shape: shape), largest = period / 2
        let window = window ?? Self.defaultScalingWindow(shape: shape)
        guard largest >= 2 else {
            throw CoreError("the lattice is too small for a scaling fit (period \(period) along an axis)",
                            hint: "a fit needs distances 1 and 2, so a side of at least 4")
        }
        guard window.lowerBound >= 1, window.upperBound <= largest, window.count >= 2 else {
            throw CoreError("the fit window \(window.lowerBound)...\(window.upperBound) must lie in 1...\(largest) "
                            + "and hold at least two distances", hint: "the default is \(Self.defaultScalingWindow(shape: shape))")
        }
        if images && RotatedLattice.contains(shape) {
            // Its torus has periods (m, m) and (m, -m) in its own axes: the nearest image of r lies
            // off the axis, at sqrt((m - r)^2 + m^2), not at L - r.
            throw CoreError("images: true fits the image at L - r along an axis, but on the \(shape[0])x\(shape[1]) rotated lattice the nearest image lies off the axis",
                            hint: "drop images:, or decimate once more to the square lattice")
        }
        let r = window.map(Double.init), image = images ? Double(period) : nil
        let functions = try correlationFunctions(op, connected: connected, bins: bins)
        var fits = [ScalingFit]()
        for (group, sums) in functions {
            let g = Array(sums.estimate(leftOut: nil)[window])
            guard let central = ScalingFit.powerLaw(r: r, g: g, period: image) else {
                throw CoreError("G(r) of the \(op.rawValue) is positive at fewer than two distances in "
                                + "\(window.lowerBound)...\(window.upperBound) at T = \(formatNumber(group.temperature))",
                                hint: "the correlations are lost in noise there: use more samples or a smaller rmax")
            }
            let result = sums.blocks.jackknife { leftOut in
                guard let leftOut else { return [central.delta, central.amplitude] }
                let fit = ScalingFit.powerLaw(r: r, g: Array(sums.estimate(leftOut: leftOut)[window]), period: image)
                return [fit?.delta ?? .nan, fit?.amplitude ?? .nan]
            }
            fits.append(ScalingFit(delta: result[0], amplitude: result[1], window: window, points: central.points))
        }
        return (functions.map(\.group), fits)
    }
}
