import Foundation
import RGSNumerics
import RGSPhysics
import XCTest

/// Every sampler against exact results, fixed seeds, 4 sigma with binned / jackknife errors.
/// Statistical tests: they run in release builds (`swift test -c release`, ~10 s) and are
/// skipped in debug builds, where the SIMD kernels are two orders of magnitude slower.
final class MonteCarloExactTests: XCTestCase {
    override func setUpWithError() throws {
        #if DEBUG
        throw XCTSkip("statistical sampler tests run in release builds: swift test -c release")
        #endif
    }

    static let betas = [0.3, 0.4407, 0.6]
    static let samplers: [SamplerAlgorithm] = [.metropolis, .checkerboard, .heatbath, .wolff, .multispin]

    /// e and c at L = 4 and L = 8 against Kaufman, <m^2> at L = 4 against enumeration.
    func testEnergyAndSpecificHeatMatchKaufman() throws {
        let enumeration = ExactIsingTests.enumeration4
        for algorithm in Self.samplers {
            for L in [4, 8] {
                let plan = SamplingPlan(model: .ising(h: 0), shape: [L, L], betas: Self.betas, samplesPerBeta: 4000,
                                        seed: 11, algorithm: algorithm)
                let ensemble = try MonteCarloCheck.sample(plan)
                XCTAssertEqual(ensemble.count, 3 * 4000)
                for beta in Self.betas {
                    let d = MonteCarloCheck.slice(ensemble, beta: beta)
                    let exact = ExactIsing.kaufman(L: L, beta: beta)
                    let tag = "\(algorithm) L=\(L) beta=\(beta)"
                    MonteCarloCheck.assertAgrees(MonteCarloCheck.energy(d), exact.energy, "e \(tag)")
                    MonteCarloCheck.assertAgrees(MonteCarloCheck.specificHeat(d, beta: beta), exact.specificHeat, "c \(tag)")
                    if L == 4 {
                        let m2 = enumeration.average(beta: beta) { _, m in m * m / 256 }
                        MonteCarloCheck.assertAgrees(MonteCarloCheck.magnetization(d) { $0 * $0 }, m2, "<m^2> \(tag)")
                    }
                }
            }
        }
    }

    /// The chain with and without field against its transfer matrix: every sampler that takes
    /// the case (checkerboard Metropolis is refused without field, where it is not ergodic), and
    /// `auto`. Without field, Metropolis in site order gave e = -0.78 against -0.46 at beta 0.5.
    func testChainMatchesTransferMatrix() throws {
        let cases: [(SamplerAlgorithm, [Double])] = [(.metropolis, [0, 0.5, -0.3]), (.checkerboard, [0.5, -0.3]),
                                                     (.heatbath, [0, 0.5]), (.wolff, [0]), (.auto, [0, 0.05])]
        for (algorithm, fields) in cases {
            for h in fields {
                let plan = SamplingPlan(model: .chain(h: h), shape: [20], betas: [0.5, 1.0], samplesPerBeta: 4000,
                                        seed: 5, algorithm: algorithm)
                let ensemble = try MonteCarloCheck.sample(plan)
                for beta in plan.betas {
                    let d = MonteCarloCheck.slice(ensemble, beta: beta)
                    let exact = ExactIsing.chain(N: 20, beta: beta, h: h)
                    let tag = "\(algorithm) h=\(h) beta=\(beta)"
                    MonteCarloCheck.assertAgrees(MonteCarloCheck.magnetization(d), exact.magnetization, "m \(tag)")
                    MonteCarloCheck.assertAgrees(MonteCarloCheck.energy(d), exact.energy, "e \(tag)")
                    if h != 0 {
                        // In a field chi is d<m>/dh (the |m| convention holds only at h = 0).
                        MonteCarloCheck.assertAgrees(try d.measure(.susceptibility), exact.susceptibility, "chi \(tag)")
                    }
                }
            }
        }
    }

    /// 2 x 2 and 3 x 3 against enumeration (on 2 x 2 every neighbour pair is met twice, as the sum
    /// s_i (s_right + s_down) counts it). Metropolis in row order was not ergodic on either (3 x 3:
    /// five closed classes, e ~0.85% off); it now visits random sites.
    func testTinyLatticesMatchEnumeration() throws {
        for L in [2, 3] {
            let n = L * L
            for algorithm in [SamplerAlgorithm.metropolis, .heatbath, .wolff, .auto] {
                let plan = SamplingPlan(model: .ising(h: 0), shape: [L, L], betas: [0.2, 0.44], samplesPerBeta: 200_000,
                                        seed: 6, algorithm: algorithm)
                let ensemble = try MonteCarloCheck.sample(plan)
                for beta in plan.betas {
                    var z = 0.0, e = 0.0, m = 0.0
                    for config in 0..<(1 << n) {
                        let s = (0..<n).map { (config >> $0) & 1 == 1 ? 1.0 : -1.0 }
                        let bonds = (0..<n).reduce(0.0) { sum, i in
                            let r = i / L, c = i % L
                            return sum + s[i] * (s[r * L + (c + 1) % L] + s[((r + 1) % L) * L + c])
                        }
                        let w = exp(beta * bonds)
                        z += w
                        e += w * -bonds / Double(n)
                        m += w * abs(s.reduce(0, +)) / Double(n)
                    }
                    let d = MonteCarloCheck.slice(ensemble, beta: beta), tag = "\(algorithm) L=\(L) beta=\(beta)"
                    MonteCarloCheck.assertAgrees(MonteCarloCheck.energy(d), e / z, "e \(tag)")
                    MonteCarloCheck.assertAgrees(MonteCarloCheck.magnetization(d, abs), m / z, "|m| \(tag)")
                }
            }
        }
    }

