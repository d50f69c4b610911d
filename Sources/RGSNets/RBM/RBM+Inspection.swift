import RGSNumerics

/// The inspections of the papers: receptive fields, W W^T and its spectrum (Iso-Shiba
/// Funai-Yokoo: a few large eigenvalues when trained at low T only, a flat spectrum over all T).
extension RBM {
    /// Hidden unit `unit`'s weights W_ia as a lattice image (rows x columns of the visible
    /// lattice; 1 x N for chains).
    public func receptiveField(_ unit: Int) throws(CoreError) -> Matrix {
        guard (0..<hiddenCount).contains(unit) else {
            throw CoreError("hidden unit \(unit) does not exist (the RBM has units 0..<\(hiddenCount))")
        }
        let m = hiddenCount
        return RBM.latticeImage((0..<visibleCount).map { Double(weights[$0 * m + unit]) }, shape: visibleShape)
    }

    /// Every hidden unit's receptive field, in unit order.
    public func receptiveFields() -> [Matrix] {
        (0..<hiddenCount).compactMap { try? receptiveField($0) }
    }

    /// W W^T (n x n): sum_a W_ia W_ja, in double precision.
    public func weightGram() throws -> Matrix {
        try Matrix(rows: visibleCount, columns: hiddenCount, floats: weights).gram()
    }

    /// Eigenvalues (descending) and eigenvectors (columns) of W W^T.
    public func weightSpectrum() throws -> SymmetricEigen {
        try SymmetricEigen(weightGram())
    }

    /// Eigenvector `index` (0 = largest eigenvalue) of a spectrum from `weightSpectrum()` as a
    /// lattice image of the visible layer.
    public func eigenvectorImage(_ spectrum: SymmetricEigen, index: Int) throws(CoreError) -> Matrix {
        guard spectrum.vectors.rows == visibleCount else {
            throw CoreError("the spectrum is of a \(spectrum.vectors.rows)x\(spectrum.vectors.rows) matrix, not this RBM's W W^T")
        }
        guard (0..<visibleCount).contains(index) else {
            throw CoreError("eigenvector \(index) does not exist (0..<\(visibleCount))")
        }
        return RBM.latticeImage((0..<visibleCount).map { spectrum.vectors[$0, index] }, shape: visibleShape)
    }

    /// Values of a lattice of `shape` ([N] or [rows, columns]) as a Matrix image (1 x N for chains).
    static func latticeImage(_ values: [Double], shape: [Int]) -> Matrix {
        let (rows, columns) = shape.count == 2 ? (shape[0], shape[1]) : (1, values.count)
        return Matrix(rows: rows, columns: columns, storage: values)
    }
}
