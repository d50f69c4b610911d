import Foundation
import XCTest
import RGSNumerics
import RGSPhysics
@testable import RGSNets

/// Bit-exact reproducibility and save/load of RBMs and stacks.
final class RBMReproducibilityTests: XCTestCase {
    private func train(threads: Int, seed: UInt64 = 21, persistent: Bool = false) throws -> RBM {
        let saved = Settings.threads
        defer { Settings.threads = saved }
        Settings.threads = threads
        let data = RBMExact.noise(100, samples: 600, seed: 4, shape: [10, 10])
        let options = RBMTrainingOptions(k: 2, persistent: persistent, learningRate: 0.05, l1: 1e-4, l2: 1e-4,
                                         batch: 64, epochs: 3, seed: seed)
        return try RBM.trained(on: data, hidden: 81, options: options)
    }

    /// Same seed: identical weights, biases and monitors, for 1, 2 and 3 threads (3
    /// threads split the minibatch's four row blocks unevenly); another seed gives other weights.
    func testTrainingIsBitReproducibleForAnyThreadCount() throws {
        for persistent in [false, true] {
            let a = try train(threads: 1, persistent: persistent), b = try train(threads: 1, persistent: persistent)
            XCTAssertEqual(a.weights, b.weights)
            for threads in [2, 3] {
                let c = try train(threads: threads, persistent: persistent)
                XCTAssertEqual(a.weights, c.weights)
                XCTAssertEqual(a.visibleBias, c.visibleBias)
                XCTAssertEqual(a.hiddenBias, c.hiddenBias)
                XCTAssertEqual(a.history, c.history)
            }
            XCTAssertNotEqual(a.weights, try train(threads: 2, seed: 22, persistent: persistent).weights)
        }
    }

    /// A layer too large for parallel blocks (32 x 32 -> 288: one block per minibatch, its
    /// products in fixed blocks on the workers, rows and weight chunks too) also trains bit for
    /// bit the same (OpenBLAS's own threading, which rgs no longer uses, changed the bits on a
    /// Zen3).
    func testLargeLayerTrainingIsThreadIndependent() throws {
        let saved = Settings.threads
        defer { Settings.threads = saved }
        let data = RBMExact.noise(1024, samples: 90, seed: 6, shape: [32, 32])
        let options = RBMTrainingOptions(learningRate: 0.05, l1: 1e-4, batch: 40, epochs: 2, seed: 9, monitors: false)
        var weights: [[Float]] = []
        for threads in [1, 2, 3] {
            Settings.threads = threads
                let rbm = try RBM.trained(on: data, hidden: 288, options: options)
            XCTAssertFalse(RBMBlockPlan(visible: 1024, hidden: 288, batch: 40).blocksInParallel)
            weights.append(rbm.weights + rbm.visibleBias + rbm.hiddenBias)
        }
        XCTAssertEqual(weights[0], weights[1])
        XCTAssertEqual(weights[0], weights[2])
    }

    /// Flows and hidden layers drawn with 1 and 2 threads are identical.
    func testFlowIsThreadIndependent() throws {
        let rbm = try train(threads: 2)
        let data = RBMExact.noise(100, samples: 300, seed: 8, shape: [10, 10])
        let saved = Settings.threads
        defer { Settings.threads = saved }
        Settings.threads = 1
        let one = try rbm.flow(from: data, steps: 3, seed: 5, keepHiddens: true)
        Settings.threads = 2
        let two = try rbm.flow(from: data, steps: 3, seed: 5, keepHiddens: true)
        for s in 0...3 { XCTAssertEqual(one.visible.steps[s].packedWords, two.visible.steps[s].packedWords) }
        XCTAssertEqual(one.hidden?.steps.last?.packedWords, two.hidden?.steps.last?.packedWords)
    }

