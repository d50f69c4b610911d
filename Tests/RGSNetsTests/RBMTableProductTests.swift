import XCTest
import RGSNumerics
import RGSPhysics
@testable import RGSNets

/// Training on spin data takes the data's products by table lookup from their bits; the same
/// values given as a continuous ensemble take sgemm. Both use the same draws, so one epoch must
/// give the same parameters up to float rounding, for both kinds of units, CD-2 and PCD, small
/// layers (parallel blocks, shared tables) and a large one (one block, slices on the workers).
final class RBMTableProductTests: XCTestCase {
    func testSpinDataTrainLikeTheSameValuesAsContinuousData() throws {
        for (side, hidden, batch) in [(10, 81, 64), (32, 288, 50)] {
            let spins = RBMExact.noise(side * side, samples: 300, seed: 6, shape: [side, side])
            let continuous = Ensemble(shape: [side, side], values: spins.floatMatrix(), labels: spins.labels)
            XCTAssertFalse(continuous.isSpin)
            for units in RBMUnits.allCases {
                for persistent in [false, true] {
                    let options = RBMTrainingOptions(k: 2, persistent: persistent, learningRate: 0.05, momentum: 0.5,
                                                     batch: batch, epochs: 1, seed: 3, validationFraction: 0, monitors: false)
                    let a = try RBM.trained(on: spins, hidden: hidden, units: units, options: options)
                    let b = try RBM.trained(on: continuous, hidden: hidden, units: units, options: options)
                    let label = "\(side)x\(side) -> \(hidden) \(units) persistent \(persistent)"
                    XCTAssertNotEqual(a.weights, try RBM(visibleShape: [side, side], hidden: hidden, units: units, seed: 3).weights)
                    for (x, y) in zip(a.weights, b.weights) { XCTAssertEqual(x, y, accuracy: 1e-5, label) }
                    for (x, y) in zip(a.visibleBias, b.visibleBias) { XCTAssertEqual(x, y, accuracy: 1e-5, label) }
                    for (x, y) in zip(a.hiddenBias, b.hiddenBias) { XCTAssertEqual(x, y, accuracy: 1e-5, label) }
                }
            }
        }
    }
}

/// Large layers on spin data take W's statistics tile by tile inside the weight step; the
/// step must give the bits of the statistics stored first and stepped in one pass.
final class RBMStatisticsInUpdateTests: XCTestCase {
    func testStatisticsInTheUpdateGiveTheStoredStatisticsBits() throws {
        // n x m past 2^18 (one block per minibatch); 529 rows of W: a full tile and a short
        // one; 500 columns: four passes, the last slice cut at 20 columns; minibatches of 40
        // rows (depth 80: two blocks) and 20 (depth 40: one block).
        let (n, m) = (529, 500)
        for units in RBMUnits.allCases {
            var random = RandomStream(seed: 21, stream: 0)
            let start = try RBM(visibleShape: [23, 23], hidden: m, units: units, seed: 4)
            var (fused, stored) = (start, start)
            let a = RBMWorkspace(batch: 40, visible: n, hidden: m, twoValuedData: true)
            let b = RBMWorkspace(batch: 40, visible: n, hidden: m, twoValuedData: false)
            XCTAssertTrue(a.statisticsInUpdate)
            XCTAssertFalse(b.statisticsInUpdate)
            // The fused step works on W in panels.
            a.loadWeights(fused)
            let options = RBMTrainingOptions(learningRate: 0.05, momentum: 0.5, l1: 0.001, l2: 0.002)
            for rows in [40, 40, 20] {
                let words = BitRows.words(2 * rows)
                let bits = (0..<(n * words)).map { _ in random.next() }
                let means = (0..<(2 * rows * a.hiddenStride)).map { _ in Float(random.uniform()) * 2 - 1 }
                for w in [a, b] {
                    w.transposedBits(block: 0, vk: false).update(from: bits, count: bits.count)
                    w.hiddenPair.update(from: means, count: means.count)
                    w.sumC.update(repeating: 0, count: n)
                    w.sumB.update(repeating: 0, count: m)
                }
                b.pairedStatistics(rows: rows, low: units.low, into: .matrix(b.gradientW, ldc: m))
                fused.update(a, rows: rows, options: options)
                stored.update(b, rows: rows, options: options)
                a.storeWeights(into: &fused.weights)
                XCTAssertEqual(fused.weights, stored.weights, "\(units) rows \(rows)")
                XCTAssertEqual(a.state(persistent: false).weights, b.state(persistent: false).weights, "\(units) rows \(rows)")
            }
            XCTAssertNotEqual(fused.weights, start.weights)
        }
    }
}
