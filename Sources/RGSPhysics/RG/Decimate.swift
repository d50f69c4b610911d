import RGSNumerics

/// One checkerboard decimation step: L x L -> L x L/2, L x L/2 -> L/2 x L/2, or a chain N -> N/2.
///
/// The kept spins are copied unchanged (decimation integrates the removed spins out of the
/// Boltzmann weight, it does not average them); see `DecimationStep` for the exact index map and
/// how it reads the autoencoder paper's eqs. 7-8. Works on spin and continuous ensembles; labels
/// keep beta, h and seed, and the model becomes "decimate(model)".
///
/// Throws a `CoreError` for odd sides, a lattice that is neither L x L nor L x L/2, or shapes
/// other than 1D and 2D.
public func decimate(_ ensemble: Ensemble) throws -> Ensemble {
    let (step, outShape) = try DecimationStep.plan(for: ensemble.shape)
    let labels = ensemble.labels.derived(by: "decimate")
    var result: Ensemble
    if let words = ensemble.packedWords {
        result = Ensemble(shape: outShape,
                          packed: try decimatePacked(words, count: ensemble.count, shape: ensemble.shape,
                                                     step: step, outShape: outShape),
                          labels: labels)
    } else {
        let source = try DecimationStep.sourceSites(for: ensemble.shape)
        result = Ensemble(shape: outShape,
                          values: try gatherValues(ensemble, source: source),
                          labels: labels)
    }
    result.notes = ensemble.notes + ["decimate: checkerboard, \(shapeText(ensemble.shape)) -> \(shapeText(outShape))"]
    result.isPartial = ensemble.isPartial
    return result
}

/// Decimation on packed words: each row (or chain chunk) is processed 64 spins at a time.
private func decimatePacked(_ words: [UInt64], count: Int, shape: [Int], step: DecimationStep,
                            outShape: [Int]) throws -> [UInt64] {
    let inSites = shape.reduce(1, *), outSites = outShape.reduce(1, *)
    let inWPS = (inSites + 63) / 64, outWPS = (outSites + 63) / 64
    var out = [UInt64](repeating: 0, count: count * outWPS)
    try words.withUnsafeBufferPointer { src in
        try out.withUnsafeMutableBufferPointer { dst in
            nonisolated(unsafe) let input = src.baseAddress!
            nonisolated(unsafe) let output = dst.baseAddress!
            try forEachSampleChunk(count) { first, end in
                for s in first..<end {
                    let a = input + s * inWPS, b = output + s * outWPS
                    switch step {
                    case .chain:
                        decimateRow(a, 0, length: inSites, keepOdd: false, b, 0)
                    case .columns:
                        let side = shape[1]
                        for r in 0..<shape[0] {
                            decimateRow(a, r * side, length: side, keepOdd: r & 1 == 1, b, r * (side / 2))
                        }
                    case .rows:
                        let m = shape[1]
                        for r in 0..<outShape[0] { copyBits(a, 2 * r * m, b, r * m, length: m) }
                    }
                }
            }
        }
    }
    return out
}

/// Keeps the even (or odd) sites of a run of `length` (even) spins, packing them contiguously.
@inline(__always)
private func decimateRow(_ src: UnsafePointer<UInt64>, _ from: Int, length: Int, keepOdd: Bool,
                         _ dst: UnsafeMutablePointer<UInt64>, _ to: Int) {
    var c = 0
    while c < length {
        let n = min(64, length - c)
        var x = PackedBits.read(src, from + c, n)
        if keepOdd { x >>= 1 }
        PackedBits.write(dst, to + c / 2, n / 2, PackedBits.compressEven(x))
        c += 64
    }
}

/// Copies `length` bits from bit `from` of `src` to bit `to` of the zeroed `dst`.
@inline(__always)
func copyBits(_ src: UnsafePointer<UInt64>, _ from: Int, _ dst: UnsafeMutablePointer<UInt64>, _ to: Int,
              length: Int) {
    var c = 0
    while c < length {
        let n = min(64, length - c)
        PackedBits.write(dst, to + c, n, PackedBits.read(src, from + c, n))
        c += 64
    }
}

/// Continuous decimation: output site j takes input site `source[j]`.
private func gatherValues(_ ensemble: Ensemble, source: [Int]) throws -> [Float] {
    let n = ensemble.siteCount, m = source.count
    let all = ensemble.floatMatrix()
    var out = [Float](repeating: 0, count: ensemble.count * m)
    try all.withUnsafeBufferPointer { src in
        try out.withUnsafeMutableBufferPointer { dst in
            try source.withUnsafeBufferPointer { map in
                nonisolated(unsafe) let input = src.baseAddress!
                nonisolated(unsafe) let output = dst.baseAddress!
                nonisolated(unsafe) let index = map.baseAddress!
                try forEachSampleChunk(ensemble.count) { first, end in
                    for s in first..<end {
                        for j in 0..<m { output[s * m + j] = input[s * n + index[j]] }
                    }
                }
            }
        }
    }
    return out
}


/// "32x16".
func shapeText(_ shape: [Int]) -> String {
    shape.map(String.init).joined(separator: "x")
}
