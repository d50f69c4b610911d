/// In-place transpose of a 64 x 64 bit matrix stored as 64 words, bit b of word k being entry
/// (k, b): afterwards bit j of word b is the old bit b of word j. Swaps off-diagonal blocks of
/// 32, 16, ..., 1 (Hacker's Delight §7-3), 6 x 32 word operations.
@inline(__always)
func transposeBits64(_ a: UnsafeMutablePointer<UInt64>) {
    var j = 32
    var mask: UInt64 = 0x0000_0000_FFFF_FFFF
    while j != 0 {
        var k = 0
        while k < 64 {
            let t = ((a[k] >> UInt64(j)) ^ a[k + j]) & mask
            a[k + j] ^= t
            a[k] ^= t << UInt64(j)
            k = (k + j + 1) & ~j
        }
        j >>= 1
        mask ^= mask << UInt64(j)
    }
}
