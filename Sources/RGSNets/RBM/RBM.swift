import RGSNumerics

/// A restricted Boltzmann machine: n visible and m hidden units coupled by float32 weights.
///
/// Energy E(v, h) = -v^T W h - c^T v - b^T h, with W stored row-major n x m (`weights[i * m + a]`
/// couples visible i to hidden a), c the visible and b the hidden bias; see `RBMUnits` for the
/// conditionals. The visible layer remembers the lattice shape it was trained on, so weights
/// and eigenvectors can be shown as lattice images. Ensembles always use the spin convention:
/// a binary RBM reads a value s in [-1, 1] as (1 + s) / 2 and writes its units back as 2x - 1.
public struct RBM: Sendable {
    /// The lattice shape of the visible layer ([N] or [rows, columns]).
    public let visibleShape: [Int]
    /// Number of visible units (the product of `visibleShape`).
    public let visibleCount: Int
    /// Number of hidden units.
    public let hiddenCount: Int
    /// ±1 or 0/1 units.
    public let units: RBMUnits
    /// W, n x m row-major.
    public internal(set) var weights: [Float]
    /// c, one per visible unit.
    public internal(set) var visibleBias: [Float]
    /// b, one per hidden unit.
    public internal(set) var hiddenBias: [Float]
    /// Monitors of every training epoch so far (empty when monitoring was off).
    public internal(set) var history: [RBMEpochReport] = []
    /// Training epochs completed so far.
    public internal(set) var epochsTrained = 0
    /// True when the last training run was interrupted and holds fewer epochs than requested.
    public internal(set) var isPartial = false
    /// The options of the latest `train` call (nil before any), saved with the RBM, so that a
    /// reloaded RBM trains on with its own learning rate, k, momentum and penalties.
    public internal(set) var trainingOptions: RBMTrainingOptions?
    /// Momentum velocities and persistent chains after the latest `train` call (nil before
    /// any, and after a divergence), which the next call continues from.
    public internal(set) var trainingState: RBMTrainingState?

    /// A fresh RBM with weights drawn from N(0, scale^2) (stream keyed by `seed`) and zero biases.
    public init(visibleShape: [Int], hidden: Int, units: RBMUnits = .pm1, seed: UInt64,
                scale: Float = 0.01) throws(CoreError) {
        try RBM.checkShape(visibleShape, hidden: hidden)
        guard scale.isFinite, scale >= 0 else {
            throw CoreError("the initial weight scale must be a finite number >= 0, got \(scale)")
        }
        let n = visibleShape.reduce(1, *)
        var stream = RandomStream(seed: seed, stream: RBMStreams.initialWeights)
        let w = (0..<(n * hidden)).map { _ in Float(stream.normal()) * scale }
        self.init(checkedShape: visibleShape, units: units, weights: w,
                  visibleBias: [Float](repeating: 0, count: n), hiddenBias: [Float](repeating: 0, count: hidden))
    }

    /// An RBM with the given parameters (sizes are checked against the shape).
    public init(visibleShape: [Int], units: RBMUnits, weights: [Float], visibleBias: [Float],
                hiddenBias: [Float]) throws(CoreError) {
        try RBM.checkShape(visibleShape, hidden: hiddenBias.count)
        let n = visibleShape.reduce(1, *), m = hiddenBias.count
        guard visibleBias.count == n else {
            throw CoreError("the visible bias has \(visibleBias.count) entries, the visible layer \(n) units")
        }
        guard weights.count == n * m else {
            throw CoreError("the weights have \(weights.count) entries, expected \(n) x \(m) = \(n * m)")
        }
        guard (weights + visibleBias + hiddenBias).allSatisfy(\.isFinite) else {
            throw CoreError("RBM parameters must be finite numbers (found NaN or infinity)")
        }
        self.init(checkedShape: visibleShape, units: units, weights: weights,
                  visibleBias: visibleBias, hiddenBias: hiddenBias)
    }

    private init(checkedShape: [Int], units: RBMUnits, weights: [Float], visibleBias: [Float], hiddenBias: [Float]) {
        self.visibleShape = checkedShape
        self.visibleCount = checkedShape.reduce(1, *)
        self.hiddenCount = hiddenBias.count
        self.units = units
        self.weights = weights
        self.visibleBias = visibleBias
        self.hiddenBias = hiddenBias
    }

    /// The lattice shape given to hidden configurations: [k, k] when m = k^2, else [m].
    public var hiddenShape: [Int] { RBM.latticeShape(for: hiddenCount) }

    /// [k, k] for a perfect square k^2 > 1, else [count].
    static func latticeShape(for count: Int) -> [Int] {
        let k = Int(Double(count).squareRoot().rounded())
        return k > 1 && k * k == count ? [k, k] : [count]
    }

    static func checkShape(_ shape: [Int], hidden: Int) throws(CoreError) {
        guard !shape.isEmpty, shape.count <= 2, shape.allSatisfy({ $0 > 0 }) else {
            throw CoreError("the visible layer needs a shape [N] or [rows, columns] of positive sizes, got \(shape)")
        }
        guard hidden > 0 else { throw CoreError("an RBM needs at least one hidden unit, got \(hidden)") }
        // In floating point: sizes read from a file may be large enough to overflow an Int.
        let visible = shape.reduce(1.0) { $0 * Double($1) }
        guard visible * Double(hidden) <= Double(1 << 28) else {
            let units = visible < 1e18 ? String(Int(visible)) : String(visible)
            throw CoreError("an RBM with \(units) x \(hidden) weights is too large",
                            hint: "keep visible x hidden below 268 million")
        }
        try checkWeightMemory(visible * Double(hidden), for: "an RBM of \(Int(visible)) x \(hidden) weights",
                              hint: "use fewer hidden units")
    }
}

/// Stream indices for the RBM's random draws: each purpose gets its own range, keyed further by
/// epoch, batch and row, so no draw depends on the thread that makes it.
enum RBMStreams {
    static let initialWeights: UInt64 = 0x5B_0001
    static let split: UInt64 = 0x5B_0002
    static func shuffle(epoch: Int) -> UInt64 { 0x5B03 << 40 | UInt64(epoch) }
    static func batchKey(epoch: Int, batch: Int) -> UInt64 { 0x5B04 << 40 | UInt64(epoch) << 20 | UInt64(batch) }
    static func monitor(epoch: Int) -> UInt64 { 0x5B05 << 40 | UInt64(epoch) }
    static func row(step: Int, row: Int) -> UInt64 { UInt64(step) << 32 | UInt64(row) }
}
