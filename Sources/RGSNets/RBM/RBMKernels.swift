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
        for c: Float in [1.398_199_95e-3, 8.333_451_9e-3, 4.166_579_59e-2, 0.166_666_655, 0.500_000_01] {
            p = Lanes(repeating: c).addingProduct(p, r)   // one FMA per coefficient
        }
        let y = (r + 1).addingProduct(p * r, r)
        let integer = unsafeBitCast(shifted, to: SIMD16<Int32>.self) &- Int32(bitPattern: magic.bitPattern)
        return y * unsafeBitCast((integer &+ 127) &<< 23, to: Lanes.self)
    }

    /// Means of the rows `rows` of products `p` (`width` per row) plus `bias`, in place; with
    /// `draw`, row r is also sampled from stream (key, step, firstRow + r) into `draw.into`.
    ///
    /// One pass per row, 16 units at a time: the field x, its mean tanh x = 1 - 2 / (e^2x + 1)
    /// (pm1) or sigmoid x = 1 / (1 + e^-x) (binary), and with `draw` the sample: +1 (1) with
    /// probability (1 + mean) / 2 (mean), else -1 (0). Units 2j and 2j + 1 compare 24-bit
    /// uniforms from bits 40-63 and 16-39 of the row's j-th random word; the last chunk of a row
    /// may draw a few words more, which no other row reads, so every sample is exactly the one of
    /// the unit-by-unit rule.
    static func conditionals(_ p: UnsafeMutablePointer<Float>, rows: Range<Int>, width: Int, bias: UnsafePointer<Float>,
                             units: RBMUnits, draw: RBMDraw?) {
        let pm1 = units == .pm1
        // mean = offset + numerator / (e^(factor x) + 1), one form for both kinds of units.
        let factor = Lanes(repeating: pm1 ? 2 : -1), offset = Lanes(repeating: pm1 ? 1 : 0)
        let numerator = Lanes(repeating: pm1 ? -2 : 1), one = Lanes(repeating: 1)
        let scale = Lanes(repeating: pm1 ? 0.5 : 1), shift = Lanes(repeating: pm1 ? 0.5 : 0)
        let low = Lanes(repeating: units.low)
        var stream = RandomStream(seed: 0)
        for r in rows {
            let row = p + r * width
            var out: UnsafeMutablePointer<Float>?
            if let draw {
                stream = RandomStream(seed: draw.key, stream: RBMStreams.row(step: draw.step, row: draw.firstRow + r))
                out = draw.into + r * width
            }
            var i = 0
            while i < width {
                let lanes = min(16, width - i)
                let x = load(row + i, lanes) + load(bias + i, lanes)
                let m = offset + numerator / (exp(factor * x) + one)
                store(m, lanes, to: row + i)
                if let out {
                    let u = uniforms(&stream)
                    store(low.replacing(with: one, where: u .< m * scale + shift), lanes, to: out + i)
                }
                i += 16
            }
        }
    }

    /// `lanes` floats from `p` (all 16 when `lanes` is 16, else zero-filled past `lanes`).
    @inline(__always)
    private static func load(_ p: UnsafePointer<Float>, _ lanes: Int) -> Lanes {
        if lanes == 16 { return UnsafeRawPointer(p).loadUnaligned(as: Lanes.self) }
        var x = Lanes(repeating: 0)
        for l in 0..<lanes { x[l] = p[l] }
        return x
    }

    /// Stores the first `lanes` lanes of `x` at `p`.
    @inline(__always)
    private static func store(_ x: Lanes, _ lanes: Int, to p: UnsafeMutablePointer<Float>) {
        if lanes == 16 {
            UnsafeMutableRawPointer(p).storeBytes(of: x, as: Lanes.self)
        } else {
            for l in 0..<lanes { p[l] = x[l] }
        }
    }

    /// 16 uniforms in [0, 1) from the stream's next 8 words: lanes 2j and 2j + 1 take bits 40-63
    /// and 16-39 of word j.
    @inline(__always)
    private static func uniforms(_ stream: inout RandomStream) -> Lanes {
        let w = SIMD8<UInt64>(stream.next(), stream.next(), stream.next(), stream.next(),
                              stream.next(), stream.next(), stream.next(), stream.next())
        // Little-endian: the low half of each 64-bit lane becomes the even 32-bit lane.
        let pairs = (w &>> 40) | (((w &>> 16) & 0xFF_FFFF) &<< 32)
        let bits = unsafeBitCast(pairs, to: SIMD16<UInt32>.self)
        return (exactFloat(bits &>> 12) * 4096 + exactFloat(bits & 0xFFF)) * 0x1.0p-24
    }

    /// Integers below 2^23 as floats, exactly: OR-ed into the mantissa of 2^23, minus 2^23
    /// (Swift's generic integer-to-float conversion of SIMD types is an out-of-line call).
    @inline(__always)
    static func exactFloat(_ x: SIMD16<UInt32>) -> Lanes {
        unsafeBitCast(x | 0x4B00_0000, to: Lanes.self) - 0x1.0p23
    }
}
