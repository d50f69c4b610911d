import RGSLanguage
import RGSNets
import RGSNumerics
import RGSPhysics

/// Flows (RG rules, autoencoders, RBMs) and `measure`, which turns ensembles and flows into
/// numbers and tables; plus the RBM inspections the papers use.
enum FlowBuiltins {
    static var builtins: [Builtin] { [
        Builtin("flow", "A flow from data: an RG rule (decimate, majority, blockspin), an autoencoder or an RBM applied step after step.",
                parameters: [Parameter("model", .any, "decimate | majority | blockspin, a trained autoencoder Net, or a trained RBM"),
                             Parameter("data", .kind("Ensemble"), "the starting ensemble (step 0)"),
                             Parameter("steps", .integer, default: .number(5), "number of steps"),
                             Parameter("mode", .choice(["sample", "mean"]), default: .string("sample"),
                                       "RBM: draw h and v (the papers' flow) or pass the means"),
                             Parameter("resample", .choice(["sign", "sample", "continuous"]), default: .string("sign"),
                                       "autoencoder: outputs to spins by sign, by a draw with p = (1 + x)/2, or kept continuous"),
                             Parameter("block", .integer, default: .number(2), unit: "sites", "RG: block side for majority and blockspin"),
                             Parameter("seed", .integer, optional: true, "seed of the RBM's and the sampled resampling's draws")],
                details: """
                Every step keeps the input's labels (so a flow from T = 1 is measured against T = 1), and RBM and autoencoder
                steps keep its Hamiltonian, so energies and energy densities are measured with the input model.
                Examples (r a trained RBM, tnet a trained classifier(target: T)):
                          flow r from ising(L: 10, T: 1, samples: 500) steps: 20 | measure T using tnet
                          flow majority from d steps: 3 | measure magnetization
                """) { args in
            let data = try args.ensemble("data")
            let steps = try args.countInt("steps")
            let model = args.value("model") ?? .nothing
            if let rule = ruleName(model) {
                try refuse(["mode", "resample", "seed"] + (rule == "decimate" ? ["block"] : []), args, in: rule == "decimate" ? "a decimation" : "an RG")
                let block = try args.int("block")
                let r: RGRule = switch rule {
                case "majority": .majority(block: block, ties: .firstSpin)
                case "blockspin": .blockspin(block: block, rounded: false, ties: .random)
                default: .decimate
                }
                return .flow(try rgFlow(data, rule: r, steps: steps))
            }
            // Every step of a net or RBM flow keeps an ensemble the size of the data: its values,
            // a label per sample and the ensemble's own bookkeeping (a page, generously), which
            // dominates for small data and many steps.
            let perSample = Double(data.siteCount) * Double(MemoryLayout<Float>.size) + Double(MemoryLayout<SampleLabel>.stride)
            let perStep = Double(data.count) * perSample + 4096
            if model.object(NetValue.self) != nil || model.object(RBMValue.self) != nil {
                do throws(CoreError) {
                    try SystemMemory.check((Double(steps) + 1) * perStep, for: "a flow of \(steps) steps",
                                           hint: "take fewer steps or fewer samples")
                } catch { throw args.error(error.message, at: "steps", hint: error.hint) }
            }
            if let n = model.object(NetValue.self) {
                try refuse(["mode", "block"], args, in: "an autoencoder")
                let net = try n.built(args, "model")
                return .flow(keepingModel(try net.flow(from: data, steps: steps, resampling: try NetBuiltins.resampling(args)), data))
            }
            if let r = model.object(RBMValue.self) {
                try refuse(["resample", "block"], args, in: "an RBM")
                let rbm = try r.built(args, "model")
                let mode = RBMPropagation(rawValue: try args.string("mode")) ?? .sample
                return .flow(keepingModel(try rbm.flow(from: data, steps: steps, mode: mode, seed: try args.seed()).visible, data))
            }
            // A stack has no flow of its own (docs/rbm.md); its first layer sees the data.
            let hint = model.object(StackValue.self) != nil
                ? "a stack does not flow; flow one of its trained RBMs, as `flow s[0] from d` for a stack s (layer 0 takes the data)"
                : "use decimate, majority or blockspin, a trained autoencoder, or a trained RBM"
            throw args.error("cannot flow with \(withArticle(model.typeName))", at: "model", hint: hint)
        },
        Builtin("measure", "Measures an observable of an Ensemble or Flow (`measure OBS of X using NET`): per label, or per step of a flow.",
                parameters: [Parameter("x", .oneOf([.kind("Ensemble"), .kind("Flow")]), "what to measure"),
                             Parameter("observable", .string, "m (<m>), abs_m or magnetization (<|m|>), e or energy, C or specific_heat, chi or susceptibility, U or binder, entropy, correlation, delta_s, delta_eps, beta or T (from the energy, or by a net with `using`), h (with `using`)"),
                             Parameter("using", .oneOf([.kind("Net"), .kind("Ensemble")]), optional: true,
                                       "a trained regressor or classifier (beta, T or h), or a reference sweep (beta or T from the energy)"),
                             Parameter("bins", .integer, default: .number(20), "blocks for the error bars"),
                             Parameter("rmin", .integer, optional: true, unit: "sites", "scaling fits: first distance"),
                             Parameter("rmax", .integer, optional: true, unit: "sites", "scaling fits: last distance"),
                             Parameter("k", .integer, default: .number(3), unit: "sites", "entropy window")],
                details: """
                On an Ensemble with one label the result is a number with its error; otherwise a Table (one row per label, or per
                step and label for a Flow) that `plot` draws with error bars. A classifier's measurement is always a Table, with
                the probability of each class (p(T) columns) beside the mean: `plot` draws that distribution per row, and
                `(measure T of x using net)[0].predicted` is the mean with its error.
                Without `using`, beta and T are read from the energy: the beta at which the exact energy per spin of the
                L x L periodic Ising model (Kaufman) equals the measured one, for square lattices of spins at h = 0 (ising
                samples and their flows). It needs no training, but it sees only the energy; the papers' thermometer is a net.
                With `using ref`, an Ensemble of equilibrium samples over several temperatures (e.g. longrange(L: 10,
                alpha: 3, T: 1..14 step 0.5, samples: 500)), beta and T are read from the energy on ref's curve <e>(T),
                linear between its temperatures: for models without an exact solution, and their flows.
                Example (r a trained RBM, tnet a trained classifier(target: T)):
                          flow r from ising(L: 10, T: 5, samples: 500) steps: 10 | measure T using tnet | plot to "flow.png"
                """) { args in
            let name = try args.string("observable")
            let subject = args.value("x") ?? .nothing
            // Rejects the first of `options` given, which do not apply to `what`.
            func refuse(_ options: [String], _ what: String) throws {
                for option in options where args.isGiven(option) {
                    throw args.error("\(option) does not apply to \(what)", at: option, hint: "drop \(option):")
                }
            }
            // A reference sweep serves the energy thermometer below (an unknown name falls through to its error).
            let reference = args.value("using")?.object(EnsembleValue.self)?.ensemble
            if reference != nil, name == "h" || ObservableBuiltins.named[name] != nil {
                throw args.error("a reference ensemble reads beta or T from the energy, not '\(name)'", at: "using",
                                 hint: name == "h" ? "measure h with a supervised net: measure h of x using net" : "drop `using`: measure \(name) of x")
            }
            if let net = args.value("using")?.object(NetValue.self) {
                let n = try net.built(args, "using")
                if ObservableBuiltins.named[name] != nil {
                    throw args.error("\(name) is measured from the lattices themselves; `using` takes a net for beta, T or h",
                                     at: "using", hint: "drop `using`: measure \(name) of x")
                }
                if let target = n.labelTarget, !target.names.contains(name) {
                    throw args.error("this net predicts \(target.names[0]), not '\(name)'", at: "observable",
                                     hint: "write: measure \(target.names[0]) of x using net")
                }
                try refuse(["bins", "rmin", "rmax", "k"], "a net's prediction (its error is the standard error over the samples)")
                // A classifier's measurement is its distribution over the classes as well as the
                // mean, so even one label keeps the table's row (which plots as the distribution).
                let isClassifier = if case .classifier = n.role { true } else { false }
                return try Measuring(measure: { try n.measure($0).table }, valueColumn: isClassifier ? nil : "predicted")
                    .value(of: subject, args, at: "x")
            }
            if name == "h" {
                throw args.error("measuring h needs a supervised net", at: "observable", hint: "train one and write: measure h of x using net")
            }
            if ["beta", "T", "temperature"].contains(name) {
                // Without a net, the temperature is read from the energy: on a reference sweep's
                // curve, or Kaufman's exact one.
                try refuse(["rmin", "rmax", "k"], "the temperature")
                let scale: Ensemble.TemperatureScale = name == "beta" ? .beta : .temperature, bins = try args.countInt("bins")
                return try Measuring(measure: { e in
                    try reference.map { try e.calibratedTemperature(against: $0, scale, bins: bins) } ?? e.energyTemperature(scale, bins: bins)
                }).value(of: subject, args, at: "x")
            }
            guard let observable = ObservableBuiltins.named[name] else {
                let known = ObservableBuiltins.named.keys.sorted()
                throw args.error("unknown observable '\(name)'", at: "observable",
                                 hint: Suggest.hint(name, in: known + ["beta", "T", "h"]) ?? "known: " + known.joined(separator: ", "))
            }
            // The fit window is the scaling dimensions' option, k the entropy's: given to
            // another observable it was ignored, even when it made no sense (rmin: -1).
            if !name.hasPrefix("delta_") { try refuse(["rmin", "rmax"], "\(name) (they set the fit window of delta_s and delta_eps)") }
            if name != "entropy" { try refuse(["k"], "\(name) (it is the window of entropy)") }
            return try Measuring(measure: { e in try observable.measure(e, args) }, valueColumn: observable.valueColumn)
                .value(of: subject, args, at: "x")
        },
        Builtin("hidden_layers", "The hidden configurations of every layer of a stack (or RBM) for some data: a list of ensembles.",
                parameters: [Parameter("model", .oneOf([.kind("Stack"), .kind("RBM")]), "a trained stack or RBM"),
                             Parameter("data", .kind("Ensemble"), "visible lattices"),
                             Parameter("seed", .integer, optional: true, "seed of the draws")]) { args in
            let data = try args.ensemble("data"), seed = try args.seed()
            if let r = args.value("model")?.object(RBMValue.self) {
                return .list([.ensemble(try r.built(args, "model").hiddenLayer(of: data, mode: .sample, seed: seed))])
            }
            guard let s = args.value("model")?.object(StackValue.self)?.stack else {
                throw args.error("the stack is not trained yet", at: "model")
            }
            return .list(try s.hiddenLayers(of: data, seed: seed).map(Value.ensemble))
        },
        Builtin("receptive_field", "Hidden unit a's weights W_ia as a lattice image (a Matrix the shape of the visible lattice).",
                parameters: [Parameter("rbm", .kind("RBM"), "a trained RBM"), Parameter("unit", .integer, default: .number(0), "hidden unit")]) { args in
            let unit = try args.countInt("unit")
            let field = try args.object("rbm", as: RBMValue.self).built(args, "rbm").receptiveField(unit)
            return .matrix(field, title: "receptive field of h\(unit)", signed: true)
        },
        Builtin("spectrum", "Eigenvalues (descending) of W W^T of an RBM, and eigenvectors as lattice images: {values, images}.",
                parameters: [Parameter("rbm", .kind("RBM"), "a trained RBM"),
                             Parameter("images", .integer, default: .number(4), "how many leading eigenvectors to return as images")]) { args in
            let rbm = try args.object("rbm", as: RBMValue.self).built(args, "rbm")
            let spectrum = try rbm.weightSpectrum()
            // W W^T is positive semi-definite: LAPACK's roundoff below 0 (-3e-19) is 0.
            let values = spectrum.values.map { $0 < 0 ? 0 : $0 }
            let images = try (0..<min(try args.countInt("images"), values.count)).map { k in
                Value.matrix(try rbm.eigenvectorImage(spectrum, index: k),
                             title: "eigenvector \(k) of W W^T, eigenvalue \(compactNumber(values[k]))", signed: true)
            }
            return .record(Record([("values", .list(values.map(Value.number))), ("images", .list(images))]))
        },
        Builtin("free_energy", "The free energy F(v) of every sample under an RBM (p(v) = e^-F / Z: lower is more probable): a list.",
                parameters: [Parameter("rbm", .kind("RBM"), "a trained RBM"),
                             Parameter("data", .kind("Ensemble"), "visible lattices of the RBM's size (spins or values in [-1, 1])")],
                details: """
                F(v) = -c.v - sum_a log(2 cosh x_a) for +-1 hidden units, -c.v - sum_a log(1 + e^x_a) for 0/1 ones, with x = v W + b
                (docs/rbm.md). Z is not computed, so only differences of F mean something: a trained RBM puts its data below noise.
                Example: mean(free_energy(r, d)) - mean(free_energy(r, ising(L: 10, beta: 0, samples: 100, seed: 2)))
                """) { args in
            let rbm = try args.object("rbm", as: RBMValue.self).built(args, "rbm")
            return .list(try rbm.freeEnergies(of: try args.ensemble("data")).map(Value.number))
        },
        Builtin("locality", "Share of |W| within distance r of each hidden unit's centre, averaged over units (L1 vs weight decay).",
                parameters: [Parameter("rbm", .oneOf([.kind("RBM"), .kind("Matrix")]),
                                       "a trained RBM, or a visible x hidden Matrix such as vh_correlation(v, h): each column a field"),
                             Parameter("radius", .number, default: .number(2), unit: "sites", "the distance r"),
                             Parameter("subtract_mean", .bool, default: .bool(false),
                                       "Matrix: score each column less its lattice average (a connected <v h> image)")],
                details: """
                A Matrix's columns are the fields (visible x hidden, as vh_correlation without unit: gives), and its rows the
                sites of a square lattice when their number is a square, else of a chain.
                Example: locality(vh_correlation(d, hidden_layers(s, d)[0]), subtract_mean: true)
                """) { args in
            let radius = try args.number("radius")
            guard let m = args.value("rbm")?.object(MatrixValue.self)?.matrix else {
                if args.isGiven("subtract_mean") { throw args.error("subtract_mean: applies to a Matrix, not an RBM", at: "subtract_mean") }
                return .measurement(try args.object("rbm", as: RBMValue.self).built(args, "rbm").localityScore(radius: radius))
            }
            let side = Int(Double(m.rows).squareRoot().rounded())
            let shape = side * side == m.rows ? [side, side] : [m.rows]
            let centred = try args.bool("subtract_mean")
            return .measurement(try Locality.score(fields: m.columns, shape: shape, radius: radius) { a in
                let column = (0..<m.rows).map { m[$0, a] }
                let mean = centred ? Statistics.mean(column) : 0
                return column.map { $0 - mean }
            })
        },
        Builtin("vh_correlation", "The <v h> correlator of the long-range paper: every visible spin with one hidden (or block) spin, as a lattice image.",
                parameters: [Parameter("visible", .kind("Ensemble"), "input lattices"),
                             Parameter("hidden", .kind("Ensemble"), "their hidden layer or RG block spins, sample by sample"),
                             Parameter("unit", .integer, optional: true, "the hidden unit (default: all, as a visible x hidden Matrix)"),
                             Parameter("connected", .bool, default: .bool(false), "subtract <v><h>")]) { args in
            let v = try args.ensemble("visible"), h = try args.ensemble("hidden"), connected = try args.bool("connected")
            let kind = connected ? "connected <v h>" : "<v h>"
            if let unit = try args.optionalInt("unit") {
                return .matrix(try VisibleHiddenCorrelation.image(visible: v, hidden: h, unit: unit, connected: connected),
                               title: "\(kind) of hidden unit \(unit)", signed: true)
            }
            return .matrix(try VisibleHiddenCorrelation.matrix(visible: v, hidden: h, connected: connected),
                           title: "\(kind) (visible x hidden)", signed: true)
        },
    ] }

    /// Throws for an option the call spelt out that this kind of flow does not take.
    private static func refuse(_ names: [String], _ args: Arguments, in kind: String) throws {
        for name in names where args.isGiven(name) {
            throw args.error("`\(name):` does not apply to \(kind) flow", at: name,
                             hint: "mode: is for RBM flows, resample: for autoencoder flows, block: for majority and blockspin")
        }
    }

    /// The rule name of `flow decimate from d` (the builtin itself or its name as a string).
    private static func ruleName(_ v: Value) -> String? {
        let name: String? = switch v {
        case .function(let f): f.name
        case .string(let s): s
        default: nil
        }
        return name.flatMap { RGBuiltins.rules.contains($0) ? $0 : nil }
    }

    /// A flow whose steps live on the input's lattice keeps the input's Hamiltonian.
    private static func keepingModel(_ flow: Flow, _ data: Ensemble) -> Flow {
        var f = flow
        for i in f.steps.indices where f.steps[i].shape == data.shape { f.steps[i].model = data.model }
        return f
    }
}
