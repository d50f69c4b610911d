import RGSNumerics

/// Kadanoff's block spin: each b x b block (b consecutive sites on a chain) becomes the average
/// of its values, in [-1, 1] (the long-range paper, sec. I.B, Fig. 1: four spins averaged to one).
///
/// With `rounded: true` the average is rounded to a spin: its sign, with a zero average (an
/// even block split evenly) decided by `ties`, by default a fair coin keyed by the sample's seed
/// and index (`TieRule.random`), so that rounding adds no bias towards either the first spin or
/// any fixed direction. The unrounded result is a continuous ensemble ("blockspin(model)"); the
/// rounded one is a spin ensemble ("blockspin(model)" as well, with a note saying "rounded").
///
/// Throws a `CoreError` if block < 2, the sides are not divisible by the block, or the shape is
/// not 1D or 2D.
public func blockspin(_ ensemble: Ensemble, block: Int, rounded: Bool = false,
                      ties: TieRule = .random) throws -> Ensemble {
    let g = try BlockGeometry(shape: ensemble.shape, block: block, rule: "blockspin")
    let labels = ensemble.labels.derived(by: "blockspin")
    var result: Ensemble
    if rounded {
        // The sign of the average is the sign of the sum: the majority rule with this tie rule.
        let voted = try majority(ensemble, block: block, ties: ties)
        result = Ensemble(shape: g.outShape, packed: voted.packedWords ?? [], labels: labels)
    } else {
        result = Ensemble(shape: g.outShape, values: try blockAverages(ensemble, geometry: g), labels: labels)
    }
    let how = rounded ? "rounded to spins, ties \(ties == .firstSpin ? "by the first spin" : "by a random coin")"
                      : "averaged"
    result.notes = ensemble.notes + ["blockspin: block \(block), \(how), \(shapeText(ensemble.shape)) -> \(shapeText(g.outShape))"]
    result.isPartial = ensemble.isPartial
    return result
}

/// Block averages as floats; spin blocks are counted with popcounts on the packed rows.
private func blockAverages(_ ensemble: Ensemble, geometry g: BlockGeometry) throws -> [Float] {
    let outSites = g.outShape.reduce(1, *), area = g.height * g.width
    let n = ensemble.siteCount
    // Every element is written below (an interrupted run throws the array away): no zero fill.
    var out = [Float](unsafeUninitializedCapacity: ensemble.count * outSites) { buffer, initialized in
        if let start = buffer.baseAddress { HugePages.advise(UnsafeMutableRawPointer(start), bytes: buffer.count * 4) }
        initialized = buffer.count
    }
    if let words = ensemble.packedWords {
        let wps = ensemble.wordsPerSample
        try words.withUnsafeBufferPointer { src in
            try out.withUnsafeMutableBufferPointer { dst in
                nonisolated(unsafe) let input = src.baseAddress!
                nonisolated(unsafe) let output = dst.baseAddress!
                try forEachSampleChunk(ensemble.count) { first, end in
                    for s in first..<end {
                        let a = input + s * wps, b = output + s * outSites
                        if g.height == 2 && g.width == 2 {
                            averageTwoByTwo(a, b, g)
                            continue
                        }
                        for br in 0..<g.outRows {
                            for bc in 0..<g.outColumns {
                                let origin = br * g.height * g.columns + bc * g.width
                                var up = 0
                                for dr in 0..<g.height {
                                    up += PackedBits.countUp(a, origin + dr * g.columns, g.width)
                                }
                                // mean of +-1 spins = (up - down) / area, one correctly rounded division
                                b[br * g.outColumns + bc] = Float(2 * up - area) / Float(area)
                            }
                        }
                    }
                }
            }
        }
    } else {
        let values = ensemble.continuousValues ?? ensemble.floatMatrix()
        let area = Float(area)
        try values.withUnsafeBufferPointer { src in
            try out.withUnsafeMutableBufferPointer { dst in
                nonisolated(unsafe) let input = src.baseAddress!
                nonisolated(unsafe) let output = dst.baseAddress!
                try forEachSampleChunk(ensemble.count) { first, end in
                    for s in first..<end {
                        let a = input + s * n, b = output + s * outSites
                        if g.height == 2 && g.width == 2 {
                            averageTwoByTwo(a, b, g)
                            continue
                        }
                        // Sum each block row by row: contiguous reads, one pass over the sample.
                        for br in 0..<g.outRows {
                            let row = b + br * g.outColumns
                            for bc in 0..<g.outColumns { row[bc] = 0 }
                            for dr in 0..<g.height {
                                let line = a + (br * g.height + dr) * g.columns
                                for bc in 0..<g.outColumns {
                                    var sum: Float = 0
                                    for dc in 0..<g.width { sum += line[bc * g.width + dc] }
                                    row[bc] += sum
                                }
                            }
                            for bc in 0..<g.outColumns { row[bc] /= area }
                        }
                    }
                }
            }
        }
    }
    return out
}

