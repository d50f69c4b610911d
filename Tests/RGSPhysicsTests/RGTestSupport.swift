import RGSNumerics
import RGSPhysics

/// Test-only helpers for the RG tests: a small checkerboard Metropolis sampler for 2D Ising
/// lattices (the project's samplers live elsewhere; this one only feeds the RG flow tests) and
/// lattice observables on square periodic lattices.
enum RGTestSupport {
    /// `samples` lattices of L x L at `beta` from one checkerboard Metropolis chain started
    /// ordered, `thermalize` sweeps first, then one sample every `every` sweeps.
    static func metropolis(L: Int, beta: Double, samples: Int, thermalize: Int = 400, every: Int = 5,
                           seed: UInt64) -> Ensemble {
        var rng = RandomStream(seed: seed, stream: 0)
        var s = [Int8](repeating: 1, count: L * L)
        // Acceptance for a flip with local field sum n in {-4,-2,0,2,4}: min(1, exp(-2 beta s n)).
        let accept = (0...8).map { e in exp(-2 * beta * Double(e - 4)) }
        func sweep() {
            for colour in 0..<2 {
                for r in 0..<L {
                    var c = (r + colour) & 1
                    while c < L {
                        let i = r * L + c
                        let n = Int(s[((r + 1) % L) * L + c]) + Int(s[((r + L - 1) % L) * L + c])
                            + Int(s[r * L + (c + 1) % L]) + Int(s[r * L + (c + L - 1) % L])
                        let e = Int(s[i]) * n + 4
                        if e <= 4 || rng.uniform() < accept[e] { s[i] = -s[i] }
                        c += 2
                    }
                }
            }
        }
        for _ in 0..<thermalize { sweep() }
        var all = [Int8]()
        all.reserveCapacity(samples * L * L)
        for _ in 0..<samples {
            for _ in 0..<every { sweep() }
            all.append(contentsOf: s)
        }
        let labels = (0..<samples).map { _ in SampleLabel(beta: beta, model: "ising", seed: seed) }
        return Ensemble(shape: [L, L], spins: all, labels: labels)
    }

    /// |m| of each sample.
    static func absMagnetisation(_ e: Ensemble) -> [Double] {
        (0..<e.count).map { s in abs(e.sample(s).reduce(0) { $0 + Double($1) }) / Double(e.siteCount) }
    }

    /// Nearest-neighbour correlation <s_i s_j> of each sample of a square periodic lattice.
    static func neighbourCorrelation(_ e: Ensemble) -> [Double] {
        let rows = e.shape[0], cols = e.shape[1]
        return (0..<e.count).map { s in
            let v = e.sample(s)
            var sum = 0.0
            for r in 0..<rows {
                for c in 0..<cols {
                    let x = Double(v[r * cols + c])
                    sum += x * Double(v[r * cols + (c + 1) % cols]) + x * Double(v[((r + 1) % rows) * cols + c])
                }
            }
            return sum / Double(2 * rows * cols)
        }
    }

    /// Mean of b - a with its binned error, for paired per-sample measurements.
    static func pairedDifference(_ a: [Double], _ b: [Double]) -> Measurement {
        Statistics.binned(zip(a, b).map { $1 - $0 })
    }
}

#if canImport(Glibc)
import Glibc
#endif
