import Foundation
import RGSNumerics
import RGSPhysics
import XCTest

/// Reproducibility, labels and notes, interruption and argument validation of `MonteCarlo`.
final class MonteCarloBehaviourTests: XCTestCase {
    private func plan(_ algorithm: SamplerAlgorithm, model: LatticeModel = .ising(h: 0), shape: [Int] = [8, 8],
                      betas: [Double] = [0.3, 0.44], samples: Int = 100, spacing: Int? = nil) -> SamplingPlan {
        SamplingPlan(model: model, shape: shape, betas: betas, samplesPerBeta: samples, seed: 42,
                     algorithm: algorithm, thermalization: 50, spacing: spacing)
    }

    func testIdenticalEnsemblesForAnyThreadCount() throws {
        let saved = Settings.threads
        defer { Settings.threads = saved }
        let plans = [plan(.metropolis), plan(.checkerboard), plan(.wolff), plan(.multispin, samples: 600),
                     plan(.metropolis, model: .longRange(alpha: 3), shape: [6, 6], samples: 20),
                     plan(.checkerboard, model: .chain(h: 0.2), shape: [16]), plan(.metropolis, model: .chain(h: 0), shape: [16]),
                     plan(.multispin, betas: [0, 0.3], samples: 600)]
        for p in plans {
            Settings.threads = 1
            let one = try MonteCarloCheck.sample(p)
            Settings.threads = 2
            let two = try MonteCarloCheck.sample(p)
            XCTAssertEqual(one.packedWords, two.packedWords, "\(p.algorithm) \(p.model.name)")
            XCTAssertEqual(one.notes, two.notes)
        }
    }

    func testLabelsNotesAndModel() throws {
        let d = try MonteCarloCheck.sample(SamplingPlan(model: .chain(h: 0.5), shape: [100], betas: [0.5],
                                                        samplesPerBeta: 50, seed: 3))
        XCTAssertEqual(d.count, 50)
        XCTAssertEqual(d.shape, [100])
        XCTAssertEqual(d.model, .chain(h: 0.5))
        XCTAssertEqual(d.labels.first, SampleLabel(beta: 0.5, h: 0.5, model: "ising1d", seed: 3))
        XCTAssertFalse(d.isPartial)
        XCTAssertTrue(d.notes[0].hasPrefix("algorithm: heatbath (chosen by auto)"), d.notes[0])
        XCTAssertTrue(d.notes.contains { $0.contains("tau_int |m|") && $0.contains("spacing") }, "\(d.notes)")
    }

    func testAutoChoosesByModelAndShape() {
        func auto(_ model: LatticeModel, _ shape: [Int], _ samples: Int = 1000) -> SamplerAlgorithm {
            MonteCarlo.resolvedAlgorithm(SamplingPlan(model: model, shape: shape, betas: [0.4], samplesPerBeta: samples, seed: 1))
        }
        XCTAssertEqual(auto(.ising(h: 0), [32, 32]), .multispin)
        XCTAssertEqual(auto(.ising(h: 0), [32, 32], 10), .checkerboard)
        XCTAssertEqual(auto(.ising(h: 0.1), [32, 32]), .checkerboard)
        XCTAssertEqual(auto(.ising(h: 0), [7, 7]), .heatbath)
        XCTAssertEqual(auto(.chain(h: 0), [101]), .heatbath)
        XCTAssertEqual(auto(.ising(h: 0), [2, 2]), .heatbath)
        XCTAssertEqual(auto(.ising(h: 0), [3, 3]), .heatbath)
        XCTAssertEqual(auto(.chain(h: 0.3), [100]), .heatbath)
        // The long-range model: Metropolis deep below T_c (beta 0.4 is T = 2.5 at alpha = 3,
        // where T_c = 7.7), Wolff from about T_c up (2 beta sum_d J(d) < 3.2), on any side.
        XCTAssertEqual(auto(.longRange(alpha: 3), [10, 10]), .metropolis)
        XCTAssertEqual(auto(.longRange(alpha: 3), [32, 32]), .metropolis)
        func auto(longRange alpha: Double, _ side: Int, betas: [Double]) -> SamplerAlgorithm {
            MonteCarlo.resolvedAlgorithm(SamplingPlan(model: .longRange(alpha: alpha), shape: [side, side], betas: betas,
                                                      samplesPerBeta: 100, seed: 1))
        }
        XCTAssertEqual(auto(longRange: 3, 10, betas: [1 / 7.7]), .wolff)
        XCTAssertEqual(auto(longRange: 3, 64, betas: [0.4, 1 / 7.7]), .wolff)
        XCTAssertEqual(auto(longRange: 0.5, 16, betas: [1 / 20]), .metropolis)  // sum_d J = 111
        XCTAssertEqual(auto(longRange: 0.5, 16, betas: [1 / 80]), .wolff)
        // Metropolis decorrelates only after ~1/beta sweeps at high temperature; beta = 0 itself
        // is drawn exactly by every sampler.
        func auto(betas: [Double]) -> SamplerAlgorithm {
            MonteCarlo.resolvedAlgorithm(SamplingPlan(model: .ising(h: 0), shape: [32, 32], betas: betas, samplesPerBeta: 1000, seed: 1))
        }
        XCTAssertEqual(auto(betas: [1e-6, 0.4]), .heatbath)
        XCTAssertEqual(auto(betas: [0, 0.4]), .multispin)
        // The long-range model counts beta in units of its couplings: at alpha = 0.1 on 40 x 40
        // (sum_d J = 1231) T = 1000 is ordered and Wolff's; at alpha = 3 (sum_d J = 9) T = 300
        // is the high-temperature limit.
        func longRange(alpha: Double, beta: Double) -> SamplingPlan {
            SamplingPlan(model: .longRange(alpha: alpha), shape: [40, 40], betas: [beta], samplesPerBeta: 10, seed: 1)
        }
        XCTAssertEqual(MonteCarlo.resolvedAlgorithm(longRange(alpha: 0.1, beta: 0.001)), .wolff)
        XCTAssertEqual(MonteCarlo.resolvedAlgorithm(longRange(alpha: 3, beta: 1.0 / 300)), .heatbath)
        XCTAssertEqual(MonteCarlo.resolvedAlgorithm(longRange(alpha: 3, beta: 1.0 / 150)), .wolff)
    }

