import RGSNumerics

/// Single-spin Metropolis or heat-bath updates for the nearest-neighbour models (2D `ising` and
/// the `ising1d` chain), in sequential (row-major) or checkerboard order.
///
/// The hot loop runs over raw pointers with integer thresholds and one 64-bit draw per attempt;
/// the chain is a lattice of one row without up and down neighbours.
///
/// Sequential Metropolis visits N random sites per sweep instead of the sites in order: in order,
/// a spin with dE = 0 flips with certainty, so a domain wall is carried along the sweep and the
/// sweep is not ergodic on the chain without field (beta = 0.5, N = 10: e = -0.78 against the
/// exact -0.463) nor on 2 x 2 and 3 x 3 lattices (3 x 3: five closed classes of the 512-state
/// sweep matrix, e ~0.85% off). Random sites make every single flip possible at every step.
/// In a field (square lattice or chain) every sweep ends with a `FieldClusterMove` attempt.
struct SingleSpinChain: SpinChain {
    let lattice: Lattice
    let table: AcceptanceTable
    let field: Double
    let checkerboard: Bool
    /// Metropolis not in checkerboard order: attempts at random sites.
    let randomSites: RandomSiteMetropolis?
    private(set) var spins: [Int8]
    /// In a field, a cluster flip attempted (with probability 1/2) after every sweep of local
    /// updates.
    private var cluster: FieldClusterMove?

    init(lattice: Lattice, beta: Double, field: Double, checkerboard: Bool, rule: FlipRule = .metropolis) {
        let rule = rule.at(beta: beta)
        self.lattice = lattice
        self.table = AcceptanceTable(beta: beta, field: field, coordination: lattice.coordination, rule: rule)
        self.field = field
        self.checkerboard = checkerboard
        randomSites = rule == .metropolis && !checkerboard ? RandomSiteMetropolis(lattice: lattice, table: table) : nil
        self.spins = alignedStart(count: lattice.siteCount, field: field)
        if field != 0, beta > 0, beta.isFinite {
            cluster = FieldClusterMove(lattice: lattice, beta: beta, field: field)
        }
    }

    var energyPerSpin: Double {
        let m = spins.reduce(0) { $0 + Int($1) }
        return -(Double(lattice.bondSum(spins)) + field * Double(m)) / Double(lattice.siteCount)
    }

    mutating func sweep(_ rng: inout RandomStream) {
        let rows = lattice.rows, columns = lattice.columns, square = lattice.coordination == 4
        let colours = checkerboard ? 2 : 1
        spins.withUnsafeMutableBufferPointer { s in
            if let randomSites { return randomSites.sweep(s.baseAddress!, &rng) }
            table.thresholds.withUnsafeBufferPointer { t in
                for colour in 0..<colours {
                    Self.update(s.baseAddress!, t.baseAddress!, rows: rows, columns: columns, square: square,
                                colour: checkerboard ? colour : -1, &rng)
                }
            }
        }
        if cluster != nil {
            let lattice = lattice
            spins.withUnsafeMutableBufferPointer { s in cluster?.attempt(s.baseAddress!, lattice, &rng) }
        }
    }

    /// Visits every site (colour -1) or the sites with (r + c) % 2 == colour, row by row;
    /// neighbours by row arithmetic (a table lookup per neighbour costs ~40% at L = 32).
    private static func update(_ s: UnsafeMutablePointer<Int8>, _ t: UnsafePointer<UInt64>,
                               rows: Int, columns: Int, square: Bool, colour: Int,
                               _ rng: inout RandomStream) {
        var local = rng
        let z = square ? 4 : 2
        for r in 0..<rows {
            let row = s + r &* columns
            let up = s + (r == 0 ? rows &- 1 : r &- 1) &* columns
            let down = s + (r == rows &- 1 ? 0 : r &+ 1) &* columns
            if colour < 0 {
                // Sequential: the left neighbour was just updated, so keep it in a register
                // instead of reloading the store (a loop-carried store-to-load dependency).
                var left = row[columns &- 1]
                for c in 0..<columns {
                    let si = row[c]
                    var n = Int(left) &+ Int(row[c == columns &- 1 ? 0 : c &+ 1])
                    if square { n &+= Int(up[c]) &+ Int(down[c]) }
                    let index = (Int(si) &* n &+ z) &* 2 &+ Int((si &+ 1) >> 1)
                    let flip: Int8 = local.next() < t[index] ? 1 : 0
                    left = si &* (1 &- 2 &* flip)
                    row[c] = left
                }
                continue
            }
            var c = (r &+ colour) & 1
            while c < columns {
                let si = row[c]
                var n = Int(row[c == 0 ? columns &- 1 : c &- 1]) &+ Int(row[c == columns &- 1 ? 0 : c &+ 1])
                if square { n &+= Int(up[c]) &+ Int(down[c]) }
                let index = (Int(si) &* n &+ z) &* 2 &+ Int((si &+ 1) >> 1)
                let flip: Int8 = local.next() < t[index] ? 1 : 0
                row[c] = si &* (1 &- 2 &* flip)
                c &+= 2
            }
        }
        rng = local
    }
}
