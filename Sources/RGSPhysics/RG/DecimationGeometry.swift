import RGSNumerics

/// Which of the alternating checkerboard decimation steps applies to a lattice shape.
///
/// The autoencoder paper (Shukla & Thakur, sec. II.1, II.4, Fig. 2, 4, 6) decimates a 32x32
/// lattice to 512 spins shown as 32x16, then to 16x16. In general:
///
/// - `.columns`: L x L -> L x L/2. Site (r, c) is kept when r + c is even (the "blue" sites of
///   Fig. 2); kept site (r, 2k + (r mod 2)) becomes (r, k). In linear row-major indices
///   i = r L + c and j = r (L/2) + k this is j = floor(i / 2) for every kept i. The paper's eq. 7,
///   "W_ij = 1 if floor(i/32 + i) is even", is read as floor(i/32) + i even, i.e. row + column
///   even (L = 32 is even), with the unstated j dependence being j = floor(i/2): each pair of
///   neighbouring columns (2k, 2k+1) keeps exactly one site and it lands in column k.
/// - `.rows`: 2m x m -> m x m (the L x L/2 lattice of the previous step, L = 2m). Even rows are
///   kept: (2r', k) becomes (r', k), i.e. i = 2r' m + k -> j = r' m + k. The paper's eq. 8,
///   "W_ij = 1 if floor(i/16) is even", keeps rows floor(i/16) even of the 32x16 lattice, the same
///   map with the unstated j = (i div 32) 16 + i mod 16. On the original lattice these are the sites
///   with both coordinates even: the checkerboard decimation of the emergent (45-degree rotated)
///   lattice of the first step, whose neighbours are the diagonal pairs.
/// - `.chain`: N -> N/2, site 2k becomes site k.
///
/// Two steps take L x L to L/2 x L/2; every step halves the number of spins.
enum DecimationStep: Sendable {
    case columns, rows, chain

    /// The step for `shape` and the shape it produces, or a user-facing error.
    static func plan(for shape: [Int]) throws -> (DecimationStep, [Int]) {
        switch shape.count {
        case 1:
            let n = shape[0]
            guard n >= 2, n % 2 == 0 else {
                throw CoreError("decimate needs a chain of even length (got \(n))")
            }
            return (.chain, [n / 2])
        case 2:
            let (rows, columns) = (shape[0], shape[1])
            if rows == columns {
                guard rows >= 2, rows % 2 == 0 else {
                    throw CoreError("decimate needs an even lattice side for the checkerboard (got \(rows)x\(columns))")
                }
                return (.columns, [rows, columns / 2])
            }
            if rows == 2 * columns {
                return (.rows, [columns, columns])
            }
            throw CoreError(
                "decimate needs an L x L lattice or the L x L/2 lattice of a previous decimation (got \(rows)x\(columns))")
        default:
            throw CoreError("decimate needs a 1D chain or a 2D lattice (got a \(shape.count)D shape)")
        }
    }

    /// For each site j of the decimated lattice, the site of `shape` it is copied from.
    static func sourceSites(for shape: [Int]) throws -> [Int] {
        let (step, out) = try plan(for: shape)
        let n = out.reduce(1, *)
        switch step {
        case .chain:
            return (0..<n).map { 2 * $0 }
        case .columns:
            let half = out[1], side = shape[1]
            return (0..<n).map { j in
                let r = j / half, k = j % half
                return r * side + 2 * k + (r & 1)
            }
        case .rows:
            let m = out[1]
            return (0..<n).map { j in (2 * (j / m)) * m + j % m }
        }
    }
}
