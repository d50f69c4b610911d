import RGSNumerics

/// Bit-level access to packed spin words, shared by the RG transforms.
///
/// A packed sample is a little-endian bit stream: site i is bit `i & 63` of word `i >> 6`. The
/// transforms work on runs of up to 64 consecutive sites (a row or part of one), so that one
/// machine word carries 64 spins through every operation.
enum PackedBits {
    /// The `count` (1...64) bits starting at bit `offset` of `words`.
    @inline(__always)
    static func read(_ words: UnsafePointer<UInt64>, _ offset: Int, _ count: Int) -> UInt64 {
        let w = offset >> 6, s = offset & 63
        var v = words[w] >> UInt64(s)
        if s + count > 64 { v |= words[w + 1] << UInt64(64 - s) }
        return count == 64 ? v : v & ((1 << UInt64(count)) &- 1)
    }

    /// ORs the low `count` (1...64) bits of `value` into `words` at bit `offset` (the target bits
    /// must be zero; `value` must have no bits above `count`).
    @inline(__always)
    static func write(_ words: UnsafeMutablePointer<UInt64>, _ offset: Int, _ count: Int, _ value: UInt64) {
        let w = offset >> 6, s = offset & 63
        words[w] |= value << UInt64(s)
        if s + count > 64 { words[w + 1] |= value >> UInt64(64 - s) }
    }

    /// Up spins among `count` bits from `offset` (any length).
    @inline(__always)
    static func countUp(_ words: UnsafePointer<UInt64>, _ offset: Int, _ count: Int) -> Int {
        var total = 0, done = 0
        while done < count {
            let n = min(64, count - done)
            total += read(words, offset + done, n).nonzeroBitCount
            done += n
        }
        return total
    }

    /// The bit at `offset`.
    @inline(__always)
    static func bit(_ words: UnsafePointer<UInt64>, _ offset: Int) -> UInt64 {
        (words[offset >> 6] >> UInt64(offset & 63)) & 1
    }

    /// Even bit positions of `v` packed into the low 32 bits (a software `pext` with mask
    /// 0x5555...): bit 2k of the input becomes bit k of the output.
    @inline(__always)
    static func compressEven(_ v: UInt64) -> UInt64 {
        var x = v & 0x5555_5555_5555_5555
        x = (x | (x >> 1)) & 0x3333_3333_3333_3333
        x = (x | (x >> 2)) & 0x0F0F_0F0F_0F0F_0F0F
        x = (x | (x >> 4)) & 0x00FF_00FF_00FF_00FF
        x = (x | (x >> 8)) & 0x0000_FFFF_0000_FFFF
        x = (x | (x >> 16)) & 0x0000_0000_FFFF_FFFF
        return x
    }

    /// Mask of the even bit positions.
    static let even: UInt64 = 0x5555_5555_5555_5555
}

/// Runs `body(first, end)` over consecutive chunks of samples on `Settings.threads` workers and
/// throws `Cancelled` if the user interrupted. Chunks are split by sample index, never by thread,
/// so any randomness keyed by sample index is thread-count independent.
func forEachSampleChunk(_ count: Int, _ body: @escaping @Sendable (Int, Int) -> Void) throws {
    let chunk = 256
    let chunks = (count + chunk - 1) / chunk
    Parallel.forEach(chunks) { c in
        // Roughly 10 ms of work per chunk at most for the paper's sizes; poll between chunks.
        if Cancellation.isRequested { return }
        body(c * chunk, min(count, (c + 1) * chunk))
    }
    try Cancellation.check()
}
