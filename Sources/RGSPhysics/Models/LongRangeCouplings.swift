import Foundation

/// Couplings J(dx, dy) = 1 / r^alpha of the 2D long-range model on a periodic L x L lattice.
///
/// Distances use the minimum image: r^2 = min(dx, L - dx)^2 + min(dy, L - dy)^2, so each pair of
/// sites couples exactly once, through its shortest periodic displacement. A spin never couples to
/// itself or to its own periodic images (J(0, 0) = 0), which is the usual source of wrong energies
/// when images are summed naively.
public struct LongRangeCouplings: Sendable {
    /// Side length.
    public let side: Int
    /// The exponent alpha.
    public let alpha: Double
    /// J at displacement (dy, dx), stored at `dy * side + dx`, both in 0..<side.
    public let table: [Double]

    public init(side: Int, alpha: Double) {
        self.side = side
        self.alpha = alpha
        var table = [Double](repeating: 0, count: side * side)
        for dy in 0..<side {
            for dx in 0..<side where dx != 0 || dy != 0 {
                let x = Double(min(dx, side - dx)), y = Double(min(dy, side - dy))
                table[dy * side + dx] = pow(x * x + y * y, -alpha / 2)
            }
        }
        self.table = table
    }

    /// J between sites (r1, c1) and (r2, c2).
    @inline(__always)
    public func coupling(_ r1: Int, _ c1: Int, _ r2: Int, _ c2: Int) -> Double {
        let dy = (r2 - r1 + side) % side, dx = (c2 - c1 + side) % side
        return table[dy * side + dx]
    }

    /// The local field sum_j J_ij s_j at site (r, c) of a +-1 configuration (row-major).
    public func localField(_ spins: UnsafePointer<Float>, row r: Int, column c: Int) -> Double {
        var f = 0.0
        for r2 in 0..<side {
            let dy = (r2 - r + side) % side
            for c2 in 0..<side {
                f += table[dy * side + (c2 - c + side) % side] * Double(spins[r2 * side + c2])
            }
        }
        return f
    }
}
