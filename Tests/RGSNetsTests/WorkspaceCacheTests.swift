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

    private func assertSame(_ a: Network, _ b: Network, _ what: String, file: StaticString, line: UInt) {
        XCTAssertTrue(a.layers == b.layers, "\(what): the parameters differ", file: file, line: line)
        XCTAssertTrue(a.optimizerState == b.optimizerState, "\(what): the moments differ", file: file, line: line)
        XCTAssertEqual(a.history.train, b.history.train, what, file: file, line: line)
        XCTAssertEqual(a.history.validation, b.history.validation, what, file: file, line: line)
    }

    /// Trains `make()` with two calls on `data`, each on a fresh workspace; then again with the
    /// second call on the kept workspace of a call on another net of the same shapes (trained on
    /// the rows in reverse, and compared with a fresh run: zero moments), every float buffer of
    /// it then set to NaN.
    private func checkReuse(_ make: () throws -> Network, _ data: TrainingSet, batch: Int,
                            file: StaticString = #filePath, line: UInt = #line) throws {
        let options = TrainingOptions(epochs: 2, batchSize: batch, validationFraction: 0.1)
        func reversed(_ v: [Float], _ width: Int) -> [Float] {
            (0..<data.count).reversed().flatMap { v[($0 * width)..<(($0 + 1) * width)] }
        }
        let otherData = try TrainingSet(inputs: reversed(data.inputs, data.inputWidth), inputWidth: data.inputWidth,
                                        targets: reversed(data.targets, data.targetWidth), targetWidth: data.targetWidth)
        WorkspaceCache.keep(nil)
        var fresh = try make()
        try fresh.train(data, options: options)
        WorkspaceCache.keep(nil)
        try fresh.train(data, options: options)  // continues from the net's moments
        WorkspaceCache.keep(nil)
        var freshOther = try make()
        try freshOther.train(otherData, options: options)

        WorkspaceCache.keep(nil)
        var first = try make()
        try first.train(data, options: options)
        var other = try make()
        try other.train(otherData, options: options)
        assertSame(other, freshOther, "a kept workspace with zero moments", file: file, line: line)
        let kept = WorkspaceCache.workspace(for: other, batchCapacity: batch, spinInputs: data.inputsAreSpins, moments: nil)
        poison(kept)
        WorkspaceCache.keep(kept)
        try first.train(data, options: options)
        XCTAssertTrue(WorkspaceCache.workspace(for: first, batchCapacity: batch, spinInputs: data.inputsAreSpins,
                                               moments: nil) === kept, "the workspace was not reused", file: file, line: line)
        assertSame(first, fresh, "a kept workspace full of NaN", file: file, line: line)
    }

    /// Sets every float buffer (parameters, moments, scratch) to NaN.
    private func poison(_ work: Workspace) {
        for b in work.floatBuffers { b.pointer.update(repeating: .nan, count: b.count) }
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

    func testFrozenFirstLayer() throws {
        let x = spins(120, 64, seed: 5)
        let data = try TrainingSet(inputs: x, inputWidth: 64, targets: x, targetWidth: 64)
        try checkReuse({ try Network.autoencoder(sizes: [64, 32, 16, 32, 64], seed: 5).freezing(layers: [0]) }, data, batch: 20)
    }

    func testContinuousInputs() throws {
        var random = RandomStream(seed: 6, stream: 0)
        let x = (0..<(120 * 64)).map { _ in Float(random.uniform()) - 0.5 }
        let data = try TrainingSet(inputs: x, inputWidth: 64, targets: x, targetWidth: 64)
        XCTAssertFalse(data.inputsAreSpins)
        try checkReuse({ try Network.autoencoder(sizes: [64, 32, 64], loss: .mse, seed: 6) }, data, batch: 20)
    }

    func testRegressorWithBiases() throws {
        var random = RandomStream(seed: 5, stream: 0)
        let x = spins(120, 64, seed: 3), y = (0..<120).map { _ in Float(random.uniform()) }
        let data = try TrainingSet(inputs: x, inputWidth: 64, targets: y, targetWidth: 1)
        try checkReuse({ try Network.regressor(inputs: 64, hidden: [48], seed: 6) }, data, batch: 32)
    }

    /// A batch-10 run interrupted after it took the next minibatch's first-layer parts leaves
    /// them waiting in its workspace; the next call must not use them.
    func testFirstLayerPartsLeftWaitingAreDropped() throws {
        let x = spins(120, 64, seed: 7)
        let data = try TrainingSet(inputs: x, inputWidth: 64, targets: x, targetWidth: 64)
        let make = { try Network.autoencoder(sizes: [64, 32, 16, 32, 64], seed: 8) }
        let options = TrainingOptions(epochs: 1, batchSize: 10)
        WorkspaceCache.keep(nil)
        var fresh = try make()
        try fresh.train(data, options: options)

        let net = try make()
        let work = WorkspaceCache.workspace(for: net, batchCapacity: 10, spinInputs: true, moments: nil)
        XCTAssertTrue(work.firstLayerAhead)
        var images: SymmetryImages? = nil
        work.gather(data, rows: ArraySlice(50..<60), images: &images)
        work.forward(rows: 10)
        XCTAssertTrue(work.backpropagate(net.loss, rows: 10, optimizer: net.optimizer, step: 1, next: {
            work.gather(data, rows: ArraySlice(60..<70), images: &images)
            return 10
        }))
        WorkspaceCache.keep(work)
        var reused = try make()
        try reused.train(data, options: options)
        assertSame(reused, fresh, "parts left waiting", file: #filePath, line: #line)
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
        XCTAssertFalse(WorkspaceCache.workspace(for: net, batchCapacity: 20, spinInputs: false, moments: nil) === kept,
                       "a workspace for spin inputs taken for continuous ones")
        WorkspaceCache.keep(kept)
        XCTAssertFalse(WorkspaceCache.workspace(for: try net.freezing(layers: [1]), batchCapacity: 20, spinInputs: true,
                                                moments: nil) === kept)
        WorkspaceCache.keep(kept)
        net.layers[0].l1 = 0.5  // penalties and activations are the net's own: the workspace takes them
        let reused = WorkspaceCache.workspace(for: net, batchCapacity: 20, spinInputs: true, moments: nil)
        XCTAssertTrue(reused === kept)
        XCTAssertEqual(reused.layers[0].l1, 0.5)
    }
}
