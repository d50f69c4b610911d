import RGSNumerics

/// The local operator whose two-point function and scaling dimension are measured.
public enum LocalOperator: String, CaseIterable, Sendable {
    /// The spin s_i (the value itself for continuous ensembles).
    case spin
    /// The energy density eps_i = s_i sum_j J_ij s_j of eq. 6 of the long-range paper: J_ij = 1 on
    /// nearest-neighbour bonds (4 in 2D, also on the rotated lattice, 2 on a chain), 1/r^alpha for the long-range model. The
    /// field term is not part of it. Its mean over the group's samples, site by site (eq. 7), is
    /// subtracted in the correlation function.
    case energy
}

/// A local operator evaluated site by site on one sample of a given ensemble geometry and model.
struct LocalOperatorField: Sendable {
    let op: LocalOperator
    let shape: [Int]
    /// Long-range couplings when the ensemble's model is long-range on a square lattice (the same
    /// rule as `energiesPerSpin`); nil means nearest neighbours of the shape.
    let couplings: LongRangeTransform?

    init(_ op: LocalOperator, for ensemble: Ensemble) {
        self.op = op
        shape = ensemble.shape
        couplings = if op == .energy, case .longRange(let alpha) = ensemble.model, let side = ensemble.side {
            LongRangeTransform(LongRangeCouplings(side: side, alpha: alpha))
        } else {
            nil
        }
    }

    /// Writes the operator at every site of sample values `p` into `out`.
    func evaluate(_ p: UnsafePointer<Float>, into out: UnsafeMutablePointer<Double>) {
        let n = shape.reduce(1, *)
        guard op == .energy else {
            for i in 0..<n { out[i] = Double(p[i]) }
            return
        }
        if let j = couplings {
            withUnsafeTemporaryAllocation(of: Double.self, capacity: n + j.scratchCount) { buffer in
                let s = buffer.baseAddress!
                for i in 0..<n { s[i] = Double(p[i]) }
                j.localFields(s, into: out, scratch: s + n)
                for i in 0..<n { out[i] *= s[i] }
            }
        } else if RotatedLattice.contains(shape) {
            RotatedLattice.bondField(p, rows: shape[0], columns: shape[1], into: out)
        } else if shape.count == 1 {
            for i in 0..<n { out[i] = Double(p[i]) * Double(p[(i + 1) % n] + p[(i + n - 1) % n]) }
        } else {
            let rows = shape[0], columns = shape[1]
            for r in 0..<rows {
                let up = ((r + rows - 1) % rows) * columns, down = ((r + 1) % rows) * columns
                for c in 0..<columns {
                    let left = (c + columns - 1) % columns, right = (c + 1) % columns
                    let sum = p[up + c] + p[down + c] + p[r * columns + left] + p[r * columns + right]
                    out[r * columns + c] = Double(p[r * columns + c]) * Double(sum)
                }
            }
        }
    }
}

public extension Ensemble {
    /// The energy density eps_i = s_i sum_j J_ij s_j (eq. 6 of the long-range paper, before the
    /// sample mean of eq. 7 is subtracted) at every site of sample `index`, row-major. Its site
    /// average is -2 (e + h m) for the ensemble's model: each bond is counted from both ends.
    func energyDensity(_ index: Int) throws -> [Double] {
        guard index >= 0 && index < count else {
            throw CoreError("sample \(index) is out of range 0..<\(count)")
        }
        let field = LocalOperatorField(.energy, for: self)
        var out = [Double](repeating: 0, count: siteCount)
        let values = sample(index)
        values.withUnsafeBufferPointer { v in
            out.withUnsafeMutableBufferPointer { field.evaluate(v.baseAddress!, into: $0.baseAddress!) }
        }
        return out
    }
}
