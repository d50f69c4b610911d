import RGSLanguage
import RGSNumerics
import RGSPhysics

/// The lattice models and their Monte Carlo ensembles: `ising`, `ising1d`, `longrange`, and
/// `select` to filter an ensemble by label.
enum LatticeBuiltins {
    static var builtins: [Builtin] { [
        Builtin("ising", "Monte Carlo ensemble of the 2D nearest-neighbour Ising model on a periodic L x L lattice (J = 1).",
                parameters: [Parameter("L", .integer, unit: "sites", "side length (even for checkerboard and multispin)")]
                    + temperature + [Parameter("h", .number, default: .number(0), "external field")] + sampling,
                details: """
                The ensemble holds `samples` lattices at each temperature, in the order given. algorithm: auto picks
                multispin (512 replicas per SIMD word) for even L without field and at least 64 samples per beta,
                checkerboard Metropolis for other even L,
                and the heat bath for odd L, for L < 4 and when a beta lies in (0, 0.01), where
                Metropolis and Wolff mix only after ~1/beta sweeps (the other samplers are refused there); it says which in
                the ensemble's notes (`e.notes`), with the measured autocorrelation times.
                At beta = 0 every sampler draws independent uniform spins. In a field, sweeps of the local samplers are
                followed (with probability 1/2) by a Wolff cluster flip accepted with the field's Metropolis probability,
                so that small lattices below T_c reach both ordered states (docs/montecarlo.md).
                Example: let d = ising(L: 32, beta: 0.4352, samples: 30000, seed: 1)
                         let scan = ising(L: 16, T: 1..4 step 0.25, samples: 500)
                """) { args in
            let l = try args.positiveInt("L")
            return try sample(args, model: .ising(h: try args.number("h")), shape: [l, l])
        },
        Builtin("ising1d", "Monte Carlo ensemble of the Ising chain with field on a ring of N sites.",
                parameters: [Parameter("N", .integer, unit: "sites", "number of spins")]
                    + temperature + [Parameter("h", .number, default: .number(0), "external field")] + sampling,
                details: """
                algorithm: auto picks the heat bath. Metropolis visits random sites (in site order a spin between
                opposite neighbours flips with certainty, and without field the chain is not ergodic); checkerboard
                Metropolis is refused without field for the same reason.
                Example: ising1d(N: 100, beta: 0.5, h: 0.5, samples: 2000) | magnetization
                """) { args in
            try sample(args, model: .chain(h: try args.number("h")), shape: [try args.positiveInt("N")])
        },
        Builtin("longrange", "Monte Carlo ensemble of the 2D long-range Ising model, J_ij = 1 / r_ij^alpha (minimum-image distance).",
                parameters: [Parameter("L", .integer, unit: "sites", "side length"),
                             Parameter("alpha", .number, default: .number(3), "decay exponent of the couplings")]
                    + temperature + sampling,
                details: """
                Each pair of sites couples once, through its shortest periodic displacement; a spin never couples to
                itself or its images. algorithm: auto picks Wolff clusters grown as Luijten and Bloete do (O(1) per added
                spin, where a Metropolis flip updates all N local fields) when some temperature lies near or above T_c
                (2 beta sum_d J(d) < 3.2), and Metropolis deeper in the ordered phase. See docs/montecarlo.md.
                Example: longrange(L: 10, alpha: 3, T: 7.7, samples: 500) | scaling_dimension(op: energy)
                """) { args in
            let alpha = try args.number("alpha")
            guard alpha.isFinite, alpha > 0 else { throw args.error("alpha must be a positive number (got \(formatNumber(alpha)))", at: "alpha") }
            let l = try args.positiveInt("L")
            return try sample(args, model: .longRange(alpha: alpha), shape: [l, l])
        },
        Builtin("select", "The samples of an ensemble whose labels match: select(d, beta: 0.44), select(d, T: 2.5), select(d, model: \"ising\").",
                parameters: [Parameter("ensemble", .kind("Ensemble"), "the ensemble to filter"),
                             Parameter("beta", .number, optional: true, "keep samples at this inverse temperature"),
                             Parameter("T", .number, optional: true, "keep samples at this temperature"),
                             Parameter("h", .number, optional: true, "keep samples at this field"),
                             Parameter("model", .string, optional: true, "keep samples of this model label (as the summary names it, e.g. \"reconstructed(ising)\")")],
                details: "Labels match to a relative 1e-9, so T: 2.5 finds samples drawn at beta: 0.4.") { args in
            let e = try args.ensemble("ensemble")
            let beta = try args.optionalNumber("beta"), t = try args.optionalNumber("T"), h = try args.optionalNumber("h")
            if beta != nil && t != nil { throw args.error("give beta or T, not both", at: "T") }
            let model = args.has("model") ? try args.string("model") : nil
            let kept = e.filtered { label in
                (beta.map { close(label.beta, $0) } ?? true) && (t.map { close(label.temperature, $0) } ?? true)
                    && (h.map { close(label.h, $0) } ?? true) && (model.map { label.model == $0 } ?? true)
            }
            if let model, kept.count == 0 {
                let have = Set(e.labels.map(\.model)).sorted()
                throw args.error("no sample has the model \"\(model)\"", at: "model",
                                 hint: Suggest.hint(model, in: have) ?? "the ensemble's models are " + have.joined(separator: ", "))
            }
            guard kept.count > 0 else {
                let have = Set(e.labels.map(\.beta)).sorted().prefix(8).map { formatNumber($0) }.joined(separator: ", ")
                throw args.error("no sample matches", hint: "the ensemble's betas are \(have)")
            }
            return .ensemble(kept)
        },
    ] }

