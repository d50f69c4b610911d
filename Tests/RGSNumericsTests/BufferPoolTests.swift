import XCTest
@testable import RGSNumerics

/// Large workspace buffers are recycled: a request of a released length gets the same memory,
/// cleared; small ones and those past the budget go back to the system.
final class BufferPoolTests: XCTestCase {
    func testLargeBuffersComeBackCleared() {
        let count = BufferPool.pooled / 4 + 3
        let first = BufferPool.floats(count, zeroed: true)
        XCTAssertEqual(Int(bitPattern: first) % 64, 0)
        first.update(repeating: 7, count: count)
        let kept = BufferPool.keptBytes
        BufferPool.release(first, count: count)
        XCTAssertEqual(BufferPool.keptBytes, kept + count * 4)
        let second = BufferPool.floats(count, zeroed: true)
        XCTAssertEqual(second, first)
        XCTAssertEqual(BufferPool.keptBytes, kept)
        XCTAssertTrue(UnsafeBufferPointer(start: second, count: count).allSatisfy { $0 == 0 })
        BufferPool.release(second, count: count)
        XCTAssertEqual(BufferPool.floats(count, zeroed: false), first)
        BufferPool.release(first, count: count)
    }

    func testSmallAndOverBudgetBuffersAreFreed() {
        let kept = BufferPool.keptBytes
        let small = BufferPool.floats(1000, zeroed: true)
        BufferPool.release(small, count: 1000)
        XCTAssertEqual(BufferPool.keptBytes, kept)
        let huge = (BufferPool.budget - kept) / 4 + 1
        let big = BufferPool.floats(huge, zeroed: false)
        XCTAssertEqual(Int(bitPattern: big) % BufferPool.hugePage, 0)
        BufferPool.release(big, count: huge)
        XCTAssertEqual(BufferPool.keptBytes, kept)
    }
}
