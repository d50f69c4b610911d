import RGSNumerics

/// The majority rule: each b x b block (b consecutive sites on a chain) becomes one spin with the
/// sign of its sum.
///
/// Blocks of an odd number of spins never tie. For an even number, a zero sum is decided by
/// `ties` (default: the block's first, top-left spin; see `TieRule`). On continuous ensembles
/// the sum of the values decides and exact zeros are ties. The result is always a spin ensemble;
/// labels keep beta, h and seed, the model becomes "majority(model)".
///
/// Throws a `CoreError` if block < 2, the sides are not divisible by the block, or the shape is
/// not 1D or 2D.
public func majority(_ ensemble: Ensemble, block: Int, ties: TieRule = .firstSpin) throws -> Ensemble {
    let g = try BlockGeometry(shape: ensemble.shape, block: block, rule: "majority")
    let words: [UInt64]
    if let packed = ensemble.packedWords {
        words = try majorityPacked(packed, ensemble: ensemble, geometry: g, ties: ties)
    } else {
        words = try majorityContinuous(ensemble, geometry: g, ties: ties)
    }
    var result = Ensemble(shape: g.outShape, packed: words,
                          labels: ensemble.labels.derived(by: "majority"))
    result.notes = ensemble.notes + [
        "majority: block \(block), ties \(ties == .firstSpin ? "by the first spin" : "by a random coin"), \(shapeText(ensemble.shape)) -> \(shapeText(g.outShape))",
    ]
    result.isPartial = ensemble.isPartial
    return result
}

private func majorityPacked(_ words: [UInt64], ensemble: Ensemble, geometry g: BlockGeometry,
                            ties: TieRule) throws -> [UInt64] {
    let inWPS = ensemble.wordsPerSample
    let outSites = g.outShape.reduce(1, *), outWPS = (outSites + 63) / 64
    let labels = ensemble.labels, inSites = ensemble.siteCount
    var out = [UInt64](repeating: 0, count: ensemble.count * outWPS)
    try words.withUnsafeBufferPointer { src in
        try out.withUnsafeMutableBufferPointer { dst in
            nonisolated(unsafe) let input = src.baseAddress!
            nonisolated(unsafe) let output = dst.baseAddress!
            try forEachSampleChunk(ensemble.count) { first, end in
                for s in first..<end {
                    var coins = tieStream(labels[s], sample: s, sites: inSites)
                    let a = UnsafePointer(input + s * inWPS), b = output + s * outWPS
                    if g.height == 2 && g.width == 2 {
                        majority2x2(a, g, b, ties, &coins)
                    } else {
                        majorityBlocks(a, g, b, ties, &coins)
                    }
                }
            }
        }
    }
    return out
}

/// 2x2 majority on packed rows, 32 blocks per pair of 64-spin row chunks: a bit-sliced adder of
/// the four spins of every block at once (bit 2k of each operand is block k).
@inline(__always)
private func majority2x2(_ src: UnsafePointer<UInt64>, _ g: BlockGeometry, _ dst: UnsafeMutablePointer<UInt64>,
                         _ ties: TieRule, _ coins: inout RandomStream) {
    let e = PackedBits.even, columns = g.columns
    for br in 0..<g.outRows {
        let top = 2 * br * columns, bottom = top + columns
        var c = 0
        while c < columns {
            let n = min(64, columns - c)
            let x = PackedBits.read(src, top + c, n), y = PackedBits.read(src, bottom + c, n)
            let s1 = x & e, s2 = (x >> 1) & e, s3 = y & e, s4 = (y >> 1) & e
            // Pair sums: q = both up, p = exactly one up (top pair); t, r likewise (bottom pair).
            let q = s1 & s2, p = s1 ^ s2, t = s3 & s4, r = s3 ^ s4
            let up = (q & t) | (q & r) | (t & p)                       // 3 or 4 up
            let tie = (p & r) | (q & ~(t | r)) | (t & ~(q | p))        // exactly 2 up
            let coin = ties == .firstSpin ? s1 : coins.next() & e
            PackedBits.write(dst, br * (columns / 2) + c / 2, n / 2, PackedBits.compressEven(up | (tie & coin)))
            c += 64
        }
    }
}

/// Majority for any block size: popcount of each block's rows.
@inline(__always)
private func majorityBlocks(_ src: UnsafePointer<UInt64>, _ g: BlockGeometry, _ dst: UnsafeMutablePointer<UInt64>,
                            _ ties: TieRule, _ coins: inout RandomStream) {
    let area = g.height * g.width
    for br in 0..<g.outRows {
        for bc in 0..<g.outColumns {
            let origin = br * g.height * g.columns + bc * g.width
            var up = 0
            for dr in 0..<g.height { up += PackedBits.countUp(src, origin + dr * g.columns, g.width) }
            let spin: UInt64
            if 2 * up != area {
                spin = 2 * up > area ? 1 : 0
            } else {
                spin = ties == .firstSpin ? PackedBits.bit(src, origin) : coins.next() >> 63
            }
            if spin == 1 { PackedBits.write(dst, br * g.outColumns + bc, 1, 1) }
        }
    }
}

private func majorityContinuous(_ ensemble: Ensemble, geometry g: BlockGeometry, ties: TieRule) throws -> [UInt64] {
    let outSites = g.outShape.reduce(1, *), outWPS = (outSites + 63) / 64
    let blocks = (0..<outSites).map { g.sites(ofBlock: $0) }
    let values = ensemble.floatMatrix(), n = ensemble.siteCount
    let labels = ensemble.labels
    var out = [UInt64](repeating: 0, count: ensemble.count * outWPS)
    try out.withUnsafeMutableBufferPointer { dst in
        nonisolated(unsafe) let output = dst.baseAddress!
        try forEachSampleChunk(ensemble.count) { first, end in
            for s in first..<end {
                var coins = tieStream(labels[s], sample: s, sites: n)
                for (j, sites) in blocks.enumerated() {
                    var sum: Float = 0
                    for i in sites { sum += values[s * n + i] }
                    let up: Bool
                    if sum != 0 {
                        up = sum > 0
                    } else {
                        up = ties == .firstSpin ? values[s * n + sites[0]] >= 0 : coins.next() >> 63 == 1
                    }
                    if up { PackedBits.write(output + s * outWPS, j, 1, 1) }
                }
            }
        }
    }
    return out
}
