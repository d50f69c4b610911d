import Foundation
import RGSNumerics
@testable import RGSPhysics
import XCTest

/// The multi-spin sampler's acceptance masks: each replica with K = 1 anti-aligned neighbours
/// flips with probability exp(-4 beta), with K = 0 with exp(-8 beta), exactly (RECIPES §11: a
/// threshold rounded to 12 bits biased the energy by 10 standard errors, 0.4% of exp(-8 beta)).
final class MultiSpinAcceptanceTests: XCTestCase {
    private func popcount(_ x: SpinLanes) -> Int {
        (0..<8).reduce(0) { $0 + x[$1].nonzeroBitCount }
    }

    /// Acceptance rates over `draws` x 512 replicas, half K = 1 and half K = 0 (a random split
    /// per draw), against p1 and p2 within 4 binomial standard errors (fixed seed).
    private func checkRates(beta: Double, draws: Int) {
        let lattice = MultiSpinLattice(rows: 2, columns: 2, beta: beta)
        var source = RandomStream(seed: 9, stream: 1)
        var rng = VectorRandom(&source)
        var split = VectorRandom(&source)
        var trials = (one: 0, none: 0), accepted = (one: 0, none: 0)
        lattice.thresholdBits.withUnsafeBufferPointer { bits in
            for _ in 0..<draws {
                let one = split.next(), none = ~one
                let flip = MultiSpinLattice.accepted(one: one, none: none, bits.baseAddress!, &rng)
                trials.one += popcount(one)
                trials.none += popcount(none)
                accepted.one += popcount(flip & one)
                accepted.none += popcount(flip & none)
            }
        }
        for (name, p, n, k) in [("K = 1", exp(-4 * beta), trials.one, accepted.one), ("K = 0", exp(-8 * beta), trials.none, accepted.none)] {
            let rate = Double(k) / Double(n), sigma = (p * (1 - p) / Double(n)).squareRoot()
            XCTAssertEqual(rate, p, accuracy: 4 * sigma, "beta \(beta), \(name): \(k) of \(n)")
        }
    }

    func testAcceptanceRatesAreExact() {
        // 10^8 replica trials per beta: sigma(p2) / p2 = 0.03% at beta_c.
        for beta in [0.1, 0.3, 0.4407, 0.6] { checkRates(beta: beta, draws: 200_000) }
        // exp(-8 beta) = 1.1e-7 needs bits far below the twelve taken before testing for a decision.
        checkRates(beta: 2, draws: 200_000)
    }

    /// Replicas with two or more anti-aligned neighbours (neither mask) are never returned: the
    /// sampler flips them outright.
    func testOnlyCandidatesAreReturned() {
        let lattice = MultiSpinLattice(rows: 2, columns: 2, beta: 0.3)
        var source = RandomStream(seed: 4)
        var rng = VectorRandom(&source), masks = VectorRandom(&source)
        lattice.thresholdBits.withUnsafeBufferPointer { bits in
            for _ in 0..<1000 {
                let a = masks.next(), b = masks.next()
                let one = a & b, none = a & ~b
                let flip = MultiSpinLattice.accepted(one: one, none: none, bits.baseAddress!, &rng)
                XCTAssertEqual(flip & ~(one | none), SpinLanes())
            }
        }
    }
}
