import Foundation
import RGSNumerics

public extension Ensemble {
    /// Local Shannon entropy per site, in bits, of every sample (the autoencoder paper, sec. III.3).
    ///
    /// As the paper's scikit-image rank filter: values are quantised to `levels` grey levels
    /// (default 256, an 8-bit image), mapping [-1, 1] linearly onto 0...levels-1 and clipping
    /// outside it, so spins are levels 0 and levels-1. Around every site the k x k window (k sites
    /// on a chain) centred on it gives a histogram of levels and H = -sum_l p_l log2 p_l; the
    /// sample's value is the mean of H over its sites. The window wraps periodically, like the
    /// lattice (scikit-image instead drops pixels outside the image). On the 2m x m lattice of one
    /// decimation step (`RotatedLattice`) the window is k x k along that lattice's own axes, the
    /// original diagonals. k must be odd, at most the shortest side.
    func localEntropyPerSample(window k: Int = 3, levels: Int = 256) throws -> [Double] {
        try LocalEntropy.validate(self, window: k, levels: levels)
        let geometry = LocalEntropy(shape: shape, window: k, levels: levels)
        var out = [Double](repeating: 0, count: count)
        let chunk = 64
        out.withUnsafeMutableBufferPointer { buffer in
            nonisolated(unsafe) let result = buffer.baseAddress!
            Parallel.forEach((count + chunk - 1) / chunk) { c in
                var values = [Float](repeating: 0, count: siteCount)
                for s in (c * chunk)..<min(count, (c + 1) * chunk) {
                    if Cancellation.isRequested { return }
                    values.withUnsafeMutableBufferPointer { copySample(s, into: $0.baseAddress!) }
                    result[s] = geometry.meanEntropy(values, isSpin: isSpin)
                }
            }
        }
        try Cancellation.check()
        return out
    }

    /// Mean local entropy per site (bits) for every (beta, h) group: columns beta, T, h and value
    /// with binning errors over `bins` blocks of samples.
    func localEntropies(window k: Int = 3, levels: Int = 256, bins: Int = 20) throws -> Table {
        let (groups, values) = try groupedEntropies(window: k, levels: levels, bins: bins)
        return Table(title: "local entropy (\(k)x\(k), bits)",
                     columns: ObservableSupport.labelColumns(groups, rows: groups.map { _ in 1 })
                         + [Table.Column("value", values.map(\.value), errors: values.map(\.error))])
    }

    /// Mean local entropy per site (bits) of an ensemble with a single (beta, h) label.
    func localEntropy(window k: Int = 3, levels: Int = 256, bins: Int = 20) throws -> RGSNumerics.Measurement {
        let (groups, values) = try groupedEntropies(window: k, levels: levels, bins: bins)
        return try ObservableSupport.single(groups, values, what: "entropy")
    }

    private func groupedEntropies(window k: Int, levels: Int,
                                  bins: Int) throws -> ([LabelGroup], [RGSNumerics.Measurement]) {
        try ObservableSupport.validate(self, bins: bins)
        let perSample = try localEntropyPerSample(window: k, levels: levels)
        let groups = labelGroups()
        return (groups, groups.map { Statistics.binned($0.samples.map { perSample[$0] }, bins: bins) })
    }
}

/// Windows, quantisation and entropy table of the local entropy of one lattice shape.
struct LocalEntropy: Sendable {
    let shape: [Int]
    let window: Int
    let levels: Int
    /// -p log2 p for p = c / (window area), c = 0...area.
    private let terms: [Double]
    /// The window's sites around every site of a rotated lattice (`RotatedLattice.windows`); nil
    /// for lattices whose windows slide along the array.
    private let rotatedWindows: [Int]?

    init(shape: [Int], window: Int, levels: Int) {
        self.shape = shape
        self.window = window
        self.levels = levels
        let area = shape.count == 1 ? window : window * window
        terms = (0...area).map { c in
            let p = Double(c) / Double(area)
            return c == 0 ? 0 : -p * log2(p)
        }
        rotatedWindows = RotatedLattice.contains(shape)
            ? RotatedLattice.windows(rows: shape[0], columns: shape[1], reach: window / 2) : nil
    }

    static func validate(_ ensemble: Ensemble, window k: Int, levels: Int) throws {
        let side = ensemble.shape.min() ?? 0
        guard k >= 1, k % 2 == 1, k <= side else {
            throw CoreError("the entropy window must be odd and at most the shortest side \(side) (got \(k))",
                            hint: "the autoencoder paper uses 3", argument: "k")
        }
        guard levels >= 2 else { throw CoreError("levels must be at least 2 (got \(levels))", hint: "the default is 256", argument: "levels") }
    }

    /// The mean over sites of the windowed entropy of one sample.
    func meanEntropy(_ values: [Float], isSpin: Bool) -> Double {
        isSpin ? spinEntropy(values) : generalEntropy(values)
    }

    private var rows: Int { shape.count == 1 ? 1 : shape[0] }
    private var columns: Int { shape.count == 1 ? shape[0] : shape[1] }
    /// How far the window reaches up and down (0 on a chain) and sideways.
    private var reach: (rows: Int, columns: Int) { (shape.count == 1 ? 0 : window / 2, window / 2) }

    /// +-1 spins take two levels, so each window's entropy follows from its count of up spins,
    /// summed with sliding row and column windows.
    private func spinEntropy(_ values: [Float]) -> Double {
        let rows = rows, columns = columns, reach = reach
        let area = terms.count - 1
        if let windows = rotatedWindows {
            var total = 0.0
            for i in 0..<(rows * columns) {
                var up = 0
                for j in (i * area)..<((i + 1) * area) where values[windows[j]] > 0 { up += 1 }
                total += terms[up] + terms[area - up]
            }
            return total / Double(rows * columns)
        }
        var across = [Int](repeating: 0, count: rows * columns)
        for r in 0..<rows {
            for c in 0..<columns {
                var up = 0
                for dc in -reach.columns...reach.columns where values[r * columns + (c + dc + columns) % columns] > 0 { up += 1 }
                across[r * columns + c] = up
            }
        }
        var total = 0.0
        for r in 0..<rows {
            for c in 0..<columns {
                var up = 0
                for dr in -reach.rows...reach.rows { up += across[((r + dr + rows) % rows) * columns + c] }
                total += terms[up] + terms[area - up]
            }
        }
        return total / Double(rows * columns)
    }

    /// Any values: quantise, then sort each window's levels and count runs.
    private func generalEntropy(_ values: [Float]) -> Double {
        let scale = Float(levels - 1) / 2
        let level = values.map { v in Int32(max(0, min(Float(levels - 1), ((v + 1) * scale).rounded()))) }
        let rows = rows, columns = columns, reach = reach
        var box = [Int32](repeating: 0, count: terms.count - 1)
        var total = 0.0
        for r in 0..<rows {
            for c in 0..<columns {
                if let windows = rotatedWindows {
                    let first = (r * columns + c) * box.count
                    for k in box.indices { box[k] = level[windows[first + k]] }
                } else {
                    var k = 0
                    for dr in -reach.rows...reach.rows {
                        let row = ((r + dr + rows) % rows) * columns
                        for dc in -reach.columns...reach.columns {
                            box[k] = level[row + (c + dc + columns) % columns]
                            k += 1
                        }
                    }
                }
                box.sort()
                var run = 1
                for i in 1..<box.count {
                    if box[i] == box[i - 1] { run += 1 } else { total += terms[run]; run = 1 }
                }
                total += terms[run]
            }
        }
        return total / Double(rows * columns)
    }
}
