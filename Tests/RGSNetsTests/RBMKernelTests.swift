import Foundation
import XCTest
import RGSNumerics
@testable import RGSNets

/// The vectorised conditionals against the unit-by-unit rule they implement.
final class RBMKernelTests: XCTestCase {
    /// Lane l of `RandomStreamLanes` draws exactly the words of `RandomStream(seed:stream:)` l.
    func testStreamLanesMatchScalarStreams() {
        let index = SIMD8<UInt64>(0, 1, 2, 3, 1 << 32, 0x5B04 << 40 | 7, .max, 12_345)
        var lanes = RandomStreamLanes(seed: 99, streams: index)
        var scalar = (0..<8).map { RandomStream(seed: 99, stream: index[$0]) }
        for _ in 0..<40 {
            let words = lanes.next()
            for l in 0..<8 { XCTAssertEqual(words[l], scalar[l].next()) }
        }
    }

    /// Means within float rounding of tanh / sigmoid, and samples equal to the scalar rule on
    /// those means: unit 2j (2j + 1) is up when the 23-bit uniform from bits 9-31 (41-63) of the
    /// row's j-th word is below p = (1 + mean) / 2 (pm1) or the mean (binary), p rounded to a
    /// multiple of 2^-23, ties to even (the kernel's 1 + p in float). Padded rows (the training
    /// layout) give bit for bit the same means and samples as packed ones.
    func testConditionalsFollowTheUnitByUnitRule() {
        for units in RBMUnits.allCases {
            for width in [5, 16, 81, 100] {
                let rows = 19, stride = (width + 15) / 16 * 16
                var source = RandomStream(seed: UInt64(width), stream: 1)
                let fields = (0..<(rows * width)).map { _ in Float(source.normal() * 3) }
                let bias = (0..<width).map { _ in Float(source.normal()) }
                let packed = conditionals(fields, bias: bias, rows: rows, width: width, stride: width, units: units)
                let padded = conditionals(fields, bias: bias, rows: rows, width: width, stride: stride, units: units)
                XCTAssertEqual(packed.means.map(\.bitPattern), padded.means.map(\.bitPattern))
                XCTAssertEqual(packed.samples, padded.samples)
                for r in 0..<rows {
                    var stream = RandomStream(seed: 7, stream: RBMStreams.row(step: 3, row: 40 + r))
                    var word: UInt64 = 0
                    for i in 0..<width {
                        let x = Double(fields[r * width + i] + bias[i]), mean = packed.means[r * width + i]
                        let exact = units == .pm1 ? tanh(x) : 1 / (1 + exp(-x))
                        XCTAssertEqual(Double(mean), exact, accuracy: 4e-7)
                        if i % 2 == 0 { word = stream.next() }
                        let u = Double(i % 2 == 0 ? (word >> 9) & 0x7F_FFFF : word >> 41) * 0x1.0p-23
                        let p = ((units == .pm1 ? (1 + Double(mean)) / 2 : Double(mean)) * 0x1.0p23).rounded(.toNearestOrEven)
                            * 0x1.0p-23
                        XCTAssertEqual(packed.samples[r * width + i], u < p ? 1 : units.low, "row \(r) unit \(i)")
                    }
                }
            }
        }
    }

    /// A draw that keeps only the bits (training's hidden samples) sets exactly the bits of the
    /// units a draw into floats puts up, for both kinds of units, on padded and packed rows.
    func testBitsOnlyDrawsMatchTheFloatSamples() {
        for units in RBMUnits.allCases {
            for (width, stride) in [(81, 96), (81, 81), (20, 20)] {
                let rows = 11, words = BitRows.words(width)
                var source = RandomStream(seed: 5, stream: 2)
                let fields = (0..<(rows * stride)).map { _ in Float(source.normal() * 2) }
                let bias = [Float](repeating: 0.1, count: stride)
                var means = fields, bitsOnly = fields, samples = [Float](repeating: 0, count: rows * stride)
                var withFloats = [UInt64](repeating: 0, count: rows * words), alone = withFloats
                func run(_ m: inout [Float], _ out: UnsafeMutablePointer<Float>?, _ bits: inout [UInt64]) {
                    bias.withUnsafeBufferPointer { b in m.withUnsafeMutableBufferPointer { mp in bits.withUnsafeMutableBufferPointer { bp in
                        RBMKernels.conditionals(mp.baseAddress!, rows: 0..<rows, width: width, stride: stride, bias: b.baseAddress!,
                                                units: units, draw: RBMDraw(key: 3, step: 1, into: out, bits: bp.baseAddress!,
                                                                            wordsPerRow: words))
                    } } }
                }
                samples.withUnsafeMutableBufferPointer { run(&means, $0.baseAddress!, &withFloats) }
                run(&bitsOnly, nil, &alone)
                let label = "\(units) width \(width) stride \(stride)"
                XCTAssertEqual(withFloats, alone, label)
                XCTAssertEqual(means, bitsOnly, label)
                for r in 0..<rows {
                    for i in 0..<width {
                        XCTAssertEqual((alone[r * words + i / 64] >> UInt64(i % 64)) & 1 == 1, samples[r * stride + i] == 1,
                                       "\(label) row \(r) unit \(i)")
                    }
                }
            }
        }
    }

    /// Runs the kernel on `rows` rows laid out `stride` floats apart; returns the packed results.
    private func conditionals(_ fields: [Float], bias: [Float], rows: Int, width: Int, stride: Int,
                              units: RBMUnits) -> (means: [Float], samples: [Float]) {
        var p = [Float](repeating: 0, count: rows * stride), out = p
        var b = [Float](repeating: 0, count: stride)
        b.replaceSubrange(0..<width, with: bias)
        for r in 0..<rows { p.replaceSubrange((r * stride)..<(r * stride + width), with: fields[(r * width)..<((r + 1) * width)]) }
        p.withUnsafeMutableBufferPointer { pp in
            out.withUnsafeMutableBufferPointer { op in
                b.withUnsafeBufferPointer { bp in
                    RBMKernels.conditionals(pp.baseAddress!, rows: 0..<rows, width: width, stride: stride, bias: bp.baseAddress!,
                                            units: units, draw: RBMDraw(key: 7, step: 3, firstRow: 40, into: op.baseAddress!))
                }
            }
        }
        let unpad = { (x: [Float]) in (0..<rows).flatMap { x[($0 * stride)..<($0 * stride + width)] } }
        return (unpad(p), unpad(out))
    }
}
