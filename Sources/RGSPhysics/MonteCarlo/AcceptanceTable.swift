import Foundation

/// The probability of flipping a spin whose flip changes the energy by dE.
enum FlipRule: Sendable {
    /// min(1, exp(-beta dE)).
    case metropolis
    /// The heat bath (Glauber): 1 / (1 + exp(beta dE)), the conditional probability of the
    /// flipped spin given its neighbours.
    case heatBath

    /// The rule the samplers use at `beta`. Metropolis at beta = 0 flips every spin with
    /// certainty, a deterministic map (an aligned start stays ordered at infinite temperature),
    /// so there the heat bath's probability 1/2 draws every visited spin afresh: the exact
    /// infinite-temperature ensemble after one sweep.
    func at(beta: Double) -> FlipRule { beta == 0 ? .heatBath : self }

    func probability(_ beta: Double, _ dE: Double) -> Double {
        switch self {
        case .metropolis: return dE <= 0 ? 1 : exp(-beta * dE)
        // dE = 0 is spelled out: at beta = infinity, beta * dE would be NaN.
        case .heatBath: return dE == 0 ? 0.5 : 1 / (1 + exp(beta * dE))
        }
    }
}

/// Thresholds for flipping spin s with nearest-neighbour sum n in a field h: flip when a uniform
/// 64-bit draw is below 2^64 p(dE), dE = 2 s (n + h), p from the `FlipRule`.
///
/// Index `(s n + z) * 2 + (s > 0 ? 1 : 0)` for coordination z. A certain flip is stored as
/// UInt64.max, which rejects one draw in 2^64: a bias far below any statistical resolution.
struct AcceptanceTable: Sendable {
    let thresholds: [UInt64]

    init(beta: Double, field h: Double, coordination z: Int, rule: FlipRule = .metropolis) {
        var t = [UInt64](repeating: 0, count: 2 * (2 * z + 1))
        for sn in stride(from: -z, through: z, by: 2) {
            for up in 0...1 {
                let s = Double(2 * up - 1)
                t[(sn + z) * 2 + up] = AcceptanceTable.threshold(probability: rule.probability(beta, 2 * (Double(sn) + s * h)))
            }
        }
        thresholds = t
    }

    /// 2^64 p as an integer threshold, saturating at UInt64.max.
    static func threshold(probability p: Double) -> UInt64 {
        p >= 1 ? .max : UInt64(p * 0x1p64)
    }
}
