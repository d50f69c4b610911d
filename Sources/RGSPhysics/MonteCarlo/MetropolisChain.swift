import RGSNumerics

/// Single-spin Metropolis for the nearest-neighbour models (2D `ising` and the `ising1d` chain),
/// sequential (row-major) or checkerboard order.
///
/// The hot loop runs over raw pointers with integer thresholds and one 64-bit draw per attempt
/// (RECIPES §7); the neighbour table keeps chain and square lattice in one kernel.
struct MetropolisChain: SpinChain {
    let lattice: Lattice
    let table: AcceptanceTable
    let field: Double
    let checkerboard: Bool
    private(set) var spins: [Int8]

    init(lattice: Lattice, beta: Double, field: Double, checkerboard: Bool) {
        self.lattice = lattice
        self.table = AcceptanceTable(beta: beta, field: field, coordination: lattice.coordination)
        self.field = field
        self.checkerboard = checkerboard
        self.spins = alignedStart(count: lattice.siteCount, field: field)
    }

    var energyPerSpin: Double {
        let m = spins.reduce(0) { $0 + Int($1) }
        return -(Double(lattice.bondSum(spins)) + field * Double(m)) / Double(lattice.siteCount)
    }

    mutating func sweep(_ rng: inout RandomStream) {
        let rows = lattice.rows, columns = lattice.columns, z = lattice.coordination
        let colours = checkerboard ? 2 : 1
        spins.withUnsafeMutableBufferPointer { s in
            lattice.neighbours.withUnsafeBufferPointer { nb in
                table.thresholds.withUnsafeBufferPointer { t in
                    for colour in 0..<colours {
                        Self.update(s.baseAddress!, nb.baseAddress!, t.baseAddress!, rows: rows, columns: columns,
                                    coordination: z, colour: checkerboard ? colour : -1, &rng)
                    }
                }
            }
        }
    }

    /// Visits every site (colour -1) or the sites with (r + c) % 2 == colour, row by row.
    private static func update(_ s: UnsafeMutablePointer<Int8>, _ nb: UnsafePointer<Int32>, _ t: UnsafePointer<UInt64>,
                               rows: Int, columns: Int, coordination z: Int, colour: Int,
                               _ rng: inout RandomStream) {
        var local = rng
        let step = colour < 0 ? 1 : 2
        for r in 0..<rows {
            var i = r &* columns &+ (colour < 0 ? 0 : (r &+ colour) & 1)
            let end = (r &+ 1) &* columns
            while i < end {
                let si = s[i]
                let links = nb + i &* z
                var n = Int(s[Int(links[0])]) &+ Int(s[Int(links[1])])
                if z == 4 { n &+= Int(s[Int(links[2])]) &+ Int(s[Int(links[3])]) }
                let index = (Int(si) &* n &+ z) &* 2 &+ Int((si &+ 1) >> 1)
                let flip: Int8 = local.next() < t[index] ? 1 : 0
                s[i] = si &* (1 &- 2 &* flip)
                i &+= step
            }
        }
        rng = local
    }
}
