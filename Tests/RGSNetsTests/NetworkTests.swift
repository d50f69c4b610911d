import RGSNumerics
import RGSPhysics
@testable import RGSNets
import XCTest

/// Constructors, transfer learning, evaluation, inspection, serialization and argument checks.
final class NetworkTests: XCTestCase {
    /// `count` random +-1 lattices of side `L`, labelled by beta.
    private func lattices(_ count: Int, side: Int, seed: UInt64, betas: [Double] = [0.4]) -> Ensemble {
        var random = RandomStream(seed: seed, stream: 0)
        let spins = (0..<(count * side * side)).map { _ in random.below(2) == 0 ? Int8(-1) : 1 }
        let labels = (0..<count).map { SampleLabel(beta: betas[$0 % betas.count], model: "ising") }
        return Ensemble(shape: [side, side], spins: spins, labels: labels)
    }

    func testDefaultAutoencoderIsThePapersModel1() throws {
        XCTAssertEqual(Network.defaultAutoencoderSizes(inputs: 1024), [1024, 512, 256, 512, 1024])
        let ae = try Network.autoencoder(sizes: Network.defaultAutoencoderSizes(inputs: 64), seed: 1)
        XCTAssertEqual(ae.sizes, [64, 32, 16, 32, 64])
        XCTAssertEqual(ae.loss, .hinge)
        XCTAssertEqual(ae.optimizer, .adam(learningRate: 0.001, beta1: 0.9, beta2: 0.999, epsilon: 1e-7))
        XCTAssertTrue(ae.layers.allSatisfy { $0.bias == nil && $0.activation == .linear && $0.l1 > 0 })
        // Glorot uniform: |w| <= sqrt(6 / (64 + 32)) = 0.25, variance r^2 / 3.
        let w = ae.layers[0].weights
        XCTAssertLessThanOrEqual(w.map(abs).max() ?? 1, 0.25)
        XCTAssertEqual(Statistics.variance(w.map(Double.init)), 0.0625 / 3, accuracy: 0.002)
    }

    func testHardCodedDecimationNetReproducesDecimate() throws {
        let data = lattices(5, side: 8, seed: 2)
        let hcg = try Network.hardCoded(CoarseGraining.matrix(from: 64, to: 32, rule: .decimate))
        let coarse = try decimate(data)
        XCTAssertEqual(try hcg.predict(data), coarse.floatMatrix())
        XCTAssertEqual(try hcg.loss(on: TrainingPairs(data, coarse)), 0)
        XCTAssertFalse(hcg.layers[0].trainable)
    }

    func testComposeAndFreezeBuildModel2() throws {
        let data = lattices(40, side: 8, seed: 3)
        let hcg1 = try Network.hardCoded(CoarseGraining.matrix(from: 64, to: 32, rule: .decimate))
        let hcg2 = try Network.hardCoded(CoarseGraining.matrix(from: 32, to: 16, rule: .decimate))
        let up1 = try Network.shallow(from: 16, to: 32, seed: 1), up2 = try Network.shallow(from: 32, to: 64, seed: 2)
        var model2 = try Network.compose([hcg1, hcg2, up1, up2])
        XCTAssertEqual(model2.role, .autoencoder)
        XCTAssertEqual(model2.layers.map(\.trainable), [false, false, true, true])
        let encoder = model2.layers[0]
        try model2.train(on: data, options: TrainingOptions(epochs: 2, batchSize: 10))
        XCTAssertEqual(model2.layers[0], encoder)
        XCTAssertNotEqual(model2.layers[2].weights, up1.layers[0].weights)
        let frozen = try model2.freezing(layers: [2])
        XCTAssertEqual(frozen.layers.map(\.trainable), [false, false, false, true])
        XCTAssertThrowsError(try model2.freezing(layers: [4]))
        XCTAssertThrowsError(try Network.compose([hcg1, up1]))
    }

