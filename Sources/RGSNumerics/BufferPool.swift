import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// Float buffers for the workspaces of training and prediction: cache-line aligned, large ones
/// on huge pages and recycled between calls.
///
/// - A workspace holds tens of MB (Model-1 at batch 1000: about 55 MB). Fresh from the system,
///   every 4 KB of it costs a page fault and the kernel's clearing on first touch, about 12 ms
///   per `train` call there. Freed buffers of `pooled` bytes or more wait here, up to `budget`
///   bytes in all, for the next request of the same length, which then only needs clearing
///   (setup of a batch-1000 call: 10-11 -> 6.3-6.7 ms). The memory stays with the process.
/// - Buffers of a huge page or more start on one and ask Linux for huge pages before their first
///   touch: training streams them every step, and with 4 KB pages every 4 KB is a TLB miss (a
///   two-level page walk in a virtual machine). Batch-10 training of Model-1 ran about 3% faster.
public enum BufferPool {
    /// Room for `count` floats (at least one), cleared when `zeroed`; give it back with
    /// `release(_:count:)`.
    public static func floats(_ count: Int, zeroed: Bool) -> UnsafeMutablePointer<Float> {
        let bytes = max(1, count) * MemoryLayout<Float>.stride
        let raw = bytes >= pooled ? take(bytes) ?? allocate(bytes: bytes) : allocate(bytes: bytes)
        let p = raw.bindMemory(to: Float.self, capacity: max(1, count))
        if zeroed { p.initialize(repeating: 0, count: max(1, count)) }
        return p
    }

    /// Returns a buffer from `floats(_:zeroed:)` of the same count. A large one is kept for
    /// reuse; when the pool is full, kept buffers of other lengths are freed to make room (the
    /// latest shapes are the likeliest to come back), and a buffer larger than the whole budget
    /// is freed.
    public static func release(_ p: UnsafeMutablePointer<Float>, count: Int) {
        let bytes = max(1, count) * MemoryLayout<Float>.stride
        guard bytes >= pooled, bytes <= budget else { return p.deallocate() }
        let evicted = kept.withLock { state -> [UInt] in
            var evicted: [UInt] = []
            while state.bytes + bytes > budget, let length = state.byLength.keys.first(where: { $0 != bytes })
                    ?? state.byLength.keys.first {
                if let address = state.byLength[length]?.popLast() {
                    evicted.append(address)
                    state.bytes -= length
                }
                if state.byLength[length]?.isEmpty == true { state.byLength[length] = nil }
            }
            state.bytes += bytes
            state.byLength[bytes, default: []].append(UInt(bitPattern: p))
            return evicted
        }
        for address in evicted { UnsafeMutableRawPointer(bitPattern: address)?.deallocate() }
    }

    /// `count` zeros (at least one) of any numeric type, aligned as `allocate(bytes:)` aligns and
    /// never pooled (parallel workers writing disjoint 64-byte-aligned ranges never share a
    /// line); free with `deallocate()`.
    public static func zeros<T: Numeric>(_ count: Int) -> UnsafeMutablePointer<T> {
        let p = allocate(bytes: max(1, count) * MemoryLayout<T>.stride).bindMemory(to: T.self, capacity: max(1, count))
        p.initialize(repeating: 0, count: max(1, count))
        return p
    }

    /// `bytes` bytes (at least one) on a cache line, or on a huge page (with huge pages asked
    /// for) from `hugePage` bytes; free with `deallocate()`.
    public static func allocate(bytes: Int) -> UnsafeMutableRawPointer {
        let bytes = max(1, bytes), huge = bytes >= hugePage
        let raw = UnsafeMutableRawPointer.allocate(byteCount: bytes, alignment: huge ? hugePage : 64)
        #if canImport(Glibc)
        if huge { _ = madvise(raw, bytes / hugePage * hugePage, MADV_HUGEPAGE) }  // the buffer's whole huge pages
        #endif
        return raw
    }

    /// Buffers of at least this many bytes are recycled (smaller ones cost malloc little).
    static let pooled = 1 << 20
    /// The most bytes the pool keeps: 256 MB, or an eighth of the memory on small machines.
    public static let budget = Int(min(256 << 20, ProcessInfo.processInfo.physicalMemory / 8))
    /// Bytes per huge page (x86-64 and arm64 Linux with 4 KB base pages).
    static let hugePage = 1 << 21

    /// The kept buffers by length (addresses), and their total bytes.
    private static let kept = Mutex<(bytes: Int, byLength: [Int: [UInt]])>((0, [:]))

    private static func take(_ bytes: Int) -> UnsafeMutableRawPointer? {
        kept.withLock { state in
            guard let address = state.byLength[bytes]?.popLast() else { return nil }
            state.bytes -= bytes
            if state.byLength[bytes]?.isEmpty == true { state.byLength[bytes] = nil }
            return UnsafeMutableRawPointer(bitPattern: address)
        }
    }

    /// Bytes kept for reuse now (tests).
    static var keptBytes: Int { kept.withLock { $0.bytes } }
}
