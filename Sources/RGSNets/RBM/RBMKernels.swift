import RGSNumerics

/// Elementwise kernels of RBM training: fields to means and means to samples.
///
/// The exponential is `VectorMath.exp` (16 lanes, about 1 ulp), so the conditionals of a whole
/// minibatch cost a few cycles per unit instead of a libm call each. Results depend only on the
/// inputs, never on the thread count.
enum RBMKernels {
    typealias Lanes = SIMD16<Float>

    /// Means of the rows `rows` of products `p` (`width` units per row, rows `stride` floats
    /// apart) plus `bias`, in place; with `draw`, row r is also sampled from stream
    /// (key, step, firstRow + r) into row r of `draw.into` (same stride). When `stride` is a
    /// multiple of 16 (and `bias` is readable up to it) rows are handled in whole 16-lane chunks,
    /// writing means and samples into the padding too; otherwise the last chunk is partial.
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
    /// (1 + mean) / 2 (mean), else -1 (0); with `draw.bits`, also their bits.
    ///
    /// Units 2j and 2j + 1 compare 24-bit uniforms from bits 40-63 and 16-39 of the row's j-th
    /// random word. The streams of the rows advance together in SIMD lanes; the last chunk of a
    /// row may draw a few words more, which no other row reads, so every sample is exactly the
    /// one of the unit-by-unit rule.
    @inline(never)
    private static func sample(_ means: UnsafePointer<Float>, rows: Range<Int>, width: Int, stride: Int, units: RBMUnits,
                               draw: RBMDraw, words: UnsafeMutablePointer<SIMD8<UInt64>>) {
        let pm1 = units == .pm1
        let scale = Lanes(repeating: pm1 ? 0.5 : 1), shift = Lanes(repeating: pm1 ? 0.5 : 0)
        let low = Lanes(repeating: units.low), span = 1 - low
        let first = RBMStreams.row(step: draw.step, row: draw.firstRow + rows.lowerBound)
        var streams = RandomStreamLanes(seed: draw.key, streams: SIMD8(repeating: first) &+ SIMD8(0, 1, 2, 3, 4, 5, 6, 7))
        var i = 0
        while i < width {
            let lanes = i + 16 <= stride ? 16 : width - i
            nextBits(&streams, into: words)
            for (l, r) in rows.enumerated() {
                let p = load(means + r * stride + i, lanes) * scale + shift
                // u < p exactly when u - p is negative (distinct floats never differ by zero), so
                // the sign bit is the unit; a select on the comparison mask compiled lane by lane.
                let below = unsafeBitCast(uniforms(words + l) - p, to: SIMD16<UInt32>.self) &>> 31
                store(low + exactFloat(below) * span, lanes, to: draw.into + r * stride + i)
                if let bits = draw.bits, i < width {
                    let chunk = UInt16(truncatingIfNeeded: (below &<< bitShifts).wrappedSum())
                    UnsafeMutableRawPointer(bits + r * draw.wordsPerRow).storeBytes(of: chunk, toByteOffset: i / 8, as: UInt16.self)
                }
            }
            i += 16
        }
    }

    /// The 24-bit uniforms of the next eight words of each of the eight streams, stream by
    /// stream: `bits[l]` holds those of stream l, as 16 integers (bits 40-63 and 16-39 of each
    /// word, in that order). Three perfect unshuffles of the 8 x 8 tile of words transpose it
    /// (each moves the index bits of a tile element one place: after three, word and stream
    /// have swapped).
    @inline(__always)
    private static func nextBits(_ s: inout RandomStreamLanes, into bits: UnsafeMutablePointer<SIMD8<UInt64>>) {
        var v = (s.next(), s.next(), s.next(), s.next(), s.next(), s.next(), s.next(), s.next())
        for _ in 0..<3 {
            let a = SIMD16(lowHalf: v.0, highHalf: v.1), b = SIMD16(lowHalf: v.2, highHalf: v.3)
            let c = SIMD16(lowHalf: v.4, highHalf: v.5), d = SIMD16(lowHalf: v.6, highHalf: v.7)
            v = (a.evenHalf, b.evenHalf, c.evenHalf, d.evenHalf, a.oddHalf, b.oddHalf, c.oddHalf, d.oddHalf)
        }
        (bits[0], bits[1], bits[2], bits[3]) = (split(v.0), split(v.1), split(v.2), split(v.3))
        (bits[4], bits[5], bits[6], bits[7]) = (split(v.4), split(v.5), split(v.6), split(v.7))
    }

    /// Bits 40-63 of each word into its low half, bits 16-39 into its high half (little-endian:
    /// the low half is read back as the even 32-bit lane).
    @inline(__always)
    private static func split(_ w: SIMD8<UInt64>) -> SIMD8<UInt64> {
        (w &>> 40) | (((w &>> 16) & 0xFF_FFFF) &<< 32)
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

    /// 16 uniforms in [0, 1) from 16 integers below 2^24 (stored by `nextBits`).
    @inline(__always)
    private static func uniforms(_ p: UnsafePointer<SIMD8<UInt64>>) -> Lanes {
        // Read as 32-bit lanes from memory: a register bitcast from 64-bit lanes was scalarised.
        let bits = UnsafeRawPointer(p).load(as: SIMD16<UInt32>.self)
        return (exactFloat(bits &>> 12) * 4096 + exactFloat(bits & 0xFFF)) * 0x1.0p-24
    }

    /// Integers below 2^23 as floats, exactly: OR-ed into the mantissa of 2^23, minus 2^23
    /// (Swift's generic integer-to-float conversion of SIMD types is an out-of-line call).
    @inline(__always)
    static func exactFloat(_ x: SIMD16<UInt32>) -> Lanes {
        unsafeBitCast(x | 0x4B00_0000, to: Lanes.self) - 0x1.0p23
    }

    /// The mean of a unit with field x: tanh x = 1 - 2 / (e^2x + 1) (pm1) or
    /// sigmoid x = 1 / (1 + e^-x) (binary), both as offset + numerator / (e^(factor x) + 1).
    private struct Activation {
        let factor, offset, numerator: Lanes

        init(_ units: RBMUnits) {
            let pm1 = units == .pm1
            (factor, offset, numerator) = (Lanes(repeating: pm1 ? 2 : -1), Lanes(repeating: pm1 ? 1 : 0),
                                           Lanes(repeating: pm1 ? -2 : 1))
        }

        @inline(__always)
        func callAsFunction(_ x: Lanes) -> Lanes { offset + numerator / (VectorMath.exp(factor * x) + 1) }
    }
}