    /// parameters() + metadataJSON reload to the same RBM, bit for bit, with its history.
    func testSaveAndLoadAreBitExact() throws {
        let rbm = try train(threads: 2)
        let loaded = try RBM(parameters: rbm.parameters(), metadataJSON: rbm.metadataJSON)
        XCTAssertEqual(loaded.weights.map(\.bitPattern), rbm.weights.map(\.bitPattern))
        XCTAssertEqual(loaded.visibleBias, rbm.visibleBias)
        XCTAssertEqual(loaded.hiddenBias, rbm.hiddenBias)
        XCTAssertEqual(loaded.visibleShape, [10, 10])
        XCTAssertEqual(loaded.units, .pm1)
        XCTAssertEqual(loaded.history, rbm.history)
        XCTAssertEqual(loaded.epochsTrained, 3)
        // The training options too, so that a reloaded RBM trains on as the original would.
        XCTAssertEqual(loaded.trainingOptions, RBMTrainingOptions(k: 2, learningRate: 0.05, l1: 1e-4, l2: 1e-4, batch: 64,
                                                                  epochs: 3, seed: 21))
        XCTAssertEqual(loaded.trainingState, rbm.trainingState)
        XCTAssertEqual(rbm.parameters().map(\.name), ["weights", "visible_bias", "hidden_bias", "velocity.weights",
                                                       "velocity.visible_bias", "velocity.hidden_bias"])
        XCTAssertEqual(rbm.parameters()[0].shape, [100, 81])
    }

    /// Training again carries on exactly: 1 + 1 epochs give the bits of 2 epochs in one call
    /// (momentum velocities and persistent chains carry over), also through a save and load; for
    /// a small layer and for one large enough that training keeps W and its velocity in panels.
    func testTrainingAgainContinuesExactly() throws {
        for (side, hidden, samples, batch) in [(10, 36, 300, 64), (32, 288, 90, 40)] {
            let data = RBMExact.noise(side * side, samples: samples, seed: 4, shape: [side, side])
            let panels = RBMWorkspace(batch: batch, visible: side * side, hidden: hidden, twoValuedData: true).panels
            XCTAssertEqual(panels != nil, side == 32)
            for persistent in [false, true] {
                let options = RBMTrainingOptions(k: 2, persistent: persistent, learningRate: 0.05, momentum: 0.5,
                                                 batch: batch, epochs: 1, seed: 8)
                let start = try RBM(visibleShape: [side, side], hidden: hidden, seed: 1)
                var split = start, whole = start
                try split.train(on: data, options: options)
                var reloaded = try RBM(parameters: split.parameters(), metadataJSON: split.metadataJSON)
                try split.train(on: data, options: options)
                try reloaded.train(on: data, options: options)
                var two = options
                two.epochs = 2
                try whole.train(on: data, options: two)
                let label = "\(side)x\(side) -> \(hidden), persistent \(persistent)"
                XCTAssertEqual(split.weights, whole.weights, label)
                XCTAssertEqual(split.hiddenBias, whole.hiddenBias, label)
                XCTAssertEqual(reloaded.weights, whole.weights, label + ", reloaded")
                XCTAssertEqual(split.trainingState?.chains.isEmpty, !persistent)
                XCTAssertEqual(split.trainingState, whole.trainingState, label)
            }
        }
    }

