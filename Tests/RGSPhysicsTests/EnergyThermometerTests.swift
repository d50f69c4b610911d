import Foundation
import RGSNumerics
@testable import RGSPhysics
import XCTest

/// The temperature read from the energy: Kaufman's energy inverted, and on Monte Carlo samples.
final class EnergyThermometerTests: XCTestCase {
    /// Exact energies give back their beta, with the slope -Var(E)/N of ln Z; the edges.
    func testInvertsKaufmansEnergy() throws {
        for L in [2, 4, 7, 16, 64] {
            for beta in [0.02, 0.3, 0.4407, 0.8, 2.5] {
                let e = ExactIsing.kaufman(L: L, beta: beta).energy
                let read = try XCTUnwrap(ExactIsing.beta(energy: e, L: L))
                XCTAssertEqual(read.beta, beta, accuracy: 1e-9 * max(1, beta), "L \(L) beta \(beta)")
                let step = 1e-5, n = Double(L * L)
                let slope = (ExactIsing.kaufman(L: L, beta: beta + step).energy - ExactIsing.kaufman(L: L, beta: beta - step).energy) / (2 * step)
                XCTAssertEqual(read.slope, slope, accuracy: 1e-4 * abs(slope) + 1e-10, "L \(L) beta \(beta)")
                // The slope is minus the energy variance per spin: beta^2 times it is -C.
                XCTAssertEqual(read.slope * beta * beta, -ExactIsing.kaufman(L: L, beta: beta).specificHeat,
                               accuracy: 1e-9 * n)
            }
        }
        XCTAssertEqual(ExactIsing.beta(energy: 0, L: 8)?.beta, 0)
        XCTAssertEqual(ExactIsing.beta(energy: -2, L: 8)?.beta, .infinity)
        // Even sides are bipartite: a positive energy is the antiferromagnet's.
        let e = ExactIsing.kaufman(L: 8, beta: 0.3).energy
        XCTAssertEqual(try XCTUnwrap(ExactIsing.beta(energy: -e, L: 8)).beta, -0.3, accuracy: 1e-9)
        XCTAssertNil(ExactIsing.beta(energy: 0.1, L: 7))
        XCTAssertNil(ExactIsing.beta(energy: -2.01, L: 8))
        XCTAssertNil(ExactIsing.beta(energy: .nan, L: 8))
    }

    /// Wolff samples at three temperatures: the beta read from each group's energy lies within
    /// four error bars of the sampled one; T = 1 / beta with the propagated error.
    func testReadsTheSampledTemperature() throws {
        #if DEBUG
        throw XCTSkip("statistical sampler tests run in release builds: swift test -c release")
        #endif
        let betas = [0.25, 0.4407, 0.6]
        let plan = SamplingPlan(model: .ising(h: 0), shape: [12, 12], betas: betas, samplesPerBeta: 4000, seed: 5, algorithm: .wolff)
        let ensemble = try MonteCarlo.sample(plan, progress: false)
        let table = try ensemble.energyTemperature(.beta)
        let read = try XCTUnwrap(table.column("value")), errors = try XCTUnwrap(read.errors)
        XCTAssertEqual(table.column("beta")?.values, betas)
        for (k, beta) in betas.enumerated() {
            XCTAssertGreaterThan(errors[k], 0)
            XCTAssertLessThanOrEqual(abs(read.values[k] - beta), 4 * errors[k], "beta \(beta): \(read.values[k]) ± \(errors[k])")
        }
        let temperatures = try XCTUnwrap(try ensemble.energyTemperature(.temperature).column("value"))
        for k in betas.indices {
            XCTAssertEqual(temperatures.values[k], 1 / read.values[k], accuracy: 1e-12)
            XCTAssertEqual(temperatures.errors?[k] ?? 0, errors[k] / (read.values[k] * read.values[k]), accuracy: 1e-12)
        }
    }

    /// Only square spin lattices of the nearest-neighbour model at h = 0 (or derived from it).
    func testRefusesWhatKaufmanDoesNotDescribe() throws {
        let label = SampleLabel(beta: 0.4, model: "ising")
        let spins = [Int8](repeating: 1, count: 32)
        XCTAssertThrowsError(try Ensemble(shape: [8, 4], spins: spins, labels: [label]).energyTemperature(.beta))
        XCTAssertThrowsError(try Ensemble(shape: [32], spins: spins, labels: [label]).energyTemperature(.beta))
        var square = Ensemble(shape: [4, 4], spins: [Int8](repeating: 1, count: 32), labels: [label, label])
        XCTAssertEqual(try square.energyTemperature(.beta).column("value")?.values, [.infinity])
        // Ground states: the reading is a bound, so its error is unknown, and the title says so.
        let ground = try square.energyTemperature(.temperature)
        XCTAssertEqual(ground.column("value")?.values, [0])
        XCTAssertTrue(ground.column("value")?.errors?[0].isNaN ?? false)
        XCTAssertTrue(ground.title.contains("0 ± nan where every sample is a ground state"), ground.title)
        square.model = .longRange(alpha: 3)
        XCTAssertThrowsError(try square.energyTemperature(.beta)) { error in
            XCTAssertTrue("\(error)".contains("longrange"), "\(error)")
        }
        square.model = .ising(h: 0.1)
        XCTAssertThrowsError(try square.energyTemperature(.beta))
        let values = Ensemble(shape: [4, 4], values: [Float](repeating: 0.5, count: 16), labels: [label])
        XCTAssertThrowsError(try values.energyTemperature(.beta))
        let fielded = Ensemble(shape: [4, 4], spins: [Int8](repeating: 1, count: 16), labels: [SampleLabel(beta: 0.4, h: 0.2, model: "ising")])
        XCTAssertThrowsError(try fielded.energyTemperature(.beta))
    }
}

