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
    let labels = ensemble.labels.map { relabel($0, "blockspin") }
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
