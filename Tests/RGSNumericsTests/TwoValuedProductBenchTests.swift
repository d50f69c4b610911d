import Foundation
import RGSNumerics
import XCTest

/// Single-thread speed of `TwoValuedProduct` against sgemm at the RBM benchmark's shapes and
/// the first layers of Model-1 and the beta regressor (x W and x^T dZ) at batch 100 and 1000;
/// skipped unless RGS_BENCH=1.
final class TwoValuedProductBenchTests: XCTestCase {
    func testAgainstSgemm() throws {
        guard ProcessInfo.processInfo.environment["RGS_BENCH"] == "1" else { throw XCTSkip("set RGS_BENCH=1") }
        var random = RandomStream(seed: 1, stream: 0)
        for (rows, depth, width, transposed) in [(250, 100, 81, false), (1000, 100, 81, false), (250, 81, 100, false), (250, 81, 100, true),
                                                 (100, 250, 81, false), (100, 4096, 1024, false), (100, 1024, 4096, true),
                                                 (4096, 100, 1024, false), (100, 1024, 512, false), (1000, 1024, 512, false),
                                                 (1024, 100, 512, false), (1024, 1000, 512, false)] {
            let wpr = BitRows.words(depth)
            let bits = (0..<(rows * wpr)).map { _ in random.next() }
            let s = (0..<(rows * depth)).map { i in (bits[(i / depth) * wpr + (i % depth) / 64] >> UInt64(i % 64)) & 1 == 1 ? Float(1) : -1 }
            let b = (0..<(depth * width)).map { _ in Float(random.uniform()) - 0.5 }
            var c = [Float](repeating: 0, count: rows * width)
            let flops = 2.0 * Double(rows * depth * width)
            let reps = max(3, Int(2e9 / flops))
            func time(_ body: () -> Void) -> Double {
                body()
                let start = DispatchTime.now().uptimeNanoseconds
                for _ in 0..<reps { body() }
                return Double(DispatchTime.now().uptimeNanoseconds - start) * 1e-9 / Double(reps)
            }
            let tBLAS = time { BLAS.sgemm(rows, width, depth, s, lda: depth, b, ldb: transposed ? depth : width, transB: transposed, &c, ldc: width) }
            let tTable = time {
                TwoValuedProduct.multiply(rows: rows, depth: depth, width: width, bits: bits, wordsPerRow: wpr, values: (1, -1),
                                          b, ldb: transposed ? depth : width, transposedB: transposed, &c, ldc: width)
            }
            print(String(format: "%5d x %5d x %5d t:%d  sgemm %8.1f us (%5.1f GFLOP/s)  table %8.1f us  ratio %.2fx",
                         rows, depth, width, transposed ? 1 : 0, tBLAS * 1e6, flops / tBLAS * 1e-9, tTable * 1e6, tBLAS / tTable))
        }
    }
}