    /// Below T_c in a field, against enumeration: the anti-aligned ordered state has a small
    /// weight that dominates chi. Local updates alone never reached it (4 x 4, beta 0.8, h 0.1:
    /// <m> 0.9967 against 0.8524, chi 0.006 against 3.42); the cluster flips between sweeps do.
    /// 100,000 samples: excitations are rare at beta 0.8 on 3 x 3, and at 20,000 one seed of six
    /// put e 4.1 sigma off (heavy tails, not a bias). A nearly vanishing field below T_c flips the
    /// whole lattice at almost every attempt; attempted every sweep, that flipped m with period 2.
    func testFieldBelowTcMatchesEnumeration() throws {
        for seed: UInt64 in [1, 18] {
            let plan = SamplingPlan(model: .ising(h: 1e-7), shape: [8, 8], betas: [1.2], samplesPerBeta: 20_000,
                                    seed: seed, algorithm: .checkerboard, spacing: 2)
            let m = MonteCarloCheck.magnetization(try MonteCarloCheck.sample(plan))
            MonteCarloCheck.assertAgrees(m, 0, "m at h = 1e-7, seed \(seed)")
            // Independent signs give an error of about 1 / sqrt(20,000) = 0.007; with the period-2
            // flips every chain kept one sign, and the binned error was ~0.3.
            XCTAssertLessThan(m.error, 0.03, "m at h = 1e-7, seed \(seed): \(m)")
        }
        for (L, beta, h) in [(4, 0.8, 0.1), (3, 0.8, 0.1), (2, 1.0, -0.5)] {
            let states = ObservablesTestSupport.enumerate(L: L), n = Double(L * L)
            let weights = states.map { exp(-beta * n * ($0.e - h * $0.m)) }, z = weights.reduce(0, +)
            func exact(_ f: (Double, Double) -> Double) -> Double { zip(states, weights).reduce(0) { $0 + $1.1 * f($1.0.e, $1.0.m) } / z }
            let m = exact { $1 }, e = exact { $0 - h * $1 }, chi = beta * n * (exact { $1 * $1 } - m * m)
            let samplers: [SamplerAlgorithm] = L % 2 == 0 && L > 2 ? [.metropolis, .checkerboard, .heatbath] : [.metropolis, .heatbath]
            for algorithm in samplers {
                let plan = SamplingPlan(model: .ising(h: h), shape: [L, L], betas: [beta], samplesPerBeta: 100_000,
                                        seed: 1, algorithm: algorithm)
                let d = try MonteCarloCheck.sample(plan), tag = "\(algorithm) L=\(L) beta=\(beta) h=\(h)"
                MonteCarloCheck.assertAgrees(MonteCarloCheck.magnetization(d), m, "m \(tag)")
                MonteCarloCheck.assertAgrees(MonteCarloCheck.energy(d), e, "e \(tag)")
                MonteCarloCheck.assertAgrees(try d.measure(.susceptibility), chi, "chi \(tag)")
            }
        }
    }

    /// A short chain in a field at low T against its transfer matrix: the reversed state
    /// (weight ~exp(-2 beta |h| N)) is out of reach of single flips, which cost 2 beta (2 + |h|).
    /// Without the cluster flips after each sweep, N = 6 at beta 3, h 0.1 gave e = -1.1, m = 1,
    /// chi = 0 with errors of 0 (exact -1.0947, 0.9468, 1.864); at beta 1.5, h 0.5 chi came out
    /// 0.0119 against 0.0129 over 20 seeds.
    func testChainInFieldAtLowTemperatureMatchesTransferMatrix() throws {
        for (beta, h) in [(3.0, 0.1), (3.0, -0.1), (1.5, 0.5)] {
            let exact = ExactIsing.chain(N: 6, beta: beta, h: h)
            for algorithm in [SamplerAlgorithm.metropolis, .checkerboard, .heatbath] {
                let plan = SamplingPlan(model: .chain(h: h), shape: [6], betas: [beta], samplesPerBeta: 40_000,
                                        seed: 1, algorithm: algorithm)
                let d = try MonteCarloCheck.sample(plan), tag = "\(algorithm) beta=\(beta) h=\(h)"
                MonteCarloCheck.assertAgrees(MonteCarloCheck.magnetization(d), exact.magnetization, "m \(tag)")
                MonteCarloCheck.assertAgrees(MonteCarloCheck.energy(d), exact.energy, "e \(tag)")
                MonteCarloCheck.assertAgrees(try d.measure(.susceptibility), exact.susceptibility, "chi \(tag)")
            }
        }
    }

