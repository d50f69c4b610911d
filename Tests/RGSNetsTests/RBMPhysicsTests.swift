import Foundation
import XCTest
import RGSNumerics
import RGSPhysics
import RGSNets

/// The papers' RBM experiments in quick form, on Monte Carlo lattices (release builds only:
/// `swift test -c release -Xswiftc -enable-testing --filter RBMPhysicsTests`). The claims are
/// hypotheses: the tests print the measured numbers and assert only what holds.
final class RBMPhysicsTests: XCTestCase {
    private static let criticalTemperature = 2 / log(1 + 2.0.squareRoot())

    private func ising(_ temperatures: [Double], side: Int, samples: Int, seed: UInt64) throws -> Ensemble {
        try MonteCarlo.sample(SamplingPlan(model: .ising(h: 0), shape: [side, side], betas: temperatures.map { 1 / $0 },
                                           samplesPerBeta: samples, seed: seed), progress: false)
    }

    /// Iso-Shiba Funai-Yokoo: an RBM (100 visible, 64 hidden) trained on 10x10 lattices at
    /// T = 0.5, 1.0, ..., 6 (500 each, 300 epochs) and a supervised temperature net; RBM flows from
    /// T = 1 and T = 5, with the temperature the net reads at each step.
    ///
    /// Measured (seeded; the T net trained with symmetry augmentation and rate halving reads
    /// fresh lattices at T = 1, 2.5, 5 as 1.11, 2.92, 4.66: an MSE regressor pulls uninformative
    /// lattices towards the mean T): the flow from T = 5 falls steadily and reads T = 2.61 +- 0.05
    /// after 40 steps and 2.29 +- 0.05 after 60, within 0.5 of T_c as the paper says (it reaches
    /// T_c near step 60 and is still falling); the flow from T = 1 rises to T ~ 1.4 within a few
    /// steps and stays there (earlier runs: also with lr 0.05 and 600 epochs, 1.31; with lr 0.1, no
    /// momentum, 1000 epochs, 1.21), so the paper's claim that every start reaches T_c does not
    /// hold in this quick form. Asserted: the high-T flow ends within 0.5 of T_c, the low-T flow
    /// moves up, and both move towards T_c.
    ///
    /// Longer flows, read by the energy thermometer (the T whose exact 10x10 energy matches),
    /// show that T_c is a waypoint, not the fixed point: from T = 1 the flow reads 1.827 +- 0.012
    /// after 400 steps and 1.818 +- 0.009 after 2000; from T = 5 it passes T_c near step 100 and
    /// reads 2.161 +- 0.013 after 400 steps and 1.992 +- 0.021 after 2000, closing on the other.
    /// (With the language's seeds, 4000 steps from T = 1, 2.269 and 5 gave 1.85, 1.87 and 1.89.)
    /// One fixed point below T_c fits the flow being a Markov chain with one stationary
    /// distribution, the RBM's own. Asserted (4 sigma each): the flow from T = 5 is below T_c at
    /// step 400, falls further by step 2000, and the gap between the flows narrows.
    func testRBMFlowTemperatureTrajectories() throws {
        #if DEBUG
        throw XCTSkip("physics tests run in release builds")
        #else
        let temperatures = stride(from: 0.5, through: 6.0, by: 0.5).map { $0 }
        let data = try ising(temperatures, side: 10, samples: 500, seed: 1)
        let options = RBMTrainingOptions(learningRate: 0.01, momentum: 0.5, batch: 100, epochs: 300, seed: 2,
                                         validationFraction: 0.1)
        let rbm = try RBM.trained(on: data, hidden: 64, options: options)
        let last = rbm.history.last!
        print(String(format: "RBM 100->64: reconstruction error %.4f, pseudo-likelihood %.2f, free-energy gap %.3f",
                     last.reconstructionError, last.pseudoLikelihood, last.freeEnergyGap ?? .nan))
        var net = try Network.regressor(for: data, target: .temperature, hidden: [64], seed: 3)
        try net.train(on: data.selecting(shuffled(data.count, seed: 4)),
                      options: TrainingOptions(epochs: 100, batchSize: 50, validationFraction: 0.1, patience: 10, seed: 5,
                                               augment: true, decay: LearningRateDecay(factor: 0.5, patience: 3)))
        let check = try net.measure(try ising([1, 2.5, 5], side: 10, samples: 300, seed: 6))
        print("T net on fresh lattices:", zip(check.labels, check.predicted).map { "T=\($0) -> \($1)" }.joined(separator: ", "))

        let steps = 60
        var starts = [RGSNumerics.Measurement](), ends = [RGSNumerics.Measurement]()
        for start in [1.0, 5.0] {
            let initial = try ising([start], side: 10, samples: 500, seed: 10 + UInt64(start))
            let flow = try rbm.flow(from: initial, steps: steps, seed: 7)
            let trajectory = try flow.visible.steps.map { try net.measure($0).predicted[0] }
            print("RBM flow from T = \(start):", trajectory.enumerated()
                .filter { [0, 1, 2, 3, 5, 10, 20, 30, 40, 50, 60].contains($0.offset) }
                .map { "step \($0.offset): \($0.element)" }.joined(separator: ", "))
            starts.append(trajectory[0])
            ends.append(trajectory[steps])
        }
        let tc = RBMPhysicsTests.criticalTemperature
        print(String(format: "after %d steps: T = %.3f (from 1) and %.3f (from 5); T_c = %.3f", steps, ends[0].value,
                     ends[1].value, tc))
        XCTAssertEqual(ends[1].value, tc, accuracy: 0.5)
        XCTAssertGreaterThan(ends[0].value, starts[0].value + 4 * (ends[0].error + starts[0].error))
        XCTAssertLessThan(abs(ends[0].value - tc), abs(starts[0].value - tc))
        XCTAssertLessThan(abs(ends[1].value - tc), abs(starts[1].value - tc))

        // Longer flows, read by the energy thermometer (Kaufman's exact 10x10 energy), which has
        // no regressor's pull towards the mean T.
        var long: [[RGSNumerics.Measurement]] = []
        for start in [1.0, 5.0] {
            var ensemble = try ising([start], side: 10, samples: 500, seed: 10 + UInt64(start))
            var temperatures: [RGSNumerics.Measurement] = []
            for (leg, steps) in [400, 1600].enumerated() {
                ensemble = try rbm.flow(from: ensemble, steps: steps, seed: 40 + UInt64(leg)).visible.steps[steps]
                let column = try ensemble.energyTemperature(.temperature).columns.first { $0.name == "value" }!
                temperatures.append(RGSNumerics.Measurement(column.values[0], error: column.errors?[0] ?? 0))
            }
            print("RBM flow from T = \(start), temperature from the energy: step 400: \(temperatures[0]), step 2000: \(temperatures[1])")
            long.append(temperatures)
        }
        let runs = long.map { $0.map(TrackedMeasurement.init) }
        func gap(_ step: Int) -> TrackedMeasurement { runs[1][step] - runs[0][step] }
        // The flow from T = 5 passes T_c and goes on falling towards the flow from T = 1.
        let hot = long[1], falling = runs[1][0] - runs[1][1], closing = gap(0) - gap(1)
        XCTAssertLessThan(hot[0].value + 4 * hot[0].error, tc)
        XCTAssertGreaterThan(falling.value, 4 * falling.error)
        XCTAssertGreaterThan(closing.value, 4 * closing.error)
        #endif
    }

