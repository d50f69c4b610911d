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
        let x = x.clamped(lowerBound: Lanes(repeating: -87.3), upperBound: Lanes(repeating: 88.3))
        let n = (x * 1.442_695_04).rounded(.toNearestOrEven)
        var r = x - n * 0.693_359_375
        r = r - n * -2.121_944_4e-4
        var p = Lanes(repeating: 1.987_569_15e-4)
        p = p * r + 1.398_199_95e-3
        p = p * r + 8.333_451_9e-3
        p = p * r + 4.166_579_59e-2
        p = p * r + 0.166_666_655
        p = p * r + 0.500_000_01
        let y = p * r * r + r + 1
        let bits = (SIMD16<Int32>(n, rounding: .towardZero) &+ 127) &<< 23
        return y * unsafeBitCast(bits, to: Lanes.self)
    }

    /// Replaces fields x by the conditional means: tanh x (pm1) or sigmoid x (binary).
    static func activate(_ p: UnsafeMutablePointer<Float>, count: Int, units: RBMUnits) {
        var i = 0
        let one = Lanes(repeating: 1)
        while i + 16 <= count {
            let x = Lanes(UnsafeBufferPointer(start: p + i, count: 16))
            let y: Lanes = units == .pm1 ? one - 2 / (exp(2 * x) + 1) : one / (one + exp(-x))
            for l in 0..<16 { p[i + l] = y[l] }
            i += 16
        }
        if i < count {
            var x = Lanes(repeating: 0)
            for l in 0..<(count - i) { x[l] = p[i + l] }
            let y: Lanes = units == .pm1 ? one - 2 / (exp(2 * x) + 1) : one / (one + exp(-x))
            for l in 0..<(count - i) { p[i + l] = y[l] }
        }
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