    func testShallowNetLearnsDecimation() throws {
        let data = lattices(400, side: 4, seed: 4)
        let pairs = try TrainingPairs(data, decimate(data))
        var cg = try Network.shallow(from: 16, to: 8, l1: 0, optimizer: .adam(learningRate: 0.01), seed: 3)
        let before = try cg.loss(on: pairs)
        try cg.train(on: pairs, options: TrainingOptions(epochs: 30, batchSize: 10, validationFraction: 0.2, seed: 1))
        XCTAssertLessThan(try cg.loss(on: pairs), 0.05 * before)
        XCTAssertEqual(cg.history.validation.count, 30)
    }

    func testClassifierMeasuresDistributionOverLabels() throws {
        // Two "temperatures" told apart by the magnetisation: all up vs all down lattices.
        let n = 40, side = 4
        let spins = (0..<(n * side * side)).map { i in (i / (side * side)) % 2 == 0 ? Int8(1) : -1 }
        let labels = (0..<n).map { SampleLabel(beta: $0 % 2 == 0 ? 1 : 0.5, model: "ising") }
        let data = Ensemble(shape: [side, side], spins: spins, labels: labels)
        var net = try Network.classifier(for: data, target: .temperature, hidden: [8], seed: 2)
        XCTAssertEqual(net.role, .classifier(.temperature, classes: [1, 2]))
        try net.train(on: data, options: TrainingOptions(epochs: 20, batchSize: 4, seed: 3))
        let m = try net.measure(data)
        XCTAssertEqual(m.labels, [1, 2])
        XCTAssertEqual(m.counts, [20, 20])
        XCTAssertEqual(m.predicted[0].value, 1, accuracy: 0.1)
        XCTAssertEqual(m.predicted[1].value, 2, accuracy: 0.1)
        XCTAssertGreaterThan(m.distribution[0][0], 0.9)
        XCTAssertEqual(m.table.columns.map(\.name), ["temperature", "predicted", "samples", "p(1)", "p(2)"])
        XCTAssertThrowsError(try Network.autoencoder(sizes: [16, 8, 16], seed: 1).measure(data))
    }

    func testInspection() throws {
        let w = Matrix(rows: 3, columns: 2, storage: [1, 2, 3, 4, 5, 6])
        let net = try Network.hardCoded(w)
        XCTAssertEqual(try net.weights(layer: 0), w)
        XCTAssertEqual(try net.wwt(layer: 0).storage, [5, 11, 17, 11, 25, 39, 17, 39, 61])
        let eigen = try net.wwtEigen(layer: 0)
        XCTAssertEqual(eigen.values.reduce(0, +), 91, accuracy: 1e-9)   // trace
        XCTAssertEqual(eigen.values[2], 0, accuracy: 1e-9)               // rank 2
        XCTAssertThrowsError(try net.weights(layer: 1))
    }

