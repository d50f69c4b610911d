import Foundation
import RGSNumerics
import RGSPhysics
import XCTest

/// m, |m|, e, C, chi and U against hand-made lattices, exact enumeration and known distributions.
final class ObservablesThermodynamicsTests: XCTestCase {
    private typealias S = ObservablesTestSupport

    func testAllUpLattice() throws {
        let d = S.pattern(L: 4, count: 40) { _, _ in 1 }
        XCTAssertEqual(try d.measure(.magnetization), Measurement(1, error: 0))
        XCTAssertEqual(try d.measure(.absoluteMagnetization), Measurement(1, error: 0))
        XCTAssertEqual(try d.measure(.energy), Measurement(-2, error: 0))
        XCTAssertEqual(try d.measure(.specificHeat), Measurement(0, error: 0))
        XCTAssertEqual(try d.measure(.susceptibility), Measurement(0, error: 0))
        XCTAssertEqual(try d.measure(.binder).value, 2.0 / 3, accuracy: 1e-15)
    }

    func testCheckerboardAntiferromagnet() throws {
        let d = S.pattern(L: 6, count: 10) { r, c in (r + c) % 2 == 0 ? 1 : -1 }
        XCTAssertEqual(try d.measure(.magnetization), Measurement(0, error: 0))
        XCTAssertEqual(try d.measure(.absoluteMagnetization), Measurement(0, error: 0))
        XCTAssertEqual(try d.measure(.energy), Measurement(2, error: 0))
        XCTAssertEqual(try d.measure(.specificHeat), Measurement(0, error: 0))
    }

    /// At T = 0 (infinite beta) a frozen lattice has no fluctuations: C = chi = 0, not NaN.
    func testInfiniteBetaWithoutFluctuations() throws {
        let d = S.pattern(L: 4, count: 5, beta: .infinity) { _, _ in -1 }
        XCTAssertEqual(try d.measure(.specificHeat).value, 0)
        XCTAssertEqual(try d.measure(.susceptibility).value, 0)
        XCTAssertEqual(try d.thermodynamics(.energy).column("T")?.values, [0])
    }

    /// Uniform weights over all 2^16 states of L = 4 (the complete state list as the ensemble)
    /// give exact averages: the formulas against direct sums, and U = 2 / (3N) for free spins.
    func testFormulasOnTheCompleteStateList() throws {
        let L = 4, n = 16, beta = 0.3
        let states = S.enumerate(L: L)
        let spins = (0..<(1 << n)).flatMap { c in (0..<n).map { Int8(((c >> $0) & 1) * 2 - 1) } }
        var d = Ensemble(shape: [L, L], spins: spins, labels: S.labels(1 << n, beta: beta))
        d.model = .ising(h: 0)
        let mean = { (f: ((e: Double, m: Double)) -> Double) in states.reduce(0) { $0 + f($1) } / Double(states.count) }
        let e = mean { $0.e }, e2 = mean { $0.e * $0.e }
        let m2 = mean { $0.m * $0.m }, m4 = mean { pow($0.m, 4) }, am = mean { Swift.abs($0.m) }
        XCTAssertEqual(try d.measure(.energy).value, e, accuracy: 1e-12)
        XCTAssertEqual(try d.measure(.specificHeat).value, beta * beta * Double(n) * (e2 - e * e), accuracy: 1e-10)
        XCTAssertEqual(try d.measure(.susceptibility).value, beta * Double(n) * (m2 - am * am), accuracy: 1e-10)
        XCTAssertEqual(try d.measure(.binder).value, 1 - m4 / (3 * m2 * m2), accuracy: 1e-12)
        XCTAssertEqual(try d.measure(.binder).value, 2.0 / (3 * Double(n)), accuracy: 1e-12)
    }

    /// Samples drawn from the exact Boltzmann distribution of L = 4 reproduce the exact
    /// thermodynamics within 4 sigma, on both sides of the transition.
    func testExactBoltzmannSamplesOfL4() throws {
        let states = S.enumerate(L: 4)
        for (k, beta) in [0.25, 0.44, 0.6].enumerated() {
            let d = S.exactSamples(L: 4, beta: beta, count: 20000, seed: UInt64(10 + k))
            let avg = { (f: (Double, Double) -> Double) in S.exactAverage(states, N: 16, beta: beta, f) }
            let e = avg { e, _ in e }, e2 = avg { e, _ in e * e }
            let m2 = avg { _, m in m * m }, m4 = avg { _, m in pow(m, 4) }, am = avg { _, m in Swift.abs(m) }
            S.assertWithin(try d.measure(.energy), e, "e at beta \(beta)")
            S.assertWithin(try d.measure(.absoluteMagnetization), am, "|m| at beta \(beta)")
            S.assertWithin(try d.measure(.magnetization), 0, "m at beta \(beta)")
            S.assertWithin(try d.measure(.specificHeat), beta * beta * 16 * (e2 - e * e), "C at beta \(beta)")
            S.assertWithin(try d.measure(.susceptibility), beta * 16 * (m2 - am * am), "chi at beta \(beta)")
            S.assertWithin(try d.measure(.binder), 1 - m4 / (3 * m2 * m2), "U at beta \(beta)")
        }
    }

