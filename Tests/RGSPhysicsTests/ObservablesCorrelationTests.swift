import Foundation
import RGSNumerics
import RGSPhysics
import XCTest

/// Spin and energy-density correlation functions and scaling-dimension fits.
final class ObservablesCorrelationTests: XCTestCase {
    private typealias S = ObservablesTestSupport

    private func g(_ t: Table) -> [Double] { t.column("G")?.values ?? [] }

    func testAllUpLattice() throws {
        let d = S.pattern(L: 6, count: 8) { _, _ in 1 }
        let t = try d.correlation()
        XCTAssertEqual(t.column("r")?.values, [0, 1, 2, 3])
        XCTAssertEqual(g(t), [1, 1, 1, 1])
        XCTAssertEqual(t.column("G")?.errors, [0, 0, 0, 0])
        XCTAssertEqual(g(try d.correlation(connected: true)), [0, 0, 0, 0])
        // eps_i = 4 at every site: 16 without the eq. 7 subtraction, 0 with it.
        XCTAssertEqual(g(try d.correlation(.energy, connected: false)), [16, 16, 16, 16])
        XCTAssertEqual(g(try d.correlation(.energy)), [0, 0, 0, 0])
    }

    func testCheckerboardAndStripes() throws {
        let board = S.pattern(L: 6, count: 3) { r, c in (r + c) % 2 == 0 ? 1 : -1 }
        XCTAssertEqual(g(try board.correlation()), [1, -1, 1, -1])
        // Stripes along rows: +1 along a row, alternating down a column; both axes averaged.
        let stripes = S.pattern(L: 6, count: 3) { r, _ in r % 2 == 0 ? 1 : -1 }
        XCTAssertEqual(g(try stripes.correlation()), [1, 0, 1, 0])
        let chain = Ensemble(shape: [8], spins: (0..<16).map { $0 % 2 == 0 ? 1 : -1 }, labels: S.labels(2))
        XCTAssertEqual(g(try chain.correlation()), [1, -1, 1, -1, 1])
    }

    /// Independent random spins: G(0) = 1 and G(r > 0) = 0 within 4 sigma, spin and energy.
    func testRandomSpinsAreUncorrelated() throws {
        let d = S.randomSpins(shape: [8, 8], count: 400, seed: 5)
        let t = try d.correlation()
        XCTAssertEqual(g(t)[0], 1)
        for r in 1..<t.rowCount { S.assertWithin(t.row(r)[4], 0, "G(\(r))") }
        let e = try d.correlation(.energy)
        XCTAssertEqual(g(e)[0], 4, accuracy: 0.1)  // <eps^2> = 4 for free spins
        for r in 2..<e.rowCount { S.assertWithin(e.row(r)[4], 0, "G_eps(\(r))") }
    }

    /// G(r) with and without subtraction against a direct double loop over sites and axes. The
    /// spins' subtracted means are those of the samples turned to m >= 0 (samples with m = 0,
    /// possible on these 24 sites, add nothing to them); the energy density's are plain.
    func testAgainstDirectComputation() throws {
        var d = S.randomSpins(shape: [4, 6], count: 30, seed: 9)
        d.model = .ising(h: 0)
        for op in LocalOperator.allCases {
            for connected in [false, true] {
                let x = try (0..<d.count).map { op == .spin ? d.sample($0).map(Double.init) : try d.energyDensity($0) }
                func sign(_ s: [Double]) -> Double { let m = s.reduce(0, +); return op == .energy ? 1 : m > 0 ? 1 : m < 0 ? -1 : 0 }
                let turned = x.map { s in s.map { $0 * sign(s) } }
                let means = (0..<24).map { i in connected ? turned.reduce(0) { $0 + $1[i] } / Double(d.count) : 0 }
                let got = g(try d.correlation(op, connected: connected))
                XCTAssertEqual(got.count, 3)
                for r in 0...2 {
                    var sum = 0.0
                    for row in 0..<4 {
                        for c in 0..<6 {
                            let i = row * 6 + c, right = row * 6 + (c + r) % 6, down = ((row + r) % 4) * 6 + c
                            for s in x { sum += s[i] * (s[right] + s[down]) }
                            sum -= Double(d.count) * means[i] * (means[right] + means[down])
                        }
                    }
                    XCTAssertEqual(got[r], sum / Double(d.count * 48), accuracy: 1e-12, "\(op) connected \(connected) r \(r)")
                }
            }
        }
    }

