import Foundation
import RGSNumerics

public extension Ensemble {
    /// The temperature read from the energy against a reference: equilibrium samples of a model
    /// (`ising`, `ising1d`, `longrange`) at several temperatures, one field and this ensemble's
    /// shape. Each (beta, h) group's mean energy per spin, taken with the reference's model, is
    /// placed on the reference's curve <e>(T), linear between neighbouring temperatures; columns
    /// beta, T, h (the groups' labels) and `value`, in `scale` (beta or T = 1 / beta).
    ///
    /// For a model without an exact solution (the long-range one) or flow outputs of any model,
    /// it needs no net, only the Monte Carlo sweep. Error: with w the group's place between
    /// reference points i and i + 1, (T_{i+1} - T_i) / (e_{i+1} - e_i) times the root of the
    /// squared sum of the group's energy error, (1 - w) e_i's and w e_{i+1}'s. The straight
    /// line between points also misses the curve's bend (about (dT)^2 e'' / 8): use a fine
    /// grid where the readings fall. A mean energy outside the reference's range reads nan (an
    /// error when every group's does).
    func calibratedTemperature(against reference: Ensemble, _ scale: TemperatureScale, bins: Int = 20) throws -> Table {
        guard let model = reference.model else {
            throw CoreError("the reference must be equilibrium samples of a model (ising, ising1d or longrange), and these are derived samples",
                            hint: "sample a sweep, e.g. longrange(L: 10, alpha: 3, T: 1..14 step 0.5, samples: 500)", argument: "using")
        }
        guard reference.shape == shape else {
            throw CoreError("the reference has lattices of shape \(reference.shape.map(String.init).joined(separator: "x")) and these of "
                            + shape.map(String.init).joined(separator: "x"), hint: "sample the reference at the same size", argument: "using")
        }
        guard isSpin else {
            throw CoreError("reading the temperature from the energy needs spins, and these samples are continuous values")
        }
        let points = try reference.calibrationPoints(bins: bins)
        var modelled = self
        modelled.model = model
        let energies = try modelled.thermodynamics(.energy, bins: bins)
        if let h = reference.labels.first?.h, let stray = energies.column("h")?.values.first(where: { $0 != h && !$0.isNaN }) {
            throw CoreError("the reference was sampled at h = \(formatNumber(h)) and some of these samples have h = \(formatNumber(stray))",
                            hint: "sample the reference at the samples' field", argument: "using")
        }
        return try finish(energies, points, scale, model: model)
    }
}

private extension Ensemble {
    /// The reference's (T, <e>, error) per temperature, sorted by T; refused unless it has at
    /// least two finite temperatures at one field and its energy never falls as T rises by more
    /// than its errors allow.
    func calibrationPoints(bins: Int) throws -> [(t: Double, e: Double, error: Double)] {
        let table = try thermodynamics(.energy, bins: bins)
        guard let betas = table.column("beta"), let fields = table.column("h"), let e = table.column("value") else {
            throw CoreError("the energy table has no label columns")  // `thermodynamics` always makes them
        }
        guard Set(fields.values.map(\.bitPattern)).count == 1 else {
            throw CoreError("the reference mixes fields (h = \(Set(fields.values).sorted().map(formatNumber).joined(separator: ", "))); it must have one",
                            hint: "select one field of it: select(ref, h: 0)", argument: "using")
        }
        var points: [(t: Double, e: Double, error: Double)] = []
        for (i, beta) in betas.values.enumerated() where beta.isFinite && beta > 0 {
            points.append((1 / beta, e.values[i], e.errors?[i] ?? 0))
        }
        points.sort { $0.t < $1.t }
        guard points.count >= 2, Set(points.map(\.t)).count == points.count else {
            throw CoreError("the reference needs samples at two or more temperatures (it has \(Set(points.map(\.t)).count))",
                            hint: "sample a sweep, e.g. T: 1..14 step 0.5", argument: "using")
        }
        for (a, b) in zip(points, points.dropFirst()) where b.e < a.e - 4 * (a.error * a.error + b.error * b.error).squareRoot() {
            throw CoreError("the reference's energy falls from T = \(formatNumber(a.t)) to \(formatNumber(b.t)) (\(formatNumber(a.e)) to \(formatNumber(b.e))), so it cannot serve as a thermometer",
                            hint: "draw more samples per temperature, or check that the reference is a ferromagnet in equilibrium", argument: "using")
        }
        return points
    }

    /// Places each group's energy on the reference's curve.
    func finish(_ energies: Table, _ points: [(t: Double, e: Double, error: Double)], _ scale: TemperatureScale,
                model: LatticeModel) throws -> Table {
        guard let column = energies.column("value"), let index = energies.columns.firstIndex(where: { $0.name == "value" }) else {
            throw CoreError("the energy table has no value column")  // `thermodynamics` always makes one
        }
        var values: [Double] = [], errors: [Double] = []
        for (e, de) in zip(column.values, column.errors ?? column.values.map { _ in 0 }) {
            guard let i = points.indices.dropLast().first(where: { points[$0].e <= e && e <= points[$0 + 1].e && points[$0 + 1].e > points[$0].e })
            else {
                values.append(.nan)
                errors.append(.nan)
                continue
            }
            let (a, b) = (points[i], points[i + 1])
            let slope = (b.t - a.t) / (b.e - a.e), w = (e - a.e) / (b.e - a.e)
            let t = a.t + (e - a.e) * slope
            let dt = slope * (de * de + (1 - w) * (1 - w) * a.error * a.error + w * w * b.error * b.error).squareRoot()
            switch scale {
            case .beta:
                values.append(1 / t)
                errors.append(dt / (t * t))
            case .temperature:
                values.append(t)
                errors.append(dt)
            }
        }
        let range = "T = \(formatNumber(points[0].t))..\(formatNumber(points[points.count - 1].t))"
        if values.allSatisfy(\.isNaN), let e = column.values.first {
            func shown(_ x: Double) -> String { String(format: "%.4f", x) }
            throw CoreError("the mean energy per spin \(shown(e)) lies outside the reference's, from \(shown(points[0].e)) "
                            + "to \(shown(points[points.count - 1].e)) (\(range))",
                            hint: "sample the reference over a wider range of temperatures", argument: "using")
        }
        var table = energies
        table.columns[index] = Table.Column("value", values, errors: errors)
        table.title = "\(scale == .beta ? "beta" : "temperature") from the energy against \(model.name) samples (\(range))"
            + (values.contains(where: \.isNaN) ? "; nan: energy outside the reference's range" : "")
        return table
    }
}
