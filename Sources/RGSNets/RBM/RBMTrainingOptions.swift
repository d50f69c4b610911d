import RGSNumerics

/// How an RBM is trained: contrastive divergence (CD-k) or persistent CD, SGD with momentum, and
/// the L1 (Mehta-Schwab, Appendix A) or L2 (weight decay) penalty on the weights.
///
/// Each minibatch step is, with B rows and learning rate lr:
/// velocity = momentum * velocity + lr * (<v h>_data - <v h>_model - l2 W - l1 sign W), W += velocity,
/// where <v h>_data = v0^T <h|v0> / B and <v h>_model = vk^T <h|vk> / B after k Gibbs steps
/// v0 -> h -> v1 -> ... -> vk (restarted from the data for CD, continued from the previous
/// batch's chains for persistent CD). Biases follow the same rule without penalties.
public struct RBMTrainingOptions: Sendable, Equatable, Codable {
    /// Gibbs steps per update (CD-k).
    public var k: Int = 1
    /// Persistent CD: the negative chains carry over between minibatches (one chain per row).
    public var persistent = false
    /// SGD learning rate.
    public var learningRate: Float = 0.01
    /// Momentum of the velocity, in [0, 1).
    public var momentum: Float = 0.5
    /// L1 penalty strength: l1 * sum |W| (Mehta-Schwab's choice, favours local receptive fields).
    public var l1: Float = 0
    /// L2 weight decay strength: l2 / 2 * sum W^2.
    public var l2: Float = 0
    /// Minibatch size (the last batch of an epoch may be smaller).
    public var batch = 100
    /// Passes over the training data.
    public var epochs = 10
    /// Seed of the initial weights, the validation split, the shuffles and every Gibbs draw.
    public var seed: UInt64 = 0
    /// Share of the data held out (chosen at random by the seed) for the free-energy gap.
    public var validationFraction = 0.1
    /// Compute the per-epoch monitors (on at most `monitorSamples` training and validation rows).
    public var monitors = true
    /// Rows used for each monitor.
    public var monitorSamples = 1000

    public init(k: Int = 1, persistent: Bool = false, learningRate: Float = 0.01, momentum: Float = 0.5,
                l1: Float = 0, l2: Float = 0, batch: Int = 100, epochs: Int = 10, seed: UInt64 = 0,
                validationFraction: Double = 0.1, monitors: Bool = true, monitorSamples: Int = 1000) {
        self.k = k
        self.persistent = persistent
        self.learningRate = learningRate
        self.momentum = momentum
        self.l1 = l1
        self.l2 = l2
        self.batch = batch
        self.epochs = epochs
        self.seed = seed
        self.validationFraction = validationFraction
        self.monitors = monitors
        self.monitorSamples = monitorSamples
    }

    /// Throws a `CoreError` naming the first option out of range.
    public func validate() throws(CoreError) {
        guard k >= 1 else { throw CoreError("k (Gibbs steps per update) must be at least 1, got \(k)") }
        guard learningRate.isFinite, learningRate > 0 else {
            throw CoreError("the learning rate must be a positive number, got \(formatNumber(decimal(learningRate)))")
        }
        guard momentum.isFinite, momentum >= 0, momentum < 1 else {
            throw CoreError("momentum must lie in [0, 1), got \(formatNumber(decimal(momentum)))",
                            hint: momentum == 1 ? "momenta within 3e-8 of 1 round to 1 as 32-bit floats" : nil)
        }
        guard l1.isFinite, l1 >= 0 else { throw CoreError("l1 must be a number >= 0, got \(formatNumber(decimal(l1)))") }
        guard l2.isFinite, l2 >= 0 else { throw CoreError("l2 must be a number >= 0, got \(formatNumber(decimal(l2)))") }
        // The decay alone, W' = (1 + momentum - lr l2) W - momentum W_previous, grows without
        // bound unless lr l2 < 2 (1 + momentum).
        let decay = Double(learningRate) * Double(l2), bound = 2 * (1 + Double(momentum))
        guard decay < bound else {
            throw CoreError("weight decay this strong diverges: lr * l2 = \(compactNumber(decay)) must stay below 2 (1 + momentum) = \(compactNumber(bound))",
                            hint: "lower l2 or the learning rate")
        }
        guard batch >= 1 else { throw CoreError("the batch size must be at least 1, got \(batch)") }
        guard epochs >= 0 else { throw CoreError("epochs must be >= 0, got \(epochs)") }
        guard validationFraction.isFinite, validationFraction >= 0, validationFraction < 1 else {
            throw CoreError("the validation fraction must lie in [0, 1), got \(validationFraction)")
        }
        guard monitorSamples >= 1 else { throw CoreError("monitorSamples must be at least 1, got \(monitorSamples)") }
    }
}

/// The monitors of one training epoch.
public struct RBMEpochReport: Sendable, Equatable, Codable {
    /// Epoch number, counted from 1 over the RBM's whole training.
    public var epoch: Int
    /// Mean squared difference per unit between v and <v | h ~ p(h | v)>, in units of the range
    /// of a unit (so 0 = perfect, spins and 0/1 units on the same scale).
    public var reconstructionError: Double
    /// Pseudo-log-likelihood per sample, n * log sigmoid(F(v with one random unit flipped) - F(v)),
    /// one random unit per row (scikit-learn's estimate).
    public var pseudoLikelihood: Double
    /// Mean free energy of the validation rows minus that of as many training rows; growing gaps
    /// signal overfitting. Nil without a validation set.
    public var freeEnergyGap: Double?
}