    /// On the 2m x m lattice of one decimation step, G(r) runs along the rotated lattice's axes:
    /// the original diagonals (1, 1) and (1, -1) between kept sites, r in the rotated spacing. The
    /// energy density's site average is -2 e with the rotated lattice's bonds.
    func testRotatedLatticeRunsAlongOriginalDiagonals() throws {
        for side in [4, 6, 8] {
            var original = S.randomSpins(shape: [side, side], count: 12, seed: UInt64(side))
            original.model = .ising(h: 0)
            let d = try decimate(original)
            XCTAssertEqual(d.shape, [side, side / 2])
            func s(_ sample: Int, _ r: Int, _ c: Int) -> Double {
                Double(original.value(sample, ((r + side) % side) * side + (c + side) % side))
            }
            let got = g(try d.correlation())
            XCTAssertEqual(got.count, side / 2 + 1)
            for r in 0...(side / 2) {
                var sum = 0.0
                for sample in 0..<12 {
                    for row in 0..<side {
                        for c in stride(from: row % 2, to: side, by: 2) {
                            sum += s(sample, row, c) * (s(sample, row + r, c + r) + s(sample, row + r, c - r))
                        }
                    }
                }
                XCTAssertEqual(got[r], sum / Double(12 * side * side), accuracy: 1e-12, "L \(side) r \(r)")
            }
            let e = d.energiesPerSpin()
            for sample in 0..<12 {
                XCTAssertEqual(try d.energyDensity(sample).reduce(0, +) / Double(d.siteCount), -2 * e[sample], accuracy: 1e-9)
            }
        }
        XCTAssertEqual(Ensemble.defaultScalingWindow(shape: [16, 8]), 1...4)
        XCTAssertThrowsError(try decimate(S.randomSpins(shape: [16, 16], count: 40, seed: 1)).scalingDimension(images: true))
    }

    /// The site average of eps_i is -2 (e + h m): nearest-neighbour, chain and long-range models.
    func testEnergyDensityMatchesEnergy() throws {
        var rng = RandomStream(seed: 2, stream: 0)
        let models: [([Int], LatticeModel)] = [([5, 5], .ising(h: 0.3)), ([9], .chain(h: -0.2)), ([6, 6], .longRange(alpha: 3))]
        for (shape, model) in models {
            let n = shape.reduce(1, *)
            // Labels carry the field, as sampled ensembles' labels do (energies take it from them).
            let labels = S.labels(3).map { var l = $0; l.h = model.field; return l }
            var d = Ensemble(shape: shape, spins: (0..<(3 * n)).map { _ in Int8(rng.below(2) * 2 - 1) }, labels: labels)
            d.model = model
            let e = d.energiesPerSpin(), m = d.magnetizations()
            for s in 0..<3 {
                let mean = try d.energyDensity(s).reduce(0, +) / Double(n)
                XCTAssertEqual(mean, -2 * (e[s] + model.field * m[s]), accuracy: 1e-9, "\(model)")
            }
            XCTAssertThrowsError(try d.energyDensity(3))
        }
    }

