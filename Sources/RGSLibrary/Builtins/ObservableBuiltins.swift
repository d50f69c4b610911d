import RGSLanguage
import RGSNumerics
import RGSPhysics

/// Observables with error bars on Ensembles and Flows: thermodynamics, correlation functions,
/// scaling dimensions, local entropy and critical-temperature estimates.
///
/// Each takes an Ensemble (one number with its error when the ensemble has a single (beta, h)
/// label, else a Table with one row per label) or a Flow (a Table with one block per step).
enum ObservableBuiltins {
    static var builtins: [Builtin] {
        thermodynamic.map { name, observable, summary in
            Builtin(name, summary, parameters: [subject, bins]) { args in try measuring(args, thermodynamic(observable)) }
        } + [
            Builtin("magnetization", "Magnetisation per spin: <|m|> (abs: true, the finite-lattice order parameter) or <m>.",
                    parameters: [subject, Parameter("abs", .bool, default: .bool(true), "average |m| instead of m"), bins],
                    details: "Example: ising1d(N: 100, beta: 0.5, h: 0.5, samples: 2000) | magnetization") { args in
                try measuring(args, thermodynamic(try args.bool("abs") ? .absoluteMagnetization : .magnetization))
            },
            Builtin("correlation", "Two-point function G(r), r = 0...L/2, averaged over sites and axes, with jackknife errors.",
                    parameters: [subject, operatorParameter,
                                 Parameter("connected", .bool, optional: true,
                                           "subtract the site means, for spins without a field those of the samples turned to m >= 0 (default: no for spins, yes for the energy density)"),
                                 bins],
                    details: "The definitions (the long-range paper's eqs 4-7) are in docs/observables.md.") { args in
                try measuring(args, correlation(try localOperator(args)))
            },
            Builtin("scaling_dimension", "Scaling dimension Delta from a fit G(r) = B / r^(2 Delta) over rmin <= r <= rmax.",
                    parameters: [subject, operatorParameter,
                                 Parameter("rmin", .integer, optional: true, unit: "sites", "first distance fitted (default 1)"),
                                 Parameter("rmax", .integer, optional: true, unit: "sites", "last distance fitted (default max(3, L/4) capped at L/2, and above rmin)"),
                                 Parameter("connected", .bool, optional: true, "as in `correlation`"),
                                 Parameter("images", .bool, optional: true, "fit B (r^(-2 Delta) + (L - r)^(-2 Delta)), adding the nearest periodic image"),
                                 Parameter("table", .bool, default: .bool(false), "the whole fit (Delta, B, window, points) as a table, also for one label"),
                                 bins],
                    details: "Example: longrange(L: 10, alpha: 3, T: 7.7, samples: 500) | scaling_dimension(op: energy)") { args in
                var observable = dimension(try localOperator(args))
                if try args.bool("table") { observable.valueColumn = nil }
                return try measuring(args, observable)
            },
            Builtin("entropy", "Local Shannon entropy per site (bits) in a k x k window, as the autoencoder paper measures it.",
                    parameters: [subject, Parameter("k", .integer, default: .number(3), unit: "sites", "odd window side"),
                                 Parameter("levels", .integer, default: .number(256), "grey levels of the quantised values"),
                                 bins],
                    details: "The window wraps periodically (on the 2m x m lattice of one decimation step it runs along that lattice's own axes, the original diagonals); continuous values in [-1, 1] are quantised to `levels` levels (docs/observables.md).") { args in
                try measuring(args, entropy)
            },
            Builtin("binder_crossing", "T_c from the crossings of Binder cumulants U_L(T) of ensembles at several sizes L.",
                    parameters: [Parameter("ensembles", .list, "one temperature scan per size, e.g. [ising(L: 8, T: ts), ising(L: 16, T: ts)]"),
                                 bins],
                    details: "Returns a record {Tc, pairs}: the weighted crossing with a bootstrap error and the table of pairwise crossings, "
                        + "plus a `note` when every pair crosses at U < 0.25, where curves meet in noise above T_c.") { args in
                let scans = try ensembleList(args, "ensembles")
                // Sizes of one model only: a crossing of a chain's and a square lattice's cumulants means
                // nothing. Coarse-grained or loaded scans carry no model and are compared by dimension only.
                let modelled = scans.filter { $0.model != nil }
                let mismatch = scans.first.flatMap { first in scans.first { $0.shape.count != first.shape.count }.map { (first, $0) } }
                    ?? modelled.first.flatMap { first in
                        modelled.first { $0.model?.describedHamiltonian != first.model?.describedHamiltonian }.map { (first, $0) }
                    }
                if let (a, b) = mismatch {
                    let describe = { (e: Ensemble) in "\(e.model?.describedHamiltonian ?? "lattice") \(e.shape.map(String.init).joined(separator: "x"))" }
                    throw args.error("the scans must be one model at several sizes, not \(describe(a)) and \(describe(b))", at: "ensembles")
                }
                let curves = try scans.map { e -> (size: Int, temperatures: [Double], values: [Measurement]) in
                    let t = try e.thermodynamics(.binder, bins: try args.int("bins"))
                    return (e.shape.max() ?? 0, t.column("T")?.values ?? [], measurements(t, "value"))
                }
                let result = try CriticalTemperature.binderCrossing(curves)
                var fields: [(String, Value)] = [("Tc", .measurement(result.estimate)), ("pairs", .table(result.pairs))]
                // Above T_c every size's U tends to 0, and the curves meet there in noise: a crossing
                // far below the universal values (2D Ising: 0.61) is most likely not a transition.
                if let u = result.pairs.column("U")?.values, let low = u.max(), low < 0.25 {
                    fields.append(("note", .string(String(format: "the cumulants cross at U = %.3g, near the high-temperature value 0 where "
                        + "curves meet in noise: probably not a transition (2D Ising crosses at U = 0.61)", low))))
                }
                return .record(Record(fields))
            },
            Builtin("delta_crossing", "T_c where the energy scaling dimension of a temperature scan crosses a target (1 in 2D).",
                    parameters: [Parameter("ensemble", .kind("Ensemble"), "a temperature scan, e.g. longrange(L: 10, T: 6..9 step 0.5)"),
                                 Parameter("target", .number, default: .number(1), "the dimension Delta_eps(T_c)"),
                                 Parameter("rmin", .integer, optional: true, unit: "sites", "first distance fitted"),
                                 Parameter("rmax", .integer, optional: true, unit: "sites", "last distance fitted"),
                                 bins],
                    details: "The long-range paper fixes T_c by Delta_eps(T_c) = 1. Returns a record {Tc, deltas}.") { args in
                let e = try args.ensemble("ensemble")
                let t = try e.scalingDimensions(.energy, window: try window(args, shape: e.shape), bins: try args.int("bins"))
                let tc = try CriticalTemperature.deltaCrossing(temperatures: t.column("T")?.values ?? [],
                                                               deltas: measurements(t, "Delta"), target: try args.number("target"))
                return .record(Record([("Tc", .measurement(tc)), ("deltas", .table(Measuring.tidy(t)))]))
            },
            Builtin("measurement", "A number with its one-sigma error, as observables return: measurement(7.7, error: 0.1).",
                    parameters: [Parameter("value", .number, "the value"),
                                 Parameter("error", .number, default: .number(0), "its one-sigma error (>= 0; 0 / 0, which is nan, for unknown)")],
                    details: "Measurements combine with numbers and each other by + - * / ^ and go through abs, sqrt, exp, log, "
                        + "sin, cos, tanh, cosh and sinh; sum, mean, min, max and table() keep their errors. Errors propagate to first order, "
                        + "each measurement a source of its own that keeps its identity: x - x is 0, x + x has twice x's error. "
                        + "Two observables measured separately on the same data are separate sources, so their combined error "
                        + "is then an estimate (docs/observables.md).") { args in
                let error = try args.number("error")
                guard error >= 0 || error.isNaN else { throw args.error("an error must be >= 0, got \(formatNumber(error))", at: "error") }
                return .measurement(Measurement(try args.number("value"), error: error))
            },
        ]
    }

