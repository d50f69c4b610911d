import RGSNumerics
@testable import RGSNets
import XCTest

/// Optimizer steps against hand computations, a linear autoencoder against PCA, early stopping,
/// NaN handling, cancellation and bit-reproducibility.
final class TrainingTests: XCTestCase {
    /// One linear neuron without bias, y = x . w, on the single sample x = (1, 2), target 1, MSE.
    private func neuron(_ optimizer: Optimizer) throws -> (Network, TrainingSet) {
        let layer = try DenseLayer(weights: [0.5, -0.25], inputs: 2, outputs: 1)
        let net = try Network(layers: [layer], loss: .mse, optimizer: optimizer)
        return (net, try TrainingSet(inputs: [1, 2], inputWidth: 2, targets: [1], targetWidth: 1))
    }

    /// The gradient of (x . w - 1)^2 for x = (1, 2).
    private func gradient(_ w: [Double]) -> [Double] {
        let r = 2 * (w[0] + 2 * w[1] - 1)
        return [r, 2 * r]
    }

    func testAdamMatchesHandComputedSteps() throws {
        var (net, data) = try neuron(.adam())
        try net.train(data, options: TrainingOptions(epochs: 3, batchSize: 1))
        var w = [0.5, -0.25], m = [0.0, 0.0], v = [0.0, 0.0]
        for t in 1...3 {
            let g = gradient(w)
            let alpha = 0.001 * (1 - pow(0.999, Double(t))).squareRoot() / (1 - pow(0.9, Double(t)))
            for i in 0..<2 {
                m[i] = 0.9 * m[i] + 0.1 * g[i]
                v[i] = 0.999 * v[i] + 0.001 * g[i] * g[i]
                w[i] -= alpha * m[i] / (v[i].squareRoot() + 1e-7)
            }
        }
        // The first step moves each weight by lr = 0.001 (m / sqrt(v) = sign g after correction).
        XCTAssertEqual(w[0], 0.503, accuracy: 1e-6)
        for i in 0..<2 { XCTAssertEqual(Double(net.layers[0].weights[i]), w[i], accuracy: 1e-6) }
    }

    /// Adam with the L1 and L2 penalty gradients l1 sign(w) + 2 l2 w (sign(0) = 0: the weight at
    /// 0 takes the data gradient alone), with and without L2 (the update leaves the L2 term out
    /// when l2 is 0), against the same steps in double precision.
    func testAdamWithPenaltiesMatchesHandComputedSteps() throws {
        for (l1, l2) in [(0.01, 0.0), (0.01, 0.05), (0.0, 0.05)] {
            let layer = try DenseLayer(weights: [0.5, -0.25, 0], inputs: 3, outputs: 1, l1: Float(l1), l2: Float(l2))
            var net = try Network(layers: [layer], loss: .mse, optimizer: .adam(learningRate: 0.01))
            let data = try TrainingSet(inputs: [1, 2, 1], inputWidth: 3, targets: [1], targetWidth: 1)
            try net.train(data, options: TrainingOptions(epochs: 3, batchSize: 1))
            var w = [0.5, -0.25, 0.0], m = [0.0, 0.0, 0.0], v = [0.0, 0.0, 0.0]
            for t in 1...3 {
                let r = 2 * (w[0] + 2 * w[1] + w[2] - 1)
                let g = zip([r, 2 * r, r], w).map { $0 + l1 * ($1 > 0 ? 1 : ($1 < 0 ? -1 : 0)) + 2 * l2 * $1 }
                let alpha = 0.01 * (1 - pow(0.999, Double(t))).squareRoot() / (1 - pow(0.9, Double(t)))
                for i in 0..<3 {
                    m[i] = 0.9 * m[i] + 0.1 * g[i]
                    v[i] = 0.999 * v[i] + 0.001 * g[i] * g[i]
                    w[i] -= alpha * m[i] / (v[i].squareRoot() + 1e-7)
                }
            }
            for i in 0..<3 {
                XCTAssertEqual(Double(net.layers[0].weights[i]), w[i], accuracy: 1e-6, "l1 \(l1), l2 \(l2), weight \(i)")
            }
        }
    }

