import Foundation
import RGSNumerics
import RGSPhysics
@testable import RGSNets

/// Exact enumeration over small RBMs (8 visible, 4 hidden) used as the reference in RBM tests.
enum RBMExact {
    /// All 2^n configurations in the units' convention, row-major, configuration c bit i = unit i.
    static func configurations(_ n: Int, units: RBMUnits) -> [Float] {
        var out = [Float]()
        for c in 0..<(1 << n) {
            for i in 0..<n { out.append(c >> i & 1 == 1 ? 1 : units.low) }
        }
        return out
    }

    /// E(v, h) = -v W h - c v - b h in double precision.
    static func energy(_ rbm: RBM, _ v: ArraySlice<Float>, _ h: ArraySlice<Float>) -> Double {
        let n = rbm.visibleCount, m = rbm.hiddenCount
        let v = Array(v), h = Array(h)
        var e = 0.0
        for i in 0..<n {
            e -= Double(rbm.visibleBias[i]) * Double(v[i])
            for a in 0..<m { e -= Double(v[i]) * Double(rbm.weights[i * m + a]) * Double(h[a]) }
        }
        for a in 0..<m { e -= Double(rbm.hiddenBias[a]) * Double(h[a]) }
        return e
    }

    /// log Z = log sum_v e^-F(v), from the RBM's own free energies (checked separately).
    static func logPartition(_ rbm: RBM) throws -> Double {
        let f = try rbm.freeEnergies(visible: configurations(rbm.visibleCount, units: rbm.units))
        let lo = f.min() ?? 0
        return -lo + log(f.reduce(0) { $0 + exp(-($1 - lo)) })
    }

    /// Mean exact log-likelihood of the ensemble's samples.
    static func logLikelihood(_ rbm: RBM, _ data: Ensemble) throws -> Double {
        let f = try rbm.freeEnergies(of: data)
        return -f.reduce(0, +) / Double(f.count) - (try logPartition(rbm))
    }

    /// An RBM with N(0, scale^2) weights and biases from a fixed stream.
    static func randomRBM(visible: Int = 8, hidden: Int = 4, units: RBMUnits, scale: Double, seed: UInt64) throws -> RBM {
        var s = RandomStream(seed: seed, stream: 99)
        let g = { (k: Int) in (0..<k).map { _ in Float(s.normal() * scale) } }
        return try RBM(visibleShape: [visible], units: units, weights: g(visible * hidden),
                       visibleBias: g(visible), hiddenBias: g(hidden))
    }

    /// Exact samples of a periodic Ising chain of `n` spins at inverse temperature `beta`, drawn
    /// from the enumerated Boltzmann distribution.
    static func chain(_ n: Int = 8, beta: Double, samples: Int, seed: UInt64) -> Ensemble {
        let configs = configurations(n, units: .pm1)
        var weights = [Double]()
        for c in 0..<(1 << n) {
            var e = 0.0
            for i in 0..<n { e -= Double(configs[c * n + i] * configs[c * n + (i + 1) % n]) }
            weights.append(exp(-beta * e))
        }
        let total = weights.reduce(0, +)
        var stream = RandomStream(seed: seed, stream: 7)
        var spins = [Int8]()
        for _ in 0..<samples {
            var u = stream.uniform() * total, c = 0
            while c < weights.count - 1 && u >= weights[c] { u -= weights[c]; c += 1 }
            spins += (0..<n).map { configs[c * n + $0] > 0 ? 1 : -1 }
        }
        return Ensemble(shape: [n], spins: spins,
                        labels: Array(repeating: SampleLabel(beta: beta, model: "ising1d"), count: samples))
    }

    /// Uniformly random ±1 configurations.
    static func noise(_ n: Int, samples: Int, seed: UInt64, shape: [Int]? = nil) -> Ensemble {
        var stream = RandomStream(seed: seed, stream: 3)
        let spins = (0..<(n * samples)).map { _ in Int8(stream.below(2) == 1 ? 1 : -1) }
        return Ensemble(shape: shape ?? [n], spins: spins,
                        labels: Array(repeating: SampleLabel(beta: 0, model: "noise"), count: samples))
    }
}
