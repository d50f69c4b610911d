import Foundation
import RGSNumerics

/// Draws spin ensembles from the lattice models: the entry point of the Monte Carlo samplers.
///
/// ```swift
/// let plan = SamplingPlan(model: .ising(h: 0), shape: [32, 32], betas: [0.44], samplesPerBeta: 30_000, seed: 7)
/// let data = try MonteCarlo.sample(plan)   // multi-spin sampler, 30,000 labelled lattices
/// ```
public enum MonteCarlo {
    /// The algorithm `plan` runs: its own unless `.auto`, which picks
    /// - `heatbath` for the chain, and for every model when a beta lies in (0, 0.01) (measured in
    ///   units of the couplings, `slowMixingBeta`): there
    ///   Metropolis flips almost every spin with certainty and decorrelates only after ~1/beta
    ///   sweeps (at beta = 1e-6 the 32,000-sweep pilot could not see it, and an 8 x 8 lattice
    ///   kept |m| = 0.51 against 0.10), while the heat bath draws spins almost afresh;
    /// - `multispin` for the 2D nearest-neighbour model without field, even sides and at least
    ///   64 samples per beta (independent replicas, ~100x a scalar chain);
    /// - `checkerboard` for the other 2D cases with even sides (the fastest scalar order),
    ///   `metropolis` (sequential) for odd sides;
    /// - for the long-range model `wolff` when some beta has 2 beta sum_d J(d) < 3.2 (near and
    ///   above T_c, where Metropolis's O(N) per accepted flip falls far behind the clusters' O(1)
    ///   per spin: L = 32, alpha = 3, 500 samples at 2 beta sum J = 1 took 5.87 s against 0.48 s),
    ///   `metropolis` when every beta lies deeper in the ordered phase, where few flips are
    ///   accepted and clusters cover the lattice (2 beta sum J = 6: 0.21 s against 0.92 s;
    ///   docs/montecarlo.md);
    /// Otherwise Wolff is not chosen automatically: on the nearest-neighbour models the local
    /// samplers are fast, and the user should ask for cluster units deliberately.
    public static func resolvedAlgorithm(_ plan: SamplingPlan) -> SamplerAlgorithm {
        guard plan.algorithm == .auto else { return plan.algorithm }
        let evenSides = plan.shape.allSatisfy { $0 % 2 == 0 }
        // Sides below 4: on 2 x 2 each spin meets a neighbour twice and checkerboard updates are not
        // ergodic (beta 0.2: e = -1.039 against the exact -0.852); the heat bath is exact on any size.
        if slowMixingBeta(plan) != nil || plan.shape.contains(where: { $0 < 4 }) { return .heatbath }
        switch plan.model {
        case .ising(let h):
            if h == 0 && evenSides && plan.shape.count == 2 && plan.samplesPerBeta >= 64 { return .multispin }
            // Odd sides: the sequential heat bath (a Gibbs sampler, ergodic in any order) runs at
            // ~0.27 attempts/ns, Metropolis at random sites at ~0.2.
            return evenSides ? .checkerboard : .heatbath
        case .chain:
            return .heatbath
        case .longRange(let alpha):
            // Wolff's clusters cost 2 beta sum_d J(d) bond tries per spin and grow to the whole
            // lattice below T_c, where Metropolis accepts few flips (each O(N) in the local
            // fields). Measured for 500 samples at L = 8, 16, 32, alpha 0.5 and 3, they break
            // even near 2 beta sum J = 3.2; above T_c Wolff is up to 12 times faster, below
            // Metropolis up to 70 times (docs/montecarlo.md). A scan is dominated by its highest
            // temperatures, so any beta below the break-even point takes Wolff.
            let couplings = LongRangeCouplings.sum(side: min(plan.shape[0], 8192), alpha: alpha)
            return plan.betas.contains { 2 * $0 * couplings < 3.2 } ? .wolff : .metropolis
        }
    }

    /// The first beta in (0, 0.01) in units of the couplings, where Metropolis and Wolff mix only
    /// after ~1/beta sweeps, with that scaled beta. The nearest-neighbour models take beta itself;
    /// the long-range model beta sum_d J(d) / 4, the same for nearest neighbours in 2D: its
    /// couplings add up to 9 at alpha = 3, and to 1231 at alpha = 0.1 on 40 x 40, which is ordered
    /// at T = 1000 (|m| = 0.68), where beta alone would count as the high-temperature limit.
    static func slowMixingBeta(_ plan: SamplingPlan) -> (beta: Double, scaled: Double)? {
        guard let smallest = plan.betas.filter({ $0 > 0 }).min(), smallest < 0.01 else { return nil }
        var scale = 1.0
        if case .longRange(let alpha) = plan.model, plan.shape.count == 2, plan.shape[0] >= 2, alpha.isFinite, alpha > 0 {
            // Past 8192 the sum of a 8192 x 8192 lattice: a lower bound, in a second.
            scale = LongRangeCouplings.sum(side: min(plan.shape[0], 8192), alpha: alpha) / 4
        }
        return plan.betas.first { $0 > 0 && $0 * scale < 0.01 }.map { ($0, $0 * scale) }
    }

