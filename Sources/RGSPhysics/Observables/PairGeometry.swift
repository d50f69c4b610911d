/// Pairs of sites at distance r along the lattice axes of a periodic chain or 2D lattice.
///
/// Distances run over 0...maxDistance = (shortest side) / 2; in 2D both axes are used (right and
/// down), so every site contributes `axes` pairs at each r.
struct PairGeometry: Sendable {
    let shape: [Int]
    let sites: Int
    let axes: Int
    let maxDistance: Int

    init(shape: [Int]) {
        self.shape = shape
        sites = shape.reduce(1, *)
        axes = shape.count
        maxDistance = (shape.min() ?? 0) / 2
    }

    /// Adds sum_i sum_axes x_i x_{i + r e_axis} to `acc[r]` for r in 0...maxDistance.
    func accumulate(_ x: UnsafePointer<Double>, into acc: UnsafeMutablePointer<Double>) {
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
}