/// 2x2 block averages of one packed sample, 32 blocks per pair of 64-bit row chunks: nibble-wide
/// popcounts of the two rows (blocks 2k in `even`, 2k+1 in `odd`) give each block's count of up
/// spins c, whose mean is c / 2 - 1 (exact), sixteen blocks per vector.
@inline(__always)
private func averageTwoByTwo(_ a: UnsafePointer<UInt64>, _ b: UnsafeMutablePointer<Float>, _ g: BlockGeometry) {
    let m: UInt64 = 0x1111_1111_1111_1111
    // Lane j of a group of sixteen blocks reads nibble j / 2 of `even` (j even) or `odd`.
    let shifts = SIMD16<UInt32>(0, 0, 4, 4, 8, 8, 12, 12, 16, 16, 20, 20, 24, 24, 28, 28)
    let oddLanes = SIMD16<UInt32>(0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1) .== 1
    for br in 0..<g.outRows {
        let top = 2 * br * g.columns, out = b + br * g.outColumns
        var column = 0
        while column < g.columns {
            let n = min(64, g.columns - column)
            let x = PackedBits.read(a, top + column, n), y = PackedBits.read(a, top + g.columns + column, n)
            let even = (x & m) &+ ((x >> 1) & m) &+ (y & m) &+ ((y >> 1) & m)
            let odd = ((x >> 2) & m) &+ ((x >> 3) & m) &+ ((y >> 2) & m) &+ ((y >> 3) & m)
            for group in 0..<((n / 2 + 15) / 16) {
                let e = UInt32(truncatingIfNeeded: even >> UInt64(32 * group)), o = UInt32(truncatingIfNeeded: odd >> UInt64(32 * group))
                let counts = (SIMD16(repeating: e).replacing(with: o, where: oddLanes) &>> shifts) & 0xF
                let means = SIMD16<Float>(SIMD16<Int32>(truncatingIfNeeded: counts)) * 0.5 - 1
                let first = column / 2 + 16 * group, count = min(16, n / 2 - 16 * group)
                if count == 16 {
                    UnsafeMutableRawPointer(out + first).storeBytes(of: means, as: SIMD16<Float>.self)
                } else {
                    for j in 0..<count { out[first + j] = means[j] }
                }
            }
            column += n
        }
    }
}

/// 2x2 block averages of one sample of values: each block row's pair sums (x0 + x1 of both rows,
/// then their sum, divided by 4: the order of the general loop) eight blocks per vector.
@inline(__always)
private func averageTwoByTwo(_ a: UnsafePointer<Float>, _ b: UnsafeMutablePointer<Float>, _ g: BlockGeometry) {
    for br in 0..<g.outRows {
        let line0 = a + 2 * br * g.columns, line1 = line0 + g.columns, out = b + br * g.outColumns
        var bc = 0
        while bc + 8 <= g.outColumns {
            let u = UnsafeRawPointer(line0 + 2 * bc).loadUnaligned(as: SIMD16<Float>.self)
            let v = UnsafeRawPointer(line1 + 2 * bc).loadUnaligned(as: SIMD16<Float>.self)
            let sums = (u.evenHalf + u.oddHalf) + (v.evenHalf + v.oddHalf)
            UnsafeMutableRawPointer(out + bc).storeBytes(of: sums / 4, as: SIMD8<Float>.self)
            bc += 8
        }
        while bc < g.outColumns {
            out[bc] = ((line0[2 * bc] + line0[2 * bc + 1]) + (line1[2 * bc] + line1[2 * bc + 1])) / 4
            bc += 1
        }
    }
}
