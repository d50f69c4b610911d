import Foundation
import RGSNumerics
@testable import RGSPhysics
import XCTest

/// The exact results the samplers are tested against, checked against each other and brute force.
final class ExactIsingTests: XCTestCase {
    static let enumeration4 = ExactIsing.Enumeration(L: 4)

    func testKaufmanMatchesEnumerationAtL4() {
        let exact = Self.enumeration4
        for beta in [0.1, 0.3, 0.4407, 0.5, 0.8] {
            let lnZ = ExactIsing.kaufmanLogZ(L: 4, .variable(beta))
            XCTAssertEqual(lnZ.value, exact.logZ(beta: beta), accuracy: 1e-10, "ln Z at beta \(beta)")
            let e = exact.average(beta: beta) { b, _ in -b / 16 }
            let e2 = exact.average(beta: beta) { b, _ in b * b / 256 }
            let (energy, heat) = ExactIsing.kaufman(L: 4, beta: beta)
            XCTAssertEqual(energy, e, accuracy: 1e-10, "e at beta \(beta)")
            XCTAssertEqual(heat, beta * beta * 16 * (e2 - e * e), accuracy: 1e-9, "c at beta \(beta)")
        }
    }

    func testKaufmanApproachesOnsagerAwayFromCriticality() {
        // Finite-size corrections are exponentially small in L / xi far from beta_c.
        for beta in [0.3, 0.6] {
            XCTAssertEqual(ExactIsing.kaufman(L: 64, beta: beta).energy, ExactIsing.onsagerEnergy(beta: beta),
                           accuracy: 1e-8, "beta \(beta)")
        }
    }

    func testTransferMatrixMatchesBruteForceChain() {
        let n = 10, beta = 0.7, h = 0.3
        var z = 0.0, m = 0.0, m2 = 0.0, e = 0.0
        for config in 0..<(1 << n) {
            let s = (0..<n).map { (config >> $0) & 1 == 1 ? 1.0 : -1.0 }
            let sum = s.reduce(0, +)
            let energy = -(0..<n).reduce(0.0) { $0 + s[$1] * s[($1 + 1) % n] } - h * sum
            let w = exp(-beta * energy)
            z += w
            m += w * sum / Double(n)
            m2 += w * sum * sum / Double(n * n)
            e += w * energy / Double(n)
        }
        let exact = ExactIsing.chain(N: n, beta: beta, h: h)
        XCTAssertEqual(exact.magnetization, m / z, accuracy: 1e-12)
        XCTAssertEqual(exact.energy, e / z, accuracy: 1e-12)
        XCTAssertEqual(exact.susceptibility, beta * Double(n) * (m2 / z - m * m / (z * z)), accuracy: 1e-10)
    }

    func testLongRangeEnergyMatchesExplicitPairSum() {
        var rng = RandomStream(seed: 3)
        for (L, alpha) in [(4, 3.0), (5, 3.0), (6, 2.2)] {
            let configs = (0..<4).map { _ in (0..<(L * L)).map { _ -> Int8 in rng.next() & 1 == 1 ? 1 : -1 } }
            var ensemble = Ensemble(shape: [L, L], spins: configs.flatMap { $0 },
                                    labels: configs.map { _ in SampleLabel(beta: 1, model: "longrange") })
            ensemble.model = .longRange(alpha: alpha)
            let energies = ensemble.energiesPerSpin()
            for (k, s) in configs.enumerated() {
                XCTAssertEqual(energies[k], ExactIsing.longRangeEnergy(s, L: L, alpha: alpha), accuracy: 1e-12)
            }
        }
    }
}
