import RGSNumerics

/// The linear coarse-graining maps as dense weight matrices, for the hard-coded HCG nets of the
/// autoencoder paper (sec. II.4: HCG-1024-512, HCG-512-256) and their up-scaling partners.
///
/// Orientation: W has `from` rows and `to` columns, and a linearised row-major lattice x (a row
/// vector of `from` values) is coarse-grained by y = x W, exactly as a dense layer without bias
/// applies its weights (the paper's eq. 6, Y_j = sum_i Y_i W_ij). Row i is an input site, column
/// j an output site. So `x W == decimate(x)` and `x W == blockspin(x, block: b)` site by site.
///
/// The majority rule is not linear (a sign of a sum) and has no matrix: asking for one throws.
public enum CoarseGraining {
    /// W (from x to) for `rule` on the 2D lattice inferred from the sizes: `from = L^2` is an L x L
    /// lattice and `from = 2 m^2` the 2m x m lattice of a previous decimation (never both). `to`
    /// must be what one step of `rule` produces. For chains use `matrix(shape:rule:)`.
    public static func matrix(from: Int, to: Int, rule: RGRule) throws -> Matrix {
        try checkSize(from, to)
        let shape = try lattice(sites: from, rule: rule)
        let w = try matrix(shape: shape, rule: rule)
        guard w.columns == to else {
            throw CoreError("\(rule.name) maps \(from) sites (\(shapeText(shape))) to \(w.columns), not \(to)")
        }
        return w
    }

    /// W (sites x coarse sites) for one step of `rule` on a lattice of `shape` (1D or 2D).
    public static func matrix(shape: [Int], rule: RGRule) throws -> Matrix {
        let (n, overflow) = shape.reduce((1, false)) { product, side in
            let next = product.0.multipliedReportingOverflow(by: side)
            return (next.partialValue, product.1 || next.overflow)
        }
        guard !overflow, n <= maximumEntries else { throw CoreError("a lattice of \(shapeText(shape)) sites is too large for a weight matrix") }
        let coarse = try linearMap(shape: shape, rule: rule)
        try checkSize(n, coarse.count)
        var w = Matrix(rows: n, columns: coarse.count)
        for (j, sites) in coarse.enumerated() {
            for i in sites { w[i, j] = 1 / Double(sites.count) }
        }
        return w
    }

    /// U (to_coarse x from_fine) that up-scales a coarse lattice back to the fine one by copying:
    /// every fine site takes the value of the coarse site it was coarse-grained into (for
    /// decimation: a kept site keeps its value and a removed site takes its partner's, the kept
    /// site of the same column pair or the even row above; for blocks: the whole block takes the
    /// block spin). `y_fine = x_coarse U`, so `U W` is the identity: up-scaling then
    /// coarse-graining returns the input. The fixed counterpart of the paper's trained UP-256-512
    /// and UP-512-1024 nets (sec. II.3); `from` is the coarse size, `to` the fine size.
    public static func upScalingMatrix(from: Int, to: Int, rule: RGRule) throws -> Matrix {
        try checkSize(from, to)
        let shape = try lattice(sites: to, rule: rule)
        let coarse = try linearMap(shape: shape, rule: rule)
        guard coarse.count == from else {
            throw CoreError("\(rule.name) up-scaling to \(to) sites (\(shapeText(shape))) starts from \(coarse.count) sites, not \(from)")
        }
        try checkSize(from, to)
        var u = Matrix(rows: from, columns: to)
        for (j, sites) in coarse.enumerated() {
            for i in block(of: sites, shape: shape, rule: rule) { u[j, i] = 1 }
        }
        return u
    }

    /// For each coarse site, the fine sites it averages (one site for decimation).
    private static func linearMap(shape: [Int], rule: RGRule) throws -> [[Int]] {
        switch rule {
        case .decimate:
            return try DecimationStep.sourceSites(for: shape).map { [$0] }
        case .blockspin(let b, let rounded, _):
            guard !rounded else {
                throw CoreError("rounded blockspin is not linear (it takes a sign) and has no weight matrix",
                                hint: "use blockspin(block: \(b)) without rounding")
            }
            let g = try BlockGeometry(shape: shape, block: b, rule: "blockspin")
            return (0..<g.outShape.reduce(1, *)).map { g.sites(ofBlock: $0) }
        case .majority:
            throw CoreError("the majority rule is not linear (it takes the sign of a block sum) and has no weight matrix",
                            hint: "use decimate or blockspin for a coarse-graining matrix")
        }
    }

    /// The fine sites that copy coarse site j when up-scaling.
    private static func block(of sites: [Int], shape: [Int], rule: RGRule) -> [Int] {
        guard case .decimate = rule, let kept = sites.first else { return sites }
        if shape.count == 2 && shape[0] == 2 * shape[1] {
            return [kept, kept + shape[1]]          // the removed odd row below
        }
        return [kept & ~1, kept | 1]                // the column pair (2k, 2k+1) or chain pair
    }

    /// The 2D lattice with `sites` spins that `rule` starts from.
    private static func lattice(sites: Int, rule: RGRule) throws -> [Int] {
        guard sites > 0 else { throw CoreError("the number of sites must be positive (got \(sites))") }
        let side = integerSquareRoot(sites)
        if side * side == sites { return [side, side] }
        if case .decimate = rule, sites % 2 == 0 {
            let m = integerSquareRoot(sites / 2)
            if 2 * m * m == sites { return [2 * m, m] }
        }
        throw CoreError(
            "\(sites) sites is not an L x L lattice\(rule == .decimate ? " nor the L x L/2 lattice of a decimation" : "")",
            hint: "`from` (or, up-scaling, `to`) counts the sites of an L x L lattice"
                + (rule == .decimate ? ", or of the 2m x m lattice one decimation leaves (2 m^2)" : "") + "; chains and other shapes have no built-in matrix")
    }

    private static let maximumEntries = 1 << 28

    /// Refuses matrices above 2^28 entries (2 GB) or above the free memory, before anything is allocated.
    private static func checkSize(_ rows: Int, _ columns: Int) throws {
        let (entries, overflow) = rows.multipliedReportingOverflow(by: columns)
        guard !overflow, entries <= maximumEntries else {
            throw CoreError("a \(rows)x\(columns) weight matrix is too large (more than 2^28 entries)")
        }
        try SystemMemory.check(Double(entries) * Double(MemoryLayout<Double>.stride), for: "a \(rows)x\(columns) weight matrix",
                               hint: "use a smaller lattice")
    }

    private static func integerSquareRoot(_ n: Int) -> Int {
        var r = Int(Double(n).squareRoot())
        while r * r > n { r -= 1 }
        while (r + 1) * (r + 1) <= n { r += 1 }
        return r
    }
}