    /// Samples `plan` (validated first): `samplesPerBeta` lattices at each beta, labelled, with
    /// notes naming the algorithm, thermalisation, measured tau_int of |m| and e, and spacing.
    /// An interrupt (Ctrl-C) returns the samples finished so far, marked partial.
    public static func sample(_ plan: SamplingPlan, progress: Bool = true) throws(CoreError) -> Ensemble {
        try validate(plan)
        let algorithm = resolvedAlgorithm(plan)
        var ensemble: Ensemble
        switch algorithm {
        case .multispin:
            ensemble = MultiSpinSampler(plan: plan).run(showProgress: progress)
        default:
            ensemble = runChains(plan, algorithm, progress)
        }
        ensemble.model = plan.model
        let how = plan.algorithm == .auto ? "\(algorithm.rawValue) (chosen by auto)" : algorithm.rawValue
        ensemble.notes.insert("algorithm: \(how)", at: 0)
        if plan.betas.contains(0), [.metropolis, .checkerboard, .multispin, .wolff].contains(algorithm) {
            ensemble.notes.insert(Ensemble.notePrefix(beta: 0) + " each sweep draws every spin afresh (the exact ensemble; Metropolis would flip "
                + "every spin with certainty and Wolff single spins, keeping the parity of the up spins)", at: 1)
        }
        return ensemble
    }

    /// The single-lattice chain samplers (metropolis, checkerboard, heatbath, wolff).
    private static func runChains(_ plan: SamplingPlan, _ algorithm: SamplerAlgorithm, _ progress: Bool) -> Ensemble {
        let result: (ensemble: Ensemble, times: [AutocorrelationTimes], spacings: [Int])
        let lattice = Lattice(shape: plan.shape)
        let evenSides = plan.shape.allSatisfy { $0 % 2 == 0 }
        let checkerboard = algorithm == .checkerboard || (algorithm == .heatbath && evenSides)
        let rule: FlipRule = algorithm == .heatbath ? .heatBath : .metropolis
        let sweeps = ChainDefaults.sweeps(algorithm)
        switch (plan.model, algorithm) {
        case (.longRange(let alpha), .wolff):
            let couplings = LongRangeCouplings(side: plan.shape[0], alpha: alpha)
            let geometry = LongRangeClusterGeometry(couplings), transform = LongRangeTransform(couplings)
            result = ChainSampler(plan: plan, sweeps: sweeps) { LongRangeWolffChain(geometry: geometry, transform: transform, beta: $0) }
                .run(showProgress: progress)
        case (.longRange(let alpha), _):
            let side = plan.shape[0]
            result = ChainSampler(plan: plan, sweeps: sweeps) { LongRangeChain(side: side, alpha: alpha, beta: $0, checkerboard: checkerboard, rule: rule) }
                .run(showProgress: progress)
        case (_, .wolff):
            result = ChainSampler(plan: plan, sweeps: sweeps) { WolffChain(lattice: lattice, beta: $0) }.run(showProgress: progress)
        default:
            let h = plan.model.field
            result = ChainSampler(plan: plan, sweeps: sweeps) { SingleSpinChain(lattice: lattice, beta: $0, field: h, checkerboard: checkerboard, rule: rule) }
                .run(showProgress: progress)
        }
        var ensemble = result.ensemble
        let chains = min(plan.samplesPerBeta, ChainDefaults.chainsPerBeta)
        let unit = algorithm == .wolff ? "sweeps (a Wolff sweep = N / <cluster size> clusters)" : "sweeps"
        ensemble.notes.append("\(chains) chains per beta, thermalisation \(plan.thermalization ?? sweeps.thermalization) \(unit) + a pilot run of "
            + "\(sweeps.pilot.minimum)+ sweeps (extended to 100 tau_int, at most \(sweeps.pilot.maximum))")
        ensemble.notes += autocorrelationNotes(plan, result.times, result.spacings, pilotMaximum: sweeps.pilot.maximum)
        return ensemble
    }

    /// One line per beta: tau_int of |m| and e and the spacing used, with a warning when the
    /// longest pilot spans fewer than 100 tau_int (the estimate may then be too short).
    static func autocorrelationNotes(_ plan: SamplingPlan, _ times: [AutocorrelationTimes], _ spacings: [Int],
                                     pilotMaximum: Int) -> [String] {
        plan.betas.indices.map { b in
            let t = times[b]
            var line = Ensemble.notePrefix(beta: plan.betas[b]) + String(format: " tau_int |m| %.3g, e %.3g sweeps; spacing %d sweeps",
                                                                            t.absMagnetization, t.energy, spacings[b])
            if Double(spacings[b]) < 2 * t.largest { line += " (below 2 tau_int: samples of one chain are correlated)" }
            let pilot = Double(pilotMaximum)
            if 100 * t.largest > pilot {
                line += String(format: " (warning: the %.0f-sweep pilot spans only %.0f tau_int, so tau_int may be "
                               + "underestimated; set a larger spacing, or use algorithm: wolff where h = 0)", pilot, pilot / t.largest)
            }
            return line
        }
    }
}
