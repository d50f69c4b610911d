/// Per-sample magnetisation and energy of an ensemble: the raw series the observables average.
///
/// Energies are per spin, H / N, with the ensemble's own `model`; the field is each sample's label
/// `h`, so a joined scan in h (`ising(h: 0.1) + ising(h: 0.2)`) keeps both fields. Derived ensembles
/// (model nil) use the nearest-neighbour form of their shape without field: the chain for 1D, the
/// square lattice for 2D (the bonds of a `rows x columns` torus, or of a `RotatedLattice` for the
/// 2m x m lattice of one decimation step); continuous values enter as they are.
public extension Ensemble {
    /// m = (1/N) sum_i s_i for every sample.
    func magnetizations() -> [Double] {
        var out = [Double](repeating: 0, count: count)
        var buffer = [Float](repeating: 0, count: siteCount)
        buffer.withUnsafeMutableBufferPointer { b in
            for s in 0..<count {
                copySample(s, into: b.baseAddress!)
                var sum = 0.0
                for i in 0..<siteCount { sum += Double(b[i]) }
                out[s] = sum / Double(siteCount)
            }
        }
        return out
    }

    /// H / N for every sample.
    func energiesPerSpin() -> [Double] {
        let transform: LongRangeTransform? =
            if case .longRange(let alpha) = model, let side { LongRangeTransform(LongRangeCouplings(side: side, alpha: alpha)) } else { nil }
        var spins = [Double](repeating: 0, count: transform.map { siteCount + $0.scratchCount } ?? 0)
        let fieldFromLabels: Bool
        switch model {
        case .ising?, .chain?: fieldFromLabels = true
        case .longRange?, nil: fieldFromLabels = false
        }
        var out = [Double](repeating: 0, count: count)
        var buffer = [Float](repeating: 0, count: siteCount)
        buffer.withUnsafeMutableBufferPointer { b in
            let p = b.baseAddress!
            for s in 0..<count {
                copySample(s, into: p)
                let bonds = transform.map { t in
                    spins.withUnsafeMutableBufferPointer { d in
                        for i in 0..<siteCount { d[i] = Double(p[i]) }
                        return t.bondSum(d.baseAddress!, scratch: d.baseAddress! + siteCount)
                    }
                } ?? nearestNeighbourBondSum(p)
                var m = 0.0
                for i in 0..<siteCount { m += Double(p[i]) }
                let h = fieldFromLabels ? labels[s].h : 0
                out[s] = -(bonds + h * m) / Double(siteCount)
            }
        }
        return out
    }

    /// sum over nearest-neighbour bonds of s_i s_j (each bond once: right and down neighbours;
    /// the diagonal ones of a `RotatedLattice`).
    private func nearestNeighbourBondSum(_ p: UnsafePointer<Float>) -> Double {
        var sum = 0.0
        if shape.count == 1 {
            let n = shape[0]
            for i in 0..<n { sum += Double(p[i] * p[(i + 1) % n]) }
            return sum
        }
        let rows = shape[0], columns = shape[1]
        if RotatedLattice.contains(shape) { return RotatedLattice.bondSum(p, rows: rows, columns: columns) }
        for r in 0..<rows {
            let down = ((r + 1) % rows) * columns
            for c in 0..<columns {
                let s = p[r * columns + c]
                sum += Double(s * p[r * columns + (c + 1) % columns] + s * p[down + c])
            }
        }
        return sum
    }
}
