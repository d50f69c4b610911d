import Foundation
import RGSNumerics
@testable import RGSPhysics
import XCTest

/// The long-range model's Fourier-space couplings and its Wolff (Luijten-Bloete) sampler.
final class LongRangeTests: XCTestCase {
    /// The bond sum and every local field by the 2D DFT (FFT or matrices) equal the explicit pair
    /// sums, on odd and even sides, for spins and for continuous values.
    func testTheFourierTransformMatchesThePairSums() {
        var rng = RandomStream(seed: 4, stream: 0)
        // Powers of two go through the FFT, the other sides through the DFT matrices.
        for (side, alpha) in [2, 3, 4, 5, 7, 8, 12, 16].flatMap({ side in [1.5, 3.0].map { (side, $0) } }) {
            let couplings = LongRangeCouplings(side: side, alpha: alpha), n = side * side
            let transform = LongRangeTransform(couplings)
            XCTAssertEqual(LongRangeCouplings.sum(side: side, alpha: alpha), couplings.table.reduce(0, +), accuracy: 1e-12)
            for continuous in [false, true] {
                let s = (0..<n).map { _ in continuous ? 2 * rng.uniform() - 1 : (rng.next() >> 63 == 0 ? 1.0 : -1.0) }
                var direct = 0.0, fields = [Double](repeating: 0, count: n)
                for i in 0..<n {
                    for j in 0..<n {
                        let dy = (j / side - i / side + side) % side, dx = (j % side - i % side + side) % side
                        fields[i] += couplings.table[dy * side + dx] * s[j]
                    }
                    direct += s[i] * fields[i] / 2
                }
                if !continuous {
                    let pairs = -ExactIsing.longRangeEnergy(s.map { Int8($0) }, L: side, alpha: alpha) * Double(n)
                    XCTAssertEqual(direct, pairs, accuracy: 1e-12 * Double(n), "L \(side)")
                }
                var scratch = [Double](repeating: .nan, count: transform.scratchCount)
                var out = [Double](repeating: .nan, count: n)
                XCTAssertEqual(transform.bondSum(s, scratch: &scratch), direct, accuracy: 1e-10 * Double(n), "L \(side) alpha \(alpha)")
                transform.localFields(s, into: &out, scratch: &scratch)
                for i in 0..<n { XCTAssertEqual(out[i], fields[i], accuracy: 1e-10, "L \(side) site \(i)") }
            }
        }
    }

    /// Near the long-range critical point (alpha = 3, T = 7.7) the Wolff and Metropolis chains
    /// give the same e, <|m|> and <m^2> at L = 16 within 4 sigma of their difference.
    func testWolffAgreesWithMetropolisNearTc() throws {
        var results: [[RGSNumerics.Measurement]] = []
        for algorithm in [SamplerAlgorithm.wolff, .metropolis] {
            let plan = SamplingPlan(model: .longRange(alpha: 3), shape: [16, 16], betas: [1 / 7.7], samplesPerBeta: 3000,
                                    seed: 21, algorithm: algorithm)
            let d = try MonteCarloCheck.sample(plan)
            results.append([MonteCarloCheck.energy(d), MonteCarloCheck.magnetization(d) { abs($0) },
                            MonteCarloCheck.magnetization(d) { $0 * $0 }])
        }
        for (k, name) in ["e", "|m|", "m^2"].enumerated() {
            let a = results[0][k], b = results[1][k]
            let d = RGSNumerics.Measurement(a.value - b.value, error: (a.error * a.error + b.error * b.error).squareRoot())
            MonteCarloCheck.assertAgrees(d, 0, "Wolff - Metropolis \(name): \(a) against \(b)")
        }
    }

    /// At T = 0 every bond is certain and each cluster is every spin aligned with its seed; with
    /// only the nearest-neighbour bonds certain (alpha = 6, beta = 20) the cluster grows through
    /// them and the bisection for the rest; at alpha = 2000 the couplings beyond the nearest
    /// neighbours underflow to 0 and never bond. All keep the ground state: |m| = 1, e = -sum_d J(d) / 2.
    func testCertainBondsKeepTheGroundState() throws {
        for (alpha, beta) in [(3.0, Double.infinity), (6.0, 20.0), (2000.0, .infinity)] {
            let plan = SamplingPlan(model: .longRange(alpha: alpha), shape: [4, 4], betas: [beta], samplesPerBeta: 50,
                                    seed: 2, algorithm: .wolff)
            let d = try MonteCarloCheck.sample(plan)
            let ground = -LongRangeCouplings(side: 4, alpha: alpha).table.reduce(0, +) / 2
            XCTAssertEqual(d.magnetizations().map(abs), Array(repeating: 1, count: 50), "alpha \(alpha)")
            for e in d.energiesPerSpin() { XCTAssertEqual(e, ground, accuracy: 1e-12, "alpha \(alpha)") }
        }
    }

    /// The memory refusal counts every array a Wolff chain and its shared tables hold (it missed
    /// the guide table, 4 of 17 bytes per site and chain).
    func testTheMemoryEstimateCoversTheWolffArrays() {
        let side = 16, n = side * side
        let couplings = LongRangeCouplings(side: side, alpha: 3)
        let geometry = LongRangeClusterGeometry(couplings), transform = LongRangeTransform(couplings)
        let chain = LongRangeWolffChain(geometry: geometry, transform: transform, beta: 0.13)
        func bytes(_ value: Any) -> Double {
            Mirror(reflecting: value).children.reduce(0) { sum, child in
                switch child.value {
                case let a as [Int8]: sum + Double(a.count)
                case let a as [Int32]: sum + 4 * Double(a.count)
                case let a as [Double]: sum + 8 * Double(a.count)
                default: sum
                }
            }
        }
        func estimate(_ betas: [Double]) -> Double {
            MonteCarlo.memoryEstimate(SamplingPlan(model: .longRange(alpha: 3), shape: [side, side], betas: betas, samplesPerBeta: 1,
                                                   seed: 1, algorithm: .wolff), .wolff)
        }
        let output = 2 * Double((n + 63) / 64 * 8 + MemoryLayout<SampleLabel>.stride)
        let perChain = (estimate([0.13, 0.2]) - estimate([0.13]) - output) / Double(ChainDefaults.chainsPerBeta)
        XCTAssertGreaterThanOrEqual(perChain, bytes(chain))
        let shared = estimate([0.13]) - output - perChain * Double(ChainDefaults.chainsPerBeta) - Double(Settings.threads) * Double(n) * 40
        XCTAssertGreaterThanOrEqual(shared, bytes(geometry) + bytes(transform) + bytes(couplings))
    }
}