    /// Mehta-Schwab: on near-critical 16x16 lattices, L1 makes first-layer receptive fields more
    /// local than the same strength of weight decay (locality share within r = 2 of each field's
    /// centre; a uniform field scores 13/256 = 0.05). Measured (seeded, 64 hidden, 100 epochs,
    /// strength 2e-3): L1 0.175 +- 0.007, weight decay 0.104 +- 0.005.
    func testL1GivesMoreLocalReceptiveFieldsThanWeightDecay() throws {
        #if DEBUG
        throw XCTSkip("physics tests run in release builds")
        #else
        let data = try ising([RBMPhysicsTests.criticalTemperature], side: 16, samples: 2000, seed: 21)
        var scores = [String: RGSNumerics.Measurement]()
        for (name, l1, l2) in [("L1", Float(2e-3), Float(0)), ("weight decay", 0, 2e-3)] {
            let options = RBMTrainingOptions(learningRate: 0.01, momentum: 0.5, l1: l1, l2: l2, batch: 50, epochs: 100,
                                             seed: 22, validationFraction: 0)
            let rbm = try RBM.trained(on: data, hidden: 64, options: options)
            scores[name] = try rbm.localityScore(radius: 2)
        }
        let l1 = scores["L1"]!, decay = scores["weight decay"]!
        print("locality within r = 2: L1 \(l1), weight decay \(decay)")
        XCTAssertGreaterThan(l1.value - decay.value, 4 * (l1.error * l1.error + decay.error * decay.error).squareRoot())
        #endif
    }

