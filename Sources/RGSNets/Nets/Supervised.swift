import RGSNumerics
import RGSPhysics

extension Network {
    /// A regressor for one label quantity: inputs -> hidden layers -> 1 output. The defaults are
    /// the autoencoder paper's beta net (sec. II.7): 1024 -> 512 tanh -> 1 ReLU, with bias, MSE, Adam.
    ///
    /// `start` (for a linear or ReLU output, e.g. the mean label of the training data) sets the
    /// output layer's starting weights to zero and its bias to `start`, so that every sample
    /// begins at that prediction. With Glorot weights there instead, the output pre-activation of
    /// a 512-unit tanh layer has a spread of about 1 around 0: a ReLU output starts dead (zero
    /// gradient) for half the samples, and fitting the live ones lowers the bias and kills more
    /// (measured: held-out RMSE 0.21, a constant guess is 0.16, on 12 betas in [0.05, 0.6]).
    public static func regressor(inputs: Int, target: LabelTarget = .beta, hidden: [Int] = [512],
                                 activation: Activation = .tanh, output: Activation = .relu,
                                 loss: Loss = .mse, optimizer: Optimizer = .adam(), start: Double? = nil,
                                 seed: UInt64) throws(CoreError) -> Network {
        let sizes = [inputs] + hidden + [1]
        var layers = try denseStack(sizes: sizes, activations: Array(repeating: activation, count: hidden.count) + [output],
                                    bias: true, l1: 0, l2: 0, seed: seed)
        if let start {
            guard output == .relu || output == .linear, start.isFinite, output == .linear || start > 0 else {
                throw CoreError("a starting prediction needs a linear output, or a ReLU output and a positive start (got \(output.rawValue), \(start))")
            }
            let last = layers.count - 1
            layers[last].weights = Array(repeating: 0, count: layers[last].weights.count)
            layers[last].bias = [Float(start)]
        }
        return try Network(layers: layers, loss: loss, optimizer: optimizer, role: .regressor(target))
    }

    /// A regressor for `target` on samples like `data`, starting at their mean label when the
    /// output activation can produce it (linear, or ReLU with a positive mean): see `start` above.
    public static func regressor(for data: Ensemble, target: LabelTarget = .beta, hidden: [Int] = [512],
                                 activation: Activation = .tanh, output: Activation = .relu,
                                 optimizer: Optimizer = .adam(), seed: UInt64) throws(CoreError) -> Network {
        let values = data.labels.map { target.value(of: $0) }
        // One label value leaves nothing to learn: the net starts at it (below) with zero loss.
        if values.allSatisfy(\.isFinite), Set(values).count < 2 {
            throw CoreError("a regressor needs at least two distinct \(target.rawValue) values (got \(Set(values).count))",
                            hint: "train it on a scan, e.g. ising(L: 16, beta: 0.1..0.6 step 0.05, samples: 200)")
        }
        if output == .relu, let low = values.min(), low < 0 {
            throw CoreError("a ReLU output cannot predict negative labels (\(target == .field ? "h" : target.rawValue) goes down to \(low))",
                            hint: "use output: linear")
        }
        let mean = values.reduce(0, +) / Double(max(1, data.count))
        let reachable = mean.isFinite && (output == .linear || (output == .relu && mean > 0))
        return try regressor(inputs: data.siteCount, target: target, hidden: hidden, activation: activation,
                             output: output, optimizer: optimizer, start: reachable ? mean : nil, seed: seed)
    }

    /// A classifier over the label values `classes` (sorted and de-duplicated here): inputs ->
    /// hidden layers -> softmax over the classes, categorical cross-entropy, Adam. Its prediction
    /// is a probability distribution over the classes (the long-range paper's temperature net).
    public static func classifier(inputs: Int, target: LabelTarget = .temperature, classes: [Double],
                                  hidden: [Int] = [512], activation: Activation = .tanh,
                                  optimizer: Optimizer = .adam(), seed: UInt64) throws(CoreError) -> Network {
        if let bad = classes.first(where: { !$0.isFinite }) {
            throw CoreError("a classifier's \(target.rawValue) classes must be finite numbers (got \(bad))",
                            hint: LabelTarget.hint(target, value: bad))
        }
        let sorted = Array(Set(classes)).sorted()
        guard sorted.count >= 2 else {
            throw CoreError("a classifier needs at least two distinct \(target.rawValue) values (got \(sorted.count))")
        }
        let sizes = [inputs] + hidden + [sorted.count]
        let layers = try denseStack(sizes: sizes, activations: Array(repeating: activation, count: hidden.count) + [.softmax],
                                    bias: true, l1: 0, l2: 0, seed: seed)
        return try Network(layers: layers, loss: .categoricalCrossEntropy, optimizer: optimizer,
                           role: .classifier(target, classes: sorted))
    }

    /// A classifier over the distinct `target` values in the labels of `data`.
    public static func classifier(for data: Ensemble, target: LabelTarget = .temperature, hidden: [Int] = [512],
                                  activation: Activation = .tanh, optimizer: Optimizer = .adam(),
                                  seed: UInt64) throws(CoreError) -> Network {
        try classifier(inputs: data.siteCount, target: target, classes: data.labels.map { target.value(of: $0) },
                       hidden: hidden, activation: activation, optimizer: optimizer, seed: seed)
    }
}
