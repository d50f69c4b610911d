import XCTest
import RGSNumerics
import RGSPhysics
@testable import RGSNets

/// Pairs of linear bias-free layers train through the product of their weights (`LinearPair`):
/// which pairs are chosen, and one step against layer-by-layer backpropagation in Double.
final class LinearPairTests: XCTestCase {
    func testPairsAreChosenWhereTheySaveWork() throws {
        let model1 = try Network.autoencoder(sizes: Network.defaultAutoencoderSizes(inputs: 1024), seed: 1)
        XCTAssertEqual(Workspace.linearPairs(model1, batchCapacity: 1000, spinProducts: true), [0, 2])
        XCTAssertEqual(Workspace.linearPairs(model1, batchCapacity: 1000, spinProducts: false), [0, 2])
        // At batch 100 the products of the weights (n m p = 134 M) cost more than they save.
        XCTAssertEqual(Workspace.linearPairs(model1, batchCapacity: 100, spinProducts: true), [])
        XCTAssertEqual(Workspace.linearPairs(model1, batchCapacity: 16, spinProducts: true), [])
        // The batches from which the decoder and the encoder pair pay (docs/nets.md).
        for (rows, spins, pairs) in [(341, true, []), (342, true, [2]), (548, true, [2]), (549, true, [0, 2]),
                                     (438, false, [2]), (439, false, [0, 2])] {
            XCTAssertEqual(Workspace.linearPairs(model1, batchCapacity: rows, spinProducts: spins), pairs, "batch \(rows)")
        }
        let tanh = try Network.autoencoder(sizes: [1024, 512, 256, 512, 1024], activation: .tanh, seed: 1)
        XCTAssertEqual(Workspace.linearPairs(tanh, batchCapacity: 1000, spinProducts: true), [])
        let biased = try Network.autoencoder(sizes: [1024, 512, 256, 512, 1024], bias: true, seed: 1)
        XCTAssertEqual(Workspace.linearPairs(biased, batchCapacity: 1000, spinProducts: true), [])
        var frozen = model1
        frozen.layers[0].trainable = false
        XCTAssertEqual(Workspace.linearPairs(frozen, batchCapacity: 1000, spinProducts: true), [2])
        // The memory check before training counts the pairs' buffers.
        // A smaller net with both pairs: a Model-1 workspace would leave 60 MB in the buffer pool.
        let small = try Network.autoencoder(sizes: [256, 128, 64, 128, 256], seed: 1)
        let work = Workspace(network: small, batchCapacity: 1000, training: true, spinInputs: true)
        XCTAssertEqual(work.pairs.map(\.first), [0, 2])
        XCTAssertGreaterThanOrEqual(Workspace.trainingBytes(small, batchCapacity: 1000), Double(work.bytes))
    }

    /// One SGD step on a net whose two pairs are both chosen, with spin and with real inputs:
    /// the outputs and the weight changes match forward and backward passes layer by layer in
    /// Double; 1 and 2 threads give the same bits.
    func testOneStepMatchesLayerByLayerBackpropagation() throws {
        let net = try Network.autoencoder(sizes: [40, 30, 8, 30, 40], l1: 1e-4, loss: .mse, optimizer: .sgd(learningRate: 0.05), seed: 4)
        var random = RandomStream(seed: 7, stream: 0)
        for spins in [true, false] {
            try checkOneStep(net, rows: 200, capacity: 200, spins: spins, pairs: [0, 2], random: &random)
        }
    }

    /// The other shapes of a step: a pair after a trainable plain layer (so dX = dZ P^T),
    /// weight rows in several update blocks for either held gradient (n <= p and n > p), and a
    /// last minibatch of at most `fusedBatch` rows in a workspace that takes pairs.
    func testInputGradientBlocksAndSmallLastBatchMatchLayerByLayer() throws {
        func net(_ sizes: [Int]) throws -> Network {
            let layers = try (1..<sizes.count).map { k throws(CoreError) in
                try DenseLayer(inputs: sizes[k - 1], outputs: sizes[k], bias: false, l1: 1e-4, seed: 5, stream: UInt64(k))
            }
            return try Network(layers: layers, loss: .mse, optimizer: .sgd(learningRate: 0.05))
        }
        var random = RandomStream(seed: 8, stream: 0)
        // 100 -> 20 -> 100 stays layer by layer; 20 -> 100 -> 30 is a pair whose dX layer 0
        // needs, its second layer's 100 weight rows in two blocks.
        let inputGradient = try net([100, 20, 100, 30])
        // 130 -> 90 -> 12: the first layer's 130 weight rows in three blocks, the held gradient
        // the second layer's.
        let firstLayerBlocks = try net([130, 90, 12])
        for (network, pairs) in [(inputGradient, [1]), (firstLayerBlocks, [0])] {
            for spins in [true, false] {
                for rows in [200, Workspace.fusedBatch - 6] {
                    try checkOneStep(network, rows: rows, capacity: 200, spins: spins, pairs: pairs, random: &random)
                }
            }
        }
    }

