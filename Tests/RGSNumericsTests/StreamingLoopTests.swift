import RGSNumerics
import XCTest

/// `StreamingLoop.run` visits every index once, in order, for counts around its chunk length,
/// with one, two or three arrays named (requests past an array's end never fault).
final class StreamingLoopTests: XCTestCase {
    func testEveryIndexOnceInOrder() {
        let a = UnsafeMutablePointer<Float>.allocate(capacity: 1), b = UnsafeMutablePointer<Float>.allocate(capacity: 1)
        let c = UnsafeMutablePointer<Float>.allocate(capacity: 1)
        defer { a.deallocate(); b.deallocate(); c.deallocate() }
        for count in [0, 1, 63, 64, 65, 127, 128, 1000, 1024 + 5, 4 * StreamingLoop.distance + 3] {
            for arrays in 1...3 {
                var visited: [Int] = []
                StreamingLoop.run(count: count, streaming: a, arrays > 1 ? b : nil, arrays > 2 ? c : nil) { visited.append($0) }
                XCTAssertEqual(visited, Array(0..<count), "count \(count), \(arrays) arrays")
            }
        }
    }
}
