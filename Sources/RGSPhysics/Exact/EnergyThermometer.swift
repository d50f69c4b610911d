import Foundation
import RGSNumerics

extension ExactIsing {
    /// The beta at which Kaufman's energy per spin of the L x L periodic lattice equals `energy`,
    /// with the slope d e / d beta there (minus the energy variance per spin, never 0 at finite
    /// beta), by bisection on [0, `largestBeta`].
    ///
    /// The energy falls from 0 at beta = 0 to -2 in the ground state, so -2 gives infinity. On
    /// an even side the lattice is bipartite and e(-beta) = -e(beta) (flip one sublattice), so a
    /// positive energy, such as a high-temperature average just above 0, gives the negative beta
    /// of the antiferromagnet. nil for a positive energy on an odd side, below -2, or NaN.
    public static func beta(energy e: Double, L: Int) -> (beta: Double, slope: Double)? {
        guard e.isFinite, e >= -2, L >= 2 else { return nil }
        if e == 0 { return (0, slope(L: L, beta: 0)) }
        if e > 0 {
            guard L % 2 == 0, let mirrored = beta(energy: -e, L: L) else { return nil }
            return (-mirrored.beta, mirrored.slope)
        }
        if e == -2 { return (.infinity, 0) }
        // Halving [0, 20] down to 1e-15 of its top takes about 60 steps; 200 bounds it.
        var (low, high, steps) = (0.0, largestBeta, 0)
        while high - low > 1e-15 * high, steps < 200 {
            let middle = (low + high) / 2
            if kaufman(L: L, beta: middle).energy > e { low = middle } else { high = middle }
            steps += 1
        }
        let beta = (low + high) / 2
        return (beta, slope(L: L, beta: beta))
    }

    /// d e / d beta = -Var(E) / N from the second derivative of Kaufman's ln Z. Below
    /// `smallBeta` that derivative drowns in the cancellation of terms of order N / beta^2 (at
    /// L = 64 and beta = 1e-9 it came out +90416), so the slope is interpolated linearly from
    /// its value at beta = 0, minus the bonds' variance per spin: -2, or -4 at L = 2, where
    /// each pair of neighbours is joined by two bonds.
    static func slope(L: Int, beta: Double) -> Double {
        func kaufmanSlope(_ beta: Double) -> Double { -kaufmanLogZ(L: L, .variable(beta)).second / Double(L * L) }
        guard beta < smallBeta else { return kaufmanSlope(beta) }
        let atZero = L == 2 ? -4.0 : -2.0
        return atZero + (kaufmanSlope(smallBeta) - atZero) * beta / smallBeta
    }

    /// Above this beta Kaufman's energy is -2 to double precision on every side.
    static let largestBeta = 20.0

    /// Below this beta the slope is interpolated (Kaufman's is good to 1e-5 here at L = 512).
    static let smallBeta = 1e-3
}