    /// A kept workspace serves only nets that take the same pairs: a net of the same sizes,
    /// biases and trainable flags whose activations break a pair makes `reload` refuse it.
    func testReloadRefusesANetWithOtherPairs() throws {
        let sizes = [64, 32, 16, 32, 64]
        let linear = try Network.autoencoder(sizes: sizes, seed: 1)
        var decoderTanh = linear
        decoderTanh.layers[3].activation = .tanh
        let tanh = try Network.autoencoder(sizes: sizes, activation: .tanh, seed: 1)
        let work = Workspace(network: linear, batchCapacity: 500, training: true, spinInputs: true)
        XCTAssertEqual(work.pairs.map(\.first), [0, 2])
        XCTAssertEqual(Workspace.linearPairs(decoderTanh, batchCapacity: 500, spinProducts: true), [0])
        XCTAssertFalse(work.reload(decoderTanh, batchCapacity: 500, spinInputs: true, moments: nil))
        XCTAssertFalse(work.reload(tanh, batchCapacity: 500, spinInputs: true, moments: nil))
        XCTAssertTrue(work.reload(try Network.autoencoder(sizes: sizes, seed: 2), batchCapacity: 500, spinInputs: true, moments: nil))
        let layered = Workspace(network: tanh, batchCapacity: 500, training: true, spinInputs: true)
        XCTAssertEqual(layered.pairs.map(\.first), [])
        XCTAssertFalse(layered.reload(linear, batchCapacity: 500, spinInputs: true, moments: nil))
    }

    /// One SGD step of `net` (linear bias-free layers, SGD without momentum) on `rows` random
    /// rows in a workspace of `capacity` rows, whose pairs must start at `pairs`: the outputs
    /// and the weight changes match `Reference`, and 1 and 2 threads give the same bits.
    /// Evaluations of many rows run pairs through P, formed on the first batch and kept: the
    /// choice of pairs, and predictions over three evaluation batches against layer-by-layer
    /// products in Double, with spin and with real inputs.
    func testEvaluationThroughPairsMatchesLayerByLayer() throws {
        var model1 = try Network.autoencoder(sizes: Network.defaultAutoencoderSizes(inputs: 1024), seed: 1)
        XCTAssertEqual(Workspace.evaluationPairs(model1, rows: 30_000, spinProducts: true), [0, 2])
        XCTAssertEqual(Workspace.evaluationPairs(model1, rows: 100, spinProducts: true), [])
        // The rows from which the decoder and the encoder pair pay (docs/nets.md).
        for (rows, spins, pairs) in [(341, true, []), (342, true, [2]), (445, true, [2]), (446, true, [0, 2]),
                                     (341, false, []), (342, false, [0, 2])] {
            XCTAssertEqual(Workspace.evaluationPairs(model1, rows: rows, spinProducts: spins), pairs, "\(rows) rows")
        }
        model1.layers[0].trainable = false  // frozen layers pair too: their weights are as fixed as the others'
        XCTAssertEqual(Workspace.evaluationPairs(model1, rows: 30_000, spinProducts: true), [0, 2])
        let net = try Network.autoencoder(sizes: [40, 30, 8, 30, 40], seed: 4)
        var random = RandomStream(seed: 9, stream: 0)
        let rows = 600
        for spins in [true, false] {
            let inputs = (0..<(rows * 40)).map { _ in spins ? (random.below(2) == 0 ? Float(-1) : 1) : Float(random.uniform() * 2 - 1) }
            let work = Workspace(network: net, batchCapacity: Network.evaluationBatch, training: false, spinInputs: spins,
                                 evaluationRows: rows)
            XCTAssertEqual(work.pairs.map(\.first), [0, 2])
            let expected = Reference(net: net, inputs: inputs, rows: rows).output
            let output = try net.predict(inputs)
            XCTAssertEqual(output.count, expected.count)
            for (x, y) in zip(output, expected) { XCTAssertEqual(Double(x), y, accuracy: 1e-5) }
        }
    }

