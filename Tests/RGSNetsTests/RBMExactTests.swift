import Foundation
import XCTest
import RGSNumerics
import RGSPhysics
@testable import RGSNets

/// RBM conditionals, free energies and training checked by exact enumeration (8 visible, 4 hidden).
final class RBMExactTests: XCTestCase {
    /// p(h_a = on | v) and p(v_i = on | h) from the model's means match brute-force marginals of
    /// e^-E(v, h), and F(v) matches -log sum_h e^-E(v, h), for both kinds of units.
    func testConditionalsAndFreeEnergyMatchBruteForce() throws {
        for units in RBMUnits.allCases {
            let rbm = try RBMExact.randomRBM(units: units, scale: 0.7, seed: 11)
            let n = 8, m = 4
            let vs = RBMExact.configurations(n, units: units), hs = RBMExact.configurations(m, units: units)
            let hMeans = try rbm.hiddenMeans(visible: vs), free = try rbm.freeEnergies(visible: vs)
            let toProbability = { (mean: Float) in Double(units == .pm1 ? (1 + mean) / 2 : mean) }
            for c in 0..<(1 << n) {
                let v = vs[(c * n)..<((c + 1) * n)]
                var total = 0.0, on = [Double](repeating: 0, count: m)
                for d in 0..<(1 << m) {
                    let h = hs[(d * m)..<((d + 1) * m)]
                    let w = exp(-RBMExact.energy(rbm, v, h))
                    total += w
                    for a in 0..<m where h[h.startIndex + a] == 1 { on[a] += w }
                }
                for a in 0..<m {
                    XCTAssertEqual(toProbability(hMeans[c * m + a]), on[a] / total, accuracy: 2e-6, "\(units) v=\(c) a=\(a)")
                }
                XCTAssertEqual(free[c], -log(total), accuracy: 1e-5 * max(1, abs(free[c])), "\(units) F(v=\(c))")
            }
            let vMeans = try rbm.visibleMeans(hidden: hs)
            for d in 0..<(1 << m) {
                let h = hs[(d * m)..<((d + 1) * m)]
                var total = 0.0, on = [Double](repeating: 0, count: n)
                for c in 0..<(1 << n) {
                    let v = vs[(c * n)..<((c + 1) * n)]
                    let w = exp(-RBMExact.energy(rbm, v, h))
                    total += w
                    for i in 0..<n where v[v.startIndex + i] == 1 { on[i] += w }
                }
                for i in 0..<n {
                    XCTAssertEqual(toProbability(vMeans[d * n + i]), on[i] / total, accuracy: 2e-6, "\(units) h=\(d) i=\(i)")
                }
            }
        }
    }

    /// Sampled hidden units follow their conditional: the frequency of h_a = +1 over 20,000 draws
    /// is within 4 standard errors of (1 + tanh x_a) / 2.
    func testSampledHiddenUnitsFollowTheConditional() throws {
        let rbm = try RBMExact.randomRBM(units: .pm1, scale: 0.7, seed: 5)
        let v = RBMExact.configurations(8, units: .pm1)
        let row = Array(v[(37 * 8)..<(38 * 8)])
        let copies = 20_000
        let data = Ensemble(shape: [8], spins: Array(repeating: row.map { Int8($0) }, count: copies).flatMap { $0 },
                            labels: Array(repeating: SampleLabel(beta: 1, model: "test"), count: copies))
        let hidden = try rbm.hiddenLayer(of: data, mode: .sample, seed: 3)
        let means = try rbm.hiddenMeans(visible: row)
        for a in 0..<4 {
            let p = Double(1 + means[a]) / 2
            let up = (0..<copies).filter { hidden.value($0, a) > 0 }.count
            let sigma = (p * (1 - p) / Double(copies)).squareRoot()
            XCTAssertEqual(Double(up) / Double(copies), p, accuracy: 4 * sigma)
        }
    }

    /// CD-1 training raises the exact log-likelihood of Ising-chain data, and the trained RBM puts
    /// the data at lower free energy than uniform noise.
    func testCDTrainingRaisesLogLikelihoodAndOrdersFreeEnergy() throws {
        let data = RBMExact.chain(beta: 0.8, samples: 2000, seed: 1)
        let options = RBMTrainingOptions(learningRate: 0.05, momentum: 0.5, batch: 50, epochs: 40, seed: 4,
                                         validationFraction: 0.1)
        let fresh = try RBM(visibleShape: [8], hidden: 4, seed: 4)
        let before = try RBMExact.logLikelihood(fresh, data)
        let trained = try RBM.trained(on: data, hidden: 4, options: options)
        let after = try RBMExact.logLikelihood(trained, data)
        print("exact log-likelihood per sample: \(before) -> \(after) (uniform: \(-8 * log(2.0)))")
        XCTAssertGreaterThan(after, before + 0.5)
        XCTAssertEqual(trained.history.count, 40)
        XCTAssertLessThan(trained.history.last!.reconstructionError, trained.history.first!.reconstructionError + 1e-9)
        let noise = RBMExact.noise(8, samples: 2000, seed: 9)
        let fData = try trained.freeEnergies(of: data), fNoise = try trained.freeEnergies(of: noise)
        XCTAssertLessThan(fData.reduce(0, +) / 2000, fNoise.reduce(0, +) / 2000 - 0.5)
    }

    /// Persistent CD and CD reach exact log-likelihoods within 0.1 nats of each other on the
    /// chain data, both well above the untrained RBM's. (PCD needs the small step: with momentum
    /// 0.9 its persistent chains lag the moving model and the likelihood oscillates by ~1 nat.)
    func testPersistentAndPlainCDAgree() throws {
        let data = RBMExact.chain(beta: 0.6, samples: 2000, seed: 2)
        var options = RBMTrainingOptions(learningRate: 0.01, momentum: 0, batch: 50, epochs: 100, seed: 8,
                                         validationFraction: 0, monitors: false)
        let cd = try RBMExact.logLikelihood(try RBM.trained(on: data, hidden: 4, options: options), data)
        options.persistent = true
        let pcd = try RBMExact.logLikelihood(try RBM.trained(on: data, hidden: 4, options: options), data)
        let fresh = try RBMExact.logLikelihood(try RBM(visibleShape: [8], hidden: 4, seed: 8), data)
        print("exact log-likelihood: untrained \(fresh), CD-1 \(cd), PCD-1 \(pcd)")
        XCTAssertEqual(cd, pcd, accuracy: 0.1)
        XCTAssertGreaterThan(min(cd, pcd), fresh + 0.3)
    }
}
