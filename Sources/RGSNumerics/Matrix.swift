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
