/// The layout of a rows x columns matrix stored in panels of `width` (32) columns: panel p holds
/// columns 32p ..< 32p + 32 of every row, row after row, 32 floats per row (zero past the last
/// column). A slice of the table products (`TwoValuedProduct.multiply(panels:)`) is then one
/// contiguous stream instead of 128 bytes of every row.
public struct Panels: Sendable, Equatable {
    /// The matrix's shape.
    public let rows, columns: Int
    /// Columns per panel: one slice of `TwoValuedProduct`.
    public static let width = TwoValuedProduct.sliceWidth

    /// The layout of a rows x columns matrix.
    public init(rows: Int, columns: Int) { (self.rows, self.columns) = (rows, columns) }

    /// Floats from one panel to the next.
    public var stride: Int { rows * Panels.width }
    /// Floats of the whole layout.
    public var count: Int { (columns + Panels.width - 1) / Panels.width * stride }

    /// The offset of element (r, c).
    @inlinable
    public func offset(_ r: Int, _ c: Int) -> Int { (c / Panels.width) * stride + r * Panels.width + c % Panels.width }

    /// Stores the row-major matrix `m` (rows `columns` apart) into `p` (`count` floats).
    public func pack(_ m: UnsafePointer<Float>, into p: UnsafeMutablePointer<Float>) {
        p.update(repeating: 0, count: count)
        for r in 0..<rows {
            for c0 in Swift.stride(from: 0, to: columns, by: Panels.width) {
                (p + offset(r, c0)).update(from: m + r * columns + c0, count: min(Panels.width, columns - c0))
            }
        }
    }

    /// Copies the matrix in `p` into the row-major `m` (rows `columns` apart).
    public func unpack(_ p: UnsafePointer<Float>, into m: UnsafeMutablePointer<Float>) {
        for r in 0..<rows {
            for c0 in Swift.stride(from: 0, to: columns, by: Panels.width) {
                (m + r * columns + c0).update(from: p + offset(r, c0), count: min(Panels.width, columns - c0))
            }
        }
    }
}
