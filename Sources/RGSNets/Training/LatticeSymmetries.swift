import RGSNumerics
import RGSPhysics

/// Random symmetry images of periodic lattice samples, for data augmentation.
///
/// The group is that of the periodic lattice: every translation, the reflections of each axis,
/// the transpose of a square lattice (with the reflections: the 8 rotations and reflections of
/// the square), and, when `spinFlip`, the global flip s -> -s (a symmetry of the Ising models
/// at h = 0 only). Training on a random image of each sample, drawn anew every epoch, gives the
/// net the invariances of the physics instead of letting it memorise orientations: it is valid
/// when the distribution of the samples and the target are unchanged by these operations (beta,
/// T, and h = 0 for the flip), or when the target is the input itself and is transformed with it.
public struct LatticeSymmetries: Sendable, Equatable {
    /// Lattice rows and columns (a chain is one row).
    public let rows: Int, columns: Int
    /// Whether the global spin flip is included.
    public let spinFlip: Bool
    /// Whether the targets are the inputs (an autoencoder) and take the same image.
    public let transformsTargets: Bool

    /// The symmetries of a lattice of `shape` ([L] or [rows, columns]); nil for other shapes and
    /// for a `RotatedLattice`.
    public init?(shape: [Int], spinFlip: Bool, transformsTargets: Bool) {
        switch shape.count {
        case 1: (rows, columns) = (1, shape[0])
        case 2: (rows, columns) = (shape[0], shape[1])
        default: return nil
        }
        // The array's symmetries are not those of the rotated lattice of one decimation step.
        guard rows >= 1, columns >= 1, !RotatedLattice.contains(shape) else { return nil }
        self.spinFlip = spinFlip
        self.transformsTargets = transformsTargets
    }

    /// Writes a random image of the sample `x` (rows x columns values) to `y`.
    func image(of x: UnsafePointer<Float>, into y: UnsafeMutablePointer<Float>, random: inout RandomStream) {
        let shiftRow = random.below(rows), shiftColumn = random.below(columns)
        let reflections = random.below(4)
        let transpose = rows == columns && random.below(2) == 1
        let sign: Float = spinFlip && random.below(2) == 1 ? -1 : 1
        for i in 0..<rows {
            for j in 0..<columns {
                var (a, b) = transpose ? (j, i) : (i, j)
                if reflections & 1 != 0 { a = rows - 1 - a }
                if reflections & 2 != 0 { b = columns - 1 - b }
                a = (a + shiftRow) % rows
                b = (b + shiftColumn) % columns
                y[i * columns + j] = sign * x[a * columns + b]
            }
        }
    }
}

/// The augmentation images of one epoch: the symmetries and the epoch's random stream, drawn in
/// row order.
struct SymmetryImages {
    let symmetries: LatticeSymmetries
    var random: RandomStream

    /// Writes a random image of `x` to `y`.
    mutating func image(of x: UnsafePointer<Float>, into y: UnsafeMutablePointer<Float>) {
        symmetries.image(of: x, into: y, random: &random)
    }
}
