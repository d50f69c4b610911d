/// Eight `RandomStream`s advanced in lock step, one per SIMD lane: lane l of every `next()` is
/// exactly the next word of `RandomStream(seed: seed, stream: streams[l])`.
///
/// For kernels that draw for many rows at once (one stream per row): the same bits as eight
/// scalar streams at a fraction of the instructions. Multiplications by 5 and 9 are written as
/// shifts and adds, and rotations with `&+` (the halves never overlap), so that they stay vector
/// operations on every target.
public struct RandomStreamLanes: Sendable {
    public typealias Words = SIMD8<UInt64>
    @usableFromInline var s0, s1, s2, s3: Words

    /// Lane l is the stream `streams[l]` of `seed` (the seeding of `RandomStream.init`, lane-wise).
    @inlinable
    public init(seed: UInt64, streams index: Words) {
        var sm = Words(repeating: seed) ^ (index &* 0xD1B5_4A32_D192_ED03) ^ 0x5851_F42D_4C95_7F2D
        sm = RandomStreamLanes.splitMix(&sm) ^ index
        s0 = RandomStreamLanes.splitMix(&sm)
        s1 = RandomStreamLanes.splitMix(&sm)
        s2 = RandomStreamLanes.splitMix(&sm)
        s3 = RandomStreamLanes.splitMix(&sm)
        // The all-zero state (never seen in practice) is fixed lane by lane as the scalar stream does.
        let any = s0 | s1 | s2 | s3
        for l in 0..<Words.scalarCount where any[l] == 0 { s0[l] = 1 }
    }

    @inlinable @inline(__always)
    static func splitMix(_ x: inout Words) -> Words {
        x &+= 0x9E37_79B9_7F4A_7C15
        var z = x
        z = (z ^ (z &>> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z &>> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z &>> 31)
    }

    /// The next 64 random bits of each of the eight streams (xoshiro256**).
    @inlinable @inline(__always)
    public mutating func next() -> Words {
        let five = s1 &+ (s1 &<< 2)
        let rotated = (five &<< 7) &+ (five &>> 57)
        let result = rotated &+ (rotated &<< 3)
        let t = s1 &<< 17
        s2 ^= s0
        s3 ^= s1
        s1 ^= s2
        s0 ^= s3
        s2 ^= t
        s3 = (s3 &<< 45) &+ (s3 &>> 19)
        return result
    }
}
