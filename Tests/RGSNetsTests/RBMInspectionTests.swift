import Foundation
import XCTest
import RGSNumerics
import RGSPhysics
@testable import RGSNets

/// Receptive fields, W W^T, <v h>, locality, flows and argument checks on hand-made inputs.
final class RBMInspectionTests: XCTestCase {
    /// A 4x4 RBM with 2 hidden units: unit 0 sees site (1, 2) only, unit 1 all sites equally.
    private func handMade() throws -> RBM {
        var w = [Float](repeating: 0, count: 16 * 2)
        w[(1 * 4 + 2) * 2 + 0] = 2
        for i in 0..<16 { w[i * 2 + 1] = 0.5 }
        return try RBM(visibleShape: [4, 4], units: .pm1, weights: w, visibleBias: Array(repeating: 0, count: 16),
                       hiddenBias: [0, 0])
    }

    func testReceptiveFieldsGramAndSpectrum() throws {
        let rbm = try handMade()
        let field = try rbm.receptiveField(0)
        XCTAssertEqual(field.rows, 4)
        XCTAssertEqual(field[1, 2], 2)
        XCTAssertEqual(field.storage.reduce(0, +), 2)
        let gram = try rbm.weightGram()
        XCTAssertEqual(gram[6, 6], 4 + 0.25, accuracy: 1e-12)
        XCTAssertEqual(gram[0, 1], 0.25, accuracy: 1e-12)
        let spectrum = try rbm.weightSpectrum()
        // W W^T has rank 2; its trace is sum W^2 = 4 + 16 * 0.25.
        XCTAssertEqual(spectrum.values.reduce(0, +), 8, accuracy: 1e-9)
        XCTAssertEqual(spectrum.values[2], 0, accuracy: 1e-9)
        let image = try rbm.eigenvectorImage(spectrum, index: 0)
        XCTAssertEqual(image.rows, 4)
        XCTAssertThrowsError(try rbm.receptiveField(2))
    }

    /// One-site field: share 1 at any radius; uniform field: (sites within r) / 16; the mean
    /// locality of the hand-made RBM is the average of both.
    func testLocalityScore() throws {
        var point = [Double](repeating: 0, count: 16)
        point[7] = -3
        XCTAssertEqual(try Locality.share(of: point, shape: [4, 4], radius: 0), 1, accuracy: 1e-12)
        // A 2x2 block straddling the periodic edge: centre between rows 3, 0 and columns 3, 0.
        var block = [Double](repeating: 0, count: 16)
        for (r, c) in [(3, 3), (3, 0), (0, 3), (0, 0)] { block[r * 4 + c] = 1 }
        XCTAssertEqual(try Locality.share(of: block, shape: [4, 4], radius: 0.75), 1, accuracy: 1e-12)
        let flat = [Double](repeating: 1, count: 16)
        let share = try Locality.share(of: flat, shape: [4, 4], radius: 1)
        XCTAssertGreaterThan(share, 0)
        XCTAssertLessThan(share, 0.5)
        let score = try handMade().localityScore(radius: 0)
        XCTAssertEqual(score.value, (1 + 1.0 / 16) / 2, accuracy: 0.07)
        XCTAssertThrowsError(try Locality.share(of: flat, shape: [3, 3], radius: 1))
    }

    /// <v h> against a direct average; the block spin of a 2x2 block correlates with its own sites.
    func testVisibleHiddenCorrelator() throws {
        let v = RBMExact.noise(16, samples: 500, seed: 1, shape: [4, 4])
        let h = try blockspin(v, block: 2)
        let full = try VisibleHiddenCorrelation.matrix(visible: v, hidden: h)
        XCTAssertEqual(full.rows, 16)
        XCTAssertEqual(full.columns, 4)
        var direct = 0.0
        for s in 0..<500 { direct += Double(v.value(s, 5)) * Double(h.value(s, 0)) }
        XCTAssertEqual(full[5, 0], direct / 500, accuracy: 1e-9)
        let image = try VisibleHiddenCorrelation.image(visible: v, hidden: h, unit: 0, connected: true)
        // Each site of block 0 contributes 1/4 of the block spin's variance: <v_i h> ~ 0.25.
        XCTAssertEqual(image[0, 0], 0.25, accuracy: 0.1)
        XCTAssertEqual(image[3, 3], 0, accuracy: 0.1)
        XCTAssertEqual(image[1, 1], full[5, 0] - 0, accuracy: 0.02)
        XCTAssertThrowsError(try VisibleHiddenCorrelation.matrix(visible: v, hidden: h.selecting([0, 1])))
    }

    /// Flow: step 0 is the input, steps keep labels and shape; mean mode gives continuous values.
    func testFlowShapesLabelsAndModes() throws {
        let rbm = try RBMExact.randomRBM(visible: 16, hidden: 9, units: .pm1, scale: 0.3, seed: 3)
        let square = try RBM(visibleShape: [4, 4], units: .pm1, weights: rbm.weights, visibleBias: rbm.visibleBias,
                             hiddenBias: rbm.hiddenBias)
        let data = RBMExact.noise(16, samples: 50, seed: 2, shape: [4, 4])
        let sampled = try square.flow(from: data, steps: 4, seed: 1, keepHiddens: true)
        XCTAssertEqual(sampled.visible.steps.count, 5)
        XCTAssertEqual(sampled.hidden?.steps.count, 4)
        XCTAssertEqual(sampled.hidden?.steps.first?.shape, [3, 3])
        XCTAssertTrue(sampled.visible.steps[4].isSpin)
        XCTAssertEqual(sampled.visible.steps[4].shape, [4, 4])
        XCTAssertEqual(sampled.visible.steps[4].labels.first?.model, "rbm(noise)")
        let mean = try square.flow(from: data, steps: 2, mode: .mean, seed: 1)
        XCTAssertFalse(mean.visible.steps[2].isSpin)
        XCTAssertNil(mean.hidden)
        let direct = try square.visibleMeans(hidden: try square.hiddenMeans(visible: data.sample(0)))
        // Equal up to rounding: OpenBLAS may pick another kernel for 50 rows than for one.
        for (a, b) in zip(mean.visible.steps[1].sample(0), direct) { XCTAssertEqual(a, b, accuracy: 1e-5) }
    }

