import RGSNumerics
import RGSPhysics

/// A layer of a stack that training has not reached yet: its size, units and training options.
public struct RBMLayerPlan: Sendable, Equatable, Codable {
    public var hidden: Int
    public var units: RBMUnits
    public var options: RBMTrainingOptions

    public init(hidden: Int, units: RBMUnits, options: RBMTrainingOptions) {
        self.hidden = hidden
        self.units = units
        self.options = options
    }
}

/// RBMs stacked and trained greedily (Mehta-Schwab; the long-range paper's 4096 -> 1024 -> 256 -> 64).
///
/// Layer 1 is trained on the data; layer l + 1 on layer l's hidden layer of the same training
/// data, passed as samples (spin configurations, the long-range paper's "hidden vectors") or as
/// means <h | v> (continuous values in [-1, 1]), as `propagation` says. Each layer's hidden
/// layer is 2D-shaped when its size is a perfect square, so the next layer sees a lattice.
public struct RBMStack: Sendable {
    /// The layers, bottom (visible data) first.
    public internal(set) var layers: [RBM]
    /// How hidden layers feed the next layer in training and in `hiddenLayers(of:seed:)`.
    public let propagation: RBMPropagation
    /// True when training was interrupted: the last layer may be partly trained, later ones missing.
    public internal(set) var isPartial = false
    /// The layers an interrupted training did not reach, bottom first: saved with the stack, so
    /// training it again (also after a load) builds them.
    public internal(set) var untrainedLayers: [RBMLayerPlan] = []

    /// A stack of already trained layers (each layer's visible count must equal the previous
    /// layer's hidden count).
    public init(layers: [RBM], propagation: RBMPropagation = .sample) throws(CoreError) {
        guard !layers.isEmpty else { throw CoreError("a stack needs at least one RBM") }
        for (l, pair) in zip(layers, layers.dropFirst()).enumerated() where pair.0.hiddenCount != pair.1.visibleCount {
            throw CoreError("layer \(l + 2) has \(pair.1.visibleCount) visible units but layer \(l + 1) has \(pair.0.hiddenCount) hidden units")
        }
        self.layers = layers
        self.propagation = propagation
    }

    /// Trains one RBM per entry of `hidden` greedily on `data`. Layer l has units `units[l]` and
    /// uses `options[l]` (each the last entry when fewer are given), its seed offset by l so
    /// layers draw independent streams. The layers `continuing` (trained before, with the same
    /// sizes) carry on from their weights; the others start fresh. On Ctrl-C the stack holds the
    /// layers trained so far and `isPartial` is set.
    public static func trained(on data: Ensemble, hidden: [Int], units: [RBMUnits] = [.pm1], options: [RBMTrainingOptions],
                               propagation: RBMPropagation = .sample, continuing: [RBM] = []) throws -> RBMStack {
        guard !hidden.isEmpty else { throw CoreError("a stack needs at least one layer size") }
        guard !options.isEmpty, !units.isEmpty else { throw CoreError("a stack needs training options and units") }
        for o in options { try o.validate() }
        var layers = [RBM]()
        var input = data
        var partial = false
        var untrained = [RBMLayerPlan]()
        for (l, size) in hidden.enumerated() {
            var o = options[min(l, options.count - 1)]
            o.seed = o.seed &+ UInt64(l)
            var rbm: RBM
            if l < continuing.count {
                rbm = continuing[l]
                guard rbm.hiddenCount == size else {
                    throw CoreError("layer \(l + 1) of the trained stack has \(rbm.hiddenCount) hidden units, not \(size)")
                }
            } else {
                rbm = try RBM(visibleShape: input.shape, hidden: size, units: units[min(l, units.count - 1)], seed: o.seed)
            }
            let unreached = hidden.indices.dropFirst(l + 1).map {
                RBMLayerPlan(hidden: hidden[$0], units: units[min($0, units.count - 1)], options: options[min($0, options.count - 1)])
            }
            do {
                try rbm.train(on: input, options: o)
            } catch let error as CoreError where error.keepsPartialResult {
                // The layer holds the weights of its last good epoch: keep it with those below.
                var stack = try RBMStack(layers: layers + [rbm], propagation: propagation)
                (stack.isPartial, stack.untrainedLayers) = (true, unreached)
                throw Diverged(stack: stack, error: CoreError("layer \(l + 1): " + error.message, hint: error.hint,
                                                              keepsPartialResult: true))
            }
            layers.append(rbm)
            if rbm.isPartial || Cancellation.isRequested {
                partial = true
                untrained = unreached
                break
            }
            if l + 1 < hidden.count {
                input = try rbm.hiddenLayer(of: input, mode: propagation, seed: o.seed)
            }
        }
        var stack = try RBMStack(layers: layers, propagation: propagation)
        stack.isPartial = partial
        stack.untrainedLayers = untrained
        return stack
    }

    /// Training of one layer diverged: `stack` holds the layers below it and that layer with the
    /// weights of its last good epoch (partial, the unreached layers planned).
    public struct Diverged: Error, CustomStringConvertible {
        public let stack: RBMStack
        public let error: CoreError

        public var description: String { error.message }
    }

    /// The hidden configurations of every layer for `data` (layer 1 first), each an ensemble with
    /// the data's labels, fed upwards as `propagation` says. Layer l draws with seed + l.
    public func hiddenLayers(of data: Ensemble, seed: UInt64) throws -> [Ensemble] {
        var out = [Ensemble]()
        var input = data
        for (l, rbm) in layers.enumerated() {
            input = try rbm.hiddenLayer(of: input, mode: propagation, seed: seed &+ UInt64(l))
            out.append(input)
        }
        return out
    }
}
