/// A fixed-size, zero-initialised float buffer owned by a workspace: the hot loops work on raw
/// pointers, allocated once per training run, never per sample or per batch.
final class FloatBuffer {
    let pointer: UnsafeMutablePointer<Float>
    let count: Int

    init(_ count: Int) {
        self.count = count
        // Cache-line aligned, so parallel workers writing disjoint 64-byte-aligned ranges never share a line.
        pointer = UnsafeMutableRawPointer.allocate(byteCount: max(count, 1) * MemoryLayout<Float>.stride, alignment: 64)
            .bindMemory(to: Float.self, capacity: max(count, 1))
        pointer.initialize(repeating: 0, count: max(count, 1))
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
