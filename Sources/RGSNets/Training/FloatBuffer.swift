/// A fixed-size, zero-initialised float buffer owned by a workspace: the hot loops work on raw
/// pointers, allocated once per training run, never per sample or per batch.
final class FloatBuffer {
    let pointer: UnsafeMutablePointer<Float>
    let count: Int

    init(_ count: Int) {
        self.count = count
        pointer = cacheAlignedZeros(count)
    }

    convenience init(_ values: [Float]) {
        self.init(values.count)
        load(values)
    }

    /// The contents as an array.
    var array: [Float] { Array(UnsafeBufferPointer(start: pointer, count: count)) }

    /// Overwrites the contents with `values` (same count).
    func load(_ values: [Float]) {
        values.withUnsafeBufferPointer {
            if let base = $0.baseAddress { pointer.update(from: base, count: min(count, values.count)) }
        }
    }

    deinit { pointer.deallocate() }
}

/// `count` zeros (at least one) starting on a cache line, so parallel workers writing disjoint
/// 64-byte-aligned ranges never share a line. Free with `deallocate()`.
func cacheAlignedZeros<T: Numeric>(_ count: Int) -> UnsafeMutablePointer<T> {
    let p = UnsafeMutableRawPointer.allocate(byteCount: max(1, count) * MemoryLayout<T>.stride, alignment: 64)
        .bindMemory(to: T.self, capacity: max(1, count))
    p.initialize(repeating: 0, count: max(1, count))
    return p
}