    func testSaveAndReloadGiveBitIdenticalOutputs() throws {
        let data = lattices(30, side: 4, seed: 6, betas: [0.2, 0.3])
        var nets = [try Network.regressor(inputs: 16, hidden: [8, 4], seed: 1),
                    try Network.classifier(for: data, target: .beta, hidden: [5], optimizer: .sgd(learningRate: 0.1, momentum: 0.5), seed: 2),
                    try Network.autoencoder(sizes: [16, 8, 16], activation: .tanh, bias: true, l2: 0.01, seed: 3)
                        .freezing(layers: [0])]
        for k in nets.indices { try nets[k].train(on: data, options: TrainingOptions(epochs: 2, batchSize: 5, validationFraction: 0.2)) }
        for net in nets {
            let copy = try Network(parameters: net.parameters(), metadataJSON: net.metadataJSON)
            XCTAssertEqual(copy.layers, net.layers)
            XCTAssertEqual(copy.role, net.role)
            XCTAssertEqual(copy.optimizer, net.optimizer)
            XCTAssertEqual(copy.history.train, net.history.train)
            XCTAssertEqual(copy.history.validation, net.history.validation)
            XCTAssertTrue(try copy.predict(data) == net.predict(data))
            // The optimizer's moments travel with the net: training either one on gives the same weights.
            XCTAssertNotNil(net.optimizerState)
            XCTAssertEqual(copy.optimizerState, net.optimizerState)
            var (a, b) = (net, copy)
            try a.train(on: data, options: TrainingOptions(epochs: 1, batchSize: 5, seed: 4))
            try b.train(on: data, options: TrainingOptions(epochs: 1, batchSize: 5, seed: 4))
            XCTAssertEqual(a.layers, b.layers)
        }
        let net = nets[0]
        var params = net.parameters()
        params[0].shape = [8, 16]
        XCTAssertThrowsError(try Network(parameters: params, metadataJSON: net.metadataJSON)) {
            XCTAssertTrue("\($0)".contains("layer0.weights"))
        }
        XCTAssertThrowsError(try Network(parameters: Array(net.parameters().dropFirst()), metadataJSON: net.metadataJSON))
        XCTAssertThrowsError(try Network(parameters: net.parameters(), metadataJSON: "{"))
        var poisoned = net.parameters()
        poisoned[0].values[3] = .nan
        XCTAssertThrowsError(try Network(parameters: poisoned, metadataJSON: net.metadataJSON)) {
            XCTAssertTrue("\($0)".contains("array 'layer0.weights' holds NaN or infinite values"), "\($0)")
        }
        let activation = try XCTUnwrap(net.metadataJSON.range(of: "\"linear\"") ?? net.metadataJSON.range(of: "\"tanh\""))
        XCTAssertThrowsError(try Network(parameters: net.parameters(), metadataJSON: net.metadataJSON.replacingCharacters(in: activation, with: "\"swish\""))) {
            XCTAssertTrue("\($0)".contains("layers.0.activation: "), "\($0)")
        }
        let two = try DenseLayer(weights: [1, 2], inputs: 1, outputs: 2)
        XCTAssertThrowsError(try Network(layers: [two], loss: .mse, role: .regressor(.beta))) {
            XCTAssertTrue("\($0)".contains("one output"), "\($0)")
        }
        // A file whose metadata promises an optimizer state needs its moment arrays, of the right shapes.
        var moments = net.parameters()
        let m = try XCTUnwrap(moments.firstIndex { $0.name == "optimizer.layer1.weights.v" })
        moments[m].shape = [4, 8]
        XCTAssertThrowsError(try Network(parameters: moments, metadataJSON: net.metadataJSON)) {
            XCTAssertTrue("\($0)".contains("optimizer.layer1.weights.v"), "\($0)")
        }
        moments.remove(at: m)
        XCTAssertThrowsError(try Network(parameters: moments, metadataJSON: net.metadataJSON))
        // An update count that training could overflow is refused (edited or corrupt metadata).
        let step = try XCTUnwrap(net.optimizerState?.step)
        for bad in ["-1", "\(Int.max)"] {
            let json = net.metadataJSON.replacingOccurrences(of: "\"optimizerStep\":\(step)", with: "\"optimizerStep\":\(bad)")
            XCTAssertNotEqual(json, net.metadataJSON)
            XCTAssertThrowsError(try Network(parameters: net.parameters(), metadataJSON: json)) {
                XCTAssertTrue("\($0)".contains("out of range"), "\($0)")
            }
        }
    }

