import RGSNumerics
import XCTest

/// `BLAS.product` (fixed blocks of single-threaded sgemm) against one plain sgemm call.
final class BlockedProductTests: XCTestCase {
    func testMatchesSgemmForEveryLayoutAndThreadCount() {
        var random = RandomStream(seed: 5, stream: 0)
        let saved = Settings.threads
        defer { Settings.threads = saved }
        // Shapes that split by rows, by columns, into uneven last blocks, and not at all.
        for (m, n, k) in [(300, 70, 33), (20, 530, 17), (1000, 512, 8), (5, 7, 3), (129, 129, 1)] {
            for (transA, transB) in [(false, false), (true, false), (false, true), (true, true)] {
                let a = (0..<(m * k)).map { _ in Float(random.uniform()) - 0.5 }
                let b = (0..<(k * n)).map { _ in Float(random.uniform()) - 0.5 }
                let start = (0..<(m * n)).map { _ in Float(random.uniform()) }
                var reference = start
                BLAS.sgemm(m, n, k, a, transA: transA, b, transB: transB, &reference, alpha: 0.5, beta: 2)
                var results: [[Float]] = []
                for threads in [1, 2, 3] {
                    Settings.threads = threads
                    var c = start
                    BLAS.sgemm(m, n, k, a, transA: transA, b, transB: transB, &c, alpha: 0.5, beta: 2, blocked: true)
                    results.append(c)
                }
                for (x, y) in zip(results[0], reference) {
                    XCTAssertEqual(x, y, accuracy: 1e-4, "\(m)x\(n)x\(k) \(transA) \(transB)")
                }
                XCTAssertEqual(results[0], results[1])
                XCTAssertEqual(results[0], results[2])
            }
        }
    }

    func testEmptyProductsLeaveTheResultAlone() {
        var c: [Float] = [7]
        BLAS.sgemm(0, 1, 4, [], [0, 0, 0, 0], &c, blocked: true)
        BLAS.sgemm(1, 0, 4, [0, 0, 0, 0], [], &c, blocked: true)
        XCTAssertEqual(c, [7])
    }
}
