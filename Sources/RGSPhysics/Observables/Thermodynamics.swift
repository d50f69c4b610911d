import RGSNumerics

/// A thermodynamic average measured per (beta, h) group of an ensemble.
///
/// With m and e the per-sample magnetisation and energy per spin (`magnetizations()`,
/// `energiesPerSpin()`), N the number of sites and <.> the average over a group's samples:
/// - `magnetization` <m>, `absoluteMagnetization` <|m|>, `energy` <e>: binning errors;
/// - `specificHeat` C = beta^2 N (<e^2> - <e>^2) per spin;
/// - `susceptibility` chi = beta N (<m^2> - <|m|>^2) per spin without field, the finite-lattice
///   convention (<m> vanishes on a finite lattice, so <|m|> stands in for the order parameter),
///   and chi = beta N (<m^2> - <m>^2) = d<m>/dh in a field (h != 0), where the |m| form would
///   miss part of the fluctuation (a 10-site ring at beta 0.3, h 0.05: 0.195 against the
///   transfer matrix's d<m>/dh = 0.546; at beta 0.8, h 0.5: 0.314 against 0.371);
/// - `binder` U = 1 - <m^4> / (3 <m^2>^2): 2/3 in the ordered phase, 0 for Gaussian m.
/// C, chi and U get jackknife errors over blocks of consecutive samples.
public enum ThermodynamicObservable: String, CaseIterable, Sendable {
    case magnetization = "m"
    case absoluteMagnetization = "|m|"
    case energy = "e"
    case specificHeat = "C"
    case susceptibility = "chi"
    case binder = "U"

    /// The name used as table title: "specific heat", "Binder cumulant", ...
    public var title: String {
        switch self {
        case .magnetization: "magnetization"
        case .absoluteMagnetization: "absolute magnetization"
        case .energy: "energy per spin"
        case .specificHeat: "specific heat"
        case .susceptibility: "susceptibility"
        case .binder: "Binder cumulant"
        }
    }
}

public extension Ensemble {
    /// `observable` for every (beta, h) group, in order of first appearance: columns beta, T, h
    /// and `value` (with errors). `bins` blocks of consecutive samples set the error estimate.
    func thermodynamics(_ observable: ThermodynamicObservable, bins: Int = 20) throws -> Table {
        try ObservableSupport.validate(self, bins: bins)
        let groups = labelGroups()
        let values = try thermodynamicValues(observable, groups: groups, bins: bins)
        return Table(title: observable.title,
                     columns: ObservableSupport.labelColumns(groups, rows: groups.map { _ in 1 })
                         + [Table.Column("value", values.map(\.value), errors: values.map(\.error))])
    }

    /// `observable` of an ensemble with a single (beta, h) label, as one number with its error.
    func measure(_ observable: ThermodynamicObservable, bins: Int = 20) throws -> Measurement {
        try ObservableSupport.validate(self, bins: bins)
        let groups = labelGroups()
        return try ObservableSupport.single(groups, try thermodynamicValues(observable, groups: groups, bins: bins),
                                            what: observable.title)
    }

    /// One measurement per group. Fluctuations (C, chi, U) need two samples in every group.
    private func thermodynamicValues(_ observable: ThermodynamicObservable, groups: [LabelGroup],
                                     bins: Int) throws -> [Measurement] {
        if [.energy, .specificHeat].contains(observable), shape.contains(1) {
            // Each spin would be its own neighbour: a 1x1 lattice gave e = -2 from a self-bond.
            throw CoreError("the \(observable.title) is undefined on a lattice with a side of 1 (\(shape.map(String.init).joined(separator: "x")))",
                            hint: "coarse-grain fewer steps")
        }
        if [.specificHeat, .susceptibility].contains(observable), groups.contains(where: { $0.beta.isNaN }) {
            throw CoreError("the \(observable.title) needs the temperature, and some samples have no beta label",
                            hint: "ensembles loaded from .npy carry no labels; save them to .npz to keep them")
        }
        if [.specificHeat, .susceptibility, .binder].contains(observable),
           let small = groups.first(where: { $0.samples.count < 2 }) {
            throw CoreError("the \(observable.title) is a fluctuation and needs at least 2 samples per temperature; "
                            + (small.beta.isNaN ? "the unlabelled samples number \(small.samples.count)"
                                                : String(format: "beta %.6g has %d", small.beta, small.samples.count)),
                            hint: "draw more samples")
        }
        let series = observable == .energy || observable == .specificHeat ? energiesPerSpin() : magnetizations()
        let n = Double(siteCount)
        return groups.map { group in
            let x = group.samples.map { series[$0] }
            switch observable {
            case .magnetization, .energy:
                return Statistics.binned(x, bins: bins)
            case .absoluteMagnetization:
                return Statistics.binned(x.map(Swift.abs), bins: bins)
            case .specificHeat:
                return Statistics.jackknife(count: x.count, bins: bins) { keep in
                    Fluctuation.scaled(group.beta * group.beta * n, Fluctuation.variance(keep.map { x[$0] }))
                }
            case .susceptibility:
                return Statistics.jackknife(count: x.count, bins: bins) { keep in
                    let m = keep.map { x[$0] }
                    let m2 = Statistics.mean(m.map { $0 * $0 })
                    let a = group.h == 0 ? Statistics.mean(m.map(Swift.abs)) : Statistics.mean(m)
                    return Fluctuation.scaled(group.beta * n, max(0, m2 - a * a))
                }
            case .binder:
                return Statistics.jackknife(count: x.count, bins: bins) { keep in
                    let m2 = Statistics.mean(keep.map { x[$0] * x[$0] })
                    let m4 = Statistics.mean(keep.map { x[$0] * x[$0] * x[$0] * x[$0] })
                    return 1 - m4 / (3 * m2 * m2)
                }
            }
        }
    }
}

/// Fluctuation formulas shared by the response functions.
enum Fluctuation {
    /// <x^2> - <x>^2 computed as the mean squared deviation (never negative from rounding).
    static func variance(_ x: [Double]) -> Double {
        let m = Statistics.mean(x)
        return x.isEmpty ? 0 : x.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(x.count)
    }

    /// factor * fluctuation, where a vanishing fluctuation gives 0 even at infinite beta (T = 0).
    static func scaled(_ factor: Double, _ fluctuation: Double) -> Double {
        fluctuation == 0 ? 0 : factor * fluctuation
    }
}
