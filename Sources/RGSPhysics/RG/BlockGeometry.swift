import RGSNumerics

/// How a block rule tiles a lattice: b x b blocks in 2D, b consecutive sites in 1D.
struct BlockGeometry: Sendable {
    /// Input lattice rows and columns (a chain is one row).
    let rows: Int, columns: Int
    /// Block height and width (height 1 for a chain).
    let height: Int, width: Int
    /// The coarse shape.
    let outShape: [Int]

    var outRows: Int { rows / height }
    var outColumns: Int { columns / width }

    /// Validates `block` against `shape` for the rule called `rule` ("majority", "blockspin").
    init(shape: [Int], block: Int, rule: String) throws {
        guard block >= 2 else {
            throw CoreError("\(rule) block must be at least 2 (got \(block))", argument: "block")
        }
        switch shape.count {
        case 1:
            guard shape[0] % block == 0 else {
                throw CoreError("\(rule) with block \(block) needs a chain length divisible by \(block) (got \(shape[0]))", argument: "block")
            }
            (rows, columns, height, width) = (1, shape[0], 1, block)
            outShape = [shape[0] / block]
        case 2:
            try RotatedLattice.refuse("\(rule)", shape: shape)
            guard shape[0] % block == 0, shape[1] % block == 0 else {
                throw CoreError(
                    "\(rule) with block \(block) needs lattice sides divisible by \(block) (got \(shapeText(shape)))", argument: "block")
            }
            (rows, columns, height, width) = (shape[0], shape[1], block, block)
            outShape = [shape[0] / block, shape[1] / block]
        default:
            throw CoreError("\(rule) needs a 1D chain or a 2D lattice (got a \(shape.count)D shape)")
        }
    }

    /// The input sites of coarse site `j`, top-left (first) site first, row by row.
    func sites(ofBlock j: Int) -> [Int] {
        let br = j / outColumns, bc = j % outColumns
        var out = [Int]()
        out.reserveCapacity(height * width)
        for dr in 0..<height {
            for dc in 0..<width { out.append((br * height + dr) * columns + bc * width + dc) }
        }
        return out
    }
}

/// How a majority vote over an even number of spins decides a tie.
public enum TieRule: String, Sendable, CaseIterable {
    /// The block's first (top-left) spin decides: deterministic and spin-flip symmetric.
    case firstSpin = "first"
    /// A fair coin from `RandomStream(seed: label.seed, stream: sample + 2^40 * inputSites)`:
    /// keyed by the sample's seed and index (never the thread), and by the input lattice size so
    /// that successive RG steps draw different coins.
    case random
}

/// The random stream that breaks ties for sample `index` of a lattice with `sites` spins.
func tieStream(_ label: SampleLabel, sample index: Int, sites: Int) -> RandomStream {
    RandomStream(seed: label.seed, stream: UInt64(index) &+ (UInt64(sites) << 40))
}
