import RGSNumerics

extension Network {
    /// The autoencoder paper's layer sizes for N inputs: [N, N/2, N/4, N/2, N]
    /// (1024-512-256-512-1024 for 32x32 lattices, sec. II.2).
    public static func defaultAutoencoderSizes(inputs n: Int) -> [Int] {
        [n, n / 2, n / 4, n / 2, n]
    }

    /// The L1 coefficient of the default autoencoder. The paper (sec. II.6) uses L1 but does not
    /// state its value; 1e-6 per weight (Keras convention: l1 * sum|W| added to the loss) is ours:
    /// the paper's losses (~0.28, penalty included as Keras reports it) imply a small penalty.
    public static let defaultAutoencoderL1: Float = 1e-6

    /// An autoencoder with layer widths `sizes` (input first, output = input width), every layer
    /// with the same activation, bias choice and penalties. The defaults are the paper's Model-1:
    /// linear, no bias, L1, hinge loss, Adam. Layer k's weights come from stream k of `seed`.
    public static func autoencoder(sizes: [Int], activation: Activation = .linear, bias: Bool = false,
                                   l1: Float = defaultAutoencoderL1, l2: Float = 0, loss: Loss = .hinge,
                                   optimizer: Optimizer = .adam(), seed: UInt64) throws(CoreError) -> Network {
        guard sizes.count >= 2 else {
            throw CoreError("an autoencoder needs at least an input and an output size (got \(sizes))")
        }
        guard sizes.first == sizes.last else {
            throw CoreError("an autoencoder's output size must equal its input size (got \(sizes.first ?? 0) and \(sizes.last ?? 0))")
        }
        let layers = try denseStack(sizes: sizes, activations: Array(repeating: activation, count: sizes.count - 1),
                                    bias: bias, l1: l1, l2: l2, seed: seed)
        return try Network(layers: layers, loss: loss, optimizer: optimizer, role: .autoencoder)
    }

    /// Glorot-initialised layers of widths `sizes`, layer k with `activations[k]` and stream k.
    static func denseStack(sizes: [Int], activations: [Activation], bias: Bool, l1: Float, l2: Float,
                           seed: UInt64) throws(CoreError) -> [DenseLayer] {
        // All the layers together (each one alone is checked when it is made).
        let weights = zip(sizes, sizes.dropFirst()).reduce(0.0) { $0 + Double($1.0) * Double($1.1) }
        try checkWeightMemory(weights, for: "an autoencoder of widths \(sizes)", hint: "use smaller layers")
        var layers: [DenseLayer] = []
        for k in 0..<(sizes.count - 1) {
            layers.append(try DenseLayer(inputs: sizes[k], outputs: sizes[k + 1], activation: activations[k],
                                         bias: bias, l1: l1, l2: l2, seed: seed, stream: UInt64(k)))
        }
        return layers
    }
}
