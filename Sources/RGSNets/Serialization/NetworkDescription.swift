import RGSNumerics

/// The architecture of a net as JSON metadata, saved beside its parameter arrays: everything
/// except the weights (layer widths, activations, bias flags, penalties, trainable flags, loss,
/// optimizer hyper-parameters, role, classes, partial flag and loss history). The optimizer's
/// update count and kind are saved here when the net has an `optimizerState`; its moments are
/// arrays beside the weights.
struct NetworkDescription: Codable {
    struct Layer: Codable {
        var inputs: Int
        var outputs: Int
        var activation: Activation
        var bias: Bool
        var l1: Float
        var l2: Float
        var trainable: Bool
    }

    struct OptimizerSettings: Codable {
        var name: String
        var learningRate: Float
        var momentum: Float?
        var beta1: Float?
        var beta2: Float?
        var epsilon: Float?
    }

    var format = "rgs-net"
    var version = 1
    var layers: [Layer]
    var loss: Loss
    var optimizer: OptimizerSettings
    var role: String
    var target: LabelTarget?
    var classes: [Double]?
    var partial: Bool
    var trainLoss: [Double]
    var validationLoss: [Double]
    /// The learning rate of each epoch (absent in files written before rates were recorded).
    var learningRates: [Double]?
    /// The learning-rate decay so far and the epoch early stopping went back to (absent in
    /// files written before they were saved, and when 1 / nil).
    var rateScale: Double?
    var keptEpoch: Int?
    /// The optimizer state's update count and optimizer kind (absent before any training and
    /// in files written before states were saved).
    var optimizerStep: Int?
    var optimizerStateKind: String?

    init(_ net: Network) {
        layers = net.layers.map {
            Layer(inputs: $0.inputs, outputs: $0.outputs, activation: $0.activation, bias: $0.bias != nil,
                  l1: $0.l1, l2: $0.l2, trainable: $0.trainable)
        }
        loss = net.loss
        switch net.optimizer {
        case .sgd(let lr, let mu):
            optimizer = OptimizerSettings(name: "sgd", learningRate: lr, momentum: mu)
        case .adam(let lr, let b1, let b2, let eps):
            optimizer = OptimizerSettings(name: "adam", learningRate: lr, beta1: b1, beta2: b2, epsilon: eps)
        }
        switch net.role {
        case .autoencoder: role = "autoencoder"
        case .mapping: role = "mapping"
        case .regressor(let t): (role, target) = ("regressor", t)
        case .classifier(let t, let c): (role, target, classes) = ("classifier", t, c)
        }
        partial = net.isPartial
        trainLoss = net.history.train
        validationLoss = net.history.validation
        learningRates = net.history.learningRates
        rateScale = net.history.rateScale == 1 ? nil : net.history.rateScale
        keptEpoch = net.history.keptEpoch
        optimizerStep = net.optimizerState?.step
        optimizerStateKind = net.optimizerState?.optimizer
    }

    /// The optimizer these settings describe.
    func makeOptimizer() throws(CoreError) -> Optimizer {
        switch optimizer.name {
        case "sgd":
            return .sgd(learningRate: optimizer.learningRate, momentum: optimizer.momentum ?? 0)
        case "adam":
            return .adam(learningRate: optimizer.learningRate, beta1: optimizer.beta1 ?? 0.9,
                         beta2: optimizer.beta2 ?? 0.999, epsilon: optimizer.epsilon ?? 1e-7)
        default:
            throw CoreError("unknown optimizer '\(optimizer.name)' in the saved net")
        }
    }

    /// The role these settings describe.
    func makeRole() throws(CoreError) -> NetworkRole {
        switch (role, target, classes) {
        case ("autoencoder", _, _): return .autoencoder
        case ("mapping", _, _): return .mapping
        case ("regressor", let t?, _): return .regressor(t)
        case ("classifier", let t?, let c?): return .classifier(t, classes: c)
        default: throw CoreError("the saved net has an unknown or incomplete role '\(role)'")
        }
    }
}

extension NetworkDescription {
    /// A decoding failure as "layers.0.activation: cannot read 'swish'" rather than Swift's dump.
    static func explain(_ error: DecodingError) -> String {
        switch error {
        case .dataCorrupted(let c), .typeMismatch(_, let c), .valueNotFound(_, let c):
            return place(c) + c.debugDescription
        case .keyNotFound(let key, let c):
            return place(c) + "the key '\(key.stringValue)' is missing"
        @unknown default:
            return "\(error)"
        }
    }

    private static func place(_ c: DecodingError.Context) -> String {
        c.codingPath.isEmpty ? "" : c.codingPath.map { $0.intValue.map(String.init) ?? $0.stringValue }.joined(separator: ".") + ": "
    }
}
