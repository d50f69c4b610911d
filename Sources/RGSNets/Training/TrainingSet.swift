import RGSNumerics
import RGSPhysics

/// Inputs and targets as row-major float matrices (one row per sample): what training consumes.
public struct TrainingSet: Sendable {
    public let inputs: [Float]
    public let targets: [Float]
    public let inputWidth: Int
    public let targetWidth: Int
    /// Whether every input is +1 or -1 (the first layer's products then go by table lookup),
    /// checked once here rather than by every `train` call on the set.
    let inputsAreSpins: Bool
    /// With spin inputs, the rows' bits (`BitRows`, `BitRows.words(inputWidth)` words a row):
    /// minibatches gather these, a 32nd of the floats, when their products read only bits.
    let inputBits: [UInt64]
    /// Whether the targets are the spin inputs themselves (an autoencoder's): such minibatches
    /// unpack them from the bits too.
    let targetsAreInputs: Bool
    /// The smallest and largest finite target (0 and 0 when none is finite), found once here.
    let targetBounds: (low: Float, high: Float)
    /// The lattice symmetries training may augment the rows with (`TrainingOptions.augment`);
    /// nil when the rows are not lattice samples with symmetric targets (e.g. training pairs).
    public var symmetries: LatticeSymmetries?

    /// Rows (samples).
    public var count: Int { inputWidth == 0 ? 0 : inputs.count / inputWidth }

    /// A set from row-major inputs (count x inputWidth) and targets (count x targetWidth).
    public init(inputs: [Float], inputWidth: Int, targets: [Float], targetWidth: Int) throws(CoreError) {
        guard inputWidth > 0, targetWidth > 0 else { throw CoreError("input and target widths must be positive") }
        guard inputs.count % inputWidth == 0, targets.count % targetWidth == 0,
              inputs.count / inputWidth == targets.count / targetWidth else {
            throw CoreError("inputs hold \(inputs.count / inputWidth) rows but targets \(targets.count / targetWidth)")
        }
        guard !inputs.isEmpty else { throw CoreError("the training data is empty") }
        self.inputs = inputs
        self.targets = targets
        self.inputWidth = inputWidth
        self.targetWidth = targetWidth
        inputsAreSpins = BitRows.areSpins(inputs)
        let words = BitRows.words(inputWidth), rows = inputs.count / inputWidth
        inputBits = !inputsAreSpins ? [] : [UInt64](unsafeUninitializedCapacity: rows * words) { bits, initialized in
            inputs.withUnsafeBufferPointer {
                BitRows.pack($0.baseAddress!, rows: rows, width: inputWidth, stride: inputWidth, threshold: 0,
                             into: bits.baseAddress!, wordsPerRow: words)
            }
            initialized = rows * words
        }
        targetsAreInputs = inputsAreSpins && inputWidth == targetWidth && inputs == targets
        var (low, high) = (Float.infinity, -Float.infinity)
        for y in targets where y.isFinite { (low, high) = (min(low, y), max(high, y)) }
        targetBounds = low <= high ? (low, high) : (0, 0)
        symmetries = nil
    }
}

/// Matched (input, target) ensembles for nets that learn a map, e.g. a shallow coarse-graining
/// net trained on `TrainingPairs(data, decimate(data))` or an up-scaler on the reverse pair.
/// Sample i of `input` is paired with sample i of `target`.
public struct TrainingPairs: Sendable {
    public let input: Ensemble
    public let target: Ensemble

    public init(_ input: Ensemble, _ target: Ensemble) throws(CoreError) {
        guard input.count == target.count else {
            throw CoreError("pairs need as many targets as inputs (got \(input.count) and \(target.count))")
        }
        guard input.count > 0 else { throw CoreError("the training data is empty") }
        self.input = input
        self.target = target
    }

    /// The pairs as float matrices.
    public var trainingSet: TrainingSet {
        get throws(CoreError) {
            try TrainingSet(inputs: input.floatMatrix(), inputWidth: input.siteCount,
                            targets: target.floatMatrix(), targetWidth: target.siteCount)
        }
    }
}

extension Network {
    /// The training set for `data` implied by the net's role: the data itself for an
    /// autoencoder, the label value for a regressor, one-hot label classes for a classifier.
    /// The set carries the lattice symmetries of `data` for augmentation, the spin flip only
    /// when every sample has h = 0.
    public func trainingSet(for data: Ensemble) throws(CoreError) -> TrainingSet {
        var set = try unaugmentedTrainingSet(for: data)
        set.symmetries = LatticeSymmetries(shape: data.shape, spinFlip: data.labels.allSatisfy { $0.h == 0 },
                                           transformsTargets: role == .autoencoder)
        return set
    }

    private func unaugmentedTrainingSet(for data: Ensemble) throws(CoreError) -> TrainingSet {
        try checkInput(data)
        let x = data.floatMatrix()
        switch role {
        case .autoencoder:
            try checkOutput(width: data.siteCount, what: "reproduce its \(data.siteCount) inputs")
            return try TrainingSet(inputs: x, inputWidth: data.siteCount, targets: x, targetWidth: data.siteCount)
        case .regressor(let target):
            let y = data.labels.map { Float(target.value(of: $0)) }
            if let s = y.firstIndex(where: { !$0.isFinite }) {
                throw CoreError("sample \(s) has \(target.rawValue) = \(y[s]), which a regressor cannot learn",
                                hint: LabelTarget.hint(target, value: Double(y[s])))
            }
            return try TrainingSet(inputs: x, inputWidth: data.siteCount, targets: y, targetWidth: 1)
        case .classifier(let target, let classes):
            var y = [Float](repeating: 0, count: data.count * classes.count)
            for (s, label) in data.labels.enumerated() {
                let value = target.value(of: label)
                guard let k = classes.firstIndex(of: value) else {
                    throw CoreError("sample \(s) has \(target.rawValue) \(value), not one of the classifier's \(classes.count) classes",
                                    hint: "a classifier only knows the label values it was built for")
                }
                y[s * classes.count + k] = 1
            }
            return try TrainingSet(inputs: x, inputWidth: data.siteCount, targets: y, targetWidth: classes.count)
        case .mapping:
            throw CoreError("this net maps inputs to given targets and needs training pairs",
                            hint: "train it on pairs(input, target)")
        }
    }

    /// Throws unless samples of `data` fit the input layer.
    func checkInput(_ data: Ensemble) throws(CoreError) {
        guard data.count > 0 else { throw CoreError("the ensemble is empty") }
        guard data.siteCount == inputCount else {
            throw CoreError("the net takes \(inputCount) inputs but the samples have \(data.siteCount) sites (\(data.shapeDescription))",
                            hint: "the first layer size must equal the number of lattice sites")
        }
    }

    func checkOutput(width: Int, what: String) throws(CoreError) {
        guard outputCount == width else {
            throw CoreError("the net has \(outputCount) outputs but must \(what)")
        }
    }
}
