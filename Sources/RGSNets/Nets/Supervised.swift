import RGSNumerics
import RGSPhysics

extension Network {
    /// A regressor for one label quantity: inputs -> hidden layers -> 1 output. The defaults are
    /// the autoencoder paper's beta net (sec. II.7): 1024 -> 512 tanh -> 1 ReLU, with bias, MSE, Adam.
    public static func regressor(inputs: Int, target: LabelTarget = .beta, hidden: [Int] = [512],
                                 activation: Activation = .tanh, output: Activation = .relu,
                                 loss: Loss = .mse, optimizer: Optimizer = .adam(),
                                 seed: UInt64) throws(CoreError) -> Network {
        let sizes = [inputs] + hidden + [1]
        let layers = try denseStack(sizes: sizes, activations: Array(repeating: activation, count: hidden.count) + [output],
                                    bias: true, l1: 0, l2: 0, seed: seed)
        return try Network(layers: layers, loss: loss, optimizer: optimizer, role: .regressor(target))
    }

    /// A classifier over the label values `classes` (sorted and de-duplicated here): inputs ->
    /// hidden layers -> softmax over the classes, categorical cross-entropy, Adam. Its prediction
    /// is a probability distribution over the classes (the long-range paper's temperature net).
    public static func classifier(inputs: Int, target: LabelTarget = .temperature, classes: [Double],
                                  hidden: [Int] = [512], activation: Activation = .tanh,
                                  optimizer: Optimizer = .adam(), seed: UInt64) throws(CoreError) -> Network {
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
