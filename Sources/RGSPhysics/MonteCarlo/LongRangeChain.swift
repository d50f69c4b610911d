import Foundation
import RGSNumerics

/// Single-spin Metropolis or heat-bath updates for the long-range model, dE = 2 s_i f_i with the local field
/// f_i = sum_j J_ij s_j kept up to date: O(1) per attempt, O(N) per accepted flip.
///
/// The checkerboard order visits the even then the odd sublattice; with long-range couplings
/// sites of one colour are not independent, so it is an update order like the sequential one
/// (each single-spin step keeps the Boltzmann distribution), not a parallel update.
struct LongRangeChain: SpinChain {
    let couplings: LongRangeCouplings
    let beta: Double
    let checkerboard: Bool
    let rule: FlipRule
    private(set) var spins: [Int8]
    private var fields: [Double]

    init(side: Int, alpha: Double, beta: Double, checkerboard: Bool, rule: FlipRule = .metropolis) {
        couplings = LongRangeCouplings(side: side, alpha: alpha)
        self.beta = beta
        self.checkerboard = checkerboard
        self.rule = rule.at(beta: beta)
        spins = alignedStart(count: side * side, field: 0)
        // All spins up: every local field is the sum of all couplings.
        fields = [Double](repeating: couplings.table.reduce(0, +), count: side * side)
    }

    /// H / N = -(1/2N) sum_i s_i f_i (each pair once).
    var energyPerSpin: Double {
        var sum = 0.0
        for i in spins.indices { sum += Double(spins[i]) * fields[i] }
        return -sum / 2 / Double(spins.count)
    }

    mutating func sweep(_ rng: inout RandomStream) {
        let side = couplings.side
        if checkerboard {
            for colour in 0..<2 {
                for r in 0..<side {
                    for c in stride(from: (r + colour) & 1, to: side, by: 2) { attempt(r, c, &rng) }
                }
            }
        } else {
            for r in 0..<side {
                for c in 0..<side { attempt(r, c, &rng) }
            }
        }
    }

    @inline(__always)
    private mutating func attempt(_ r: Int, _ c: Int, _ rng: inout RandomStream) {
        let side = couplings.side, i = r * side + c
        let dE = 2 * Double(spins[i]) * fields[i]
        let p = rule.probability(beta, dE)
        guard p >= 1 || rng.uniform() < p else { return }
        spins[i] = -spins[i]
        let change = 2 * Double(spins[i])
        couplings.table.withUnsafeBufferPointer { j in
            fields.withUnsafeMutableBufferPointer { f in
                // Row r2 sees the couplings of row offset dy = r2 - r, its columns from c on at
                // dx = c2 - c and those before c at dx = c2 - c + L: two contiguous runs.
                let f = f.baseAddress!, j = j.baseAddress!
                for r2 in 0..<side {
                    let fields = f + r2 * side, couplings = j + ((r2 - r + side) % side) * side
                    Self.add(change, couplings, to: fields + c, count: side - c)
                    Self.add(change, couplings + (side - c), to: fields, count: c)
                }
            }
        }
    }

    /// y += a x over `count` doubles (a loop the compiler vectorises).
    @inline(__always)
    private static func add(_ a: Double, _ x: UnsafePointer<Double>, to y: UnsafeMutablePointer<Double>, count: Int) {
        for t in 0..<count { y[t] += a * x[t] }
    }
}
