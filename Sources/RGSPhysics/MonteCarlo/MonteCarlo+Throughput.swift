import Foundation
import RGSNumerics

/// A kernel's rate per second of wall time and per second of CPU time summed over threads (the
/// per-core figure, which other processes on a busy machine do not dilute).
public struct KernelRate: Sendable {
    /// Work per second of wall time.
    public var wall: Double
    /// Work per second of CPU time summed over the threads.
    public var perCore: Double
}

extension MonteCarlo {
    /// Spin-flip attempts per nanosecond of `algorithm`'s kernel on the 2D model (h = 0) at `beta`:
    /// `chains` independent chains (multispin: replica groups of 512) run `sweeps` sweeps each,
    /// spread over `Settings.threads`. For Wolff an "attempt" is a flipped spin.
    public static func attemptsPerNanosecond(_ algorithm: SamplerAlgorithm, side: Int, beta: Double,
                                             sweeps: Int, chains: Int) -> KernelRate {
        let lattice = Lattice(shape: [side, side])
        let sites = side * side * (algorithm == .multispin ? MultiSpinSampler.replicas : 1)
        let seconds = timed {
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
                case .metropolis, .checkerboard, .heatbath:
                    var chain = SingleSpinChain(lattice: lattice, beta: beta, field: 0, checkerboard: algorithm != .metropolis,
                                                rule: algorithm == .heatbath ? .heatBath : .metropolis)
                    for _ in 0..<sweeps { chain.sweep(&rng) }
                }
            }
        }
        let attempts = Double(chains * sweeps * sites) / 1e9
        return KernelRate(wall: attempts / seconds.wall, perCore: attempts / seconds.cpu)
    }

    /// Wolff clusters per second on the L x L model at `beta` (`chains` chains of `clusters` each).
    public static func wolffClustersPerSecond(side: Int, beta: Double, clusters: Int, chains: Int) -> KernelRate {
        let lattice = Lattice(shape: [side, side])
        let seconds = timed {
            Parallel.forEach(chains) { c in
                var rng = RandomStream(seed: 5, stream: UInt64(c))
                var chain = WolffChain(lattice: lattice, beta: beta)
                for _ in 0..<clusters { _ = chain.flipCluster(&rng) }
            }
        }
        let total = Double(chains * clusters)
        return KernelRate(wall: total / seconds.wall, perCore: total / seconds.cpu)
    }

    /// Wall and process CPU seconds of `body`.
    private static func timed(_ body: () -> Void) -> (wall: Double, cpu: Double) {
        func seconds(_ clock: clockid_t) -> Double {
            var t = timespec()
            clock_gettime(clock, &t)
            return Double(t.tv_sec) + Double(t.tv_nsec) * 1e-9
        }
        let wall = seconds(CLOCK_MONOTONIC), cpu = seconds(CLOCK_PROCESS_CPUTIME_ID)
        body()
        return (seconds(CLOCK_MONOTONIC) - wall, seconds(CLOCK_PROCESS_CPUTIME_ID) - cpu)
    }
}
