/// The Markov-chain update used to draw an ensemble.
public enum SamplerAlgorithm: String, CaseIterable, Sendable {
    /// Pick a sound default for the model, shape and sample count (see `MonteCarlo.resolvedAlgorithm`).
    case auto
    /// Single-spin Metropolis visiting the sites in row-major order.
    case metropolis
    /// Single-spin Metropolis visiting the two sublattices of a checkerboard in turn (even sides).
    case checkerboard
    /// Wolff single-cluster updates (nearest-neighbour models without field).
    case wolff
    /// Single-spin heat bath (Glauber): checkerboard order for even sides, row-major otherwise.
    case heatbath
    /// Multi-spin-coded checkerboard Metropolis: 512 independent replicas per SIMD word, one bit
    /// per replica (2D nearest-neighbour Ising, even side, no field).
    case multispin
}

/// What to sample: model, geometry, temperatures, sample count, seed and algorithm.
public struct SamplingPlan: Sendable {
    /// The Hamiltonian.
    public var model: LatticeModel
    /// `[N]` for the chain, `[L, L]` (or `[rows, columns]` for `ising`) for 2D lattices; periodic.
    public var shape: [Int]
    /// Inverse temperatures; the ensemble holds `samplesPerBeta` samples of each, in this order.
    public var betas: [Double]
    /// Samples drawn at each beta.
    public var samplesPerBeta: Int
    /// Seed of every random stream (streams are keyed by seed, beta index and chain index).
    public var seed: UInt64
    /// The update; `.auto` chooses one.
    public var algorithm: SamplerAlgorithm
    /// Sweeps before the first sample; nil = 1000 sweeps (Wolff: 200; multispin: at least 20 tau_int).
    public var thermalization: Int?
    /// Sweeps between samples of one chain; nil = max(1, ceil(2 tau_int)) from a pilot run.
    public var spacing: Int?

    /// A plan; `algorithm` defaults to `.auto`, thermalisation and spacing to the measured defaults.
    public init(model: LatticeModel, shape: [Int], betas: [Double], samplesPerBeta: Int, seed: UInt64,
                algorithm: SamplerAlgorithm = .auto, thermalization: Int? = nil, spacing: Int? = nil) {
        self.model = model
        self.shape = shape
        self.betas = betas
        self.samplesPerBeta = samplesPerBeta
        self.seed = seed
        self.algorithm = algorithm
        self.thermalization = thermalization
        self.spacing = spacing
    }

    /// Sites per lattice.
    public var siteCount: Int { shape.reduce(1, *) }
}