extension EnergyThermometerTests {
    /// Large sides far from the critical point: L gamma / 2 passes 710, where cosh and sinh
    /// overflow, so Kaufman's energy must not go through them (it was NaN at L = 512 for beta
    /// 0.001 and 2, and the bisection then read 6e-60 and 1.32).
    func testLargeSidesAwayFromCriticality() throws {
        for L in [128, 512] {
            for beta in [1e-4, 1e-3, 2, 3] {
                let (e, c) = ExactIsing.kaufman(L: L, beta: beta)
                XCTAssertEqual(e, ExactIsing.onsagerEnergy(beta: beta), accuracy: 1e-10, "L \(L) beta \(beta)")
                XCTAssertTrue(c.isFinite && c > 0, "L \(L) beta \(beta): C = \(c)")
                let read = try XCTUnwrap(ExactIsing.beta(energy: e, L: L))
                XCTAssertEqual(read.beta, beta, accuracy: 1e-6 * beta, "L \(L) beta \(beta)")
            }
        }
    }
}

extension EnergyThermometerTests {
    /// Energies within 2e-5 of 0 (beta below 1e-5, a hot average that happens to land near 0):
    /// the slope stays -Var(E)/N, about -2 (-4 at L = 2), where Kaufman's second derivative
    /// came out 0, positive or 13 times too steep, and the error bar with it.
    func testSlopeNearInfiniteTemperature() throws {
        for L in [2, 3, 8, 64, 512] {
            let atZero = L == 2 ? -4.0 : -2.0
            for beta in [0, 1e-9, 1e-8, 1e-7, 1e-6, 1e-5, 1e-4, 5e-4] {
                // Kaufman's energy itself is good to 1e-8 from beta = 1e-5 on; below, e = slope * beta.
                let e = beta < 1e-5 ? atZero * beta : ExactIsing.kaufman(L: L, beta: beta).energy
                let read = try XCTUnwrap(ExactIsing.beta(energy: e, L: L))
                // L = 3 has winding loops of three bonds: its slope is -2 - 4 beta.
                XCTAssertEqual(read.slope, atZero - (L == 3 ? 4 * beta : 0), accuracy: 1e-5 * abs(atZero), "L \(L) beta \(beta)")
                if L % 2 == 0 {
                    XCTAssertEqual(try XCTUnwrap(ExactIsing.beta(energy: -e, L: L)).slope, read.slope, "L \(L) beta \(beta)")
                }
            }
        }
    }
}

extension EnergyThermometerTests {
    /// A positive mean energy on an odd side has no beta: the group reads NaN and the title says
    /// why; when every group is such, the measurement is an error (it printed a bare nan).
    func testPositiveEnergyOnAnOddSide() throws {
        // The 3 x 3 checkerboard: each row and column has one satisfied bond of three, e = +2/3.
        let checkerboard = (0..<9).map { Int8(($0 / 3 + $0 % 3) % 2 == 0 ? 1 : -1) }
        let hot = SampleLabel(beta: 0, model: "ising"), cold = SampleLabel(beta: 5, model: "ising")
        let both = Ensemble(shape: [3, 3], spins: checkerboard + [Int8](repeating: 1, count: 9), labels: [hot, cold])
        let table = try both.energyTemperature(.beta)
        XCTAssertEqual(table.column("value")?.values.map { $0.isNaN ? "nan" : "\($0)" }, ["nan", "inf"])
        XCTAssertTrue(table.title.contains("nan where <e> > 0: on an odd side (3x3)"), table.title)
        let alone = Ensemble(shape: [3, 3], spins: checkerboard, labels: [hot])
        XCTAssertThrowsError(try alone.energyTemperature(.temperature)) { error in
            XCTAssertTrue("\(error)".contains("<e> = 0.66"), "\(error)")
        }
    }
}

extension EnergyThermometerTests {
    /// Continuous samples are refused with the way to spins that fits where they came from (the
    /// hint named a `resampling:` option that no builtin has, for every origin).
    func testContinuousSamplesHintTheirRounding() {
        let expected = ["reconstructed(ising)": "reconstruct(net, d, spins: true)", "blockspin(ising)": "blockspin(d, rounded: true)",
                        "rbm(ising)": "mode: \"sample\"", "loaded": "int8", "ising": "resample: \"sign\""]
        for (model, rounding) in expected {
            let values = Ensemble(shape: [4, 4], values: [Float](repeating: 0.5, count: 16), labels: [SampleLabel(beta: 0.4, model: model)])
            XCTAssertThrowsError(try values.energyTemperature(.beta)) { error in
                let hint = (error as? CoreError)?.hint ?? ""
                XCTAssertTrue(hint.contains(rounding), "\(model): \(hint)")
            }
        }
    }
}

extension EnergyThermometerTests {
    /// A nan field label (an edited .npz) makes an ising ensemble's energies nan: refused, where
    /// it read a bare nan; without a model the energies leave h out and it reads the beta.
    func testUnknownField() throws {
        var unknown = Ensemble(shape: [4, 4], spins: [Int8](repeating: 1, count: 16), labels: [SampleLabel(beta: 0.4, h: .nan, model: "ising")])
        unknown.model = .ising(h: 0)
        XCTAssertThrowsError(try unknown.energyTemperature(.beta)) { error in
            XCTAssertTrue("\(error)".contains("h = nan"), "\(error)")
        }
        unknown.model = nil
        XCTAssertEqual(try unknown.energyTemperature(.beta).column("value")?.values, [.infinity])
    }
}
