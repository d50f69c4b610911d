import Foundation
import RGSNumerics

public extension Ensemble {
    /// The temperature read from the energy against a reference: equilibrium samples of a model
    /// (`ising`, `ising1d`, `longrange`, as drawn) at several temperatures, one field and this
    /// ensemble's shape. Each (beta, h) group's mean energy per spin, taken with the reference's
    /// model, is placed on the reference's curve <e>(T), a straight line between its knots
    /// (`calibrationPoints`: its temperatures whose energies rise clearly above the previous
    /// knot's); columns beta, T, h (the groups' labels) and `value`, in `scale` (beta or 1 / beta).
    ///
    /// For a model without an exact solution (the long-range one) or flow outputs of any model,
    /// it needs no net, only the Monte Carlo sweep. Error: with w the group's place between knots
    /// i and i + 1, (T_{i+1} - T_i) / (e_{i+1} - e_i) times the root of the squared sum of the
    /// group's energy error, (1 - w) e_i's and w e_{i+1}'s, combined in quadrature with the
    /// segment's bend: the most the straight line misses, in T, a reference point it skips (deep
    /// in the ordered phase, where <e>(T) is flat, that is the larger part), or, when larger,
    /// the line's miss of the curve there, w (1 - w) (e_{i+1} - e_i)^2 |T''(e)| / 2, with T''
    /// from the divided differences at the two knots, weighted by w. On the coldest and hottest
    /// segments, where the curvature grows toward the end, the change of slope to the one
    /// neighbour is taken over the segment's own span (`endCurvature`: on the exact 10 x 10
    /// curve with knots every 0.5 from T = 1, 0.084 against a true 0.12 on 1..1.5); the title
    /// says when a reading lies inside such a segment. A mean
    /// energy at or below the coldest knot's (T is then only bounded) or above the hottest reads
    /// nan (an error when every group's does).
    func calibratedTemperature(against reference: Ensemble, _ scale: TemperatureScale, bins: Int = 20) throws -> Table {
        guard let model = reference.model else {
            throw CoreError("the reference must be equilibrium samples of a model (ising, ising1d or longrange), and these are derived samples",
                            hint: "sample a sweep, e.g. longrange(L: 10, alpha: 3, T: 1..14 step 0.5, samples: 500)", argument: "using")
        }
        guard reference.isSpin, reference.labels.allSatisfy({ $0.model == model.name }) else {
            throw CoreError("the reference must be equilibrium samples of a model as drawn (ising, ising1d or longrange), not "
                            + (reference.labels.first.map { "'\($0.model)' samples" } ?? "these"),
                            hint: "sample a sweep, e.g. longrange(L: 10, alpha: 3, T: 1..14 step 0.5, samples: 500)", argument: "using")
        }
        guard !reference.labels.contains(where: { $0.beta.isNaN || $0.h.isNaN }) else {
            throw CoreError("the reference has samples without a temperature or field label",
                            hint: "ensembles loaded from .npy carry no labels; save them to .npz to keep them", argument: "using")
        }
        guard reference.shape == shape else {
            throw CoreError("the reference has lattices of shape \(reference.shape.map(String.init).joined(separator: "x")) and these of "
                            + shape.map(String.init).joined(separator: "x"), hint: "sample the reference at the same size", argument: "using")
        }
        guard isSpin else {
            throw CoreError("reading the temperature from the energy needs spins, and these samples are continuous values", argument: "x")
        }
        // Loaded samples (and what is derived from them) may be of any model.
        if let stray = labels.first(where: { !["", Substring(SampleLabel.loaded)].contains($0.baseModel) && $0.baseModel != model.name }) {
            let derived = stray.model == stray.baseModel ? "" : " (\(stray.model))"
            throw CoreError("the reference is \(model.name) samples and these were drawn from \(stray.baseModel)\(derived): "
                            + "their energies would be taken with the reference's couplings",
                            hint: "sample the reference from the model these samples come from", argument: "using")
        }
        if case .longRange(let alpha)? = self.model, case .longRange(let referenceAlpha) = model, alpha != referenceAlpha {
            throw CoreError("the reference is longrange samples at alpha \(formatNumber(referenceAlpha)) and these were drawn at alpha \(formatNumber(alpha))",
                            hint: "sample the reference at the samples' alpha", argument: "using")
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

/// A point of a reference's curve <e>(T), with the bend of the segment to the next one (the
/// largest distance in T between that straight segment and the reference points it skips) and
/// the curve's curvature here, |T''(e)| / 2 (nil at the ends).
private struct Knot {
    let t, e, error: Double
    var bend = 0.0
    var curvature: Double?
}

private extension Ensemble {
    /// The knots of the reference's curve <e>(T): its (T, <e>, error) per temperature, sorted
    /// by T, keeping from the coldest on only the points whose energy rises by more than three
    /// standard errors of the difference above the last knot kept. A grid finer than the noise is
    /// thus coarsened instead of trusted: between points closer than their errors the local
    /// slope, and with it the reading and its error, would be noise (a grid of 0.02 on 10x10 gave
    /// pulls with rms 3.3). Refused unless it has two knots at one field, or if its energy falls
    /// as T rises by more than four standard errors.
    func calibrationPoints(bins: Int) throws -> [Knot] {
        let table = try thermodynamics(.energy, bins: bins)
        guard let betas = table.column("beta"), let fields = table.column("h"), let e = table.column("value") else {
            throw CoreError("the energy table has no label columns")  // `thermodynamics` always makes them
        }
        let distinct = Set(fields.values)  // -0 and 0 alike
        guard distinct.count == 1 else {
            throw CoreError("the reference mixes fields (h = \(distinct.sorted().map(formatNumber).joined(separator: ", "))); it must have one",
                            hint: "select one field of it: select(ref, h: \(formatNumber(fields.values[0])))", argument: "using")
        }
        var points: [(t: Double, e: Double, error: Double)] = []
        for (i, beta) in betas.values.enumerated() where beta > 0 && (1 / beta).isFinite && beta.isFinite {
            points.append((1 / beta, e.values[i], e.errors?[i] ?? 0))
        }
        points.sort { $0.t < $1.t }
        for (a, b) in zip(points, points.dropFirst()) where b.e < a.e - 4 * (a.error * a.error + b.error * b.error).squareRoot() {
            throw CoreError("the reference's energy falls from T = \(shown(a.t)) to \(shown(b.t)) (\(shown(a.e)) to \(shown(b.e))), so it cannot serve as a thermometer",
                            hint: "draw more samples per temperature, or check that the reference is a ferromagnet in equilibrium", argument: "using")
        }
        var knots: [Knot] = []
        for point in points {
            guard let last = knots.last else {
                knots.append(Knot(t: point.t, e: point.e, error: point.error))
                continue
            }
            if point.t > last.t, point.e - last.e > 3 * (point.error * point.error + last.error * last.error).squareRoot() {
                knots.append(Knot(t: point.t, e: point.e, error: point.error))
            }
        }
        // Each segment's bend: how far in T the straight line misses the points it skipped.
        for i in knots.indices.dropLast() {
            let (a, b) = (knots[i], knots[i + 1]), slope = (b.t - a.t) / (b.e - a.e)
            knots[i].bend = points.filter { $0.t > a.t && $0.t < b.t }.map { abs(a.t + ($0.e - a.e) * slope - $0.t) }.max() ?? 0
        }
        // The curvature at each inner knot: |T''(e)| / 2 from it and its neighbours.
        for i in knots.indices.dropFirst().dropLast() {
            let (a, b, c) = (knots[i - 1], knots[i], knots[i + 1])
            knots[i].curvature = abs(((c.t - b.t) / (c.e - b.e) - (b.t - a.t) / (b.e - a.e)) / (c.e - a.e))
        }
        guard knots.count >= 2 else {
            let count = Set(points.map(\.t)).count
            throw CoreError(count < 2 ? "the reference needs samples at two or more temperatures (it has \(count))"
                            : "the reference's energy does not rise clearly between its temperatures (more than 3 standard errors between two of \(count))",
                            hint: "sample a sweep over a wider range, e.g. T: 1..14 step 0.5, or more samples per temperature", argument: "using")
        }
        return knots
    }

    /// Places each group's energy on the reference's curve.
    func finish(_ energies: Table, _ points: [Knot], _ scale: TemperatureScale,
                model: LatticeModel) throws -> Table {
        guard let column = energies.column("value"), let index = energies.columns.firstIndex(where: { $0.name == "value" }) else {
            throw CoreError("the energy table has no value column")  // `thermodynamics` always makes one
        }
        var values: [Double] = [], errors: [Double] = []
        // End segments (first or last) holding a reading inside them, whose curvature is known
        // from one side only (or, with two knots, not at all).
        var endSegments = Set<Int>()
        for (e, de) in zip(column.values, column.errors ?? column.values.map { _ in 0 }) {
            // Strictly above the coldest knot: at its energy (the ground state, say) T is only bounded.
            guard let i = points.indices.dropLast().first(where: { points[$0].e < e && e <= points[$0 + 1].e }) else {
                values.append(.nan)
                errors.append(.nan)
                continue
            }
            let (a, b) = (points[i], points[i + 1])
            let slope = (b.t - a.t) / (b.e - a.e), w = (e - a.e) / (b.e - a.e)
            if i == 0 || i == points.count - 2, w > 0.05, w < 0.95 { endSegments.insert(i) }
            let t = a.t + (e - a.e) * slope
            let noise = slope * (de * de + (1 - w) * (1 - w) * a.error * a.error + w * w * b.error * b.error).squareRoot()
            // The line's miss of a curve whose |T''| / 2 runs linearly between the knots' values;
            // on an end segment, its slope's change to the neighbour over its own length.
            let both = a.curvature.flatMap { left in b.curvature.map { right in (1 - w) * left + w * right } }
            let curvature = both ?? Self.endCurvature(points, segment: i)
            let miss = max(a.bend, w * (1 - w) * (b.e - a.e) * (b.e - a.e) * curvature)
            let spread = (noise * noise + miss * miss).squareRoot()
            let dt = spread > 0 ? spread : .nan  // errors of 0 (one sample per temperature) are not estimates
            switch scale {
            case .beta:
                values.append(1 / t)
                errors.append(dt / (t * t))
            case .temperature:
                values.append(t)
                errors.append(dt)
            }
        }
        let range = "T = \(shown(points[0].t))..\(shown(points[points.count - 1].t))"
        if values.allSatisfy(\.isNaN), !column.values.isEmpty {
            let (cold, hot) = (points[0].e, points[points.count - 1].e)
            let text = distinguishingFormat(column.values + [cold, hot])
            let energies = column.values.count == 1 ? "the mean energy per spin \(text(column.values[0])) lies"
                : "the mean energies per spin (\(column.values.map(text).joined(separator: ", "))) lie"
            throw CoreError("\(energies) outside the reference's range: above \(text(cold)) (its coldest point, where T is only bounded) up to \(text(hot)) (\(range))",
                            hint: "sample the reference over a wider range of temperatures", argument: "using")
        }
        var table = energies
        table.columns[index] = Table.Column("value", values, errors: errors)
        table.title = "\(scale == .beta ? "beta" : "temperature") from the energy against \(model.name) samples (\(range))"
            + (values.contains(where: \.isNaN) ? "; nan: energy outside the reference's range (or at its coldest point)" : "")
            + endSegments.sorted().map { i in
                let segment = points.count == 2 ? "the reference's only segment, its curvature unknown"
                                                : "an end segment of the reference, its curvature known from one side"
                return "; T in \(shown(points[i].t))..\(shown(points[i + 1].t)) (\(segment)) may miss by more than its error: "
                    + "extend the reference past it"
            }.joined()
        return table
    }

    /// |T''| / 2 on the first or last segment of a curve of three or more knots: the change of
    /// slope to the neighbouring segment over this segment's own energy span (0 with two knots).
    /// The usual divided difference spreads that change over both segments, which on the exact
    /// 10 x 10 curve gave 0.15-0.9 of the line's true miss on end segments (the curvature grows
    /// toward the ends); this gives 0.7-3 of it, and 0.3 on T = 0.5-1 (grids of 0.25 and 0.5).
    static func endCurvature(_ knots: [Knot], segment i: Int) -> Double {
        guard knots.count >= 3 else { return 0 }
        func slope(_ j: Int) -> Double { (knots[j + 1].t - knots[j].t) / (knots[j + 1].e - knots[j].e) }
        let neighbour = i == 0 ? 1 : i - 1
        return abs(slope(i) - slope(neighbour)) / (knots[i + 1].e - knots[i].e)
    }

    /// A number for a message: four significant digits (T = 1.8, not 1.7999999999999998).
    func shown(_ x: Double) -> String { String(format: "%.4g", x) }
}
