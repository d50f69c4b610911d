import RGSNumerics

/// Consecutive blocks of a group's samples and the delete-one-block jackknife over them, for
/// estimates that are vectors (G(r) for every r) or nonlinear in the data (fitted exponents).
///
/// Blocks match `Statistics.jackknife`: `min(bins, count)` blocks of `count / blocks` samples, the
/// last one taking the remainder, so correlations shorter than a block do not shrink the errors.
struct SampleBlocks {
    /// Positions (into the group's sample list) of each block.
    let ranges: [Range<Int>]

    init(count: Int, bins: Int) {
        let blocks = max(1, min(bins, count))
        let size = count / blocks
        ranges = (0..<blocks).map { b in (b * size)..<(b == blocks - 1 ? count : (b + 1) * size) }
    }

    /// The full estimate `estimate(nil)` with jackknife errors from `estimate(b)`, the estimate
    /// without block b; element by element. NaN replicas make the error NaN, never a trap.
    func jackknife(_ estimate: (_ leftOut: Int?) -> [Double]) -> [Measurement] {
        let full = estimate(nil)
        let nb = ranges.count
        guard nb > 1 else { return full.map { Measurement($0, error: .nan) } }  // no error estimate from one block
        let replicas = (0..<nb).map { estimate($0) }
        return full.indices.map { k in
            let values = replicas.map { $0[k] }
            let mean = Statistics.mean(values)
            let spread = values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) }
            return Measurement(full[k], error: (spread * Double(nb - 1) / Double(nb)).squareRoot())
        }
    }
}
