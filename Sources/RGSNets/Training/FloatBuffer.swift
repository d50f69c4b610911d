import RGSNumerics

/// A fixed-size, zero-initialised float buffer owned by a workspace: the hot loops work on raw
/// pointers, allocated once per training run, never per sample or per batch (`BufferPool`:
/// cache-line aligned, large ones on huge pages and recycled between runs).
final class FloatBuffer {
    let pointer: UnsafeMutablePointer<Float>
    let count: Int

    init(_ count: Int) {
        self.count = count
        pointer = BufferPool.floats(count, zeroed: true)
    }

    /// A copy of `values` (no clearing pass first).
    init(_ values: [Float]) {
        count = values.count
        pointer = BufferPool.floats(count, zeroed: values.isEmpty)
        values.withUnsafeBufferPointer { v in
            if let base = v.baseAddress { pointer.update(from: base, count: count) }
        }
    }

    /// The contents as an array.
    var array: [Float] { Array(UnsafeBufferPointer(start: pointer, count: count)) }

    /// Writes the contents into `values`: in place when it has the same count (a net trained
    /// again keeps its arrays instead of faulting in new ones), else as a new array.
    func copy(into values: inout [Float]) {
        guard values.count == count else { return values = array }
        values.withUnsafeMutableBufferPointer(fill)
    }

    /// `buffer`'s contents written into `values` as `copy(into:)` does; nil without a buffer.
    static func copy(_ buffer: FloatBuffer?, into values: inout [Float]?) {
        guard let buffer else { return values = nil }
        guard values?.count == buffer.count else { return values = buffer.array }
        values?.withUnsafeMutableBufferPointer(buffer.fill)
    }

    /// Writes the contents into `v` (of `count` floats).
    private func fill(_ v: inout UnsafeMutableBufferPointer<Float>) {
        v.baseAddress?.update(from: pointer, count: count)
    }

    /// Overwrites the contents with `values` (same count), or with zeros for nil.
    func load(_ values: [Float]?) {
        guard let values else { return pointer.update(repeating: 0, count: count) }
        values.withUnsafeBufferPointer {
            if let base = $0.baseAddress { pointer.update(from: base, count: min(count, values.count)) }
        }
    }

    deinit { BufferPool.release(pointer, count: count) }
}