    /// The connected spin G(r) below T_c without field, against enumeration: G(r) - <|m|>^2. With
    /// the plain site means subtracted it depended on how often the chains crossed between the
    /// ordered states (multi-spin: G(2) 0.919, about the plain 0.949, against 0.0025; Wolff: the plain G).
    func testConnectedCorrelationBelowTcMatchesEnumeration() throws {
        let L = 4, n = L * L, beta = 0.6
        var z = 0.0, absM = 0.0, plain = [Double](repeating: 0, count: 3)
        for config in 0..<(1 << n) {
            let s = (0..<n).map { (config >> $0) & 1 == 1 ? 1.0 : -1.0 }
            let bonds = (0..<n).reduce(0.0) { sum, i in sum + s[i] * (s[i / L * L + (i + 1) % L] + s[(i + L) % n]) }
            let w = exp(beta * bonds)
            z += w
            absM += w * abs(s.reduce(0, +)) / Double(n)
            for r in 0...2 {
                plain[r] += w * (0..<n).reduce(0.0) { sum, i in sum + s[i] * (s[i / L * L + (i + r) % L] + s[(i + r * L) % n]) } / Double(2 * n)
            }
        }
        let exact = plain.map { $0 / z - (absM / z) * (absM / z) }
        for algorithm in [SamplerAlgorithm.metropolis, .multispin, .wolff] {
            let plan = SamplingPlan(model: .ising(h: 0), shape: [L, L], betas: [beta], samplesPerBeta: 20_000,
                                    seed: 72, algorithm: algorithm)
            let t = try MonteCarloCheck.sample(plan).correlation(connected: true)
            guard let g = t.column("G"), let errors = g.errors else { return XCTFail("no G column") }
            for r in 0...2 {
                MonteCarloCheck.assertAgrees(Measurement(g.values[r], error: errors[r]), exact[r], "\(algorithm) G_c(\(r))")
            }
        }
    }

    /// beta = 0 (T = infinity) for every sampler and model: independent uniform spins, so e = 0
    /// and <m^2> = 1 / N. Metropolis would flip every spin with certainty there and, started
    /// aligned, gave e = -2 and |m| = 1.
    func testInfiniteTemperatureIsUniform() throws {
        let cases: [(SamplerAlgorithm, LatticeModel, [Int])] =
            Self.samplers.map { ($0, .ising(h: 0), [8, 8]) }
            + [(.metropolis, .chain(h: 0.3), [10]), (.heatbath, .chain(h: 0), [10]), (.wolff, .chain(h: 0), [10]),
               (.metropolis, .longRange(alpha: 2.5), [4, 4]), (.checkerboard, .longRange(alpha: 2.5), [4, 4]),
               (.wolff, .ising(h: 0), [4, 4]), (.wolff, .longRange(alpha: 2.5), [4, 4])]
        for (algorithm, model, shape) in cases {
            let plan = SamplingPlan(model: model, shape: shape, betas: [0], samplesPerBeta: 2000, seed: 3, algorithm: algorithm)
            let d = try MonteCarloCheck.sample(plan)
            let n = Double(shape.reduce(1, *)), tag = "\(algorithm) \(model.name)"
            // e includes the field term, whose mean is 0 too.
            MonteCarloCheck.assertAgrees(MonteCarloCheck.energy(d), 0, "e \(tag)")
            MonteCarloCheck.assertAgrees(MonteCarloCheck.magnetization(d) { $0 * $0 }, 1 / n, "<m^2> \(tag)")
            // <|m|> = E|2k - N| / N with k ~ Binomial(N, 1/2); Wolff's single-spin clusters kept
            // the parity of k (L = 4: 0.1845 against 0.1964).
            let count = Int(n)
            var binomial = 1.0, absM = 0.0
            for k in 0...count {
                absM += binomial * Double(abs(2 * k - count)) / n
                binomial = binomial * Double(count - k) / Double(k + 1)
            }
            MonteCarloCheck.assertAgrees(MonteCarloCheck.magnetization(d, abs), absM / pow(2, n), "|m| \(tag)")
        }
    }

