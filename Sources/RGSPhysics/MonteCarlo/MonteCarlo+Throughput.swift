import Foundation
import RGSNumerics

extension MonteCarlo {
    /// Spin-flip attempts per nanosecond of `algorithm`'s kernel on the 2D model (h = 0) at `beta`:
    /// `chains` independent chains (multispin: replica groups of 512) run `sweeps` sweeps each,
    /// spread over `Settings.threads`. For Wolff an "attempt" is a flipped spin.
    public static func attemptsPerNanosecond(_ algorithm: SamplerAlgorithm, side: Int, beta: Double,
                                             sweeps: Int, chains: Int) -> Double {
        let lattice = Lattice(shape: [side, side])
        let sites = side * side * (algorithm == .multispin ? MultiSpinSampler.replicas : 1)
        let seconds = wallTime {
            Parallel.forEach(chains) { c in
                var rng = RandomStream(seed: 1, stream: UInt64(c))
                switch algorithm {
                case .multispin, .auto:
                    var vector = VectorRandom(&rng)
                    var replicas = MultiSpinLattice(rows: side, columns: side, beta: beta)
                    for _ in 0..<sweeps { replicas.sweep(&vector) }
                case .wolff:
                    var chain = WolffChain(lattice: lattice, beta: beta)
                    chain.endThermalization(&rng)
                    for _ in 0..<sweeps { chain.sweep(&rng) }
                case .metropolis, .checkerboard:
                    var chain = MetropolisChain(lattice: lattice, beta: beta, field: 0, checkerboard: algorithm == .checkerboard)
                    for _ in 0..<sweeps { chain.sweep(&rng) }
                }
            }
        }
        return Double(chains * sweeps * sites) / (seconds * 1e9)
    }

    /// Wolff clusters per second on the L x L model at `beta` (`chains` chains of `clusters` each).
    public static func wolffClustersPerSecond(side: Int, beta: Double, clusters: Int, chains: Int) -> Double {
        let lattice = Lattice(shape: [side, side])
        let seconds = wallTime {
            Parallel.forEach(chains) { c in
                var rng = RandomStream(seed: 5, stream: UInt64(c))
                var chain = WolffChain(lattice: lattice, beta: beta)
                for _ in 0..<clusters { _ = chain.flipCluster(&rng) }
            }
        }
        return Double(chains * clusters) / seconds
    }

    private static func wallTime(_ body: () -> Void) -> Double {
        var t0 = timespec(), t1 = timespec()
        clock_gettime(CLOCK_MONOTONIC, &t0)
        body()
        clock_gettime(CLOCK_MONOTONIC, &t1)
        return Double(t1.tv_sec - t0.tv_sec) + Double(t1.tv_nsec - t0.tv_nsec) * 1e-9
    }
}
