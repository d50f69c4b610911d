import Foundation
import RGSNumerics

extension MonteCarlo {
    /// Checks `plan` before any work: geometry, sample count, temperatures, the algorithm's
    /// requirements and the memory estimate against the free memory. Throws a `CoreError`
    /// naming the bad argument.
    public static func validate(_ plan: SamplingPlan) throws(CoreError) {
        let algorithm = resolvedAlgorithm(plan)
        switch plan.model {
        case .chain:
            guard plan.shape.count == 1 else { throw CoreError("ising1d needs a chain shape [N]") }
        case .ising:
            guard plan.shape.count == 2 else { throw CoreError("ising needs a 2D shape [L, L]") }
        case .longRange(let alpha):
            guard plan.shape.count == 2, plan.shape[0] == plan.shape[1] else {
                throw CoreError("longrange needs a square shape [L, L]")
            }
            guard alpha.isFinite, alpha > 0 else {
                throw CoreError("alpha must be a positive number, got \(alpha)")
            }
        }
        let sizeName = plan.shape.count == 1 ? "N" : "L"
        for n in plan.shape where n < 2 {
            throw CoreError("\(sizeName) must be at least 2, got \(n)")
        }
        let sites = plan.shape.reduce(1.0) { $0 * Double($1) }
        guard sites <= Double(1 << 30) else {
            throw CoreError("the lattice has \(formatNumber(sites)) sites, more than the limit of 2^30")
        }
        // Far beyond saturation (any |h| above ~10 aligns every spin), and N h stays finite.
        guard abs(plan.model.field) <= 1e12 else {
            throw CoreError("h must be a finite number of size at most 1e12, got \(formatNumber(plan.model.field))")
        }
        guard plan.samplesPerBeta > 0 else {
            throw CoreError("samples must be positive, got \(plan.samplesPerBeta)")
        }
        guard !plan.betas.isEmpty else { throw CoreError("no temperatures given", hint: "pass beta or T") }
        for beta in plan.betas where beta.isNaN || beta < 0 {
            throw CoreError("beta must be a non-negative number, got \(beta)",
                            hint: "T = 0 is allowed and means beta = infinity")
        }
        if let t = plan.thermalization, t < 0 { throw CoreError("thermalization must be non-negative, got \(t)") }
        if let s = plan.spacing, s < 1 { throw CoreError("spacing must be at least 1 sweep, got \(s)") }
        try validateAlgorithm(plan, algorithm)
        try validateMemory(plan, algorithm)
        // In floating point, so absurd requests cannot overflow the samplers' sweep counts.
        let sweeps = Double(plan.thermalization ?? 0) + Double(plan.samplesPerBeta) * Double(plan.spacing ?? 1)
        guard sweeps <= Double(1 << 40) else {
            throw CoreError(String(format: "this run needs about %.3g sweeps per temperature, more than the limit of 2^40", sweeps),
                            hint: "lower samples, spacing or thermalization")
        }
    }

    private static func validateAlgorithm(_ plan: SamplingPlan, _ algorithm: SamplerAlgorithm) throws(CoreError) {
        let shape = plan.shape.map(String.init).joined(separator: "x")
        switch algorithm {
        case .checkerboard, .multispin:
            guard plan.shape.allSatisfy({ $0 % 2 == 0 }) else {
                throw CoreError("the \(algorithm.rawValue) sampler needs even side lengths, got \(shape)",
                                hint: "use an even L, or algorithm: metropolis", argument: "algorithm")
            }
        default: break
        }
        if algorithm != .heatbath, let (beta, scaled) = slowMixingBeta(plan) {
            // Metropolis then accepts almost every flip (with certainty once 2 beta dE rounds
            // away: beta = 1e-300 left the lattice frozen in a two-state cycle) and Wolff grows
            // single-spin clusters, so the chains mix only after ~1/beta sweeps.
            let measure = scaled == beta ? "" : String(format: ", beta sum_d J(d) / 4 = %.3g", scaled)
            throw CoreError("the \(algorithm.rawValue) sampler needs about 1/beta sweeps to mix at beta = \(compactNumber(beta))\(measure) (below 0.01)",
                            hint: "use algorithm: heatbath (or auto, which picks it here); beta = 0 itself is exact with every sampler",
                            argument: "algorithm")
        }
        if algorithm == .checkerboard || algorithm == .multispin, case .ising = plan.model, plan.shape.contains(2) {
            // Each spin meets the same neighbour twice, and a sublattice update flips every spin
            // with dE = 0 with certainty: 2 x 2 at beta 0.2 gave e = -1.039 against the exact -0.852.
            throw CoreError("the \(algorithm.rawValue) sampler is not ergodic on lattices with a side of 2",
                            hint: "use algorithm: heatbath, metropolis (random sites) or wolff", argument: "algorithm")
        }
        if algorithm == .checkerboard, plan.model == .chain(h: 0) {
            // Each sublattice flips every spin between opposite neighbours with certainty (dE = 0),
            // so the two trade domain walls back and forth: at beta = 0.5, N = 10 the chain gave
            // e = -0.516 against the exact -0.463.
            throw CoreError("checkerboard Metropolis is not ergodic on a chain without field",
                            hint: "use algorithm: heatbath, metropolis (random site order) or wolff", argument: "algorithm")
        }
        if algorithm == .multispin {
            guard case .ising(let h) = plan.model else {
                throw CoreError("the multispin sampler is for the 2D nearest-neighbour model (ising) only",
                                hint: "use algorithm: checkerboard or metropolis", argument: "algorithm")
            }
            guard h == 0 else {
                throw CoreError("the multispin sampler needs h = 0", hint: "use algorithm: checkerboard", argument: "algorithm")
            }
        }
        if algorithm == .wolff {
            guard plan.model.field == 0 else {
                throw CoreError("the Wolff sampler needs h = 0", hint: "use algorithm: checkerboard or metropolis", argument: "algorithm")
            }
        }
    }

    /// Bytes the run needs at its peak: the packed output with labels, plus the working state of
    /// the chains or replica groups that run at once. A Double, so absurd requests cannot overflow.
    static func memoryEstimate(_ plan: SamplingPlan, _ algorithm: SamplerAlgorithm) -> Double {
        let n = Double(plan.siteCount)
        let samples = Double(plan.betas.count) * Double(plan.samplesPerBeta)
        let output = samples * (((n + 63) / 64).rounded(.down) * 8 + Double(MemoryLayout<SampleLabel>.stride))
        let chains = Double(ChainDefaults.chainsPerBeta * plan.betas.count)
        let working: Double
        switch (algorithm, plan.model) {
        case (.multispin, _): working = Double(Settings.threads) * n * 64
        // Per Wolff chain spins (1), stack (4), cumulative bond weights (8) and guide (4); shared
        // displacement (16) and Fourier (24) tables and the coupling table (8); an energy's
        // scratch per running chain.
        case (.wolff, .longRange): working = chains * n * 17 + n * 48 + Double(Settings.threads) * n * 40
        case (_, .longRange): working = chains * n * 17
        default: working = chains * n * 6
        }
        // The output is copied once when an interrupted run is compacted.
        return 2 * output + working
    }

    private static func validateMemory(_ plan: SamplingPlan, _ algorithm: SamplerAlgorithm) throws(CoreError) {
        try SystemMemory.check(memoryEstimate(plan, algorithm), for: "this ensemble",
                               hint: "draw fewer samples or temperatures, or a smaller lattice")
    }
}