    /// |m| at L = 64 deep in the ordered phase against Onsager-Yang (finite-size corrections
    /// are exponentially small there).
    func testOrderedMagnetizationMatchesOnsager() throws {
        let exact = ExactIsing.onsagerMagnetization(beta: 0.6)
        for algorithm in Self.samplers {
            let plan = SamplingPlan(model: .ising(h: 0), shape: [64, 64], betas: [0.6], samplesPerBeta: 200,
                                    seed: 2, algorithm: algorithm, thermalization: 200)
            let d = try MonteCarloCheck.sample(plan)
            MonteCarloCheck.assertAgrees(MonteCarloCheck.magnetization(d, abs), exact, "|m| \(algorithm)")
        }
    }

    /// All samplers agree with each other (and Kaufman) near beta_c at L = 16.
    func testSamplersAgreeNearCriticality() throws {
        let beta = 0.4407
        let exact = ExactIsing.kaufman(L: 16, beta: beta).energy
        var energies = [RGSNumerics.Measurement]()
        for algorithm in Self.samplers {
            let plan = SamplingPlan(model: .ising(h: 0), shape: [16, 16], betas: [beta], samplesPerBeta: 2000,
                                    seed: 8, algorithm: algorithm)
            let e = MonteCarloCheck.energy(try MonteCarloCheck.sample(plan))
            MonteCarloCheck.assertAgrees(e, exact, "e \(algorithm)")
            energies.append(e)
        }
        for i in energies.indices {
            for j in energies.indices where j > i {
                let d = RGSNumerics.Measurement(energies[i].value - energies[j].value,
                                    error: (energies[i].error * energies[i].error + energies[j].error * energies[j].error).squareRoot())
                MonteCarloCheck.assertAgrees(d, 0, "\(Self.samplers[i]) - \(Self.samplers[j])")
            }
        }
    }

    /// Rectangular lattices: multispin and Wolff against checkerboard on 6 x 10, and the
    /// replicas of the multispin sampler are distinct lattices (no replica written twice).
    func testRectangularLatticesAndDistinctReplicas() throws {
        var energies = [RGSNumerics.Measurement]()
        for algorithm in [SamplerAlgorithm.checkerboard, .multispin, .wolff] {
            let plan = SamplingPlan(model: .ising(h: 0), shape: [6, 10], betas: [0.4], samplesPerBeta: 3000,
                                    seed: 4, algorithm: algorithm)
            let d = try MonteCarloCheck.sample(plan)
            energies.append(MonteCarloCheck.energy(d))
            if algorithm == .multispin, let words = d.packedWords {
                // 60 spins at beta = 0.4: repeated configurations are rare but possible near the
                // ground states; identical replicas would repeat every sample.
                let distinct = Set((0..<d.count).map { words[$0] }).count
                XCTAssertGreaterThan(distinct, d.count * 9 / 10)
            }
        }
        for e in energies.dropFirst() {
            let d = RGSNumerics.Measurement(e.value - energies[0].value,
                                            error: (e.error * e.error + energies[0].error * energies[0].error).squareRoot())
            MonteCarloCheck.assertAgrees(d, 0, "6x10 energy difference")
        }
    }

    /// The long-range model on 4 x 4 against exhaustive enumeration of the explicit pair sum: e,
    /// <|m|> and <m^2> of every sampler, Wolff (Luijten-Bloete) included, at two temperatures.
    func testLongRangeMatchesEnumeration() throws {
        let L = 4, alpha = 3.0
        for beta in [0.5, 0.15] {
            var z = 0.0, e = 0.0, absM = 0.0, m2 = 0.0
            for config in 0..<(1 << 16) {
                let s = (0..<16).map { Int8((config >> $0) & 1 == 1 ? 1 : -1) }
                let energy = ExactIsing.longRangeEnergy(s, L: L, alpha: alpha)
                let m = Double(s.reduce(0) { $0 + Int($1) }) / 16
                let w = exp(-beta * 16 * energy)
                z += w
                e += w * energy
                absM += w * abs(m)
                m2 += w * m * m
            }
            for algorithm in [SamplerAlgorithm.metropolis, .checkerboard, .heatbath, .wolff] {
                let plan = SamplingPlan(model: .longRange(alpha: alpha), shape: [L, L], betas: [beta], samplesPerBeta: 4000,
                                        seed: 9, algorithm: algorithm)
                let d = try MonteCarloCheck.sample(plan), tag = "long-range \(algorithm) beta \(beta)"
                MonteCarloCheck.assertAgrees(MonteCarloCheck.energy(d), e / z, "e \(tag)")
                MonteCarloCheck.assertAgrees(MonteCarloCheck.magnetization(d) { abs($0) }, absM / z, "|m| \(tag)")
                MonteCarloCheck.assertAgrees(MonteCarloCheck.magnetization(d) { $0 * $0 }, m2 / z, "m^2 \(tag)")
            }
        }
    }
}
