import XCTest
import RGSNumerics
@testable import RGSNets

/// `gather` copies the chosen rows, and packs their bits, in parallel chunks.
final class GatherTests: XCTestCase {
    func testGatherCopiesTheChosenRowsAndTheirBits() throws {
        let (count, width) = (300, 70)
        var random = RandomStream(seed: 3, stream: 0)
        let x = (0..<(count * width)).map { _ in random.below(2) == 0 ? Float(-1) : 1 }
        let y = (0..<count).map { Float($0) }
        let data = try TrainingSet(inputs: x, inputWidth: width, targets: y, targetWidth: 1)
        let net = try Network(layers: [try DenseLayer(inputs: width, outputs: 1, seed: 1)], loss: .mse)
        var order = Array(0..<count)
        for i in stride(from: count - 1, to: 0, by: -1) { order.swapAt(i, random.below(i + 1)) }
        let threads = Settings.threads
        defer { Settings.threads = threads }
        for t in [1, 2, 3] {
            Settings.threads = t
            let work = Workspace(network: net, batchCapacity: 200, training: true, spinInputs: true)
            var images: SymmetryImages? = nil
            let rows = order[37..<(37 + 150)]
            work.gather(data, rows: rows, images: &images)
            for (r, s) in rows.enumerated() {
                XCTAssertEqual(Array(UnsafeBufferPointer(start: work.input.pointer + r * width, count: width)),
                               Array(x[(s * width)..<((s + 1) * width)]), "row \(r), \(t) threads")
                XCTAssertEqual(work.target.pointer[r], Float(s))
                for k in 0..<width {
                    let bit = (work.inputBits[r * work.inputWords + k / 64] >> UInt64(k % 64)) & 1 == 1
                    XCTAssertEqual(bit, x[s * width + k] > 0, "bit \(k) of row \(r)")
                }
            }
        }
    }
}
