/// A reproducible random stream keyed by (seed, stream index): xoshiro256** seeded through SplitMix64.
///
/// Every chain, replica or minibatch shuffle draws from its own stream, derived from the user's seed
/// and a stable index, never from a thread id, so results are identical for any thread count.
public struct RandomStream: Sendable {
    @usableFromInline var s0: UInt64, s1: UInt64, s2: UInt64, s3: UInt64

    /// The stream `index` of `seed`. Different (seed, index) pairs give independent-looking streams.
    public init(seed: UInt64, stream index: UInt64 = 0) {
        var sm = seed ^ (index &* 0xD1B5_4A32_D192_ED03) ^ 0x5851_F42D_4C95_7F2D
        sm = RandomStream.splitMix(&sm) ^ index
        s0 = RandomStream.splitMix(&sm)
        s1 = RandomStream.splitMix(&sm)
        s2 = RandomStream.splitMix(&sm)
        s3 = RandomStream.splitMix(&sm)
        if s0 | s1 | s2 | s3 == 0 { s0 = 1 }
    }

    @inline(__always)
    private static func splitMix(_ x: inout UInt64) -> UInt64 {
        x &+= 0x9E37_79B9_7F4A_7C15
        var z = x
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// The next 64 random bits.
    @inlinable @inline(__always)
    public mutating func next() -> UInt64 {
        let result = ((s1 &* 5) << 7 | (s1 &* 5) >> 57) &* 9
        let t = s1 << 17
        s2 ^= s0
        s3 ^= s1
        s1 ^= s2
        s0 ^= s3
        s2 ^= t
        s3 = s3 << 45 | s3 >> 19
        return result
    }

    /// A uniform double in [0, 1) with 53 random bits.
    @inlinable @inline(__always)
    public mutating func uniform() -> Double {
        Double(next() >> 11) * 0x1.0p-53
    }

    /// A uniform float in [0, 1) with 24 random bits.
    @inlinable @inline(__always)
    public mutating func uniformFloat() -> Float {
        Float(next() >> 40) * 0x1.0p-24
    }

    /// A uniform integer in 0..<n (Lemire's nearly-divisionless method; n > 0).
    @inlinable @inline(__always)
    public mutating func below(_ n: Int) -> Int {
        let bound = UInt64(n)
        var m = next().multipliedFullWidth(by: bound)
        if m.low < bound {
            let threshold = (0 &- bound) % bound
            while m.low < threshold { m = next().multipliedFullWidth(by: bound) }
        }
        return Int(m.high)
    }

    /// A standard normal deviate (Box-Muller; one of the pair is discarded for simplicity of state).
    public mutating func normal() -> Double {
        var u = uniform()
        while u == 0 { u = uniform() }
        let v = uniform()
        return (-2 * _log(u)).squareRoot() * _cos(2 * Double.pi * v)
    }
}

#if canImport(Glibc)
import Glibc
@inline(__always) private func _log(_ x: Double) -> Double { Glibc.log(x) }
@inline(__always) private func _cos(_ x: Double) -> Double { Glibc.cos(x) }
#else
import Darwin
@inline(__always) private func _log(_ x: Double) -> Double { Darwin.log(x) }
@inline(__always) private func _cos(_ x: Double) -> Double { Darwin.cos(x) }
#endif