    /// A continuous ensemble whose every site holds m: U of Gaussian m vanishes, U of +-m0 is 2/3.
    func testBinderOfKnownDistributions() throws {
        var rng = RandomStream(seed: 7, stream: 0)
        let gaussian = (0..<40000).flatMap { _ in Array(repeating: Float(rng.normal()), count: 4) }
        let g = Ensemble(shape: [2, 2], values: gaussian, labels: S.labels(40000))
        S.assertWithin(try g.measure(.binder), 0, "U of Gaussian m")
        let twoPeaks = (0..<1000).flatMap { _ in Array(repeating: Float(rng.below(2) == 0 ? 0.3 : -0.3), count: 4) }
        let p = Ensemble(shape: [2, 2], values: twoPeaks, labels: S.labels(1000))
        XCTAssertEqual(try p.measure(.binder).value, 2.0 / 3, accuracy: 1e-6)
    }

    /// For independent samples the binning error of <m> matches the naive standard error and the
    /// jackknife error of C matches the Gaussian sqrt(2/n) relative error of a variance.
    func testErrorBarsOfIndependentData() throws {
        var rng = RandomStream(seed: 3, stream: 0)
        let count = 20000
        let values = (0..<count).map { _ in Float(rng.normal()) }
        // A two-site ring holding x twice: m = x and e = -(x x + x x) / 2 = -x^2.
        var d = Ensemble(shape: [2], values: values.flatMap { [$0, $0] }, labels: S.labels(count, beta: 0.5))
        d.model = .chain(h: 0)
        let m = try d.measure(.magnetization)
        let naive = Statistics.meanWithError(values.map(Double.init)).error
        XCTAssertEqual(m.error / naive, 1, accuracy: 0.5, "binning \(m.error) vs naive \(naive)")
        // Var(x^2) = 2 for unit Gaussians.
        let c = try d.measure(.specificHeat)
        S.assertWithin(c, 0.25 * 2 * 2, "C of the ring (N = 2)")
        // sd of the sample variance of y = x^2: sqrt((mu4(y) - Var(y)^2) / n), mu4(y) = E(x^2 - 1)^4 = 60
        let expected = 0.25 * 2 * (Double(60 - 4) / Double(count)).squareRoot()
        XCTAssertEqual(c.error / expected, 1, accuracy: 0.5, "jackknife \(c.error) vs \(expected)")
    }

    /// Several (beta, h) labels give one row each, in order of first appearance.
    func testGroupsByLabel() throws {
        let up = S.pattern(L: 4, count: 6, beta: 0.5) { _, _ in 1 }
        let board = S.pattern(L: 4, count: 6, beta: 0.2) { r, c in (r + c) % 2 == 0 ? 1 : -1 }
        let mixed = try board.concatenated(with: up).selecting([0, 6, 1, 7, 2, 8, 3, 9, 4, 10, 5, 11])
        let t = try mixed.thermodynamics(.energy)
        XCTAssertEqual(t.column("beta")?.values, [0.2, 0.5])
        XCTAssertEqual(t.column("T")?.values, [5, 2])
        XCTAssertEqual(t.column("value")?.values, [2, -2])
        XCTAssertThrowsError(try mixed.measure(.energy))
    }

    /// A scan in h joined from two ensembles keeps each sample's field in the energy (all up on
    /// 4 x 4: e = -2 - h); a nearest-neighbour and a long-range ensemble are not joined, nor
    /// samples of no model with a field or long-range samples.
    func testJoinedFieldScanUsesEachSamplesField() throws {
        func allUp(h: Double) -> Ensemble {
            var e = S.pattern(L: 4, count: 3) { _, _ in 1 }
            e = e.relabeled(e.labels.map { var l = $0; l.h = h; return l })
            e.model = .ising(h: h)
            e.notes = ["h \(h)"]
            return e
        }
        let joined = try allUp(h: 0.1).concatenated(with: allUp(h: 0.3))
        XCTAssertEqual(joined.energiesPerSpin(), [-2.1, -2.1, -2.1, -2.3, -2.3, -2.3])
        XCTAssertEqual(joined.notes, ["h 0.1", "h 0.3"])
        var longRange = allUp(h: 0)
        longRange.model = .longRange(alpha: 3)
        XCTAssertThrowsError(try allUp(h: 0).concatenated(with: longRange)) {
            XCTAssertEqual("\($0)", "cannot join ensembles of ising and longrange (alpha 3): their energies need different Hamiltonians")
        }
        // Samples of no model (coarse-grained, .npy) join only samples with nearest-neighbour energies.
        var unknown = allUp(h: 0)
        unknown.model = nil
        XCTAssertEqual(try allUp(h: 0).concatenated(with: unknown).energiesPerSpin(), [Double](repeating: -2, count: 6))
        XCTAssertThrowsError(try allUp(h: 0.1).concatenated(with: unknown)) {
            XCTAssertTrue("\($0)".hasSuffix("the joined energies would lose the field"), "\($0)")
        }
        XCTAssertThrowsError(try unknown.concatenated(with: longRange)) {
            XCTAssertTrue("\($0)".hasSuffix("the joined energies would lose the long-range couplings"), "\($0)")
        }
    }

    func testArgumentChecks() {
        let empty = Ensemble(shape: [4, 4], spins: [], labels: [])
        XCTAssertThrowsError(try empty.measure(.energy))
        let d = S.pattern(L: 4, count: 3) { _, _ in 1 }
        XCTAssertThrowsError(try d.measure(.energy, bins: 1))
    }
}
