/// The tables of one B for `TwoValuedProduct` (every slice and group, 16 x 32 floats each),
/// built once for products that share B, such as an RBM's weights over a minibatch's blocks.
public final class TwoValuedTables: @unchecked Sendable {
    /// Rows of B in the last build (at most `capacity`), and columns of B.
    public private(set) var depth: Int
    public let width: Int
    private let groups: Int, count: Int
    private let storage: UnsafeMutablePointer<Float>

    /// Room for the tables of any B of up to `capacity` rows and `width` columns.
    public init(depth capacity: Int, width: Int) {
        (depth, self.width) = (capacity, width)
        groups = (capacity + TwoValuedProduct.groupRows - 1) / TwoValuedProduct.groupRows
        count = max(1, TwoValuedProduct.slices(width: width) * groups * TwoValuedProduct.groupFloats)
        storage = BufferPool.floats(count, zeroed: true)
    }

    deinit { BufferPool.release(storage, count: count) }

    /// Whether the tables of a depth x width B take at most 32 MB: four times B's size for
    /// widths that are multiples of 32, more for narrow ones. Larger Bs build their tables on
    /// the fly, slice by slice.
    public static func fit(depth: Int, width: Int) -> Bool {
        func rounded(_ x: Int, _ by: Int) -> Int { x / by + (x % by == 0 ? 0 : 1) }
        let groups = rounded(depth, TwoValuedProduct.groupRows), slices = rounded(width, TwoValuedProduct.sliceWidth)
        let (perGroup, overflow) = slices.multipliedReportingOverflow(by: TwoValuedProduct.groupFloats)
        let (floats, overflow2) = perGroup.multipliedReportingOverflow(by: groups)
        return !overflow && !overflow2 && floats <= 1 << 23
    }

    /// Bs of at least this many entries build their tables slice by slice on the workers
    /// (smaller tables take a few microseconds, less than waking the workers).
    public static let parallelBuild = 1 << 16

    /// Builds the tables of B (`depth` rows, at most the capacity, of `width` columns, rows
    /// `ldb` apart, or read transposed as in `TwoValuedProduct.multiply`) for the values
    /// `values`, slices over the workers from `parallelBuild` entries.
    public func build(_ b: UnsafePointer<Float>, ldb: Int, transposedB: Bool = false, values: (set: Float, clear: Float),
                      depth: Int? = nil) {
        let rows = min(depth ?? self.depth, groups * TwoValuedProduct.groupRows)
        self.depth = rows
        nonisolated(unsafe) let b = b
        let slice: @Sendable (Int) -> Void = { s in
            let source = TwoValuedProduct.Source(TwoValuedProduct.Stored(b, ldb: ldb, panels: nil), transposed: transposedB,
                                                 depth: rows, width: self.width, slice: s)
            for g in 0..<((rows + TwoValuedProduct.groupRows - 1) / TwoValuedProduct.groupRows) {
                TwoValuedProduct.buildTable(source, group: g, values: values, into: self.slice(s) + g * TwoValuedProduct.groupFloats)
            }
        }
        let slices = TwoValuedProduct.slices(width: width)
        if rows * width >= TwoValuedTables.parallelBuild { Parallel.forEach(slices, slice) } else { for s in 0..<slices { slice(s) } }
    }

    /// The tables of slice s, group by group.
    func slice(_ s: Int) -> UnsafeMutablePointer<Float> { storage + s * groups * TwoValuedProduct.groupFloats }
}