    func testSGDWithMomentumMatchesHandComputedSteps() throws {
        var (net, data) = try neuron(.sgd(learningRate: 0.05, momentum: 0.9))
        try net.train(data, options: TrainingOptions(epochs: 4, batchSize: 1))
        var w = [0.5, -0.25], velocity = [0.0, 0.0]
        for _ in 1...4 {
            let g = gradient(w)
            for i in 0..<2 {
                velocity[i] = 0.9 * velocity[i] - 0.05 * g[i]
                w[i] += velocity[i]
            }
        }
        for i in 0..<2 { XCTAssertEqual(Double(net.layers[0].weights[i]), w[i], accuracy: 1e-6) }
        XCTAssertEqual(net.history.train.count, 4)
        XCTAssertEqual(net.history.train[0], 1, accuracy: 1e-6)  // (0.5 - 2 * 0.25 - 1)^2
    }

    /// A linear autoencoder d -> k -> d trained with MSE converges to the PCA solution: the
    /// decoder's output directions span the top-k eigenvectors U of the data's second-moment
    /// matrix, and the reconstruction map P = W1 W2 fixes them (u P = u). (Directions of tiny
    /// variance barely move the loss, so P is only pinned on the principal subspace.)
    func testLinearAutoencoderFindsThePCASubspace() throws {
        let d = 8, k = 2, n = 512
        var random = RandomStream(seed: 5, stream: 0)
        // Two strong directions (variances 9 and 4) in a random rotation, plus weak noise.
        let basis = (0..<d).map { _ in (0..<d).map { _ in random.normal() } }
        var x = [Float]()
        for _ in 0..<n {
            let z = [3 * random.normal(), 2 * random.normal()] + (0..<(d - 2)).map { _ in 0.1 * random.normal() }
            for i in 0..<d { x.append(Float((0..<d).reduce(0) { $0 + basis[i][$1] * z[$1] })) }
        }
        var net = try Network.autoencoder(sizes: [d, k, d], l1: 0, loss: .mse, optimizer: .adam(learningRate: 0.002), seed: 1)
        try net.train(TrainingSet(inputs: x, inputWidth: d, targets: x, targetWidth: d),
                      options: TrainingOptions(epochs: 600, batchSize: 64, seed: 2))
        var moments = Matrix(rows: d, columns: d)
        for s in 0..<n {
            for i in 0..<d { for j in 0..<d { moments[i, j] += Double(x[s * d + i] * x[s * d + j]) / Double(n) } }
        }
        let pca = try SymmetricEigen(moments)
        let u = (0..<k).map { a in (0..<d).map { pca.vectors[$0, a] } }
        let decoder = try net.weights(layer: 1), encoder = try net.weights(layer: 0)
        for r in 0..<k {
            // Decoder row r minus its projection on span U, relative to its norm.
            let row = decoder.row(r)
            let overlaps = u.map { v in zip(v, row).reduce(0) { $0 + $1.0 * $1.1 } }
            let residual = (0..<d).map { i in row[i] - (0..<k).reduce(0) { $0 + overlaps[$1] * u[$1][i] } }
            let norm = row.reduce(0) { $0 + $1 * $1 }.squareRoot()
            XCTAssertLessThan(residual.reduce(0) { $0 + $1 * $1 }.squareRoot() / norm, 0.01)
        }
        for v in u {
            let code = (0..<k).map { c in (0..<d).reduce(0.0) { $0 + v[$1] * encoder[$1, c] } }
            for j in 0..<d {
                let image = (0..<k).reduce(0.0) { $0 + code[$1] * decoder[$1, j] }
                XCTAssertEqual(image, v[j], accuracy: 0.01)
            }
        }
    }

    func testEarlyStoppingKeepsTheBestWeights() throws {
        // L = w^2 with SGD lr 1.5: w -> -2w, the loss grows fourfold every epoch.
        let layer = try DenseLayer(weights: [0.5], inputs: 1, outputs: 1)
        var net = try Network(layers: [layer], loss: .mse, optimizer: .sgd(learningRate: 1.5))
        let data = try TrainingSet(inputs: [1], inputWidth: 1, targets: [0], targetWidth: 1)
        try net.train(data, options: TrainingOptions(epochs: 20, batchSize: 1, patience: 2))
        XCTAssertEqual(net.history.train, [0.25, 1, 4])
        XCTAssertEqual(net.layers[0].weights, [-1])
        XCTAssertNotNil(net.history.stopReason)
        XCTAssertFalse(net.isPartial)
        // The losses reported for the net are those of the weights it holds: epoch 1's.
        XCTAssertEqual(net.history.keptEpoch, 1)
        XCTAssertEqual(net.history.kept.train, 0.25)
        // The record survives a save and load, and a call that completes no epoch.
        let loaded = try Network(parameters: net.parameters(), metadataJSON: net.metadataJSON)
        XCTAssertEqual(loaded.history.keptEpoch, 1)
        var stopped = net
        Cancellation.request()
        defer { Cancellation.clear() }
        try stopped.train(data, options: TrainingOptions(epochs: 2, batchSize: 1))
        Cancellation.clear()
        XCTAssertEqual(stopped.history.keptEpoch, 1)
        XCTAssertEqual(stopped.history.kept.train, 0.25)
        // A completed epoch holds its own weights again.
        var again = net
        try again.train(data, options: TrainingOptions(epochs: 1, batchSize: 1))
        XCTAssertNil(again.history.keptEpoch)
        XCTAssertEqual(again.history.kept.train, again.history.train.last)
    }

