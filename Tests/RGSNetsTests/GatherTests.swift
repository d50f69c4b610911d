import XCTest
import RGSNumerics
@testable import RGSNets

/// `gather` copies the chosen rows, and packs their bits, in parallel chunks; when the step
/// reads the inputs only as bits, it copies the bits (and unpacks an autoencoder's targets).
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
            // 150 rows read the inputs as bits only; 12 rows (the small-batch path) read floats.
            for rows in [order[37..<(37 + 150)], order[200..<212]] {
                work.gather(data, rows: rows, images: &images)
                XCTAssertEqual(work.readsInputBitsOnly(rows: rows.count), rows.count == 150)
                check(work, rows, floats: rows.count == 12)
            }
        }
        func check(_ work: Workspace, _ rows: ArraySlice<Int>, floats: Bool) {
            for (r, s) in rows.enumerated() {
                if floats {
                    XCTAssertEqual(Array(UnsafeBufferPointer(start: work.input.pointer + r * width, count: width)),
                                   Array(x[(s * width)..<((s + 1) * width)]), "row \(r)")
                }
                XCTAssertEqual(work.target.pointer[r], Float(s))
                for k in 0..<width {
                    let bit = (work.inputBits[r * work.inputWords + k / 64] >> UInt64(k % 64)) & 1 == 1
                    XCTAssertEqual(bit, x[s * width + k] > 0, "bit \(k) of row \(r)")
                }
            }
        }
    }

    /// An autoencoder's spin targets come unpacked from the gathered bits, equal to the rows,
    /// and a step on them gives the same bits as on float rows copied and packed by hand.
    func testAutoencoderTargetsUnpackFromTheBits() throws {
        let (count, width) = (120, 70)
        var random = RandomStream(seed: 4, stream: 0)
        let x = (0..<(count * width)).map { _ in random.below(2) == 0 ? Float(-1) : 1 }
        let data = try TrainingSet(inputs: x, inputWidth: width, targets: x, targetWidth: width)
        XCTAssertTrue(data.targetsAreInputs)
        XCTAssertFalse(try TrainingSet(inputs: x, inputWidth: width, targets: x.map { -$0 }, targetWidth: width).targetsAreInputs)
        let net = try Network.autoencoder(sizes: [width, 40, width], seed: 2)
        let rows = ArraySlice([5, 99, 3] + Array(40..<87))
        var snapshots: [[(weights: [Float], bias: [Float]?)]] = []
        for byHand in [false, true] {
            let work = Workspace(network: net, batchCapacity: 50, training: true, spinInputs: true)
            if byHand {
                for (r, s) in rows.enumerated() {
                    let row = Array(x[(s * width)..<((s + 1) * width)])
                    (work.input.pointer + r * width).update(from: row, count: width)
                    (work.target.pointer + r * width).update(from: row, count: width)
                }
                work.packInputBits(rows: 0..<rows.count)
            } else {
                var images: SymmetryImages? = nil
                work.gather(data, rows: rows, images: &images)
                XCTAssertTrue(work.readsInputBitsOnly(rows: rows.count))
                for (r, s) in rows.enumerated() {
                    XCTAssertEqual(Array(UnsafeBufferPointer(start: work.target.pointer + r * width, count: width)),
                                   Array(x[(s * width)..<((s + 1) * width)]), "row \(r)")
                }
            }
            work.forward(rows: rows.count)
            work.backpropagate(net.loss, rows: rows.count, optimizer: net.optimizer, step: 1)
            snapshots.append(work.snapshot())
        }
        XCTAssertEqual(snapshots[0].map(\.weights), snapshots[1].map(\.weights))
    }
}
