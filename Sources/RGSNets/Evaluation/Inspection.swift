import RGSNumerics

extension Network {
    /// The weights of layer `k` (0-based) as an inputs x outputs matrix (row i = input i).
    public func weights(layer k: Int) throws(CoreError) -> Matrix {
        let layer = try self.layer(k)
        return Matrix(rows: layer.inputs, columns: layer.outputs, floats: layer.weights)
    }

    /// W W^T of layer `k` (inputs x inputs): the overlap of the receptive fields of two input
    /// sites, the autoencoder paper's "spin-correlation" heat maps (sec. III.2). Computed with
    /// dgemm on the weights promoted to double.
    public func wwt(layer k: Int) throws -> Matrix {
        try weights(layer: k).gram()
    }

    /// The eigenvalues (descending) and eigenvectors (columns) of W W^T of layer `k`.
    public func wwtEigen(layer k: Int) throws -> SymmetricEigen {
        try SymmetricEigen(wwt(layer: k))
    }

    /// Layer `k`, or a clear error naming the valid range.
    func layer(_ k: Int) throws(CoreError) -> DenseLayer {
        guard layers.indices.contains(k) else {
            throw CoreError("layer \(k) does not exist: the net has layers 0..\(layers.count - 1)")
        }
        return layers[k]
    }
}