    /// A rate lowered by `decay` stays lowered in the next `train` call (Keras's
    /// ReduceLROnPlateau lowers the optimizer's own rate), also after a save and load.
    func testLoweredLearningRateCarriesOver() throws {
        // L = w^2 with SGD lr 1.5: the loss grows every epoch, so each epoch halves the rate.
        let layer = try DenseLayer(weights: [0.5], inputs: 1, outputs: 1)
        var net = try Network(layers: [layer], loss: .mse, optimizer: .sgd(learningRate: 1.5))
        let data = try TrainingSet(inputs: [1], inputWidth: 1, targets: [0], targetWidth: 1)
        try net.train(data, options: TrainingOptions(epochs: 3, batchSize: 1, decay: LearningRateDecay(factor: 0.5, patience: 1)))
        XCTAssertEqual(net.history.learningRates, [1.5, 1.5, 0.75])
        XCTAssertEqual(net.history.rateScale, 0.25)
        var loaded = try Network(parameters: net.parameters(), metadataJSON: net.metadataJSON)
        XCTAssertEqual(loaded.history.rateScale, 0.25)
        try net.train(data, options: TrainingOptions(epochs: 1, batchSize: 1))
        try loaded.train(data, options: TrainingOptions(epochs: 1, batchSize: 1))
        XCTAssertEqual(net.history.learningRates.last, 0.375)
        XCTAssertEqual(loaded.layers[0].weights, net.layers[0].weights)
    }

    func testInfiniteLossStopsAndKeepsTheLastGoodWeights() throws {
        let layer = try DenseLayer(weights: [0.5], inputs: 1, outputs: 1)
        var net = try Network(layers: [layer], loss: .mse, optimizer: .sgd(learningRate: 1e18))
        let data = try TrainingSet(inputs: [1, 1], inputWidth: 1, targets: [0, 0], targetWidth: 1)
        XCTAssertThrowsError(try net.train(data, options: TrainingOptions(epochs: 5, batchSize: 1))) { error in
            XCTAssertTrue("\(error)".contains("loss became"), "\(error)")
        }
        XCTAssertTrue(net.isPartial)
        XCTAssertTrue(net.layers[0].weights.allSatisfy(\.isFinite))
        XCTAssertEqual(net.history.train.count, net.history.train.filter(\.isFinite).count)
    }

    /// A NaN output makes every loss NaN (Swift's max(0, nan) is 0: the hinge must not hide it).
    func testLossesOfNaNOutputsAreNaN() {
        let p: [Float] = [0.5, .nan], y: [Float] = [1, -1]
        for loss in Loss.allCases {
            XCTAssertTrue(loss.total(p, y, rows: 1, width: 2).isNaN, "\(loss)")
        }
    }

    /// Block-wise parallel totals agree with a plain double sum and do not depend on the threads.
    func testLossTotalsMatchAPlainSum() {
        var random = RandomStream(seed: 5, stream: 0)
        let rows = 300, width = 100
        let p = (0..<(rows * width)).map { _ in random.uniformFloat() * 0.98 + 0.01 }
        let y = (0..<(rows * width)).map { _ in Float(random.below(2)) }
        let signs = y.map { 2 * $0 - 1 }
        for loss in Loss.allCases {
            let targets = loss == .hinge ? signs : y
            var plain = 0.0
            for (q, t) in zip(p, targets) {
                switch loss {
                case .mse: plain += Double((q - t) * (q - t))
                case .hinge: plain += Double(max(1 - t * q, 0))
                case .binaryCrossEntropy: plain -= Double(t) * log(Double(q)) + Double(1 - t) * log(1 - Double(q))
                case .categoricalCrossEntropy: if t != 0 { plain -= Double(t) * log(Double(q)) }
                }
            }
            if loss != .categoricalCrossEntropy { plain /= Double(width) }
            Settings.threads = 1
            let one = loss.total(p, targets, rows: rows, width: width)
            Settings.threads = 2
            let two = loss.total(p, targets, rows: rows, width: width)
            XCTAssertEqual(one, plain, accuracy: 1e-9 * abs(plain), "\(loss)")
            XCTAssertEqual(one.bitPattern, two.bitPattern, "\(loss)")
        }
        Settings.threads = Parallel.maxWorkers
    }

