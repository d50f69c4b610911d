import RGSNumerics

/// A fully connected float32 layer: y = activation(x W + b) for a row vector x.
///
/// `weights` is stored row-major with `inputs` rows and `outputs` columns (Keras's kernel layout
/// and the autoencoder paper's eq. 6, Y_j = sum_i Y_i W_ij), so a whole minibatch X (batch x
/// inputs) goes through one sgemm, X W. The L1 and L2 penalties act on the weights only (Keras's
/// `kernel_regularizer`): they add l1 * sum|W| + l2 * sum W^2 to the training objective.
public struct DenseLayer: Sendable, Equatable {
    /// Input width.
    public let inputs: Int
    /// Output width.
    public let outputs: Int
    /// inputs x outputs, row-major: `weights[i * outputs + j]` couples input i to output j.
    public internal(set) var weights: [Float]
    /// One bias per output, or nil for a layer without bias.
    public internal(set) var bias: [Float]?
    public var activation: Activation
    /// L1 penalty coefficient on the weights.
    public var l1: Float
    /// L2 penalty coefficient on the weights.
    public var l2: Float
    /// False for a frozen (transferred) layer: training leaves it unchanged.
    public var trainable: Bool

    /// A layer with Glorot-uniform weights (U(-r, r), r = sqrt(6 / (inputs + outputs)), Keras's
    /// default) drawn from `RandomStream(seed: seed, stream: stream)`, and zero biases.
    public init(inputs: Int, outputs: Int, activation: Activation = .linear, bias: Bool = true,
                l1: Float = 0, l2: Float = 0, seed: UInt64, stream: UInt64 = 0) throws(CoreError) {
        try DenseLayer.checkSize(inputs: inputs, outputs: outputs)
        var random = RandomStream(seed: seed, stream: stream)
        let limit = Float((6 / Double(inputs + outputs)).squareRoot())
        let weights = (0..<(inputs * outputs)).map { _ in (2 * random.uniformFloat() - 1) * limit }
        try self.init(weights: weights, inputs: inputs, outputs: outputs,
                      bias: bias ? [Float](repeating: 0, count: outputs) : nil,
                      activation: activation, l1: l1, l2: l2)
    }

    /// A layer with the given weights (inputs x outputs, row-major) and optional bias.
    public init(weights: [Float], inputs: Int, outputs: Int, bias: [Float]? = nil,
                activation: Activation = .linear, l1: Float = 0, l2: Float = 0,
                trainable: Bool = true) throws(CoreError) {
        try DenseLayer.checkSize(inputs: inputs, outputs: outputs)
        guard weights.count == inputs * outputs else {
            throw CoreError("a \(inputs)x\(outputs) layer needs \(inputs * outputs) weights, got \(weights.count)")
        }
        if let bias, bias.count != outputs {
            throw CoreError("a layer with \(outputs) outputs needs \(outputs) biases, got \(bias.count)")
        }
        guard l1 >= 0, l2 >= 0, l1.isFinite, l2.isFinite else {
            throw CoreError("penalties must be finite and non-negative (l1 \(l1), l2 \(l2))")
        }
        self.inputs = inputs
        self.outputs = outputs
        self.weights = weights
        self.bias = bias
        self.activation = activation
        self.l1 = l1
        self.l2 = l2
        self.trainable = trainable
    }

    /// A linear layer without bias whose weights are the matrix `w` (rows = inputs): how the
    /// hard-coded coarse-graining nets (HCG) and their up-scaling partners are built.
    public init(matrix w: Matrix, trainable: Bool = false) throws(CoreError) {
        try self.init(weights: w.storage.map { Float($0) }, inputs: w.rows, outputs: w.columns,
                      trainable: trainable)
    }

    /// The penalty l1 * sum|W| + l2 * sum W^2 this layer adds to the objective.
    public var penalty: Double {
        weights.withUnsafeBufferPointer { DenseLayer.penalty($0, l1: l1, l2: l2) }
    }

    /// l1 * sum|w| + l2 * sum w^2, accumulated in double precision: eight lanes over the
    /// weights in order (lane j sums the weights j, j + 8, ...), then the lanes and the tail.
    /// A one-lane loop waited on its additions, 1.3 ms per epoch for Model-1.
    static func penalty(_ weights: UnsafeBufferPointer<Float>, l1: Float, l2: Float) -> Double {
        guard l1 != 0 || l2 != 0, let base = weights.baseAddress else { return 0 }
        var a = SIMD8<Double>(), s = SIMD8<Double>()
        let whole = weights.count / 8 * 8
        for i in stride(from: 0, to: whole, by: 8) {
            let w = SIMD8<Double>(UnsafeRawPointer(base + i).loadUnaligned(as: SIMD8<Float>.self))
            a += w.replacing(with: -w, where: w .< 0)
            s += w * w
        }
        var absolute = a.sum(), square = s.sum()
        for w in weights[whole...] {
            absolute += Double(abs(w))
            square += Double(w) * Double(w)
        }
        return Double(l1) * absolute + Double(l2) * square
    }

    /// "1024->512 linear, no bias, l1 1e-05".
    public var summary: String {
        var parts = ["\(inputs)->\(outputs) \(activation.rawValue)"]
        if bias == nil { parts.append("no bias") }
        if l1 != 0 { parts.append("l1 \(l1)") }
        if l2 != 0 { parts.append("l2 \(l2)") }
        if !trainable { parts.append("frozen") }
        return parts.joined(separator: ", ")
    }

    private static func checkSize(inputs: Int, outputs: Int) throws(CoreError) {
        guard inputs > 0, outputs > 0 else {
            throw CoreError("layer sizes must be positive (got \(inputs) -> \(outputs))")
        }
        let (n, overflow) = inputs.multipliedReportingOverflow(by: outputs)
        guard !overflow, n <= 1 << 28 else {
            throw CoreError("a \(inputs)x\(outputs) layer is too large (more than 2^28 weights)")
        }
        try checkWeightMemory(Double(n), for: "a \(inputs)x\(outputs) layer", hint: "use a smaller layer")
    }
}

/// Refuses `count` float32 weights, with the initial values they are made from, when they exceed
/// the free memory (an allocation failure would abort the process).
func checkWeightMemory(_ count: Double, for what: String, hint: String) throws(CoreError) {
    try SystemMemory.check(2 * Double(MemoryLayout<Float>.stride) * count, for: what, hint: hint)
}