    func testSpacingAtLeastTwiceTauUnlessGiven() throws {
        var p = plan(.checkerboard, betas: [0.4407], samples: 40)
        p.spacing = 3
        let d = try MonteCarloCheck.sample(p)
        XCTAssertTrue(d.notes.contains { $0.contains("spacing 3 sweeps") }, "\(d.notes)")
    }

    /// The heat bath on a cold chain (correlation length ~200 sites at beta 3, N = 1000) relaxes
    /// over ~1500 sweeps: beyond what the longest pilot can measure to 1%, and the note says so.
    func testNoteWarnsWhenThePilotIsTooShortForTau() throws {
        let slow = try MonteCarloCheck.sample(plan(.heatbath, model: .chain(h: 0), shape: [1000], betas: [3], samples: 8, spacing: 1))
        XCTAssertTrue(slow.notes.contains { $0.contains("tau_int may be underestimated") }, "\(slow.notes)")
        let fast = try MonteCarloCheck.sample(plan(.heatbath, betas: [1e-6], samples: 8))
        XCTAssertFalse(fast.notes.contains { $0.contains("warning") }, "\(fast.notes)")
    }

    func testInterruptReturnsPartialEnsemble() throws {
        Cancellation.request()
        defer { Cancellation.clear() }
        for algorithm in [SamplerAlgorithm.checkerboard, .multispin] {
            let d = try MonteCarloCheck.sample(plan(algorithm, samples: 600))
            XCTAssertTrue(d.isPartial)
            XCTAssertLessThan(d.count, 1200)
            XCTAssertEqual(d.count, d.labels.count)
        }
    }

    func testValidationErrors() {
        let cases: [(SamplingPlan, String)] = [
            (plan(.checkerboard, shape: [7, 7]), "needs even side lengths"),
            (plan(.multispin, shape: [9, 9]), "needs even side lengths"),
            (plan(.metropolis, shape: [1, 1]), "L must be at least 2"),
            (plan(.metropolis, model: .chain(h: 0), shape: [1]), "N must be at least 2"),
            (plan(.metropolis, samples: 0), "samples must be positive"),
            (plan(.metropolis, betas: [-0.1]), "beta must be a non-negative number"),
            (plan(.metropolis, betas: [.nan]), "beta must be a non-negative number"),
            (plan(.metropolis, betas: []), "no temperatures"),
            (plan(.wolff, model: .ising(h: 0.1)), "needs h = 0"),
            (plan(.multispin, model: .ising(h: 0.1)), "needs h = 0"),
            (plan(.multispin, model: .chain(h: 0), shape: [8]), "2D nearest-neighbour"),
            (plan(.checkerboard, model: .chain(h: 0), shape: [8]), "not ergodic on a chain without field"),
            (plan(.checkerboard, shape: [2, 2]), "not ergodic on lattices with a side of 2"),
            (plan(.multispin, shape: [2, 8]), "not ergodic on lattices with a side of 2"),
            (plan(.metropolis, betas: [1e-300]), "needs about 1/beta sweeps to mix at beta = 1e-300 (below 0.01)"),
            (plan(.wolff, model: .longRange(alpha: 3), betas: [1.0 / 300]),
             "mix at beta = 0.00333333, beta sum_d J(d) / 4 = 0.00"),
            (plan(.checkerboard, betas: [0.4, 0.005]), "needs about 1/beta sweeps"),
            (plan(.wolff, betas: [1e-6]), "needs about 1/beta sweeps"),
            (plan(.metropolis, model: .ising(h: 1e308)), "h must be a finite number of size at most 1e12, got 1e+308"),
            (plan(.metropolis, model: .chain(h: .nan), shape: [8]), "got nan"),
            (plan(.metropolis, model: .longRange(alpha: 3), shape: [4, 6]), "square shape"),
            (plan(.metropolis, model: .longRange(alpha: -1)), "alpha must be a positive number"),
            (plan(.metropolis, model: .ising(h: 0), shape: [8]), "2D shape"),
            (plan(.metropolis, samples: 1 << 40), "memory is free"),
            (plan(.metropolis, shape: [1 << 40, 1 << 40]), "more than the limit"),
            (plan(.metropolis, samples: 1 << 20, spacing: 1 << 53), "sweeps per temperature, more than the limit of 2^40"),
        ]
        for (p, message) in cases {
            XCTAssertThrowsError(try MonteCarlo.validate(p), message) { error in
                XCTAssertTrue("\(error)".contains(message), "\(error) should mention '\(message)'")
            }
        }
        XCTAssertNoThrow(try MonteCarlo.validate(plan(.metropolis, betas: [.infinity])), "T = 0 is allowed")
    }

    func testZeroTemperatureGivesGroundState() throws {
        for algorithm in [SamplerAlgorithm.checkerboard, .heatbath, .wolff, .multispin] {
            let d = try MonteCarloCheck.sample(plan(algorithm, betas: [.infinity], samples: 64))
            XCTAssertEqual(Statistics.mean(d.energiesPerSpin()), -2, accuracy: 1e-12, "\(algorithm)")
        }
    }
}
