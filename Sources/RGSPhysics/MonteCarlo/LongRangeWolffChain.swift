import Foundation
import RGSNumerics

/// Wolff cluster updates for the long-range model (Luijten and Bloete, Int. J. Mod. Phys. C 6,
/// 359 (1995)): every pair of aligned spins in the cluster's reach bonds with probability
/// p_d = 1 - exp(-2 beta J(d)), yet growing the cluster costs O(1) per added spin, not O(N).
///
/// A bond's activation does not depend on the spins, so from each added site the activated
/// displacements are drawn first and only then checked for alignment. With the displacements in
/// order of decreasing J and lambda_k = sum_{m <= k} 2 beta J_m, none of the bonds after k up to
/// k' is activated with probability exp(-(lambda_k' - lambda_k)): the next activated bond is the
/// first k' with lambda_k' >= lambda_k + E, E ~ Exp(1). A guide table (the first k with
/// lambda_k >= g lambda_total / G for each of G = count steps) narrows that search to a bisection
/// within one step. A site tries on average lambda_total = 2 beta sum_d J(d) bonds (about 2.3 at
/// alpha = 3, T = 7.7).
///
/// Bonds whose p rounds to 1 (2 beta J > 37) are taken in turn; when every bond does (T = 0),
/// the cluster is every spin aligned with the seed, as each pair is coupled.
struct LongRangeWolffChain: ClusterChain {
    let geometry: LongRangeClusterGeometry
    let transform: LongRangeTransform
    var spins: [Int8]
    var sweeps: ClusterSweeps
    /// How many leading displacements bond with certainty.
    private let certain: Int
    /// lambda_k for the displacements from `certain` on, counted from there.
    private let cumulative: [Double]
    /// guide[g] = the first k with lambda_k >= g lambda_total / G, for g in 0...G.
    private let guide: [Int32]
    /// G / lambda_total.
    private let scale: Double
    private var stack: [Int32]

    init(geometry: LongRangeClusterGeometry, transform: LongRangeTransform, beta: Double) {
        self.geometry = geometry
        self.transform = transform
        sweeps = ClusterSweeps(beta: beta)
        // A coupling that underflows to 0 (large alpha) never bonds, also at T = 0, where
        // infinity * 0 would be NaN and poison the cumulative sums.
        let weights = geometry.couplings.map { $0 > 0 ? 2 * beta * $0 : 0 }
        certain = weights.firstIndex { !($0 > 37) } ?? weights.count
        var sum = 0.0
        cumulative = weights[certain...].map { w in
            sum += w
            return sum
        }
        // Step g holds the k with floor(lambda_k G / lambda_total) = g, the expression the
        // search evaluates, so rounding cannot make the guide skip the bond it looks for.
        let steps = cumulative.count, total = cumulative.last ?? 0
        scale = total > 0 ? Double(steps) / total : 0
        var guide = [Int32](repeating: Int32(max(steps - 1, 0)), count: steps + 1), g = 0
        for k in 0..<steps {
            let step = min(Int(cumulative[k] * scale), steps)
            while g <= step {
                guide[g] = Int32(k)
                g += 1
            }
        }
        self.guide = guide
        spins = alignedStart(count: geometry.side * geometry.side, field: 0)
        stack = [Int32](repeating: 0, count: spins.count + 1)
    }

    var energyPerSpin: Double {
        let n = spins.count
        return withUnsafeTemporaryAllocation(of: Double.self, capacity: n + transform.scratchCount) { buffer in
            let s = buffer.baseAddress!
            for i in 0..<n { s[i] = Double(spins[i]) }
            return -transform.bondSum(s, scratch: s + n) / Double(n)
        }
    }

    mutating func flipCluster(_ rng: inout RandomStream) -> Int {
        let side = geometry.side, start = rng.below(spins.count)
        if certain == geometry.couplings.count { return flipAligned(with: start) }
        var local = rng
        let certain = certain
        let size = spins.withUnsafeMutableBufferPointer { s in
            stack.withUnsafeMutableBufferPointer { st in
                geometry.rows.withUnsafeBufferPointer { dy in
                    geometry.columns.withUnsafeBufferPointer { dx in
                        cumulative.withUnsafeBufferPointer { lambda in
                          guide.withUnsafeBufferPointer { guide in
                            let aligned = s[start]
                            s[start] = -aligned
                            st[0] = Int32(start)
                            var top = 1, size = 1
                            let count = lambda.count, total = lambda.last ?? 0, perLevel = scale
                            // Adds the site at displacement k from (r, c) when it is aligned.
                            func bond(_ r: Int, _ c: Int, _ k: Int) {
                                var r2 = r + Int(dy[k]), c2 = c + Int(dx[k])
                                if r2 >= side { r2 -= side }
                                if c2 >= side { c2 -= side }
                                let j = r2 * side + c2
                                guard s[j] == aligned else { return }
                                s[j] = -aligned
                                st[top] = Int32(j)
                                top += 1
                                size += 1
                            }
                            while top > 0 {
                                top -= 1
                                let i = Int(st[top]), r = i / side, c = i % side
                                for k in 0..<certain { bond(r, c, k) }
                                var level = 0.0, k = 0
                                while true {
                                    // E ~ Exp(1) from u in (0, 1].
                                    level -= log(Double((local.next() >> 11) + 1) * 0x1.0p-53)
                                    guard level < total else { break }
                                    let g = min(Int(level * perLevel), count - 1)
                                    k = max(k, Int(guide[g]))
                                    var high = Int(guide[g + 1])
                                    while k < high {
                                        let middle = (k + high) / 2
                                        if lambda[middle] >= level { high = middle } else { k = middle + 1 }
                                    }
                                    bond(r, c, certain + k)
                                    level = lambda[k]
                                    k += 1
                                }
                            }
                            return size
                          }
                        }
                    }
                }
            }
        }
        rng = local
        return size
    }

    /// Flips every spin aligned with the one at `start`: the cluster when every bond is certain.
    private mutating func flipAligned(with start: Int) -> Int {
        let aligned = spins[start]
        var size = 0
        for i in spins.indices where spins[i] == aligned {
            spins[i] = -aligned
            size += 1
        }
        return size
    }
}

/// The displacements of the long-range torus in order of decreasing coupling, shared by the
/// cluster chains of one lattice.
struct LongRangeClusterGeometry: Sendable {
    let side: Int
    /// Row and column offsets (in 0..<side) of each displacement.
    let rows: [Int32], columns: [Int32]
    /// J of each displacement, non-increasing.
    let couplings: [Double]

    init(_ j: LongRangeCouplings) {
        let l = j.side
        side = l
        // Ties keep their row-major order, so the order is the same on every machine.
        let order = (1..<(l * l)).sorted { a, b in j.table[a] != j.table[b] ? j.table[a] > j.table[b] : a < b }
        rows = order.map { Int32($0 / l) }
        columns = order.map { Int32($0 % l) }
        couplings = order.map { j.table[$0] }
    }
}