    /// A greedy stack 36 -> 16 -> 4 trains, reports per-layer hidden ensembles (2D when square),
    /// and reloads bit-exactly; the loader rejects broken input.
    func testStackTrainsGreedilyAndReloads() throws {
        let data = RBMExact.noise(36, samples: 200, seed: 2, shape: [6, 6])
        let options = RBMTrainingOptions(learningRate: 0.05, batch: 50, epochs: 2, seed: 3)
        let stack = try RBMStack.trained(on: data, hidden: [16, 4], options: [options])
        XCTAssertEqual(stack.layers.map(\.visibleShape), [[6, 6], [4, 4]])
        let hidden = try stack.hiddenLayers(of: data, seed: 1)
        XCTAssertEqual(hidden.map(\.shape), [[4, 4], [2, 2]])
        XCTAssertEqual(hidden[1].labels.first?.model, "rbm(noise)")
        let loaded = try RBMStack(parameters: stack.parameters(), metadataJSON: stack.metadataJSON)
        XCTAssertEqual(loaded.layers.map(\.weights), stack.layers.map(\.weights))
        XCTAssertEqual(stack.parameters().map(\.name).first, "layer1.weights")
        let again = try RBMStack.trained(on: data, hidden: [16, 4], options: [options])
        XCTAssertEqual(again.layers.map(\.weights), stack.layers.map(\.weights))

        var broken = stack.parameters()
        broken[0].shape = [35, 16]
        XCTAssertThrowsError(try RBMStack(parameters: broken, metadataJSON: stack.metadataJSON))
        XCTAssertThrowsError(try RBM(parameters: stack.parameters(), metadataJSON: stack.metadataJSON))
        XCTAssertThrowsError(try RBM(parameters: [], metadataJSON: "not json"))
        // Sizes from a file whose product overflows an Int are an error, not a trap.
        let huge = stack.layers[0].metadataJSON.replacingOccurrences(of: "\"visibleShape\":[6,6]",
                                                                     with: "\"visibleShape\":[4294967296,4294967296]")
        XCTAssertNotEqual(huge, stack.layers[0].metadataJSON)
        XCTAssertThrowsError(try RBM(parameters: stack.layers[0].parameters(), metadataJSON: huge)) {
            XCTAssertTrue("\($0)".contains("too large"), "\($0)")
        }
    }

    /// An interrupted stack records the layers it did not reach, through a save and load too, so
    /// that training it again builds the whole stack (a reloaded one had lost them).
    func testInterruptedStackKeepsItsUntrainedLayers() throws {
        let data = RBMExact.noise(16, samples: 100, seed: 4, shape: [4, 4])
        let options = RBMTrainingOptions(learningRate: 0.05, batch: 25, epochs: 1, seed: 5)
        Cancellation.request()
        let stack = try RBMStack.trained(on: data, hidden: [9, 4, 2], units: [.pm1, .binary], options: [options])
        Cancellation.clear()
        XCTAssertTrue(stack.isPartial)
        XCTAssertEqual(stack.layers.count, 1)
        XCTAssertEqual(stack.untrainedLayers, [RBMLayerPlan(hidden: 4, units: .binary, options: options),
                                               RBMLayerPlan(hidden: 2, units: .binary, options: options)])
        let loaded = try RBMStack(parameters: stack.parameters(), metadataJSON: stack.metadataJSON)
        XCTAssertEqual(loaded.untrainedLayers, stack.untrainedLayers)
        XCTAssertTrue(loaded.isPartial)
        let whole = try RBMStack.trained(on: data, hidden: [9, 4], options: [options])
        XCTAssertEqual(whole.untrainedLayers, [])
        XCTAssertFalse(whole.metadataJSON.contains("untrainedLayers"))
    }

    /// Each layer keeps its own units, and a trained stack trained again carries on from its
    /// weights (layer 1 exactly as the RBM alone would).
    func testStackLayersKeepTheirUnitsAndTrainingCarriesOn() throws {
        let data = RBMExact.noise(16, samples: 100, seed: 4, shape: [4, 4])
        let options = RBMTrainingOptions(learningRate: 0.05, batch: 25, epochs: 1, seed: 5)
        let stack = try RBMStack.trained(on: data, hidden: [9, 4], units: [.pm1, .binary], options: [options])
        XCTAssertEqual(stack.layers.map(\.units), [.pm1, .binary])
        let more = try RBMStack.trained(on: data, hidden: [9, 4], units: [.pm1, .binary], options: [options],
                                        continuing: stack.layers)
        XCTAssertEqual(more.layers.map(\.epochsTrained), [2, 2])
        var first = stack.layers[0]
        try first.train(on: data, options: options)
        XCTAssertEqual(more.layers[0].weights, first.weights)
        XCTAssertThrowsError(try RBMStack.trained(on: data, hidden: [8, 4], options: [options], continuing: stack.layers))
    }
}
