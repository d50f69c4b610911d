import RGSNumerics

/// The optimizer's running state after training (update count and moments), kept with the net
/// and saved with it, so that training it again, also after save and load, continues where it
/// stopped, as Keras's repeated `fit` does.
///
/// A state is resumed only by the same kind of optimizer on layers of the same shapes and
/// trainable flags; otherwise training starts it afresh (as after `compose` or `freeze`). The
/// learning rate may change between runs.
public struct OptimizerState: Sendable, Equatable {
    /// The moments of one layer: Adam's first and second moments (SGD keeps its velocity in
    /// `first`; `second` stays zero), empty for frozen layers.
    public struct Moments: Sendable, Equatable {
        public var weightsFirst: [Float], weightsSecond: [Float]
        public var biasFirst: [Float]?, biasSecond: [Float]?
    }

    /// Updates taken so far (Adam's bias correction continues from here).
    public var step: Int
    /// "adam" or "sgd".
    public var optimizer: String
    /// One entry per layer.
    public var layers: [Moments]
    /// The largest update count a saved state may carry (far beyond any training run, and far
    /// from overflowing as training counts on).
    static let maxStep = 1 << 48

    /// Whether `network` can resume this state: same optimizer kind, layer count and, for every
    /// trainable layer, moment arrays of its weights' and bias's sizes (none for frozen ones).
    func fits(_ network: Network) -> Bool {
        guard optimizer == network.optimizer.kind, layers.count == network.layers.count, step >= 0 else { return false }
        return zip(layers, network.layers).allSatisfy { moments, layer in
            let w = layer.trainable ? layer.weights.count : 0, b = layer.trainable ? layer.bias?.count : nil
            return moments.weightsFirst.count == w && moments.weightsSecond.count == w
                && moments.biasFirst?.count == (layer.bias == nil ? nil : b ?? 0)
                && moments.biasSecond?.count == moments.biasFirst?.count
        }
    }
}

extension Optimizer {
    /// "adam" or "sgd".
    public var kind: String {
        switch self {
        case .sgd: return "sgd"
        case .adam: return "adam"
        }
    }
}