    func testCancellationReturnsAPartialNet() throws {
        var (net, data) = try neuron(.adam())
        Cancellation.request()
        defer { Cancellation.clear() }
        try net.train(data, options: TrainingOptions(epochs: 3, batchSize: 1))
        XCTAssertTrue(net.isPartial)
        XCTAssertEqual(net.layers[0].weights, [0.5, -0.25])
        XCTAssertTrue(net.summary.contains("partial"))
    }

    func testValidationSplitUsesTheLastRows() throws {
        // Targets differ only in the last row: its loss alone is the validation loss.
        let layer = try DenseLayer(weights: [0], inputs: 1, outputs: 1)
        var net = try Network(layers: [layer], loss: .mse, optimizer: .sgd(learningRate: 1e-9))
        let data = try TrainingSet(inputs: [1, 1, 1, 1], inputWidth: 1, targets: [0, 0, 0, 3], targetWidth: 1)
        try net.train(data, options: TrainingOptions(epochs: 1, batchSize: 3, validationFraction: 0.25))
        XCTAssertEqual(net.history.validation[0], 9, accuracy: 1e-6)
        XCTAssertEqual(net.history.train[0], 0, accuracy: 1e-6)
    }

    func testTrainingIsBitReproducibleForAnySeedAndThreadCount() throws {
        let n = 700, d = 256
        var random = RandomStream(seed: 9, stream: 0)
        let x = (0..<(n * d)).map { _ in random.below(2) == 0 ? Float(-1) : 1 }
        let data = try TrainingSet(inputs: x, inputWidth: d, targets: x, targetWidth: d)
        let threads = Settings.threads
        defer { Settings.threads = threads }
        func run(threads: Int, batch: Int) throws -> Network {
            Settings.threads = threads
            var net = try Network.autoencoder(sizes: [d, 128, d], seed: 4)
            try net.train(data, options: TrainingOptions(epochs: 2, batchSize: batch, validationFraction: 0.2, seed: 8))
            return net
        }
        for batch in [10, 100, 300] {   // the small-batch, blocked and large-batch gradient paths
            let one = try run(threads: 1, batch: batch)
            let again = try run(threads: 1, batch: batch)
            let two = try run(threads: 2, batch: batch)
            XCTAssertEqual(one.layers, again.layers)
            XCTAssertEqual(one.layers, two.layers, "batch \(batch): 1 and 2 threads differ")
            XCTAssertEqual(one.layers, try run(threads: 3, batch: batch).layers, "batch \(batch): 1 and 3 threads differ")
            XCTAssertEqual(one.history, two.history)
            XCTAssertTrue(try one.predict(x) == two.predict(x))
        }
        let other = try Network.autoencoder(sizes: [d, 128, d], seed: 5)
        XCTAssertNotEqual(other.layers, try Network.autoencoder(sizes: [d, 128, d], seed: 4).layers)
    }

