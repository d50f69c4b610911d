/// Pairs of sites at distance r along the lattice axes of a periodic chain, square lattice or
/// rotated lattice (`RotatedLattice`).
///
/// Distances run over 0...maxDistance, half the period along an axis: (shortest side) / 2 on a
/// chain or an array-aligned lattice, and the row count / 2 on a 2m x m rotated lattice, whose
/// axes are the original diagonals (period 2m, distances in its own lattice spacing). In 2D both
/// axes are used, so every site contributes `axes` pairs at each r.
struct PairGeometry: Sendable {
    let shape: [Int]
    let sites: Int
    let axes: Int
    let maxDistance: Int
    let rotated: Bool

    init(shape: [Int]) {
        self.shape = shape
        sites = shape.reduce(1, *)
        axes = shape.count
        rotated = RotatedLattice.contains(shape)
        maxDistance = Self.period(shape) / 2
    }

    /// The period along a lattice axis: the shortest side, or the row count 2m of a rotated lattice.
    static func period(_ shape: [Int]) -> Int {
        RotatedLattice.contains(shape) ? shape[0] : shape.min() ?? 0
    }

    /// Adds sum_i sum_axes x_i x_{i + r e_axis} to `acc[r]` for r in 0...maxDistance.
    func accumulate(_ x: UnsafePointer<Double>, into acc: UnsafeMutablePointer<Double>) {
        if rotated {
            accumulateRotated(x, into: acc)
            return
        }
        if shape.count == 1 {
            let n = shape[0]
            for r in 0...maxDistance {
                var sum = 0.0
                for i in 0..<n { sum += x[i] * x[i + r < n ? i + r : i + r - n] }
                acc[r] += sum
            }
            return
        }
        let rows = shape[0], columns = shape[1]
        for r in 0...maxDistance {
            var sum = 0.0
            for row in 0..<rows {
                let here = row * columns, down = ((row + r) % rows) * columns
                for c in 0..<columns {
                    let right = c + r < columns ? c + r : c + r - columns
                    sum += x[here + c] * (x[here + right] + x[down + c])
                }
            }
            acc[r] += sum
        }
    }

    private func accumulateRotated(_ x: UnsafePointer<Double>, into acc: UnsafeMutablePointer<Double>) {
        let columns = shape[1]
        for r in 0...maxDistance {
            var sum = 0.0
            for row in 0..<shape[0] {
                for k in 0..<columns {
                    let (along, across) = RotatedLattice.neighbours(row: row, k: k, steps: r, columns: columns)
                    sum += x[row * columns + k] * (x[along] + x[across])
                }
            }
            acc[r] += sum
        }
    }
}
