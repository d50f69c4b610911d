import CBLAS

/// Element loops over arrays too large for the caches (optimizer updates, RBM weight steps of
/// small layers and continuous data).
///
/// The hardware prefetchers stop at every 4 KB page, so a loop that streams several arrays waits
/// for memory at each page of each. `run` visits the elements in chunks of `chunk`, each first
/// requesting, ready to be written, the lines `distance` elements ahead in every array it names.
/// Model-1 at batch 10, whose step is mostly Adam streaming w, m and v, trained 37% faster (its
/// last layer's backward pass: 500 -> 320 microseconds on an Intel Xeon); requests 512, 2048 or
/// 4096 elements ahead, or without write intent, gained less.
public enum StreamingLoop {
    /// Elements per chunk: four 64-byte lines of each array.
    public static let chunk = 64
    /// How far ahead of its chunk the lines are requested: one 4 KB page of floats.
    public static let distance = 1024

    /// Requests the line holding `p`, ready to be written (a hint: never faults, changes nothing).
    @inlinable @inline(__always)
    public static func request(_ p: UnsafeMutablePointer<Float>) { rgs_prefetch_for_write(p) }

    /// Calls `step(i)` for i in 0..<count in order, requesting the lines ahead in `a` and, where
    /// given, `b` and `c`. Whole chunks have a constant length, so their loop vectorises without
    /// checks; the remainder runs after them.
    @inlinable @inline(__always)
    public static func run(count: Int, streaming a: UnsafeMutablePointer<Float>, _ b: UnsafeMutablePointer<Float>? = nil,
                           _ c: UnsafeMutablePointer<Float>? = nil, _ step: (Int) -> Void) {
        var start = 0
        while start + chunk <= count {
            for line in stride(from: start + distance, to: start + distance + chunk, by: 16) {
                rgs_prefetch_for_write(a + line)
                if let b { rgs_prefetch_for_write(b + line) }
                if let c { rgs_prefetch_for_write(c + line) }
            }
            for i in start..<(start + chunk) { step(i) }
            start += chunk
        }
        for i in start..<count { step(i) }
    }
}
