import RGSNumerics
import RGSPhysics

/// Test-only helpers for the RG tests: lattice observables on square periodic lattices and paired
/// differences between RG steps.
enum RGTestSupport {
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
