/// A dense row-major matrix of doubles: weights, W W^T, correlators, data loaded from .npy files.
///
/// Element (r, c) lives at `storage[r * columns + c]`. The language indexes it like a list of rows.
public struct Matrix: Sendable, Equatable {
    public private(set) var rows: Int
    public private(set) var columns: Int
    public var storage: [Double]

    /// A rows x columns matrix filled with `value`.
    public init(rows: Int, columns: Int, repeating value: Double = 0) {
        precondition(rows >= 0 && columns >= 0, "matrix dimensions must be non-negative")
        self.rows = rows
        self.columns = columns
        self.storage = Array(repeating: value, count: rows * columns)
    }

    /// A matrix over existing row-major storage (`storage.count == rows * columns`).
    public init(rows: Int, columns: Int, storage: [Double]) {
        precondition(storage.count == rows * columns, "storage does not match the matrix shape")
        self.rows = rows
        self.columns = columns
        self.storage = storage
    }

    /// A matrix from float32 row-major storage (nets keep their weights in float32).
    public init(rows: Int, columns: Int, floats: [Float]) {
        self.init(rows: rows, columns: columns, storage: floats.map(Double.init))
    }

    public subscript(row: Int, column: Int) -> Double {
        get { storage[row * columns + column] }
        set { storage[row * columns + column] = newValue }
    }

    /// W W^T (rows x rows) of this matrix in double precision (dgemm): the overlap of two rows.
    /// Refuses a result above the free memory; on Ctrl-C the product is abandoned
    /// (`Cancellation.abandoning`).
    public func gram() throws -> Matrix {
        try SystemMemory.check(Double(rows) * Double(rows) * 8, for: "a \(rows)x\(rows) W W^T", hint: "inspect a smaller layer")
        let (w, n, m) = (self, rows, columns)
        return try Cancellation.abandoning {
            var out = Matrix(rows: n, columns: n)
            w.storage.withUnsafeBufferPointer { a in
                out.storage.withUnsafeMutableBufferPointer { c in
                    BLAS.dgemm(n, n, m, a.baseAddress!, a.baseAddress!, transB: true, c.baseAddress!)
                }
            }
            return out
        }
    }

    /// Row `r` as an array.
    public func row(_ r: Int) -> [Double] {
        Array(storage[(r * columns)..<((r + 1) * columns)])
    }

    /// The transpose.
    public var transposed: Matrix {
        var t = Matrix(rows: columns, columns: rows)
        for r in 0..<rows {
            for c in 0..<columns { t.storage[c * rows + r] = storage[r * columns + c] }
        }
        return t
    }

    /// "Matrix 512x1024".
    public var shapeDescription: String { "\(rows)x\(columns)" }
}
