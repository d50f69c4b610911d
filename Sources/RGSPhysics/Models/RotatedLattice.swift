import RGSNumerics

/// The 2m x m lattice one checkerboard decimation step leaves (`decimate` of an L x L lattice,
/// L = 2m): the sites with r + c even of the original lattice, the 45-degree rotated square
/// lattice, stored row by row with original site (r, 2k + r mod 2) at (r, k).
///
/// Its nearest neighbours are the original diagonal pairs: (r, k) is bonded to (r + 1, k) and
/// (r + 1, k - 1) for even r, to (r + 1, k) and (r + 1, k + 1) for odd r (periodic), two bonds
/// per site as on any square lattice. Every 2D shape with twice as many rows as columns is read
/// this way, as `decimate` itself reads it; array translations by one row and the reflections
/// and transposes of the array are not symmetries of it.
public enum RotatedLattice {
    /// Whether a lattice of `shape` is read as a rotated lattice.
    public static func contains(_ shape: [Int]) -> Bool {
        shape.count == 2 && shape[1] >= 1 && shape[0] == 2 * shape[1]
    }

    /// The sum over nearest-neighbour bonds of s_i s_j (each bond once) of one sample.
    static func bondSum(_ p: UnsafePointer<Float>, rows: Int, columns: Int) -> Double {
        var sum = 0.0
        for r in 0..<rows {
            let here = r * columns, down = ((r + 1) % rows) * columns
            let shift = r % 2 == 0 ? columns - 1 : 1  // the second down neighbour: k - 1 or k + 1
            for k in 0..<columns {
                let diagonal = k + shift < columns ? k + shift : k + shift - columns
                sum += Double(p[here + k] * (p[down + k] + p[down + diagonal]))
            }
        }
        return sum
    }

    /// Throws for observables measured along the array's axes, which are not lattice axes here.
    public static func refuse(_ what: String, shape: [Int]) throws(CoreError) {
        guard contains(shape) else { return }
        throw CoreError("\(what) needs a square lattice or a chain; the \(shape[0])x\(shape[1]) lattice of one decimation step is the 45-degree rotated lattice, whose axes are not the array's",
                        hint: "decimate once more to get the \(shape[1])x\(shape[1]) square lattice")
    }
}
