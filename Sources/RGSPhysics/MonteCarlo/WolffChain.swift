import Foundation
import RGSNumerics

/// Wolff single-cluster updates for the nearest-neighbour models without field: a cluster grows
/// from a random site over aligned neighbours with probability 1 - exp(-2 beta) and is flipped.
///
/// A sweep is a fixed number of clusters, N / (mean cluster size) measured while thermalising, so
/// spacing and autocorrelation times are in units comparable with a Metropolis sweep. (During
/// thermalisation a sweep runs clusters until N spins have flipped; that rule is not used once
/// samples are taken, because stopping at a size-dependent time biases the snapshots towards
/// the configurations that follow large clusters.)
///
/// At beta = 0 every cluster is one spin and N single flips per sweep keep the parity of the
/// number of up spins (L = 4 gave |m| = 0.1845 against 0.1964), so there a sweep draws every
/// spin afresh: the exact infinite-temperature ensemble.
struct WolffChain: SpinChain {
    let lattice: Lattice
    /// 2^64 (1 - exp(-2 beta)), the bond-activation threshold.
    let activation: UInt64
    private(set) var spins: [Int8]
    private var stack: [Int32]
    /// Clusters per sweep once thermalised (nil while thermalising).
    private(set) var clustersPerSweep: Int?
    private var clusters = 0, flippedSpins = 0
    private let infiniteTemperature: Bool

    init(lattice: Lattice, beta: Double) {
        self.lattice = lattice
        infiniteTemperature = beta == 0
        activation = AcceptanceTable.threshold(probability: -expm1(-2 * beta))
        spins = alignedStart(count: lattice.siteCount, field: 0)
        stack = [Int32](repeating: 0, count: lattice.siteCount + 1)
    }

    var energyPerSpin: Double { -Double(lattice.bondSum(spins)) / Double(lattice.siteCount) }

    mutating func sweep(_ rng: inout RandomStream) {
        if infiniteTemperature {
            for i in spins.indices { spins[i] = rng.next() >> 63 == 0 ? 1 : -1 }
            return
        }
        if let fixed = clustersPerSweep {
            for _ in 0..<fixed { _ = flipCluster(&rng) }
            return
        }
        var flipped = 0
        while flipped < lattice.siteCount {
            let size = flipCluster(&rng)
            flipped += size
            clusters += 1
            flippedSpins += size
        }
    }

    mutating func endThermalization(_ rng: inout RandomStream) {
        // Enough clusters for a stable mean size, also when thermalisation was 0 sweeps.
        while clusters < 100 {
            flippedSpins += flipCluster(&rng)
            clusters += 1
        }
        clustersPerSweep = max(1, Int((Double(lattice.siteCount) * Double(clusters) / Double(flippedSpins)).rounded()))
    }

    /// Grows and flips one cluster; returns its size.
    mutating func flipCluster(_ rng: inout RandomStream) -> Int {
        let z = lattice.coordination, p = activation
        let start = rng.below(lattice.siteCount)
        var local = rng
        let size = spins.withUnsafeMutableBufferPointer { s in
            stack.withUnsafeMutableBufferPointer { st in
                lattice.neighbours.withUnsafeBufferPointer { nb in
                    let aligned = s[start]
                    s[start] = -aligned
                    st[0] = Int32(start)
                    var top = 1, size = 1
                    while top > 0 {
                        top &-= 1
                        let i = Int(st[top])
                        // Branch-free growth (the 1 - exp(-2 beta) coin is unpredictable): the
                        // neighbour is always written above the top and kept only if it joins.
                        for k in 0..<z {
                            let j = Int(nb[i &* z &+ k])
                            let sj = s[j]
                            let joins = (sj == aligned ? 1 : 0) & (local.next() < p ? 1 : 0)
                            s[j] = joins == 1 ? -aligned : sj
                            st[top] = Int32(j)
                            top &+= joins
                            size &+= joins
                        }
                    }
                    return size
                }
            }
        }
        rng = local
        return size
    }
}
