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
        Self.forEach(side: side, alpha: alpha) { dy, dx, j in table[dy * side + dx] = j }
        self.table = table
    }

    /// sum_d J(d) over the displacements of a side x side torus, without storing the table.
    public static func sum(side: Int, alpha: Double) -> Double {
        var total = 0.0
        forEach(side: side, alpha: alpha) { _, _, j in total += j }
        return total
    }

    /// Calls `body(dy, dx, J)` for every displacement but (0, 0), row-major.
    private static func forEach(side: Int, alpha: Double, _ body: (Int, Int, Double) -> Void) {
        for dy in 0..<side {
            let y = Double(min(dy, side - dy))
            for dx in 0..<side where dx != 0 || dy != 0 {
                let x = Double(min(dx, side - dx))
                body(dy, dx, pow(x * x + y * y, -alpha / 2))
            }
        }
    }
}