    private func checkOneStep(_ net: Network, rows: Int, capacity: Int, spins: Bool, pairs: [Int],
                              random: inout RandomStream, file: StaticString = #filePath, line: UInt = #line) throws {
        let (n, out, lr) = (net.inputCount, net.outputCount, Double(net.optimizer.learningRate))
        let inputs = (0..<(rows * n)).map { _ in spins ? (random.below(2) == 0 ? Float(-1) : 1) : Float(random.uniform() * 2 - 1) }
        let targets = (0..<(rows * out)).map { _ in Float(random.uniform() * 2 - 1) }
        let data = try TrainingSet(inputs: inputs, inputWidth: n, targets: targets, targetWidth: out)
        XCTAssertEqual(data.inputsAreSpins, spins, file: file, line: line)
        let expected = Reference(net: net, inputs: inputs, rows: rows)
        // dZ of the loss from the Double outputs, then back through the layers.
        var dz = [Float](repeating: 0, count: rows * out)
        net.loss.gradient(expected.output.map(Float.init), targets, into: &dz, rows: rows, width: out)
        let gradients = expected.weightGradients(dz.map(Double.init))
        var results: [[(weights: [Float], bias: [Float]?)]] = []
        let threads = Settings.threads
        defer { Settings.threads = threads }
        for t in [1, 2] {
            Settings.threads = t
            let work = Workspace(network: net, batchCapacity: capacity, training: true, spinInputs: spins)
            XCTAssertEqual(work.pairs.map(\.first), pairs, file: file, line: line)
            var images: SymmetryImages? = nil
            work.gather(data, rows: ArraySlice(0..<rows), images: &images)
            work.forward(rows: rows)
            let output = Array(UnsafeBufferPointer(start: work.output, count: rows * out))
            for (x, y) in zip(output, expected.output) { XCTAssertEqual(Double(x), y, accuracy: 1e-5, file: file, line: line) }
            work.backpropagate(net.loss, rows: rows, optimizer: net.optimizer, step: 1)
            results.append(work.snapshot())
            for (k, layer) in net.layers.enumerated() {
                let after = results[results.count - 1][k].weights
                for i in layer.weights.indices {
                    let w = Double(layer.weights[i])
                    let step = lr * (gradients[k][i] + Double(layer.l1) * (w > 0 ? 1 : w < 0 ? -1 : 0))
                    XCTAssertEqual(Double(after[i]), w - step, accuracy: 2e-7, "rows \(rows) layer \(k) weight \(i)", file: file, line: line)
                }
            }
        }
        for (a, b) in zip(results[0], results[1]) { XCTAssertEqual(a.weights, b.weights, file: file, line: line) }
    }
}

/// Forward and backward passes of a linear bias-free net, layer by layer in Double.
private struct Reference {
    let layers: [DenseLayer]
    let rows: Int
    /// Every layer's input, then the output.
    let activations: [[Double]]
    var output: [Double] { activations[activations.count - 1] }

    init(net: Network, inputs: [Float], rows: Int) {
        (layers, self.rows) = (net.layers, rows)
        var x = inputs.map(Double.init), all = [x]
        for layer in net.layers {
            x = Reference.product(x, rows: rows, depth: layer.inputs, layer.weights.map(Double.init), width: layer.outputs)
            all.append(x)
        }
        activations = all
    }

    /// dW of every layer for the output gradient `dz`.
    func weightGradients(_ dz: [Double]) -> [[Double]] {
        var delta = dz, gradients: [[Double]] = Array(repeating: [], count: layers.count)
        for k in layers.indices.reversed() {
            let (n, out) = (layers[k].inputs, layers[k].outputs), x = activations[k]
            var g = [Double](repeating: 0, count: n * out), dx = [Double](repeating: 0, count: rows * n)
            for r in 0..<rows {
                for i in 0..<n {
                    for j in 0..<out {
                        g[i * out + j] += x[r * n + i] * delta[r * out + j]
                        dx[r * n + i] += delta[r * out + j] * Double(layers[k].weights[i * out + j])
                    }
                }
            }
            (gradients[k], delta) = (g, dx)
        }
        return gradients
    }

    static func product(_ a: [Double], rows: Int, depth: Int, _ b: [Double], width: Int) -> [Double] {
        var c = [Double](repeating: 0, count: rows * width)
        for r in 0..<rows {
            for i in 0..<depth {
                for j in 0..<width { c[r * width + j] += a[r * depth + i] * b[i * width + j] }
            }
        }
        return c
    }
}
