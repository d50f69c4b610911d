import XCTest
import RGSNumerics
@testable import RGSNets

/// A `train` call that reuses the previous call's workspace (`WorkspaceCache`) gives the same
/// bits as one on a fresh workspace, whatever the kept buffers hold.
final class WorkspaceCacheTests: XCTestCase {
    private func spins(_ rows: Int, _ width: Int, seed: UInt64) -> [Float] {
        var random = RandomStream(seed: seed, stream: 0)
        return (0..<(rows * width)).map { _ in random.below(2) == 0 ? -1 : 1 }
    }

    /// Trains `make()` with two calls on `data`: each on a fresh workspace, and the second on
    /// the kept workspace of a call on another net of the same shapes, every buffer then set
    /// to NaN.
    private func checkReuse(_ make: () throws -> Network, _ data: TrainingSet, batch: Int,
                            file: StaticString = #filePath, line: UInt = #line) throws {
        let options = TrainingOptions(epochs: 2, batchSize: batch, validationFraction: 0.1)
        WorkspaceCache.keep(nil)
        var fresh = try make()
        try fresh.train(data, options: options)
        WorkspaceCache.keep(nil)
        try fresh.train(data, options: options)  // continues from the net's moments

        WorkspaceCache.keep(nil)
        var first = try make()
        try first.train(data, options: options)
        var other = try make()
        try other.train(TrainingSet(inputs: spins(data.count, data.inputWidth, seed: 9), inputWidth: data.inputWidth,
                                    targets: data.targets, targetWidth: data.targetWidth), options: options)
        let kept = WorkspaceCache.workspace(for: other, batchCapacity: batch, spinInputs: data.inputsAreSpins, moments: nil)
        poison(kept)
        WorkspaceCache.keep(kept)
        try first.train(data, options: options)
        XCTAssertTrue(WorkspaceCache.workspace(for: first, batchCapacity: batch, spinInputs: data.inputsAreSpins,
                                               moments: nil) === kept, "the workspace was not reused", file: file, line: line)

        XCTAssertTrue(first.layers == fresh.layers, "the parameters differ", file: file, line: line)
        XCTAssertTrue(first.optimizerState == fresh.optimizerState, "the moments differ", file: file, line: line)
        XCTAssertEqual(first.history.train, fresh.history.train, file: file, line: line)
        XCTAssertEqual(first.history.validation, fresh.history.validation, file: file, line: line)
    }

    /// Fills the parameters, moments and every scratch buffer with NaN.
    private func poison(_ work: Workspace) {
        var buffers: [FloatBuffer] = [work.input, work.target, work.packedDelta, work.productScratch, work.transposedGradient,
                       work.gradientScratch] + work.transposedInputs
        for b in work.buffers { buffers += [b.outputs, b.delta] + [b.biasGradient].compactMap { $0 } }
        for b in buffers { b.pointer.update(repeating: .nan, count: b.count) }
        for b in work.buffers {
            buffers += [b.weights, b.momentW, b.secondW] + [b.bias, b.momentB, b.secondB].compactMap { $0 }
        }
    }

    func testAutoencoderOnSpinTables() throws {
        let x = spins(120, 64, seed: 1)
        let data = try TrainingSet(inputs: x, inputWidth: 64, targets: x, targetWidth: 64)
        try checkReuse({ try Network.autoencoder(sizes: [64, 32, 16, 32, 64], seed: 3) }, data, batch: 20)
    }

    func testAutoencoderOnSmallBatches() throws {
        let x = spins(120, 64, seed: 2)
        let data = try TrainingSet(inputs: x, inputWidth: 64, targets: x, targetWidth: 64)
        try checkReuse({ try Network.autoencoder(sizes: [64, 32, 16, 32, 64], seed: 4) }, data, batch: 10)
    }

    func testRegressorWithBiases() throws {
        var random = RandomStream(seed: 5, stream: 0)
        let x = spins(120, 64, seed: 3), y = (0..<120).map { _ in Float(random.uniform()) }
        let data = try TrainingSet(inputs: x, inputWidth: 64, targets: y, targetWidth: 1)
        try checkReuse({ try Network.regressor(inputs: 64, hidden: [48], seed: 6) }, data, batch: 32)
    }

    func testOtherShapesGetANewWorkspace() throws {
        let x = spins(60, 64, seed: 4)
        let data = try TrainingSet(inputs: x, inputWidth: 64, targets: x, targetWidth: 64)
        var net = try Network.autoencoder(sizes: [64, 32, 64], seed: 1)
        try net.train(data, options: TrainingOptions(epochs: 1, batchSize: 20))
        let kept = WorkspaceCache.workspace(for: net, batchCapacity: 20, spinInputs: true, moments: nil)
        WorkspaceCache.keep(kept)
        XCTAssertFalse(WorkspaceCache.workspace(for: net, batchCapacity: 30, spinInputs: true, moments: nil) === kept)
        WorkspaceCache.keep(kept)
        net.layers[0].l1 = 0.5
        XCTAssertFalse(WorkspaceCache.workspace(for: net, batchCapacity: 20, spinInputs: true, moments: nil) === kept)
    }
}