    /// Iso-Shiba Funai-Yokoo's W W^T spectra (n_h = 16): trained on low temperatures only
    /// (T = 0.5..2) a few eigenvalues dominate; trained on T = 0.5..6 the spectrum is flatter.
    /// Measured by the share of the 3 largest eigenvalues in the trace: 0.996 (one eigenvalue,
    /// 22.4, dominates) at low T against 0.301 (7.4, 4.8, 4.6, 4.5, ...) over all T.
    func testWeightSpectrumIsFlatterWhenTrainedOverAllTemperatures() throws {
        #if DEBUG
        throw XCTSkip("physics tests run in release builds")
        #else
        var shares = [Double]()
        for top in [2.0, 6.0] {
            let data = try ising(stride(from: 0.5, through: top, by: 0.5).map { $0 }, side: 10, samples: 300, seed: 31)
            let options = RBMTrainingOptions(learningRate: 0.01, momentum: 0.5, batch: 50, epochs: 100, seed: 32,
                                             validationFraction: 0)
            let spectrum = try RBM.trained(on: data, hidden: 16, options: options).weightSpectrum()
            let trace = spectrum.values.reduce(0, +)
            shares.append(spectrum.values.prefix(3).reduce(0, +) / trace)
            print(String(format: "T = 0.5..%.0f: top eigenvalues of W W^T %@, share of the top 3 %.3f", top,
                         spectrum.values.prefix(6).map { String(format: "%.2f", $0) }.joined(separator: " "), shares.last!))
        }
        XCTAssertGreaterThan(shares[0], shares[1])
        #endif
    }

    /// The long-range paper's <v h> comparison, here on nearest-neighbour 16x16 lattices at T_c:
    /// a greedy stack 256 -> 64 -> 16 against two block-spin RG steps (2x2 majority, random ties).
    /// Each coarse unit's connected <v_i h_a> image, less its lattice average (at T_c every spin
    /// correlates with every block), is scored by the locality share within r = 2 of its centre.
    /// The paper finds local patches for RG and none for the stacked RBM; measured here: RG
    /// 0.239 +- 0.003 and 0.193 +- 0.004, stacked RBM 0.104 +- 0.005 and 0.086 +- 0.010 (layers 1, 2;
    /// at T = 3 in an earlier run: RG 0.30, 0.25 against RBM 0.08, 0.11).
    func testVisibleHiddenCorrelatorsOfStackAndBlockSpins() throws {
        #if DEBUG
        throw XCTSkip("physics tests run in release builds")
        #else
        let data = try ising([RBMPhysicsTests.criticalTemperature], side: 16, samples: 2000, seed: 41)
        let options = RBMTrainingOptions(learningRate: 0.01, momentum: 0.5, batch: 50, epochs: 50, seed: 42,
                                         validationFraction: 0)
        let stack = try RBMStack.trained(on: data, hidden: [64, 16], options: [options])
        let rbmLayers = try stack.hiddenLayers(of: data, seed: 43)
        let rg1 = try majority(data, block: 2, ties: .random)
        let rgLayers = [rg1, try majority(rg1, block: 2, ties: .random)]
        func locality(_ coarse: Ensemble) throws -> RGSNumerics.Measurement {
            Statistics.meanWithError(try (0..<coarse.siteCount).map { a in
                let image = try VisibleHiddenCorrelation.image(visible: data, hidden: coarse, unit: a, connected: true)
                let background = image.storage.reduce(0, +) / Double(image.storage.count)
                return try Locality.share(of: image.storage.map { $0 - background }, shape: data.shape, radius: 2)
            })
        }
        let rbm = try rbmLayers.map(locality), rg = try rgLayers.map(locality)
        print("<v h> locality within r = 2, layers 1 and 2: stacked RBM \(rbm[0]), \(rbm[1]); block-spin RG \(rg[0]), \(rg[1])")
        for (r, g) in zip(rbm, rg) {
            XCTAssertGreaterThan(g.value - r.value, 4 * (g.error * g.error + r.error * r.error).squareRoot())
        }
        #endif
    }

    private func shuffled(_ count: Int, seed: UInt64) -> [Int] {
        var order = Array(0..<count)
        var stream = RandomStream(seed: seed, stream: 0)
        for i in stride(from: count - 1, to: 0, by: -1) { order.swapAt(i, stream.below(i + 1)) }
        return order
    }
}