    private static let thermodynamic: [(String, ThermodynamicObservable, String)] = [
        ("energy", .energy, "Energy per spin <H>/N with its binning error."),
        ("specific_heat", .specificHeat, "Specific heat per spin C = beta^2 N (<e^2> - <e>^2), jackknife error."),
        ("susceptibility", .susceptibility, "Susceptibility per spin chi = beta N (<m^2> - <|m|>^2) at h = 0, beta N (<m^2> - <m>^2) in a field; jackknife error."),
        ("binder", .binder, "Binder cumulant U = 1 - <m^4> / (3 <m^2>^2): 2/3 ordered, 0 disordered."),
    ]

    static var subject: Parameter { Parameter("x", .oneOf([.kind("Ensemble"), .kind("Flow")]), "an Ensemble or a Flow") }
    static var bins: Parameter { Parameter("bins", .integer, default: .number(20), "blocks of consecutive samples for the error") }
    static var operatorParameter: Parameter {
        Parameter("op", .choice(LocalOperator.allCases.map(\.rawValue)), default: .string("spin"), "spin or energy (density)")
    }

    /// One observable: an ensemble and the call's arguments (bins, and where the call has them k,
    /// levels, rmin, rmax, connected) to a table with a row per (beta, h) label. The direct builtins
    /// (`energy(d)`) and `measure energy of d` use the same ones.
    struct Observable: Sendable {
        let measure: @Sendable (Ensemble, Arguments) throws -> Table
        /// The column that becomes the single number of a one-label ensemble; nil keeps the table.
        var valueColumn: String? = "value"
    }

