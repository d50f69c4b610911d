import XCTest
import RGSNumerics
import RGSPhysics
@testable import RGSNets

/// Small batches take the first layer's product for the next minibatch while that layer is
/// updated (`Workspace.backpropagate(next:)`); the weights and outputs must be bit-identical to
/// gathering and multiplying each batch in `forward`.
final class FirstLayerAheadTests: XCTestCase {
    func testLookAheadGivesTheSameBitsAsAPlainForward() throws {
        var random = RandomStream(seed: 4, stream: 0)
        let (n, samples, batch) = (300, 47, 10)   // three forward parts, the last one short; a last batch of 7
        let inputs = (0..<(samples * n)).map { _ in Float(random.uniform()) - 0.5 }
        let nets = [try Network.autoencoder(sizes: [n, 16, n], seed: 3),
                    try Network.autoencoder(sizes: [n, 256, 8, n], bias: true, seed: 3)]
        for net in nets {
            let data = try TrainingSet(inputs: inputs, inputWidth: n, targets: inputs, targetWidth: n)
            var runs: [(weights: [[Float]], outputs: [Float])] = []
            for ahead in [false, true] {
                let work = Workspace(network: net, batchCapacity: batch, training: true)
                XCTAssertTrue(work.firstLayerAhead)
                var images: SymmetryImages? = nil, outputs: [Float] = [], gathered = false, step = 0
                for _ in 0..<2 {
                    for start in stride(from: 0, to: samples, by: batch) {
                        let rows = min(batch, samples - start)
                        if !gathered { work.gather(data, rows: ArraySlice(start..<(start + rows)), images: &images) }
                        work.forward(rows: rows)
                        outputs += UnsafeBufferPointer(start: work.output, count: rows * n)
                        step += 1
                        let nextStart = start + rows
                        let next = ahead && nextStart < samples ? { () -> Int in
                            let nextRows = min(batch, samples - nextStart)
                            work.gather(data, rows: ArraySlice(nextStart..<(nextStart + nextRows)), images: &images)
                            return nextRows
                        } : nil
                        gathered = work.backpropagate(net.loss, rows: rows, optimizer: net.optimizer, step: step, next: next)
                        XCTAssertEqual(gathered, next != nil)
                    }
                }
                runs.append((work.snapshot().map(\.weights), outputs))
            }
            XCTAssertTrue(runs[0].weights == runs[1].weights, "the weights differ")
            XCTAssertTrue(runs[0].outputs == runs[1].outputs, "the outputs differ")
            XCTAssertTrue(runs[1].weights[0] != net.layers[0].weights, "training changed nothing")
        }
    }

    /// `Network.train` (which gathers each next batch inside `backpropagate(next:)`) ends with
    /// the same weights as a plain loop over the same shuffled batches.
    func testTrainingMatchesAPlainLoop() throws {
        var random = RandomStream(seed: 5, stream: 0)
        let (n, samples, batch, epochs) = (300, 53, 10, 3)
        let inputs = (0..<(samples * n)).map { _ in random.uniform() < 0.5 ? Float(-1) : 1 }
        let data = try TrainingSet(inputs: inputs, inputWidth: n, targets: inputs, targetWidth: n)
        let start = try Network.autoencoder(sizes: [n, 16, n], seed: 2)
        var trained = start
        try trained.train(data, options: TrainingOptions(epochs: epochs, batchSize: batch, seed: 9))

        let work = Workspace(network: start, batchCapacity: batch, training: true)
        var images: SymmetryImages? = nil, step = 0
        for epoch in 0..<epochs {
            var order = Array(0..<samples)  // each epoch shuffles the storage order
            var shuffle = RandomStream(seed: 9, stream: UInt64(epoch))
            for i in stride(from: samples - 1, to: 0, by: -1) { order.swapAt(i, shuffle.below(i + 1)) }
            for first in stride(from: 0, to: samples, by: batch) {
                let rows = min(batch, samples - first)
                work.gather(data, rows: order[first..<(first + rows)], images: &images)
                work.forward(rows: rows)
                step += 1
                work.backpropagate(start.loss, rows: rows, optimizer: start.optimizer, step: step)
            }
        }
        XCTAssertTrue(work.snapshot().map(\.weights) == trained.layers.map(\.weights), "train differs from the plain loop")
    }

    /// Layers whose update blocks split a forward part (here 1024 outputs: blocks of 64 rows) and
    /// large batches do without it.
    func testLookAheadOnlyWhereTheBlocksHoldWholeParts() throws {
        XCTAssertFalse(Workspace(network: try Network.autoencoder(sizes: [300, 1024, 300], seed: 1), batchCapacity: 10,
                                 training: true).firstLayerAhead)
        XCTAssertFalse(Workspace(network: try Network.autoencoder(sizes: [300, 16, 300], seed: 1), batchCapacity: 100,
                                 training: true).firstLayerAhead)
        XCTAssertFalse(Workspace(network: try Network.autoencoder(sizes: [300, 16, 300], seed: 1), batchCapacity: 10,
                                 training: false).firstLayerAhead)
    }
}