    func testArgumentChecks() throws {
        let data = lattices(20, side: 4, seed: 7)
        var ae = try Network.autoencoder(sizes: [16, 8, 16], seed: 1)
        let cases: [(String, () throws -> Void)] = [
            ("inputs but the samples have 64 sites", { _ = try Network.autoencoder(sizes: [16, 8, 16], seed: 1).loss(on: self.lattices(2, side: 8, seed: 1)) }),
            ("batch size", { try ae.train(on: data, options: TrainingOptions(epochs: 1, batchSize: 21)) }),
            ("batch size", { try ae.train(on: data, options: TrainingOptions(epochs: 1, batchSize: 20, validationFraction: 0.5)) }),
            ("learning rate must be positive", { _ = try Network.autoencoder(sizes: [16, 8, 16], optimizer: .adam(learningRate: 0), seed: 1) }),
            ("learning rate must be positive", { _ = try Network.shallow(from: 4, to: 2, optimizer: .sgd(learningRate: -1), seed: 1) }),
            ("epochs", { try ae.train(on: data, options: TrainingOptions(epochs: 0)) }),
            ("validation fraction", { try ae.train(on: data, options: TrainingOptions(validationFraction: 1)) }),
            ("output size must equal", { _ = try Network.autoencoder(sizes: [16, 8], seed: 1) }),
            ("layer sizes must be positive", { _ = try Network.autoencoder(sizes: [16, 0, 16], seed: 1) }),
            ("empty", { _ = try Network.autoencoder(sizes: [16, 8, 16], seed: 1).predict(data.selecting([])) }),
            ("needs training pairs", { var s = try Network.shallow(from: 16, to: 8, seed: 1); try s.train(on: data, options: TrainingOptions()) }),
            ("pairs need as many", { _ = try TrainingPairs(data, data.selecting([0])) }),
            ("two distinct", { _ = try Network.classifier(for: data, seed: 1) }),
            ("patience", { try ae.train(on: data, options: TrainingOptions(patience: 0)) }),
        ]
        for (expected, body) in cases {
            XCTAssertThrowsError(try body(), expected) { error in
                XCTAssertTrue("\(error)".contains(expected), "'\(error)' should mention '\(expected)'")
            }
        }
    }
}

extension NetworkTests {
    /// `start` makes every sample's first prediction the given value (zero output weights), and
    /// is refused where the output activation cannot produce it.
    func testRegressorStart() throws {
        let net = try Network.regressor(inputs: 16, hidden: [8], start: 0.3, seed: 1)
        var random = RandomStream(seed: 2, stream: 0)
        let x = (0..<(5 * 16)).map { _ in Float(random.below(2) == 0 ? -1 : 1) }
        XCTAssertEqual(try net.predict(x), Array(repeating: Float(0.3), count: 5))
        XCTAssertThrowsError(try Network.regressor(inputs: 16, start: -0.1, seed: 1))
        XCTAssertThrowsError(try Network.regressor(inputs: 16, output: .sigmoid, start: 0.3, seed: 1))
        XCTAssertNoThrow(try Network.regressor(inputs: 16, output: .linear, start: -0.1, seed: 1))
    }

    /// `regressor(for:)` starts at the mean label where the output can reach it, and training
    /// refuses infinite labels (beta of T = 0 lattices) with a hint instead of diverging.
    func testRegressorForDataStartsAtTheMeanLabel() throws {
        let data = try MonteCarlo.sample(SamplingPlan(model: .ising(h: 0), shape: [4, 4], betas: [0.2, 0.6],
                                                      samplesPerBeta: 5, seed: 1), progress: false)
        let x = data.floatMatrix()
        let net = try Network.regressor(for: data, hidden: [4], seed: 1)
        for p in try net.predict(x) { XCTAssertEqual(p, 0.4, accuracy: 1e-6) }
        let sigmoid = try Network.regressor(for: data, hidden: [4], output: .sigmoid, seed: 1)
        XCTAssertNotEqual(sigmoid.layers[1].weights, Array(repeating: 0, count: 4))
        let cold = try MonteCarlo.sample(SamplingPlan(model: .ising(h: 0), shape: [4, 4], betas: [.infinity, 0.5],
                                                      samplesPerBeta: 5, seed: 1), progress: false)
        var beta = try Network.regressor(for: cold, hidden: [4], seed: 1)
        XCTAssertThrowsError(try beta.train(on: cold, options: TrainingOptions(batchSize: 5))) {
            XCTAssertTrue("\($0)".contains("infinite beta") || ($0 as? CoreError)?.hint?.contains("target: T") == true, "\($0)")
        }
        // One label value leaves nothing to learn: the net would start at it with zero loss.
        let single = try MonteCarlo.sample(SamplingPlan(model: .ising(h: 0), shape: [4, 4], betas: [0.44],
                                                        samplesPerBeta: 5, seed: 1), progress: false)
        XCTAssertThrowsError(try Network.regressor(for: single, hidden: [4], seed: 1)) {
            XCTAssertEqual("\($0)", "a regressor needs at least two distinct beta values (got 1)")
        }
    }
}