    /// Block sums are combined in block order: the same tables for one and two threads.
    func testIndependentOfThreadCount() throws {
        let d = S.randomSpins(shape: [8, 8], count: 200, seed: 6)
        let saved = Settings.threads
        defer { Settings.threads = saved }
        Settings.threads = 1
        let one = try (d.correlation(.energy), d.localEntropies())
        Settings.threads = 2
        let two = try (d.correlation(.energy), d.localEntropies())
        XCTAssertEqual(one.0, two.0)
        XCTAssertEqual(one.1, two.1)
    }

    func testPowerLawFitIsExact() throws {
        let r = (1...8).map(Double.init)
        let fit = try XCTUnwrap(ScalingFit.powerLaw(r: r, g: r.map { 0.7 / pow($0, 2 * 0.125) }))
        XCTAssertEqual(fit.delta, 0.125, accuracy: 1e-12)
        XCTAssertEqual(fit.amplitude, 0.7, accuracy: 1e-12)
        XCTAssertNil(ScalingFit.powerLaw(r: [1, 2], g: [0.5, -0.1]))
        // With the nearest periodic image of a ring of 32 sites.
        let images = r.map { 0.7 * (pow($0, -2 * 0.125) + pow(32 - $0, -2 * 0.125)) }
        let periodic = try XCTUnwrap(ScalingFit.powerLaw(r: r, g: images, period: 32))
        XCTAssertEqual(periodic.delta, 0.125, accuracy: 1e-9)
        XCTAssertEqual(periodic.amplitude, 0.7, accuracy: 1e-9)
        XCTAssertLessThan(try XCTUnwrap(ScalingFit.powerLaw(r: r, g: images)).delta, 0.1)
    }

    /// A continuous chain built so that its periodic autocorrelation is exactly B / min(r, N - r)^(2 Delta)
    /// (cosine series with the power spectrum of that sequence); shifted copies as samples.
    func testScalingDimensionOfADesignedChain() throws {
        let n = 64, delta = 0.3, b = 0.8
        let target = (0..<n).map { r in r == 0 ? 3 * b : b / pow(Double(min(r, n - r)), 2 * delta) }
        let spectrum = (0..<n).map { k in (0..<n).reduce(0.0) { $0 + target[$1] * cos(2 * Double.pi * Double(k * $1) / Double(n)) } }
        XCTAssert(spectrum.allSatisfy { $0 > 0 }, "the target must be a valid autocorrelation")
        let x = (0..<n).map { i in
            (0..<n).reduce(0.0) { $0 + (Double(n) * spectrum[$1]).squareRoot() * cos(2 * Double.pi * Double($1 * i) / Double(n)) } / Double(n)
        }
        let values = (0..<10).flatMap { shift in (0..<n).map { Float(x[(shift * 7 + $0) % n]) } }
        let d = Ensemble(shape: [n], values: values, labels: S.labels(10))
        XCTAssertEqual(Ensemble.defaultScalingWindow(shape: [n]), 1...16)
        let fit = try d.scalingDimension()
        XCTAssertEqual(fit.delta.value, delta, accuracy: 1e-5)
        XCTAssertEqual(fit.amplitude.value, b, accuracy: 1e-5)
        XCTAssertEqual(fit.points, 16)
        let t = try d.scalingDimensions(window: 2...10)
        XCTAssertEqual(t.column("Delta")?.values[0] ?? 0, delta, accuracy: 1e-5)
        XCTAssertEqual(t.column("rmax")?.values, [10])
    }

    func testScalingArgumentChecks() {
        let d = S.randomSpins(shape: [8, 8], count: 20, seed: 1)
        XCTAssertThrowsError(try d.scalingDimension(window: 0...3))
        XCTAssertThrowsError(try d.scalingDimension(window: 2...5))
        XCTAssertThrowsError(try S.randomSpins(shape: [3, 3], count: 5, seed: 1).scalingDimension())
        XCTAssertEqual(Ensemble.defaultScalingWindow(shape: [10, 10]), 1...3)
        XCTAssertEqual(Ensemble.defaultScalingWindow(shape: [32, 32]), 1...8)
    }
}
