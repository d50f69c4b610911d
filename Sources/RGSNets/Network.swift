import RGSNumerics
import RGSPhysics

/// What a network is trained to output, which fixes where its training targets come from.
public enum NetworkRole: Sendable, Equatable {
    /// Reproduces its input (targets = inputs).
    case autoencoder
    /// Maps inputs to given targets: shallow coarse-graining / up-scaling nets and stacks of them,
    /// trained on `TrainingPairs`.
    case mapping
    /// Predicts one number per sample read from its label.
    case regressor(LabelTarget)
    /// Predicts a probability for each of `classes` (label values, ascending), softmax output.
    case classifier(LabelTarget, classes: [Double])
}

/// The label quantity a supervised net learns.
public enum LabelTarget: String, Sendable, CaseIterable, Codable {
    /// Inverse temperature beta.
    case beta
    /// Temperature T = 1 / beta.
    case temperature
    /// External field h.
    case field

    /// The names a script uses for the quantity (`measure beta`, `measure T`, ...), the usual one first.
    public var names: [String] {
        switch self {
        case .beta: return ["beta"]
        case .temperature: return ["T", "temperature"]
        case .field: return ["h", "field"]
        }
    }

    /// Why a label value a supervised net cannot learn (NaN or infinite) arose.
    static func hint(_ target: LabelTarget, value: Double) -> String {
        if value.isNaN { return "the samples carry no \(target.rawValue) label (data loaded without labels?)" }
        return target == .beta ? "T = 0 lattices have infinite beta: use target: T" : "use finite labels"
    }

    /// The quantity's value for one sample.
    public func value(of label: SampleLabel) -> Double {
        switch self {
        case .beta: return label.beta
        case .temperature: return label.temperature
        case .field: return label.h
        }
    }
}

/// A feed-forward stack of dense layers with its loss, optimizer and training record.
///
/// Layer k maps `layers[k].inputs` to `layers[k].outputs` values; consecutive sizes match. A net
/// is a value: training returns or mutates a copy, never a shared object. Layers are replaced
/// only through the constructors, `compose` and `freezing`, so their sizes always chain.
public struct Network: Sendable {
    public internal(set) var layers: [DenseLayer]
    public var loss: Loss
    public var optimizer: Optimizer
    public var role: NetworkRole
    /// The label quantity a regressor or classifier predicts (nil for other nets).
    public var labelTarget: LabelTarget? {
        switch role {
        case .regressor(let t), .classifier(let t, _): return t
        case .autoencoder, .mapping: return nil
        }
    }
    /// Train / validation loss per epoch of the last `train` call.
    public var history = TrainingHistory()
    /// True when training was interrupted (Ctrl-C) or stopped by a non-finite loss.
    public var isPartial = false
    /// The optimizer's update count and moments after the last training (nil before any, and
    /// after a non-finite loss): the next `train` continues from them when they fit.
    public internal(set) var optimizerState: OptimizerState?

    /// A net from layers whose sizes chain (`layers[k].outputs == layers[k + 1].inputs`).
    public init(layers: [DenseLayer], loss: Loss, optimizer: Optimizer = .adam(),
                role: NetworkRole = .mapping) throws(CoreError) {
        guard !layers.isEmpty else { throw CoreError("a network needs at least one layer") }
        for k in 1..<max(1, layers.count) where layers[k - 1].outputs != layers[k].inputs {
            throw CoreError("layer \(k - 1) outputs \(layers[k - 1].outputs) values but layer \(k) takes \(layers[k].inputs)")
        }
        try optimizer.validate()
        if case .classifier(_, let classes) = role, classes.count != layers[layers.count - 1].outputs {
            throw CoreError("a classifier over \(classes.count) classes needs \(classes.count) outputs, not \(layers[layers.count - 1].outputs)")
        }
        if case .regressor = role, layers[layers.count - 1].outputs != 1 {
            throw CoreError("a regressor has one output, not \(layers[layers.count - 1].outputs)")
        }
        self.layers = layers
        self.loss = loss
        self.optimizer = optimizer
        self.role = role
    }

    /// Input width.
    public var inputCount: Int { layers[0].inputs }
    /// Output width.
    public var outputCount: Int { layers[layers.count - 1].outputs }
    /// Layer widths from input to output, e.g. [1024, 512, 256, 512, 1024].
    public var sizes: [Int] { [inputCount] + layers.map(\.outputs) }

    /// The total penalty sum over layers of l1 sum|W| + l2 sum W^2.
    public var penalty: Double { layers.reduce(0) { $0 + $1.penalty } }

    /// "1024-512-256-512-1024 linear, hinge, adam(lr 0.001)".
    public var summary: String {
        let activations = Set(layers.map(\.activation.rawValue)).sorted().joined(separator: "/")
        let frozen = layers.indices.filter { !layers[$0].trainable }
        return sizes.map(String.init).joined(separator: "-") + " \(activations), \(loss.rawValue), \(optimizer.summary)"
            + (frozen.isEmpty ? "" : ", frozen \(frozen)") + (isPartial ? " (partial)" : "")
    }
}

/// Per-epoch losses of one training run, as Keras reports them: the objective (data loss plus
/// penalties) on the training rows and, with a validation split, on the validation rows.
public struct TrainingHistory: Sendable, Equatable {
    /// Mean minibatch data loss over the epoch plus the penalty at the end of the epoch.
    public var train: [Double] = []
    /// Data loss on the validation rows plus the penalty, at the end of each epoch (empty
    /// without a validation split).
    public var validation: [Double] = []
    /// The learning rate used in each epoch (changes with `TrainingOptions.decay`).
    public var learningRates: [Double] = []
    /// Why training ended early ("early stopping after epoch 12", "interrupted", "loss became
    /// NaN in epoch 3"), nil when all epochs ran.
    public var stopReason: String?
    /// The epoch (from 1) whose weights the net holds when early stopping went back to the best
    /// epoch; nil when they are the last epoch's.
    public var keptEpoch: Int?
    /// The factor `TrainingOptions.decay` has applied to the optimizer's rate so far (1 without
    /// decay). A later `train` call starts from it, as Keras's ReduceLROnPlateau lowers the
    /// optimizer's own rate.
    public var rateScale = 1.0

    /// The training and validation losses of the epoch whose weights the net holds.
    public var kept: (train: Double?, validation: Double?) {
        guard let e = keptEpoch, e >= 1, e <= train.count else { return (train.last, validation.last) }
        // Validation losses line up with the epochs only when every epoch had a split.
        return (train[e - 1], validation.count == train.count ? validation[e - 1] : nil)
    }

    public init() {}
}