public extension Ensemble {
    /// The temperature read from the energy, per (beta, h) group: the beta at which the exact
    /// energy per spin of the L x L periodic 2D Ising model (`ExactIsing.beta(energy:L:)`)
    /// equals the group's mean energy, its error the energy's binning error over |de/dbeta|;
    /// columns beta, T, h (the groups' labels) and `value`, in `scale` (beta or T = 1 / beta).
    ///
    /// It needs square lattices of spins whose energy is the nearest-neighbour one without
    /// field: samples of `ising` at h = 0, or their images under a flow (an autoencoder's or an
    /// RBM's outputs, block spins), whose nearest-neighbour energy it measures.
    func energyTemperature(_ scale: TemperatureScale, bins: Int = 20) throws -> Table {
        let hint = "read it with a supervised net instead: measure \(scale.rawValue) of x using net"
        // Samples of another model: against a Monte Carlo sweep of it, or by a net.
        func sweep(_ model: LatticeModel) -> String {
            switch model {
            case .longRange(let alpha): sweep(model.name, "alpha: \(formatNumber(alpha)), ")
            case .ising(let h), .chain(let h): sweep(model.name, h == 0 ? "" : "h: \(formatNumber(h)), ")
            }
        }
        func sweep(_ name: String, _ parameter: String) -> String {
            let size = shape.count == 1 ? "N: \(shape[0])" : "L: \(shape[0])"
            return "read it against a sweep of that model at this size: measure \(scale.rawValue) of x using \(name)(\(size), \(parameter)"
                + "T: 1..14 step 0.5, samples: 500); or with a supervised net: measure \(scale.rawValue) of x using net"
        }
        guard shape.count == 2, shape[0] == shape[1] else {
            let what = shape.count == 1 ? "chains of \(shape[0]) sites" : shape.map(String.init).joined(separator: "x") + " lattices"
            throw CoreError("reading the temperature from the energy needs square 2D lattices (Kaufman's exact solution), not \(what)",
                            hint: RotatedLattice.contains(shape) ? "decimate once more to a square lattice, or " + hint : model.map(sweep) ?? hint)
        }
        if let model, model != .ising(h: 0) {
            throw CoreError("reading the temperature from the energy needs the nearest-neighbour Ising model at h = 0, not "
                            + (model.name == "ising" ? "h = \(formatNumber(model.field))" : model.describedHamiltonian), hint: sweep(model))
        }
        // Coarse-graining drops the model, but not the labels' record of it: "majority(longrange)".
        if model == nil, let longRange = labels.first(where: { $0.baseModel == "longrange" }) {
            throw CoreError("reading the temperature from the energy needs the nearest-neighbour Ising model at h = 0, "
                            + "not samples derived from longrange (\(longRange.model))", hint: sweep("longrange", "alpha: (as drawn), "))
        }
        guard isSpin else {
            throw CoreError("reading the temperature from the energy needs spins, and these samples are continuous values",
                            hint: "round them to spins (\(spinRounding)), or " + hint)
        }
        // An unknown field (nan) is harmless only without a model, whose energies leave h out.
        if let fielded = labels.first(where: { $0.h != 0 && (model != nil || !$0.h.isNaN) }) {
            throw CoreError("reading the temperature from the energy needs h = 0, and some samples have h = \(formatNumber(fielded.h))",
                            hint: hint)
        }
        var table = try thermodynamics(.energy, bins: bins)
        let side = shape[0]
        guard let energy = table.columns.firstIndex(where: { $0.name == "value" }) else {
            throw CoreError("the energy table has no value column")  // `thermodynamics` always makes one
        }
        let column = table.columns[energy]
        var values: [Double] = [], errors: [Double] = [], positive: [RGSNumerics.Measurement] = [], groundStates = 0
        for (e, de) in zip(column.values, column.errors ?? column.values.map { _ in 0 }) {
            guard let (beta, slope) = ExactIsing.beta(energy: e, L: side) else {
                // Only <e> > 0 on an odd side: spins keep e in [-2, 2], and even sides mirror e > 0.
                positive.append(RGSNumerics.Measurement(e, error: de))
                values.append(.nan)
                errors.append(.nan)
                continue
            }
            // Every sample in a ground state: the temperature is low, but how low is unknown.
            if beta.isInfinite { groundStates += 1 }
            let betaError = beta.isInfinite ? .nan : de / abs(slope)
            switch scale {
            case .beta:
                values.append(beta)
                errors.append(betaError)
            case .temperature:
                values.append(beta.isInfinite ? 0 : 1 / beta)
                errors.append(betaError / (beta * beta))
            }
        }
        let oddSide = "on an odd side (\(side)x\(side)) the antiferromagnet is frustrated, beyond Kaufman's solution"
        if positive.count == values.count, let e = positive.first {
            throw CoreError("reading the temperature from the energy: <e> = \(e) > 0 needs beta < 0 (an antiferromagnet), and "
                            + oddSide, hint: "near beta = 0 the mean energy falls on either side of 0: sample more, "
                            + "or use an even side, where e > 0 reads as a negative beta")
        }
        table.columns[energy] = Table.Column("value", values, errors: errors)
        table.title = "\(scale == .beta ? "beta" : "temperature") from the energy (exact finite-lattice Ising)"
            + (positive.isEmpty ? "" : "; nan where <e> > 0: " + oddSide)
            + (groundStates == 0 ? "" : "; \(scale == .beta ? "inf" : "0 ± nan") where every sample is a ground state (<e> = -2): "
               + "the temperature is low, but how low is unknown")
        return table
    }

    /// How continuous samples become spins, by the operation that made them (their labels' model).
    private var spinRounding: String {
        switch labels.first?.model.prefix(while: { $0 != "(" }) {
        case "reconstructed": "reconstruct(net, d, spins: true)"
        case "blockspin": "blockspin(d, rounded: true)"
        case "rbm": "flow the RBM with mode: \"sample\""
        case Substring(SampleLabel.loaded): "save them as int8 +-1"
        default: "flow the autoencoder with resample: \"sign\" or \"sample\""
        }
    }

    /// The two ways to state a temperature.
    enum TemperatureScale: String, Sendable {
        case beta
        case temperature = "T"
    }
}
