import Dispatch
import Foundation
import RGSNumerics
import Synchronization
import XCTest

/// `Parallel.forEach` on the worker pool: every item once, worker slots never shared by two
/// running items, nested and concurrent calls finishing.
final class ParallelTests: XCTestCase {
    override func tearDown() { Settings.threads = Parallel.maxWorkers }

    func testEveryItemRunsOnceWithAnExclusiveWorkerSlot() {
        for threads in [1, 2, 3, 8] {
            Settings.threads = threads
            for count in [0, 1, 2, 7, 1000] {
                let runs = Counts(count), busy = Counts(Parallel.maxWorkers), clash = Atomic<Int>(0)
                Parallel.forEach(count, byWorker: { item, worker in
                    if busy.add(worker) != 1 { clash.add(1, ordering: .relaxed) }
                    for _ in 0..<(item % 7) * 100 { runs.touch() }
                    runs.add(item)
                    busy.subtract(worker)
                })
                XCTAssertEqual(runs.values, [Int](repeating: 1, count: count), "threads \(threads), count \(count)")
                XCTAssertEqual(clash.load(ordering: .relaxed), 0)
            }
        }
    }

    func testNestedAndConcurrentCallsFinish() {
        Settings.threads = Parallel.maxWorkers
        let total = Atomic<Int>(0)
        // Items that call forEach themselves, from two threads at once, many times in a row.
        DispatchQueue.concurrentPerform(iterations: 2) { _ in
            for _ in 0..<200 {
                Parallel.forEach(4) { _ in
                    Parallel.forEach(3) { _ in total.add(1, ordering: .relaxed) }
                }
            }
        }
        XCTAssertEqual(total.load(ordering: .relaxed), 2 * 200 * 4 * 3)
    }
}

extension ParallelTests {
    /// The pool never has more workers than the CPUs this process may use (`taskset`, cpusets).
    func testWorkersFollowTheAffinityMask() throws {
        let status = try String(contentsOfFile: "/proc/self/status", encoding: .utf8)
        guard let line = status.split(separator: "\n").first(where: { $0.hasPrefix("Cpus_allowed:") }) else {
            throw XCTSkip("no Cpus_allowed in /proc/self/status")
        }
        let allowed = line.dropFirst("Cpus_allowed:".count).compactMap(\.hexDigitValue).map(\.nonzeroBitCount).reduce(0, +)
        XCTAssertEqual(Parallel.maxWorkers, allowed)
        XCTAssertEqual(Settings.availableCores, allowed)
    }
}

/// Per-index counters behind a lock.
private final class Counts: Sendable {
    private let slots: Mutex<[Int]>
    private let sink = Atomic<Int>(0)

    init(_ count: Int) { slots = Mutex([Int](repeating: 0, count: count)) }

    /// Adds one to slot i and returns the new value.
    @discardableResult
    func add(_ i: Int) -> Int { slots.withLock { $0[i] += 1; return $0[i] } }
    func subtract(_ i: Int) { slots.withLock { $0[i] -= 1 } }
    func touch() { sink.add(1, ordering: .relaxed) }
    var values: [Int] { slots.withLock { $0 } }
}
