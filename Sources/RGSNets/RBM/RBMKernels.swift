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

    /// Means of the rows `rows` of products `p` (`width` units per row, rows `stride` floats
    /// apart) plus `bias`, in place; with `draw`, row r is also sampled from stream
    /// (key, step, firstRow + r) into row r of `draw.into` (same stride). When `stride` is a
    /// multiple of 16 (and `bias` is readable up to it) rows are handled in whole 16-lane chunks,
    /// writing means and samples into the padding too; otherwise the last chunk is partial.
    ///
    /// 16 units at a time: the field x, its mean tanh x = 1 - 2 / (e^2x + 1) (pm1) or
    /// sigmoid x = 1 / (1 + e^-x) (binary), and with `draw` the sample: +1 (1) with probability
    /// (1 + mean) / 2 (mean), else -1 (0). Units 2j and 2j + 1 compare 24-bit uniforms from bits
    /// 40-63 and 16-39 of the row's j-th random word. Rows go in groups of eight whose streams
    /// advance together in SIMD lanes; the last chunk of a row may draw a few words more, which no
    /// other row reads, so every sample is exactly the one of the unit-by-unit rule.
    static func conditionals(_ p: UnsafeMutablePointer<Float>, rows: Range<Int>, width: Int, stride: Int,
                             bias: UnsafePointer<Float>, units: RBMUnits, draw: RBMDraw?) {
        let pm1 = units == .pm1
        // mean = offset + numerator / (e^(factor x) + 1), one form for both kinds of units.
        let factor = Lanes(repeating: pm1 ? 2 : -1), offset = Lanes(repeating: pm1 ? 1 : 0)
        let numerator = Lanes(repeating: pm1 ? -2 : 1), one = Lanes(repeating: 1)
        let scale = Lanes(repeating: pm1 ? 0.5 : 1), shift = Lanes(repeating: pm1 ? 0.5 : 0)
        let low = Lanes(repeating: units.low)
        withUnsafeTemporaryAllocation(of: SIMD8<UInt64>.self, capacity: 8) { buffer in
            let words = buffer.baseAddress!
            var first = rows.lowerBound
            while first < rows.upperBound {
                let group = min(8, rows.upperBound - first)
                var streams = RandomStreamLanes(seed: 0, streams: .zero)
                if let draw {
                    let row = RBMStreams.row(step: draw.step, row: draw.firstRow + first)
                    streams = RandomStreamLanes(seed: draw.key, streams: SIMD8(repeating: row) &+ SIMD8(0, 1, 2, 3, 4, 5, 6, 7))
                }
                var i = 0
                while i < width {
                    let lanes = i + 16 <= stride ? 16 : width - i
                    if draw != nil { nextWords(&streams, into: words) }
                    for l in 0..<group {
                        let row = p + (first + l) * stride + i
                        let m = offset + numerator / (exp(factor * (load(row, lanes) + load(bias + i, lanes))) + one)
                        store(m, lanes, to: row)
                        if let draw {
                            let sample = low.replacing(with: one, where: uniforms(words[l]) .< m * scale + shift)
                            store(sample, lanes, to: draw.into + (first + l) * stride + i)
                        }
                    }
                    i += 16
                }
                first += 8
            }
        }
    }

    /// The next eight words of each of the eight streams, row by row: `words[l]` holds the words
    /// of stream l. Three perfect unshuffles of the 8 x 8 tile transpose it (each moves the index
    /// bits of a tile element one place: after three, word and stream have swapped).
    @inline(__always)
    private static func nextWords(_ s: inout RandomStreamLanes, into words: UnsafeMutablePointer<SIMD8<UInt64>>) {
        var v = (s.next(), s.next(), s.next(), s.next(), s.next(), s.next(), s.next(), s.next())
        for _ in 0..<3 {
            let a = SIMD16(lowHalf: v.0, highHalf: v.1), b = SIMD16(lowHalf: v.2, highHalf: v.3)
            let c = SIMD16(lowHalf: v.4, highHalf: v.5), d = SIMD16(lowHalf: v.6, highHalf: v.7)
            v = (a.evenHalf, b.evenHalf, c.evenHalf, d.evenHalf, a.oddHalf, b.oddHalf, c.oddHalf, d.oddHalf)
        }
        (words[0], words[1], words[2], words[3], words[4], words[5], words[6], words[7]) = v
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

    /// 16 uniforms in [0, 1) from 8 words: lanes 2j and 2j + 1 take bits 40-63 and 16-39 of word j.
    @inline(__always)
    private static func uniforms(_ w: SIMD8<UInt64>) -> Lanes {
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
