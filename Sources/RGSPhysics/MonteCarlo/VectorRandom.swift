import RGSNumerics

/// Eight 64-bit words of a multi-spin state: one bit per replica, 512 replicas.
typealias SpinLanes = SIMD8<UInt64>

/// xoshiro256++ on eight independent lanes: 512 random bits per step, seeded from a
/// `RandomStream` so the lanes are keyed by seed and replica group like every other stream.
struct VectorRandom {
    private var s0: SpinLanes, s1: SpinLanes, s2: SpinLanes, s3: SpinLanes

    init(_ source: inout RandomStream) {
        var state = [SpinLanes](repeating: SpinLanes(), count: 4)
        for lane in 0..<8 {
            for word in 0..<4 { state[word][lane] = source.next() }
            // xoshiro needs a non-zero state in every lane.
            if (0..<4).allSatisfy({ state[$0][lane] == 0 }) { state[0][lane] = 1 }
        }
        (s0, s1, s2, s3) = (state[0], state[1], state[2], state[3])
    }

    /// The next 512 random bits.
    @inline(__always)
    mutating func next() -> SpinLanes {
        let result = Self.rotate(s0 &+ s3, 23) &+ s0
        let t = s1 &<< 17
        s2 ^= s0
        s3 ^= s1
        s1 ^= s2
        s0 ^= s3
        s2 ^= t
        s3 = Self.rotate(s3, 45)
        return result
    }

    /// Rotate left by k: one `vprolq` with AVX-512 from the `|` form; without it (AVX2, SSE)
    /// that form is split into lanes and `&+` (the halves do not overlap) stays vectorised, twice
    /// as fast (5.3 against 3.3 attempts/ns per core on a Zen3 AVX2 VM). Package.swift defines
    /// RGS_VECTOR_ROTATE for AVX-512 targets.
    @inline(__always)
    private static func rotate(_ x: SpinLanes, _ k: UInt64) -> SpinLanes {
        #if RGS_VECTOR_ROTATE
        (x &<< k) | (x &>> (64 - k))
        #else
        (x &<< k) &+ (x &>> (64 - k))
        #endif
    }
}