    /// A second `train` continues Adam (update count and moments) like one run of two epochs;
    /// a fresh optimizer would take a different second step.
    func testTrainingAgainContinuesTheOptimizer() throws {
        var random = RandomStream(seed: 2, stream: 0)
        let x = (0..<(16 * 8)).map { _ in Float(random.uniform()) - 0.5 }
        let y = x.map { 0.3 * $0 + 0.1 }
        let data = try TrainingSet(inputs: x, inputWidth: 8, targets: y, targetWidth: 8)
        let start = try Network(layers: [DenseLayer(weights: (0..<64).map { Float($0 % 7) * 0.01 }, inputs: 8, outputs: 8,
                                                    activation: .linear)], loss: .mse, optimizer: .adam(learningRate: 0.05))
        let fullBatch = TrainingOptions(epochs: 1, batchSize: 16)
        var twice = start, once = start
        try twice.train(data, options: fullBatch)
        try twice.train(data, options: fullBatch)
        try once.train(data, options: TrainingOptions(epochs: 2, batchSize: 16))
        XCTAssertEqual(twice.optimizerState?.step, 2)
        XCTAssertEqual(twice.layers[0].weights, once.layers[0].weights)
        // With several minibatches too: each epoch's order depends on the seed and the epoch alone.
        let batches = TrainingOptions(epochs: 1, batchSize: 3, seed: 7)
        var split = start, whole = start
        try split.train(data, options: batches)
        try split.train(data, options: batches)
        try whole.train(data, options: TrainingOptions(epochs: 2, batchSize: 3, seed: 7))
        XCTAssertEqual(split.layers[0].weights, whole.layers[0].weights)
        XCTAssertEqual(split.history.train, whole.history.train)
        var fresh = twice
        fresh.optimizerState = nil
        var again = twice
        try fresh.train(data, options: fullBatch)
        try again.train(data, options: fullBatch)
        XCTAssertEqual(again.optimizerState?.step, 3)
        let gap = zip(fresh.layers[0].weights, again.layers[0].weights).map { abs($0 - $1) }.max() ?? 0
        XCTAssertGreaterThan(gap, 1e-3, "a restarted Adam takes a different step")
        // Another optimizer kind, or frozen layers, start afresh.
        var sgd = twice
        sgd.optimizer = .sgd(learningRate: 0.01)
        try sgd.train(data, options: fullBatch)
        XCTAssertEqual(sgd.optimizerState?.step, 1)
        XCTAssertEqual(sgd.optimizerState?.optimizer, "sgd")
        XCTAssertNil(try twice.freezing(layers: [0]).optimizerState)
    }

    /// Training writes the weights and moments back into the net's own arrays in place; a copy
    /// taken before must keep its values (the arrays are shared until one side writes).
    func testTrainingACopyLeavesTheOriginalUnchanged() throws {
        var random = RandomStream(seed: 5, stream: 0)
        let x = (0..<(20 * 8)).map { _ in Float(random.uniform()) - 0.5 }
        let data = try TrainingSet(inputs: x, inputWidth: 8, targets: x, targetWidth: 8)
        var net = try Network.autoencoder(sizes: [8, 4, 8], bias: true, seed: 2)
        let options = TrainingOptions(epochs: 2, batchSize: 5)
        try net.train(data, options: options)
        let copy = net
        // Element-wise copies: arrays sharing the net's storage would change along with it.
        let weights = copy.layers.map { $0.weights.map { $0 } }, bias = copy.layers.map { $0.bias?.map { $0 } }
        func moments(_ net: Network) -> [[[Float]]]? {
            net.optimizerState?.layers.map { [$0.weightsFirst, $0.weightsSecond, $0.biasFirst ?? [], $0.biasSecond ?? []] }
        }
        let before = moments(copy)?.map { $0.map { $0.map { $0 } } }
        try net.train(data, options: options)
        XCTAssertEqual(copy.layers.map(\.weights), weights)
        XCTAssertEqual(copy.layers.map(\.bias), bias)
        XCTAssertEqual(moments(copy), before)
        XCTAssertEqual(copy.optimizerState?.step, 8)
        XCTAssertNotEqual(net.layers.map(\.weights), weights)
        XCTAssertEqual(net.optimizerState?.step, 16)
        // Trained on its own, the copy continues exactly as the net did.
        var again = copy
        try again.train(data, options: options)
        XCTAssertEqual(again.layers.map(\.weights), net.layers.map(\.weights))
        XCTAssertEqual(again.optimizerState, net.optimizerState)
    }

    /// The vectorised penalty against a plain double sum, on a length with a tail.
    func testPenaltyMatchesAPlainSum() {
        var random = RandomStream(seed: 6, stream: 0)
        let w = (0..<1003).map { _ in Float(random.uniform()) - 0.5 }
        let (l1, l2) = (Double(Float(0.01)), Double(Float(0.1)))  // as the layer holds them
        let plain = w.reduce(0.0) { $0 + l1 * Double(abs($1)) + l2 * Double($1) * Double($1) }
        let fast = w.withUnsafeBufferPointer { DenseLayer.penalty($0, l1: 0.01, l2: 0.1) }
        XCTAssertEqual(fast, plain, accuracy: 1e-12 * abs(plain))
        XCTAssertEqual([Float]().withUnsafeBufferPointer { DenseLayer.penalty($0, l1: 1, l2: 1) }, 0)
    }
}
