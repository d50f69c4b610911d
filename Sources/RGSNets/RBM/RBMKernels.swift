import RGSNumerics

/// Elementwise kernels of RBM training: fields to means and means to samples.
///
/// The exponential is a 16-lane polynomial (Cephes expf: range reduction by ln 2, degree-6
/// polynomial, about 1 ulp), so the conditionals of a whole minibatch cost a few cycles per unit
/// instead of a libm call each. Results depend only on the inputs, never on the thread count.
enum RBMKernels {
    typealias Lanes = SIMD16<Float>

    @inline(__always)
    static func exp(_ x: Lanes) -> Lanes {
        // Mask-and-blend clamping: `clamped`/`pointwiseMin` compile to scalar NaN-aware loops.
        let lo = Lanes(repeating: -87.3), hi = Lanes(repeating: 88.3)
        let x = x.replacing(with: lo, where: x .< lo).replacing(with: hi, where: x .> hi)
        // Adding 1.5 * 2^23 rounds x log2(e) to the nearest integer n and leaves n in the low
        // mantissa bits (no generic float-to-int conversion, which Swift does not vectorise).
        let magic: Float = 0x1.8p23
        let shifted = x * 1.442_695_04 + magic
        let n = shifted - magic
        var r = x - n * 0.693_359_375
        r = r - n * -2.121_944_4e-4
        var p = Lanes(repeating: 1.987_569_15e-4)
        p = p * r + 1.398_199_95e-3
        p = p * r + 8.333_451_9e-3
        p = p * r + 4.166_579_59e-2
        p = p * r + 0.166_666_655
        p = p * r + 0.500_000_01
        let y = p * r * r + r + 1
        let integer = unsafeBitCast(shifted, to: SIMD16<Int32>.self) &- Int32(bitPattern: magic.bitPattern)
        return y * unsafeBitCast((integer &+ 127) &<< 23, to: Lanes.self)
    }

    /// Replaces one row of products x (fields without bias) by the conditional means of x + bias:
    /// tanh (pm1) or sigmoid (binary). Adding the bias here saves a pass over the batch.
    static func activate(_ row: UnsafeMutablePointer<Float>, width: Int, bias: UnsafePointer<Float>, units: RBMUnits) {
        var i = 0
        while i + 16 <= width {
            let x = UnsafeRawPointer(row + i).loadUnaligned(as: Lanes.self)
                + UnsafeRawPointer(bias + i).loadUnaligned(as: Lanes.self)
            UnsafeMutableRawPointer(row + i).storeBytes(of: mean(x, units), as: Lanes.self)
            i += 16
        }
        if i < width {
            var x = Lanes(repeating: 0)
            for l in 0..<(width - i) { x[l] = row[i + l] + bias[i + l] }
            let y = mean(x, units)
            for l in 0..<(width - i) { row[i + l] = y[l] }
        }
    }

    /// tanh x = 1 - 2 / (e^2x + 1) or sigmoid x = 1 / (1 + e^-x), 16 lanes at a time.
    @inline(__always)
    private static func mean(_ x: Lanes, _ units: RBMUnits) -> Lanes {
        let one = Lanes(repeating: 1)
        return units == .pm1 ? one - 2 / (exp(2 * x) + one) : one / (one + exp(-x))
    }

    /// Draws units from their means: +1 with probability (1 + mean) / 2 (pm1), 1 with probability
    /// mean (binary); two 24-bit uniforms per 64 random bits.
    static func sample(_ means: UnsafePointer<Float>, into out: UnsafeMutablePointer<Float>, count: Int,
                       units: RBMUnits, stream: inout RandomStream) {
        let scale: Float = units == .pm1 ? 0.5 : 1, shift: Float = units == .pm1 ? 0.5 : 0
        let low = units.low
        var i = 0
        while i < count {
            let bits = stream.next()
            let u0 = Float(bits >> 40) * 0x1.0p-24
            out[i] = u0 < means[i] * scale + shift ? 1 : low
            if i + 1 < count {
                let u1 = Float((bits >> 16) & 0xFF_FFFF) * 0x1.0p-24
                out[i + 1] = u1 < means[i + 1] * scale + shift ? 1 : low
            }
            i += 2
        }
    }
}
