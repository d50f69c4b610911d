import XCTest
@testable import RGSNumerics

/// Large workspace buffers are recycled: a request of a released length gets the same memory,
/// cleared and aligned; small ones and those larger than the budget go back to the system, and a
/// full pool frees other lengths to keep the latest.
final class BufferPoolTests: XCTestCase {
    func testLargeBuffersComeBackClearedAndAligned() throws {
        for count in [BufferPool.pooled / 4 + 3, BufferPool.hugePage / 4 + 5] {
            try XCTSkipIf(BufferPool.keptBytes + 4 * count > BufferPool.budget, "the pool is full")
            let first = BufferPool.floats(count, zeroed: true)
            XCTAssertEqual(Int(bitPattern: first) % (count * 4 >= BufferPool.hugePage ? BufferPool.hugePage : 64), 0)
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
    }

    func testSmallAndOversizedBuffersAreFreed() {
        let kept = BufferPool.keptBytes
        let small = BufferPool.floats(1000, zeroed: true)
        BufferPool.release(small, count: 1000)
        XCTAssertEqual(BufferPool.keptBytes, kept)
        let oversized = BufferPool.budget / 4 + 1
        BufferPool.release(BufferPool.floats(oversized, zeroed: false), count: oversized)
        XCTAssertEqual(BufferPool.keptBytes, kept)
    }

    func testAFullPoolMakesRoomForTheLatestBuffer() {
        // Fill the pool with buffers of one length, then release one of another length.
        let count = BufferPool.budget / 4 / 8
        var buffers: [UnsafeMutablePointer<Float>] = []
        while BufferPool.keptBytes + 4 * count * (buffers.count + 1) <= BufferPool.budget {
            buffers.append(BufferPool.floats(count, zeroed: false))
        }
        for p in buffers { BufferPool.release(p, count: count) }
        let other = count + 16
        let latest = BufferPool.floats(other, zeroed: false)
        BufferPool.release(latest, count: other)
        XCTAssertLessThanOrEqual(BufferPool.keptBytes, BufferPool.budget)
        XCTAssertEqual(BufferPool.floats(other, zeroed: false), latest)
        BufferPool.release(latest, count: other)
    }
}
