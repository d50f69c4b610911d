import Foundation

/// Metropolis thresholds for flipping spin s with nearest-neighbour sum n in a field h:
/// accept when a uniform 64-bit draw is below 2^64 min(1, exp(-2 beta s (n + h))).
///
/// Index `(s n + z) * 2 + (s > 0 ? 1 : 0)` for coordination z. A certain flip is stored as
/// UInt64.max, which rejects one draw in 2^64: a bias far below any statistical resolution.
struct AcceptanceTable: Sendable {
    let thresholds: [UInt64]

    init(beta: Double, field h: Double, coordination z: Int) {
        var t = [UInt64](repeating: 0, count: 2 * (2 * z + 1))
        for sn in stride(from: -z, through: z, by: 2) {
            for up in 0...1 {
                let s = Double(2 * up - 1)
                t[(sn + z) * 2 + up] = AcceptanceTable.threshold(probability: Self.probability(beta, 2 * (Double(sn) + s * h)))
            }
        }
        thresholds = t
    }

    /// min(1, exp(-beta dE)), with dE <= 0 always accepted (also at beta = infinity).
    static func probability(_ beta: Double, _ dE: Double) -> Double {
        dE <= 0 ? 1 : exp(-beta * dE)
    }

    /// 2^64 p as an integer threshold, saturating at UInt64.max.
    static func threshold(probability p: Double) -> UInt64 {
        p >= 1 ? .max : UInt64(p * 0x1p64)
    }
}
