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
    let labels = ensemble.labels.map { $0.derived(by: "blockspin") }
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
    var out = [Float](repeating: 0, count: ensemble.count * outSites)
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
/// popcounts of the two rows (blocks 2k in `even`, 2k+1 in `odd`) index the five possible means.
@inline(__always)
private func averageTwoByTwo(_ a: UnsafePointer<UInt64>, _ b: UnsafeMutablePointer<Float>, _ g: BlockGeometry) {
    let means: (Float, Float, Float, Float, Float) = (-1, -0.5, 0, 0.5, 1)
    let m: UInt64 = 0x1111_1111_1111_1111
    for br in 0..<g.outRows {
        let top = 2 * br * g.columns, out = b + br * g.outColumns
        var column = 0
        while column < g.columns {
            let n = min(64, g.columns - column)
            let x = PackedBits.read(a, top + column, n), y = PackedBits.read(a, top + g.columns + column, n)
            let even = (x & m) &+ ((x >> 1) & m) &+ (y & m) &+ ((y >> 1) & m)
            let odd = ((x >> 2) & m) &+ ((x >> 3) & m) &+ ((y >> 2) & m) &+ ((y >> 3) & m)
            for j in 0..<(n / 2) {
                let count = Int(((j & 1 == 0 ? even : odd) >> UInt64(4 * (j >> 1))) & 0xF)
                out[column / 2 + j] = withUnsafeBytes(of: means) { $0.load(fromByteOffset: 4 * count, as: Float.self) }
            }
            column += n
        }
    }
}
