import RGSNumerics
import RGSPhysics

/// The autoencoder's beta flow (the autoencoder paper's Fig. 16): for each starting beta, the
/// beta a regressor reads off the input lattices and off the autoencoder's outputs, and the fixed
/// point where the output beta equals the input beta.
public struct BetaFlow: Sendable {
    /// The label beta of each group of samples, ascending.
    public let beta: [Double]
    /// The regressor's beta of the input lattices.
    public let input: [Measurement]
    /// The regressor's beta of the autoencoder's outputs (beta').
    public let output: [Measurement]

    /// Where the piecewise-linear curve beta'(beta_in) crosses beta' = beta_in, with beta_in the
    /// predicted input beta (nil if it never crosses; the first crossing if it crosses more than
    /// once).
    public var fixedPoint: Double? {
        BetaFlow.crossing(x: input.map(\.value), y: output.map(\.value))
    }

    /// Where the least-squares line through (beta_in, beta') meets beta' = beta_in: the paper's
    /// construction ("the line fitting the predicted beta from AE intersects beta = beta'",
    /// 0.45265 there). Nil for a line parallel to the diagonal.
    public var lineFitFixedPoint: Double? {
        let x = input.map(\.value), y = output.map(\.value)
        let mx = Statistics.mean(x), my = Statistics.mean(y)
        let sxx = x.reduce(0) { $0 + ($1 - mx) * ($1 - mx) }
        guard sxx > 0 else { return nil }
        let slope = zip(x, y).reduce(0) { $0 + ($1.0 - mx) * ($1.1 - my) } / sxx
        guard slope != 1 else { return nil }
        return (my - slope * mx) / (1 - slope)
    }

    /// The table: beta, predicted input beta and predicted output beta (with errors).
    public var table: Table {
        Table(title: "autoencoder beta flow", columns: [
            Table.Column("beta", beta),
            Table.Column("input", input.map(\.value), errors: input.map(\.error)),
            Table.Column("output", output.map(\.value), errors: output.map(\.error)),
        ])
    }

    /// The first x where y(x) - x changes sign, interpolated linearly between the points sorted by x.
    public static func crossing(x: [Double], y: [Double]) -> Double? {
        let points = zip(x, y).sorted { $0.0 < $1.0 }
        for (a, b) in zip(points, points.dropFirst()) {
            let da = a.1 - a.0, db = b.1 - b.0
            if da == 0 { return a.0 }
            if (da < 0) != (db < 0) {
                return a.0 + (b.0 - a.0) * da / (da - db)
            }
        }
        if let last = points.last, last.1 == last.0 { return last.0 }
        return nil
    }
}

extension Network {
    /// The beta flow of this autoencoder on `data` (lattices at several beta) measured with a
    /// beta `regressor`: one AE step with `resampling`, then the regressor on input and output.
    public func betaFlow(on data: Ensemble, regressor: Network, resampling: FlowResampling = .sign) throws(CoreError) -> BetaFlow {
        guard case .regressor(.beta) = regressor.role else {
            throw CoreError("the beta flow needs a beta regressor", hint: "train regressor(target: beta) first")
        }
        let output = try flow(from: data, steps: 1, resampling: resampling).steps[1]
        let before = try regressor.measure(data), after = try regressor.measure(output)
        return BetaFlow(beta: before.labels, input: before.predicted, output: after.predicted)
    }
}
