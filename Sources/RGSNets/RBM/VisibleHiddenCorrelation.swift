import RGSNumerics
import RGSPhysics

/// The <v h> correlator of the long-range paper (sec. II B, Figs. 6-7): the correlation of every
/// input spin v_i with a coarse spin h_a, over samples s: <v_i h_a> = (1/N) sum_s v_si h_sa.
///
/// The coarse configurations are any ensemble with one sample per input sample: a stacked RBM
/// layer's hidden configurations (`RBMStack.hiddenLayers`) or RG block spins (`blockspin`,
/// `majority`), so both are measured the same way. `connected` subtracts <v_i><h_a>.
public enum VisibleHiddenCorrelation {
    /// The n x m matrix <v_i h_a> (accumulated in double precision over chunks of samples).
    public static func matrix(visible: Ensemble, hidden: Ensemble, connected: Bool = false) throws(CoreError) -> Matrix {
        try check(visible, hidden)
        let n = visible.siteCount, m = hidden.siteCount, chunk = 1024
        var total = [Double](repeating: 0, count: n * m)
        var partial = [Float](repeating: 0, count: n * m)
        var first = 0
        while first < visible.count {
            let rows = Array(first..<min(visible.count, first + chunk))
            let v = visible.floatMatrix(rows), h = hidden.floatMatrix(rows)
            v.withUnsafeBufferPointer { a in
                h.withUnsafeBufferPointer { b in
                    partial.withUnsafeMutableBufferPointer { c in
                        BLAS.sgemm(n, m, rows.count, a.baseAddress!, transA: true, b.baseAddress!, c.baseAddress!, blocked: true)
                    }
                }
            }
            for j in total.indices { total[j] += Double(partial[j]) }
            first += chunk
        }
        let count = Double(visible.count)
        var result = Matrix(rows: n, columns: m, storage: total.map { $0 / count })
        if connected {
            let vMean = means(visible), hMean = means(hidden)
            for i in 0..<n { for a in 0..<m { result[i, a] -= vMean[i] * hMean[a] } }
        }
        return result
    }

    /// <v_i h_a> for one coarse unit `unit`, as a lattice image of the visible lattice.
    public static func image(visible: Ensemble, hidden: Ensemble, unit: Int, connected: Bool = false) throws(CoreError) -> Matrix {
        try check(visible, hidden)
        guard (0..<hidden.siteCount).contains(unit) else {
            throw CoreError("coarse unit \(unit) does not exist (0..<\(hidden.siteCount))")
        }
        let n = visible.siteCount
        var sum = [Double](repeating: 0, count: n)
        var hSum = 0.0
        var row = [Float](repeating: 0, count: n)
        for s in 0..<visible.count {
            let h = Double(hidden.value(s, unit))
            hSum += h
            row.withUnsafeMutableBufferPointer { visible.copySample(s, into: $0.baseAddress!) }
            for i in 0..<n { sum[i] += Double(row[i]) * h }
        }
        let count = Double(visible.count)
        var values = sum.map { $0 / count }
        if connected {
            let vMean = means(visible)
            for i in 0..<n { values[i] -= vMean[i] * hSum / count }
        }
        return RBM.latticeImage(values, shape: visible.shape)
    }

    private static func check(_ visible: Ensemble, _ hidden: Ensemble) throws(CoreError) {
        guard visible.count > 0 else { throw CoreError("<v h> needs samples, but the ensembles are empty") }
        guard visible.count == hidden.count else {
            throw CoreError("<v h> needs one coarse sample per input sample: got \(visible.count) inputs and \(hidden.count) coarse samples",
                            hint: "pass the coarse-grained (or hidden) layer of the same ensemble")
        }
    }

    private static func means(_ e: Ensemble) -> [Double] {
        var sum = [Double](repeating: 0, count: e.siteCount)
        for s in 0..<e.count { for i in 0..<e.siteCount { sum[i] += Double(e.value(s, i)) } }
        return sum.map { $0 / Double(e.count) }
    }
}
