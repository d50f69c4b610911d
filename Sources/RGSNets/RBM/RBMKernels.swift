import RGSNumerics

/// Elementwise kernels of RBM training: fields to means and means to samples.
///
/// The means are `VectorMath.rationalTanh` (pm1) and a logistic through `VectorMath.exp`
/// (binary), on 16 lanes, so the conditionals of a whole minibatch cost a few cycles per unit
/// instead of a libm call each. Results depend only on the inputs, never on the thread count.
enum RBMKernels {
    typealias Lanes = SIMD16<Float>

    /// Means of the rows `rows` of products `p` (`width` units per row, rows `stride` floats
    /// apart) plus `bias`, in place; with `draw`, row r is also sampled from stream
    /// (key, step, firstRow + r) into row r of `draw.into` (same stride) and/or its bits. When
    /// `stride` is a multiple of 16 (and `bias` is readable up to it) rows are handled in whole
    /// 16-lane chunks, writing means and samples into the padding too; otherwise the last chunk
    /// is partial.
    ///
    /// Rows go in groups of eight, whose streams advance together in SIMD lanes; activation and
    /// sampling are separate functions, because fused into one loop the compiler split the
    /// exponential into scalar pieces.
    static func conditionals(_ p: UnsafeMutablePointer<Float>, rows: Range<Int>, width: Int, stride: Int,
                             bias: UnsafePointer<Float>, units: RBMUnits, draw: RBMDraw?) {
        let padded = stride % 16 == 0
        if padded { activate(p + rows.lowerBound * stride, rows: rows.count, width: width, stride: stride, bias: bias, units: units) }
        withUnsafeTemporaryAllocation(of: SIMD8<UInt64>.self, capacity: 8) { words in
            var first = rows.lowerBound
            while first < rows.upperBound {
                let group = min(8, rows.upperBound - first)
                for r in first..<(first + group) where !padded {
                    activate(p + r * stride, width: width, stride: stride, bias: bias, units: units)
                }
                if let draw {
                    sample(p, rows: first..<(first + group), width: width, stride: stride, units: units, draw: draw,
                           words: words.baseAddress!)
                }
                first += 8
            }
        }
    }

    /// Replaces one row of products x by the means of x + bias, 16 units at a time.
    @inline(never)
    private static func activate(_ row: UnsafeMutablePointer<Float>, width: Int, stride: Int, bias: UnsafePointer<Float>,
                                 units: RBMUnits) {
        let mean = Activation(units)
        var i = 0
        while i < width {
            let lanes = i + 16 <= stride ? 16 : width - i
            store(mean(load(row + i, lanes) + load(bias + i, lanes)), lanes, to: row + i)
            i += 16
        }
    }

    /// Replaces `rows` padded rows of products x (`stride` a multiple of 16, `bias` padded to
    /// it) by the means of x + bias, in whole 16-unit chunks up to the first multiple of 16 at
    /// or past `width`.
    @inline(never)
    private static func activate(_ p: UnsafeMutablePointer<Float>, rows: Int, width: Int, stride: Int,
                                 bias: UnsafePointer<Float>, units: RBMUnits) {
        let mean = Activation(units), used = (width + 15) / 16 * 16
        for r in 0..<rows {
            let row = p + r * stride
            for i in Swift.stride(from: 0, to: used, by: 16) {
                let x = UnsafeRawPointer(row + i).loadUnaligned(as: Lanes.self) + UnsafeRawPointer(bias + i).loadUnaligned(as: Lanes.self)
                UnsafeMutableRawPointer(row + i).storeBytes(of: mean(x), as: Lanes.self)
            }
        }
    }

    /// Bit l of a 16-unit chunk's bits is unit l (`BitRows` layout, little-endian).
    private static let bitShifts = SIMD16<UInt32>(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15)

