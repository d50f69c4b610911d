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

    /// The indices of the sites `steps` bonds from (row, k) along the two lattice axes, the
    /// original (1, 1) and (1, -1) diagonals (negative steps go up). The period along both is 2m.
    static func neighbours(row: Int, k: Int, steps: Int, columns: Int) -> (Int, Int) {
        let side = 2 * columns, column = 2 * k + row % 2
        let down = ((row + steps) % side + side) % side
        let right = ((column + steps) % side + side) % side, left = ((column - steps) % side + side) % side
        return (down * columns + right / 2, down * columns + left / 2)
    }

    /// The sites of the window of (2 reach + 1)^2 sites around every site along the lattice's own
    /// axes (the original diagonals: original sites (r + a + b, c + a - b) for a, b in
    /// -reach...reach): site i's window is elements i (2 reach + 1)^2 ..< (i + 1) (2 reach + 1)^2.
    /// The sites of a window are distinct while 2 reach + 1 <= columns.
    static func windows(rows: Int, columns: Int, reach: Int) -> [Int] {
        var out: [Int] = []
        out.reserveCapacity(rows * columns * (2 * reach + 1) * (2 * reach + 1))
        for r in 0..<rows {
            for k in 0..<columns {
                for a in -reach...reach {
                    let along = neighbours(row: r, k: k, steps: a, columns: columns).0
                    for b in -reach...reach {
                        out.append(neighbours(row: along / columns, k: along % columns, steps: b, columns: columns).1)
                    }
                }
            }
        }
        return out
    }

    /// The sum over nearest-neighbour bonds of s_i s_j (each bond once) of one sample.
    static func bondSum(_ p: UnsafePointer<Float>, rows: Int, columns: Int) -> Double {
        var sum = 0.0
        for r in 0..<rows {
            for k in 0..<columns {
                let (along, across) = neighbours(row: r, k: k, steps: 1, columns: columns)
                sum += Double(p[r * columns + k] * (p[along] + p[across]))
            }
        }
        return sum
    }

    /// s_i times the sum of its four neighbours at every site of one sample.
    static func bondField(_ p: UnsafePointer<Float>, rows: Int, columns: Int, into out: UnsafeMutablePointer<Double>) {
        for r in 0..<rows {
            for k in 0..<columns {
                let (down1, down2) = neighbours(row: r, k: k, steps: 1, columns: columns)
                let (up1, up2) = neighbours(row: r, k: k, steps: -1, columns: columns)
                out[r * columns + k] = Double(p[r * columns + k] * (p[down1] + p[down2] + p[up1] + p[up2]))
            }
        }
    }

    /// Throws for observables measured along the array's axes, which are not lattice axes here.
    public static func refuse(_ what: String, shape: [Int]) throws(CoreError) {
        guard contains(shape) else { return }
        throw CoreError("\(what) needs a square lattice or a chain; the \(shape[0])x\(shape[1]) lattice of one decimation step is the 45-degree rotated lattice, whose axes are not the array's",
                        hint: "decimate once more to get the \(shape[1])x\(shape[1]) square lattice")
    }
}
