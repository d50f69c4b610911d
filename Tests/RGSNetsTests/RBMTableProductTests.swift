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
