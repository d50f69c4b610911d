/// exp, tanh and the logistic function on 16 float lanes at a time, for the elementwise passes
/// of training (a libm call per element cost more than the matrix products around it).
///
/// exp follows Cephes expf (range reduction by ln 2, degree-6 polynomial, about 1 ulp). tanh is
/// x + x^3 P(x^2) with a degree-5 least-squares P for |x| < 0.625 and (1 - e^-2|x|) / (1 + e^-2|x|)
/// with the sign of x above; the tests bound its error by 3 ulp against double-precision tanh.
/// `rationalTanh` trades a few ulp for a third of the cost. Results depend only on the inputs.
public enum VectorMath {
    public typealias Lanes = SIMD16<Float>

    /// e^x, clamped to the finite float range.
    @inlinable @inline(__always)
    public static func exp(_ x: Lanes) -> Lanes {
        let x = clamp(x, -87.3, 88.3)
        // Adding 1.5 * 2^23 rounds x log2(e) to the nearest integer n and leaves n in the low
        // mantissa bits (no generic float-to-int conversion, which Swift does not vectorise).
        let magic: Float = 0x1.8p23
        let shifted = x * 1.442_695_04 + magic
        let n = shifted - magic
        var r = x - n * 0.693_359_375
        r = r - n * -2.121_944_4e-4
        var p = Lanes(repeating: 1.987_569_15e-4)
        for c: Float in [1.398_199_95e-3, 8.333_451_9e-3, 4.166_579_59e-2, 0.166_666_655, 0.500_000_01] {
            p = Lanes(repeating: c).addingProduct(p, r)   // one FMA per coefficient
        }
        let y = (r + 1).addingProduct(p * r, r)
        let integer = unsafeBitCast(shifted, to: SIMD16<Int32>.self) &- Int32(bitPattern: magic.bitPattern)
        return y * unsafeBitCast((integer &+ 127) &<< 23, to: Lanes.self)
    }

    /// tanh x.
    @inlinable @inline(__always)
    public static func tanh(_ x: Lanes) -> Lanes {
        // |x| and the sign bit through the bit pattern (pointwise abs is scalarised).
        let bits = unsafeBitCast(x, to: SIMD16<UInt32>.self)
        let sign = bits & 0x8000_0000
        let a = unsafeBitCast(bits & 0x7FFF_FFFF, to: Lanes.self)
        let s = a * a
        var p = Lanes(repeating: 2.138_226_293e-3)
        p = p * s - 8.171_788_417e-3
        p = p * s + 2.169_821_039e-2
        p = p * s - 5.394_625_291e-2
        p = p * s + 0.133_332_014_1
        p = p * s - 0.333_333_313_5
        let small = a + a * s * p
        let t = exp(-2 * a)
        let large = (1 - t) / (1 + t)
        let magnitude = large.replacing(with: small, where: a .< 0.625)
        return unsafeBitCast(unsafeBitCast(magnitude, to: SIMD16<UInt32>.self) | sign, to: Lanes.self)
    }

    /// tanh x by one rational function, x P(x^2) / Q(x^2) (degrees 6 and 3) on |x| <= c = 9.02
    /// (x clamped to ±c, the result to [-1, 1]; past c float tanh is ±1): about a third cheaper
    /// than `tanh`, for passes where a few ulp do not matter (RBM conditionals). The
    /// coefficients are a least-squares fit of the relative error, linearised (x P - tanh Q),
    /// over x in [0.001, c] (fitted in (x / c)^2, given here in x^2): 1.3e-7 in exact
    /// arithmetic; in float the tests bound it by 7 ulp and 3.6e-7 against double-precision
    /// tanh. NaN stays NaN.
    @inlinable @inline(__always)
    public static func rationalTanh(_ x: Lanes) -> Lanes {
        let x = clamp(x, -9.02, 9.02)
        let t = x * x
        var p = Lanes(repeating: -6.506_894_904e-14)
        for coefficient: Float in [4.405_573_129e-11, -1.818_533_413e-8, 1.059_833_448e-5, 3.047_215_752e-3, 0.130_319_699_6,
                                   0.999_999_940_4] {
            p = Lanes(repeating: coefficient).addingProduct(p, t)
        }
        var q = Lanes(repeating: 2.465_751_604e-4)
        for coefficient: Float in [2.426_541_224e-2, 0.463_652_372_4, 1] { q = Lanes(repeating: coefficient).addingProduct(q, t) }
        return clamp(x * p / q, -1, 1)
    }

    /// x limited to [lo, hi] lane by lane, NaN kept. Mask and blend: `clamped` and
    /// `pointwiseMin` compile to scalar NaN-aware loops.
    @inlinable @inline(__always)
    static func clamp(_ x: Lanes, _ lo: Float, _ hi: Float) -> Lanes {
        let (low, high) = (Lanes(repeating: lo), Lanes(repeating: hi))
        return x.replacing(with: low, where: x .< low).replacing(with: high, where: x .> high)
    }

    /// 1 / (1 + e^-x).
    @inlinable @inline(__always)
    public static func logistic(_ x: Lanes) -> Lanes {
        1 / (1 + exp(-x))
    }

    /// Applies `f` in place to `count` floats, 16 at a time (the tail through a padded vector).
    @inlinable @inline(__always)
    public static func apply(_ z: UnsafeMutablePointer<Float>, count: Int, _ f: (Lanes) -> Lanes) {
        var i = 0
        while i + 16 <= count {
            let raw = UnsafeMutableRawPointer(z + i)
            raw.storeBytes(of: f(raw.loadUnaligned(as: Lanes.self)), as: Lanes.self)
            i += 16
        }
        guard i < count else { return }
        var x = Lanes(repeating: 0)
        for l in 0..<(count - i) { x[l] = z[i + l] }
        let y = f(x)
        for l in 0..<(count - i) { z[i + l] = y[l] }
    }
}
