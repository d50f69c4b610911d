import RGSNumerics
import RGSPhysics
@testable import RGSNets
import XCTest

/// Symmetry images for augmentation, the learning-rate decay, and their reproducibility.
final class AugmentationTests: XCTestCase {
    /// Nearest-neighbour bond sum of a periodic rows x columns lattice.
    private func bonds(_ s: [Float], rows: Int, columns: Int) -> Float {
        var sum: Float = 0
        for i in 0..<rows {
            for j in 0..<columns {
                let x = s[i * columns + j]
                sum += x * s[((i + 1) % rows) * columns + j] + x * s[i * columns + (j + 1) % columns]
            }
        }
        return sum
    }

    /// Every image keeps the bond energy and |m|, is a signed permutation of the sites, flips
    /// only when allowed, and over many draws every transformation kind occurs.
    func testImagesAreLatticeSymmetries() {
        for (shape, flip) in [([6, 6], true), ([4, 6], false), ([9], true)] {
            let sym = LatticeSymmetries(shape: shape, spinFlip: flip, transformsTargets: false)!
            let (rows, columns) = (sym.rows, sym.columns)
            var random = RandomStream(seed: 1, stream: 0)
            let x = (0..<(rows * columns)).map { _ in Float(random.below(2) == 0 ? -1 : 1) }
            var seen = Set<[Float]>(), flips = 0
            var draws = RandomStream(seed: 2, stream: 0)
            for _ in 0..<2000 {
                var y = [Float](repeating: 0, count: x.count)
                sym.image(of: x, into: &y, random: &draws)
                XCTAssertEqual(bonds(y, rows: rows, columns: columns), bonds(x, rows: rows, columns: columns))
                let m = y.reduce(0, +), m0 = x.reduce(0, +)
                XCTAssertEqual(abs(m), abs(m0))
                if m == -m0, m0 != 0 { flips += 1 }
                XCTAssertEqual(y.map(abs), x.map(abs))
                seen.insert(y)
            }
            XCTAssertEqual(flips > 0, flip, "\(shape)")
            // Translations x reflections (x transpose on square lattices) x flip give many images.
            XCTAssertGreaterThan(seen.count, rows * columns, "\(shape)")
        }
        XCTAssertNil(LatticeSymmetries(shape: [2, 2, 2], spinFlip: true, transformsTargets: false))
    }

    /// Augmented training is bit-reproducible for any thread count and differs from plain
    /// training; an autoencoder's targets take the same image as its inputs (its loss stays that
    /// of reconstructing the image); pairs refuse augmentation.
    func testAugmentedTrainingIsReproducible() throws {
        let data = try MonteCarlo.sample(SamplingPlan(model: .ising(h: 0), shape: [8, 8], betas: [0.3, 0.5],
                                                      samplesPerBeta: 100, seed: 5), progress: false)
        let threads = Settings.threads
        defer { Settings.threads = threads }
        func run(threads: Int, augment: Bool, autoencoder: Bool = false) throws -> Network {
            Settings.threads = threads
            var net = autoencoder ? try Network.autoencoder(sizes: [64, 32, 64], seed: 3)
                                  : try Network.regressor(inputs: 64, hidden: [16], seed: 3)
            try net.train(on: data, options: TrainingOptions(epochs: 3, batchSize: 10, validationFraction: 0.2, seed: 4, augment: augment))
            return net
        }
        let one = try run(threads: 1, augment: true), two = try run(threads: 2, augment: true)
        XCTAssertEqual(one.layers, two.layers)
        XCTAssertEqual(one.history, two.history)
        XCTAssertNotEqual(one.layers, try run(threads: 1, augment: false).layers)
        let ae = try run(threads: 2, augment: true, autoencoder: true)
        XCTAssertEqual(ae.layers, try run(threads: 1, augment: true, autoencoder: true).layers)
        XCTAssertLessThan(ae.history.train.last!, 1.0)
        var shallow = try Network.shallow(from: 64, to: 32, seed: 1)
        XCTAssertThrowsError(try shallow.train(on: TrainingPairs(data, decimate(data)), options: TrainingOptions(augment: true)))
    }

    /// The rate is halved after every `patience` epochs without validation gain and recorded;
    /// bad factors are refused.
    func testLearningRateDecay() throws {
        var random = RandomStream(seed: 9, stream: 0)
        // Pure-noise targets: the validation loss stops improving quickly.
        let x = (0..<(200 * 16)).map { _ in Float(random.below(2) == 0 ? -1 : 1) }
        let y = (0..<200).map { _ in random.uniformFloat() }
        let data = try TrainingSet(inputs: x, inputWidth: 16, targets: y, targetWidth: 1)
        var net = try Network.regressor(inputs: 16, hidden: [8], output: .linear, optimizer: .adam(learningRate: 0.05), seed: 1)
        try net.train(data, options: TrainingOptions(epochs: 20, batchSize: 20, validationFraction: 0.25, seed: 1,
                                                     decay: LearningRateDecay(factor: 0.5, patience: 2)))
        let rates = net.history.learningRates
        XCTAssertEqual(rates.count, 20)
        XCTAssertEqual(rates[0], 0.05)
        XCTAssertTrue(zip(rates, rates.dropFirst()).allSatisfy { $1 == $0 || $1 == $0 / 2 }, "\(rates)")
        XCTAssertLessThan(rates.last!, rates[0], "\(rates)")
        for bad in [LearningRateDecay(factor: 1, patience: 2), LearningRateDecay(factor: 0.5, patience: 0)] {
            XCTAssertThrowsError(try net.train(data, options: TrainingOptions(decay: bad)))
        }
    }
}
