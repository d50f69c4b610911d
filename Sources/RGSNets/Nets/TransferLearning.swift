import RGSNumerics
import RGSPhysics

extension Network {
    /// A one-layer net mapping `from` values to `to` values: the paper's shallow coarse-graining
    /// (CG-1024-512, CG-512-256) and up-scaling (UP-256-512, UP-512-1024) nets (sec. II.3),
    /// trained on `TrainingPairs`. Defaults as the paper's: linear, no bias, L1, hinge, Adam.
    public static func shallow(from: Int, to: Int, activation: Activation = .linear, bias: Bool = false,
                               l1: Float = defaultAutoencoderL1, l2: Float = 0, loss: Loss = .hinge,
                               optimizer: Optimizer = .adam(), seed: UInt64) throws(CoreError) -> Network {
        let layer = try DenseLayer(inputs: from, outputs: to, activation: activation, bias: bias, l1: l1, l2: l2,
                                   seed: seed)
        return try Network(layers: [layer], loss: loss, optimizer: optimizer, role: .mapping)
    }

    /// A frozen one-layer linear net whose weights are `matrix` (rows = inputs), e.g. the
    /// hard-coded decimation nets HCG-1024-512 and HCG-512-256 (sec. II.4) from
    /// `CoarseGraining.matrix(from:to:rule:)`, or a fixed up-scaler from `upScalingMatrix`.
    public static func hardCoded(_ matrix: Matrix, loss: Loss = .hinge) throws(CoreError) -> Network {
        guard matrix.storage.allSatisfy(\.isFinite) else { throw CoreError("a hard-coded net needs finite weights (found NaN or infinity)") }
        return try Network(layers: [DenseLayer(matrix: matrix, trainable: false)], loss: loss, role: .mapping)
    }

    /// The layers of `nets` stacked in order into one deep net (transfer learning, Fig. 5): every
    /// layer keeps its trained weights and its trainable flag. When the last net is a regressor or
    /// classifier the stack is one too, with its target, classes and (unless `loss` is given)
    /// loss: a supervised head on transferred layers. Otherwise it is an autoencoder when its
    /// output width equals its input width, a mapping else, with `loss` (default hinge). Model-3
    /// of the paper is `compose([cg1024, cg512, up256, up512])`; Model-2 composes the HCG nets
    /// with fresh layers.
    public static func compose(_ nets: [Network], loss: Loss? = nil, optimizer: Optimizer = .adam())
        throws(CoreError) -> Network {
        guard let head = nets.last else { throw CoreError("compose needs at least one net") }
        let layers = nets.flatMap(\.layers)
        for k in 1..<max(1, layers.count) where layers[k - 1].outputs != layers[k].inputs {
            throw CoreError("cannot stack: a layer with \(layers[k - 1].outputs) outputs is followed by one with \(layers[k].inputs) inputs")
        }
        switch head.role {
        case .regressor, .classifier:
            return try Network(layers: layers, loss: loss ?? head.loss, optimizer: optimizer, role: head.role)
        case .autoencoder, .mapping:
            let role: NetworkRole = layers[0].inputs == layers[layers.count - 1].outputs ? .autoencoder : .mapping
            return try Network(layers: layers, loss: loss ?? .hinge, optimizer: optimizer, role: role)
        }
    }

    /// This net with the given layers (0-based) frozen, so that training leaves them unchanged.
    public func freezing(layers indices: [Int]) throws(CoreError) -> Network {
        var copy = self
        copy.optimizerState = nil  // the frozen layers' moments no longer apply
        for k in indices {
            _ = try layer(k)
            copy.layers[k].trainable = false
        }
        return copy
    }
}
