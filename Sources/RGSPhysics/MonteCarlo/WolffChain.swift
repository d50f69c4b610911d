import Foundation
import RGSNumerics

/// Wolff single-cluster updates for the nearest-neighbour models without field: a cluster grows
/// from a random site over aligned neighbours with probability 1 - exp(-2 beta) and is flipped.
/// Sweeps are counted in clusters (`ClusterChain`).
struct WolffChain: ClusterChain {
    let lattice: Lattice
    /// 2^64 (1 - exp(-2 beta)), the bond-activation threshold.
    let activation: UInt64
    var spins: [Int8]
    var sweeps: ClusterSweeps
    private var stack: [Int32]

    init(lattice: Lattice, beta: Double) {
        self.lattice = lattice
        sweeps = ClusterSweeps(beta: beta)
        activation = AcceptanceTable.threshold(probability: -expm1(-2 * beta))
        spins = alignedStart(count: lattice.siteCount, field: 0)
        stack = [Int32](repeating: 0, count: lattice.siteCount + 1)
    }

    var energyPerSpin: Double { -Double(lattice.bondSum(spins)) / Double(lattice.siteCount) }

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