    /// Ctrl-C (the cancellation flag) stops training after the current minibatch with the RBM
    /// marked partial, and stops flows and stacks with what they have.
    func testCancellationReturnsPartialResults() throws {
        let data = RBMExact.noise(16, samples: 40, seed: 2, shape: [4, 4])
        Cancellation.request()
        defer { Cancellation.clear() }
        let rbm = try RBM.trained(on: data, hidden: 4, options: RBMTrainingOptions(batch: 10, epochs: 5))
        XCTAssertTrue(rbm.isPartial)
        XCTAssertEqual(rbm.epochsTrained, 0)
        let flow = try rbm.flow(from: data, steps: 3, seed: 1)
        XCTAssertTrue(flow.isPartial)
        XCTAssertEqual(flow.visible.steps.count, 1)
        let stack = try RBMStack.trained(on: data, hidden: [4, 2], options: [RBMTrainingOptions(epochs: 1)])
        XCTAssertTrue(stack.isPartial)
        XCTAssertEqual(stack.layers.count, 1)
        Cancellation.clear()
        var resumed = rbm
        try resumed.train(on: data, options: RBMTrainingOptions(batch: 10, epochs: 2))
        XCTAssertFalse(resumed.isPartial)
        XCTAssertEqual(resumed.epochsTrained, 2)
    }

    /// Ctrl-C inside one minibatch's Gibbs chain (here 10^9 steps) ends the chain at once; the
    /// interrupted minibatch is discarded, so the weights are the fresh ones.
    func testCancellationCutsALongChain() throws {
        let data = RBMExact.noise(16, samples: 40, seed: 2, shape: [4, 4])
        let start = try RBM(visibleShape: [4, 4], hidden: 4, units: .pm1, seed: 3)
        defer { Cancellation.clear() }
        DispatchQueue.global().asyncAfter(deadline: .now() + 0.2) { Cancellation.request() }
        var rbm = start
        try rbm.train(on: data, options: RBMTrainingOptions(k: 1_000_000_000, batch: 40, epochs: 1, seed: 3))
        XCTAssertTrue(rbm.isPartial)
        XCTAssertEqual(rbm.epochsTrained, 0)
        XCTAssertEqual(rbm.weights, start.weights)
    }

    /// Argument checks name the problem.
    func testArgumentChecks() throws {
        let data = RBMExact.noise(16, samples: 20, seed: 2, shape: [4, 4])
        XCTAssertThrowsError(try RBM.trained(on: data, hidden: 0)) { error in
            XCTAssertTrue("\(error)".contains("hidden unit"))
        }
        for bad in [RBMTrainingOptions(k: 0), RBMTrainingOptions(learningRate: -1), RBMTrainingOptions(momentum: 1),
                    RBMTrainingOptions(l1: -1), RBMTrainingOptions(batch: 0), RBMTrainingOptions(validationFraction: 1)] {
            XCTAssertThrowsError(try RBM.trained(on: data, hidden: 4, options: bad))
        }
        let rbm = try RBM(visibleShape: [3, 3], hidden: 4, seed: 1)
        XCTAssertThrowsError(try rbm.freeEnergies(of: data)) { error in
            XCTAssertTrue("\(error)".contains("9 units"))
        }
        XCTAssertThrowsError(try rbm.flow(from: data, steps: 2, seed: 1))
        XCTAssertThrowsError(try rbm.flow(from: RBMExact.noise(9, samples: 2, seed: 1, shape: [3, 3]), steps: -1, seed: 1))
        let outOfRange = Ensemble(shape: [3, 3], values: Array(repeating: 2, count: 9), labels: [SampleLabel(beta: 1, model: "x")])
        XCTAssertThrowsError(try rbm.hiddenLayer(of: outOfRange, mode: .mean, seed: 1))
        XCTAssertThrowsError(try RBM(visibleShape: [3, 3], units: .pm1, weights: [1], visibleBias: [], hiddenBias: []))
        XCTAssertThrowsError(try RBMStack(layers: [rbm, rbm]))
        // A small layer, and one whose training keeps W in panels.
        for (side, hidden) in [(4, 4), (32, 288)] {
            let samples = side == 4 ? data : RBMExact.noise(side * side, samples: 20, seed: 2, shape: [side, side])
            var diverging = try RBM(visibleShape: [side, side], hidden: hidden, seed: 1)
            let before = diverging.weights
            XCTAssertThrowsError(try diverging.train(on: samples, options: RBMTrainingOptions(learningRate: 3e38, batch: 10,
                                                                                           epochs: 1))) { error in
                XCTAssertTrue("\(error)".contains("diverged"))
            }
            XCTAssertEqual(diverging.weights, before)
            XCTAssertTrue(diverging.isPartial)
        }
    }
}
