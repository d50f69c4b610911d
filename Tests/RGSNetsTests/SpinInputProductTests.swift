import XCTest
import RGSNumerics
import RGSPhysics
@testable import RGSNets

/// With spin inputs the first layer's products go by table lookup; without, by sgemm. On the
/// same batch both give the same outputs and the same update, up to float rounding.
final class SpinInputProductTests: XCTestCase {
    func testTableLookupMatchesSgemmForTheFirstLayer() throws {
        var random = RandomStream(seed: 9, stream: 0)
        let (n, rows) = (100, 40)
        let inputs = (0..<(rows * n)).map { _ in random.uniform() < 0.5 ? Float(-1) : 1 }
        for net in [try Network.autoencoder(sizes: [n, 48, 24, 48, n], seed: 2), try Network.regressor(inputs: n, hidden: [70], seed: 2)] {
            let targets = net.outputCount == n ? inputs : (0..<rows).map { _ in Float(random.uniform()) }
            let data = try TrainingSet(inputs: inputs, inputWidth: n, targets: targets, targetWidth: net.outputCount)
            var results: [[(weights: [Float], bias: [Float]?)]] = [], outputs: [[Float]] = []
            for spins in [true, false] {
                let work = Workspace(network: net, batchCapacity: rows, training: true, spinInputs: spins)
                XCTAssertEqual(work.spinInputs, spins)
                var images: SymmetryImages? = nil
                work.gather(data, rows: ArraySlice(0..<rows), images: &images)
                work.forward(rows: rows)
                outputs.append(Array(UnsafeBufferPointer(start: work.output, count: rows * net.outputCount)))
                work.backpropagate(net.loss, rows: rows, optimizer: net.optimizer, step: 1)
                results.append(work.snapshot())
            }
            for (x, y) in zip(outputs[0], outputs[1]) { XCTAssertEqual(x, y, accuracy: 1e-5) }
            for (a, b) in zip(results[0], results[1]) {
                for (x, y) in zip(a.weights, b.weights) { XCTAssertEqual(x, y, accuracy: 1e-6) }
            }
            XCTAssertNotEqual(results[0][0].weights, net.layers[0].weights)
        }
    }
}
