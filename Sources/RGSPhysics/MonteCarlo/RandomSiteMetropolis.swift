import RGSNumerics

/// Metropolis attempts at randomly drawn sites, rows x columns per sweep (`SingleSpinChain`'s
/// `metropolis`; on the chain rows = 1).
///
/// One 64-bit draw per attempt: multiply-shift takes the row from the top of the draw (the high
/// word of draw x rows), the column from the top of what remains (the low word, times columns),
/// and the low word of that second product is the acceptance uniform. For each drawn site that
/// remainder is uniform to within rows x columns / 2^64 (exactly, with 64 - log2(rows x columns)
/// bits, for powers of two), and the sites are uniform to within the same bound. The choice of
/// sites does not depend on the spins and each flip is in detailed balance, so the Boltzmann
/// distribution stays invariant; for other sizes acceptance probabilities are off by at most
/// rows x columns / 2^64 (6e-11 at the largest lattice, 2^30 sites).
///
/// Neighbours come from per-column and per-row index offsets, thresholds from a table keyed by
/// 2 n + s (no multiplication by the spin): together with the single draw, 0.13 -> 0.21
/// attempts/ns at L = 32 (`MonteCarloBenchmark`). The offset tables take 16 bytes per row and
/// column, so they are kept only while they are no larger than the spins (or 64 KB): long
/// chains and 2 x N strips compute the wrapped offsets instead (a chain of 2^24 sites would
/// otherwise hold 256 MB of tables per chain, and run slower from the misses on them).
struct RandomSiteMetropolis: Sendable {
    let rows: Int, columns: Int
    /// Square lattice (four neighbours) or chain (two).
    let square: Bool
    /// The flip threshold of spin s with neighbour sum n at `2 n + s + 2 z + 1`.
    let thresholds: [UInt64]
    /// Index offsets of the (left, right) neighbours of a site in each column, and of the
    /// (upper, lower) neighbours in each row (unused on the chain); empty without `offsetTables`.
    let horizontal: [(Int, Int)], vertical: [(Int, Int)]
    /// Whether the offsets come from the tables.
    let offsetTables: Bool

    /// `offsetTables` overrides the choice of offset source (tests compare the two).
    init(lattice: Lattice, table: AcceptanceTable, offsetTables: Bool? = nil) {
        (rows, columns, square) = (lattice.rows, lattice.columns, lattice.coordination == 4)
        let z = lattice.coordination, columns = lattice.columns, rows = lattice.rows
        var keyed = [UInt64](repeating: 0, count: 4 * z + 3)
        for n in stride(from: -z, through: z, by: 2) {
            for s in [-1, 1] {
                keyed[2 * n + s + 2 * z + 1] = table.thresholds[(s * n + z) * 2 + (s + 1) / 2]
            }
        }
        thresholds = keyed
        let tables = offsetTables ?? (16 * (rows + columns) <= max(rows * columns, 1 << 16))
        self.offsetTables = tables
        horizontal = tables ? (0..<columns).map { Self.wrapped($0, last: columns - 1, step: 1) } : []
        vertical = tables ? (0..<rows).map { Self.wrapped($0, last: rows - 1, step: columns) } : []
    }

    /// One sweep over `s` (rows x columns spins).
    func sweep(_ s: UnsafeMutablePointer<Int8>, _ rng: inout RandomStream) {
        thresholds.withUnsafeBufferPointer { t in
            horizontal.withUnsafeBufferPointer { h in
                vertical.withUnsafeBufferPointer { v in
                    let (t, h, v) = (t.baseAddress!, h.baseAddress, v.baseAddress)
                    switch (square, offsetTables) {
                    case (true, true): Self.attempts(s, t, h, v, rows: rows, columns: columns, z: 4, tables: true, &rng)
                    case (true, false): Self.attempts(s, t, h, v, rows: rows, columns: columns, z: 4, tables: false, &rng)
                    case (false, true): Self.attempts(s, t, h, v, rows: rows, columns: columns, z: 2, tables: true, &rng)
                    case (false, false): Self.attempts(s, t, h, v, rows: rows, columns: columns, z: 2, tables: false, &rng)
                    }
                }
            }
        }
    }

    /// Index offsets of the previous and next neighbour of position i in 0...last along an axis
    /// whose positions are `step` apart, periodic.
    @inline(__always)
    static func wrapped(_ i: Int, last: Int, step: Int) -> (Int, Int) {
        (i == 0 ? last &* step : 0 &- step, i == last ? 0 &- last &* step : step)
    }

    /// The sweep for a constant coordination z and offset source (one loop per combination, no
    /// test inside).
    @inline(__always)
    private static func attempts(_ s: UnsafeMutablePointer<Int8>, _ t: UnsafePointer<UInt64>,
                                 _ horizontal: UnsafePointer<(Int, Int)>?, _ vertical: UnsafePointer<(Int, Int)>?,
                                 rows: Int, columns: Int, z: Int, tables: Bool, _ rng: inout RandomStream) {
        var local = rng
        let rows64 = UInt64(rows), columns64 = UInt64(columns), keyOffset = 2 &* z &+ 1
        let lastColumn = columns &- 1, lastRow = rows &- 1
        for _ in 0..<(rows &* columns) {
            let (rowDraw, rest) = local.next().multipliedFullWidth(by: rows64)
            let (columnDraw, uniform) = rest.multipliedFullWidth(by: columns64)
            let r = Int(truncatingIfNeeded: rowDraw), c = Int(truncatingIfNeeded: columnDraw)
            let site = r &* columns &+ c, si = s[site]
            let (left, right) = tables ? horizontal.unsafelyUnwrapped[c] : wrapped(c, last: lastColumn, step: 1)
            var n = Int(s[site &+ left]) &+ Int(s[site &+ right])
            if z == 4 {
                let (up, down) = tables ? vertical.unsafelyUnwrapped[r] : wrapped(r, last: lastRow, step: columns)
                n &+= Int(s[site &+ up]) &+ Int(s[site &+ down])
            }
            let flip: Int8 = uniform < t[2 &* n &+ Int(si) &+ keyOffset] ? 1 : 0
            s[site] = si &* (1 &- 2 &* flip)  // branch-free: the coin is unpredictable
        }
        rng = local
    }
}