    /// Draws the rows `rows` (at most eight) from their means: +1 (1) with probability
    /// p = (1 + mean) / 2 (mean), else -1 (0); with `draw.bits`, also their bits.
    ///
    /// Unit l of a 16-unit chunk takes the 32-bit half l % 2 (the low half first) of the row's
    /// word l / 2 of the chunk, and is up when the top 23 bits of that half, as a uniform u in
    /// [0, 1), lie below p rounded to a multiple of 2^-23 (ties to even): 1 + u < 1 + p,
    /// compared as floats in [1, 2] (1 + u is the half's top bits under the exponent of 1, and
    /// 1 + p is one multiply-add of the mean). The streams of the rows advance together in SIMD
    /// lanes; the last chunk of a row may draw a few words more, which no other row reads, so
    /// every sample is exactly the one of the unit-by-unit rule.
    @inline(never)
    private static func sample(_ means: UnsafePointer<Float>, rows: Range<Int>, width: Int, stride: Int, units: RBMUnits,
                               draw: RBMDraw, words: UnsafeMutablePointer<SIMD8<UInt64>>) {
        let pm1 = units == .pm1
        let scale = Lanes(repeating: pm1 ? 0.5 : 1), shift = Lanes(repeating: pm1 ? 1.5 : 1)
        let low = Lanes(repeating: units.low), span = 1 - low
        let first = RBMStreams.row(step: draw.step, row: draw.firstRow + rows.lowerBound)
        var streams = RandomStreamLanes(seed: draw.key, streams: SIMD8(repeating: first) &+ SIMD8(0, 1, 2, 3, 4, 5, 6, 7))
        var i = 0
        while i < width {
            let lanes = i + 16 <= stride ? 16 : width - i
            nextWords(&streams, into: words)
            for (l, r) in rows.enumerated() {
                let onePlusP = shift.addingProduct(load(means + r * stride + i, lanes), scale)
                // 1 + u < 1 + p exactly when their difference (exact in [1, 2]) is negative, so
                // the sign bit is the unit; a select on the comparison mask compiled lane by lane.
                let below = unsafeBitCast(onePlusUniforms(words + l) - onePlusP, to: SIMD16<UInt32>.self) &>> 31
                if let into = draw.into { store(low + exactFloat(below) * span, lanes, to: into + r * stride + i) }
                if let bits = draw.bits, i < width {
                    let chunk = UInt16(truncatingIfNeeded: (below &<< bitShifts).wrappedSum())
                    UnsafeMutableRawPointer(bits + r * draw.wordsPerRow).storeBytes(of: chunk, toByteOffset: i / 8, as: UInt16.self)
                }
            }
            i += 16
        }
    }

    /// The next eight words of each of the eight streams, stream by stream: `words[l]` holds
    /// those of stream l. Three perfect unshuffles of the 8 x 8 tile of words transpose it
    /// (each moves the index bits of a tile element one place: after three, word and stream
    /// have swapped).
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

    /// 1 + u for 16 uniforms u in [0, 1) of 23 bits: the top 23 bits of each 32-bit half of
    /// eight words (little-endian: the low half is lane 2j) under the exponent of 1.
    @inline(__always)
    private static func onePlusUniforms(_ p: UnsafePointer<SIMD8<UInt64>>) -> Lanes {
        // Read as 32-bit lanes from memory: a register bitcast from 64-bit lanes was scalarised.
        let bits = UnsafeRawPointer(p).load(as: SIMD16<UInt32>.self)
        return unsafeBitCast((bits &>> 9) | 0x3F80_0000, to: Lanes.self)
    }

    /// `lanes` floats from `p` (all 16 when `lanes` is 16, else zero-filled past `lanes`).
    @inline(__always)
    private static func load(_ p: UnsafePointer<Float>, _ lanes: Int) -> Lanes {
        if lanes == 16 { return UnsafeRawPointer(p).loadUnaligned(as: Lanes.self) }
        // Through memory: lane-by-lane insertion made the compiler scalarise the whole kernel.
        var x = Lanes(repeating: 0)
        withUnsafeMutableBytes(of: &x) { $0.baseAddress!.copyMemory(from: p, byteCount: lanes * 4) }
        return x
    }

    /// Stores the first `lanes` lanes of `x` at `p`.
    @inline(__always)
    private static func store(_ x: Lanes, _ lanes: Int, to p: UnsafeMutablePointer<Float>) {
        if lanes == 16 {
            UnsafeMutableRawPointer(p).storeBytes(of: x, as: Lanes.self)
        } else {
            withUnsafeBytes(of: x) { UnsafeMutableRawPointer(p).copyMemory(from: $0.baseAddress!, byteCount: lanes * 4) }
        }
    }

    /// Integers below 2^23 as floats, exactly: OR-ed into the mantissa of 2^23, minus 2^23
    /// (Swift's generic integer-to-float conversion of SIMD types is an out-of-line call).
    @inline(__always)
    static func exactFloat(_ x: SIMD16<UInt32>) -> Lanes {
        unsafeBitCast(x | 0x4B00_0000, to: Lanes.self) - 0x1.0p23
    }

    /// The mean of a unit with field x: tanh x (pm1, `VectorMath.rationalTanh`) or sigmoid x =
    /// 1 / (1 + e^-x) (binary, through the exponential, which keeps tiny means accurate).
    private struct Activation {
        let pm1: Bool

        init(_ units: RBMUnits) { pm1 = units == .pm1 }

        @inline(__always)
        func callAsFunction(_ x: Lanes) -> Lanes { pm1 ? VectorMath.rationalTanh(x) : 1 / (VectorMath.exp(-x) + 1) }
    }
}