    static func thermodynamic(_ o: ThermodynamicObservable) -> Observable {
        Observable { e, args in try e.thermodynamics(o, bins: try args.int("bins")) }
    }

    static func dimension(_ op: LocalOperator) -> Observable {
        Observable(measure: { e, args in
            try e.scalingDimensions(op, window: try window(args, shape: e.shape), connected: try connected(args),
                                    images: args.has("images") ? try args.bool("images") : false, bins: try args.int("bins"))
        }, valueColumn: "Delta")
    }

    static func correlation(_ op: LocalOperator) -> Observable {
        Observable(measure: { e, args in try e.correlation(op, connected: try connected(args), bins: try args.int("bins")) },
                   valueColumn: nil)
    }

    static let entropy = Observable { e, args in
        try e.localEntropies(window: try args.int("k"), levels: args.has("levels") ? try args.int("levels") : 256,
                             bins: try args.int("bins"))
    }

    /// The observables `measure OBS of X` knows, by name and short name.
    static let named: [String: Observable] = [
        "m": thermodynamic(.magnetization), "abs_m": thermodynamic(.absoluteMagnetization),
        "magnetization": thermodynamic(.absoluteMagnetization),
        "e": thermodynamic(.energy), "energy": thermodynamic(.energy),
        "C": thermodynamic(.specificHeat), "specific_heat": thermodynamic(.specificHeat),
        "chi": thermodynamic(.susceptibility), "susceptibility": thermodynamic(.susceptibility),
        "U": thermodynamic(.binder), "binder": thermodynamic(.binder),
        "entropy": entropy, "correlation": correlation(.spin),
        "delta_s": dimension(.spin), "delta_eps": dimension(.energy),
    ]

    /// Applies an observable to the subject argument `x` (an Ensemble or a Flow).
    static func measuring(_ args: Arguments, _ observable: Observable) throws -> Value {
        try Measuring(measure: { try observable.measure($0, args) }, valueColumn: observable.valueColumn)
            .value(of: args.value("x") ?? .nothing, args, at: "x")
    }

    private static func connected(_ args: Arguments) throws -> Bool? {
        args.has("connected") ? try args.bool("connected") : nil
    }

    private static func localOperator(_ args: Arguments) throws -> LocalOperator {
        LocalOperator(rawValue: try args.string("op")) ?? .spin
    }

    /// The fit window from rmin/rmax (nil: the default of the shape), checked against the lattice.
    static func window(_ args: Arguments, shape: [Int]) throws -> ClosedRange<Int>? {
        guard args.has("rmin") || args.has("rmax") else { return nil }
        let half = Ensemble.axisPeriod(shape: shape) / 2
        let rmin = try args.optionalInt("rmin") ?? 1
        let rmax = try args.optionalInt("rmax") ?? max(rmin + 1, Ensemble.defaultScalingWindow(shape: shape).upperBound)
        guard rmin >= 1, rmax > rmin, rmax <= half else {
            throw args.error("the fit window must satisfy 1 <= rmin < rmax <= L/2 = \(half) (got \(rmin)...\(rmax))",
                             at: args.has("rmax") ? "rmax" : "rmin")
        }
        return rmin...rmax
    }

    private static func ensembleList(_ args: Arguments, _ name: String) throws -> [Ensemble] {
        guard case .list(let items)? = args.value(name) else { throw args.error("`\(name)` must be a list of Ensembles", at: name) }
        return try items.map { item in
            guard let e = item.object(EnsembleValue.self) else {
                throw args.error("`\(name)` must hold Ensembles, found \(withArticle(item.typeName))", at: name)
            }
            return e.ensemble
        }
    }

    private static func measurements(_ t: Table, _ column: String) -> [Measurement] {
        guard let c = t.column(column) else { return [] }
        return c.values.indices.map { Measurement(c.values[$0], error: c.errors?[$0] ?? 0) }
    }
}