    /// beta or T, one of them: a number, list or range.
    static var temperature: [Parameter] { [
        Parameter("beta", .oneOf([.number, .list]), optional: true, "inverse temperature(s): a number, list or range"),
        Parameter("T", .oneOf([.number, .list]), optional: true, "temperature(s) T = 1/beta, instead of beta"),
    ] }

    /// Sample count, seed and the Markov-chain settings shared by every model.
    static var sampling: [Parameter] { [
        Parameter("samples", .integer, default: .number(1000), "lattices per temperature"),
        Parameter("seed", .integer, optional: true, "random seed (default: the session's seed sequence, see `seed`)"),
        Parameter("algorithm", .choice(SamplerAlgorithm.allCases.map(\.rawValue)), default: .string("auto"),
                  "Markov-chain update; auto picks a sound default and says which"),
        Parameter("thermalization", .integer, optional: true, unit: "sweeps", "sweeps before the first sample (default 1000; wolff 200; multispin max(1000, 20 tau_int))"),
        Parameter("spacing", .integer, optional: true, unit: "sweeps",
                  "sweeps between samples of one chain (default: 2 tau_int, measured)"),
    ] }

    /// Inverse temperatures from `beta` or `T` (exactly one of them), validated.
    static func betas(_ args: Arguments) throws -> [Double] {
        switch (try args.numbers("beta"), try args.numbers("T")) {
        case (nil, nil):
            throw args.error("give the temperature: beta or T", hint: "e.g. beta: 0.4407 or T: 2.269")
        case (_?, _?):
            throw args.error("give beta or T, not both", at: "T")
        case (let betas?, nil):
            guard !betas.isEmpty else { throw args.error("beta is empty", at: "beta") }
            for b in betas where !(b >= 0) || b.isInfinite {
                throw args.error("beta must be a finite number >= 0 (got \(formatNumber(b)))", at: "beta")
            }
            return betas
        case (nil, let ts?):
            guard !ts.isEmpty else { throw args.error("T is empty", at: "T") }
            return try ts.map { t in
                guard t >= 0, t.isFinite else { throw args.error("T must be a finite number >= 0 (got \(formatNumber(t)))", at: "T", hint: t.isInfinite ? "for an infinite temperature give beta: 0" : nil) }
                return t == 0 ? .infinity : 1 / t
            }
        }
    }

    /// Validates the plan before any work, then samples.
    private static func sample(_ args: Arguments, model: LatticeModel, shape: [Int]) throws -> Value {
        let samples = try args.int("samples")
        guard samples > 0 else { throw args.error("samples must be positive (got \(samples))", at: "samples") }
        let algorithm = SamplerAlgorithm(rawValue: try args.string("algorithm")) ?? .auto
        var plan = SamplingPlan(model: model, shape: shape, betas: try betas(args), samplesPerBeta: samples,
                                seed: try args.seed(), algorithm: algorithm)
        if args.has("thermalization") { plan.thermalization = try args.countInt("thermalization") }
        if args.has("spacing") { plan.spacing = try args.positiveInt("spacing") }
        do {
            try MonteCarlo.validate(plan)
        } catch {
            // The caret goes under the argument a message starts with ("h must be ...").
            let named = ["L", "N", "h", "alpha", "beta", "samples", "spacing", "thermalization"].first {
                error.message.hasPrefix($0 + " ") && args.isGiven($0)
            }
            guard let named else { throw error }
            throw args.error(error.message, at: named, hint: error.hint)
        }
        return .ensemble(try MonteCarlo.sample(plan))
    }

    /// Equal to a relative 1e-9; an infinity matches only itself (inf - x <= 1e-9 x inf held for every x).
    private static func close(_ a: Double, _ b: Double) -> Bool {
        a == b || (a.isFinite && b.isFinite && abs(a - b) <= 1e-9 * max(abs(a), abs(b)))
    }
}
