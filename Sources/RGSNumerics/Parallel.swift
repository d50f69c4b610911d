import Dispatch
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// Runs independent work items on `Settings.threads` workers.
///
/// Work is split by item, never by thread: each item must derive its randomness from its own
/// index, so the result is the same for any thread count. Workers take the next item as they
/// become free, so on a shared machine a worker whose core is taken away for a while holds up
/// only the item it is on. There are never more workers than the CPUs the process may use. They run on the
/// `WorkerPool`, or on Dispatch for a call made while the pool is busy (from inside an item,
/// or from another thread).
public enum Parallel {
    /// Calls `body(i)` for every i in 0..<count, spread over the configured threads.
    public static func forEach(_ count: Int, _ body: @escaping @Sendable (Int) -> Void) {
        forEach(count) { item, _ in body(item) }
    }

    /// Calls `body(i, worker)` for every i in 0..<count, where `worker` (below `maxWorkers`)
    /// names the thread running the item: no two items run at once with the same worker, so
    /// each worker can own a scratch buffer.
    public static func forEach(_ count: Int, byWorker body: @escaping @Sendable (_ item: Int, _ worker: Int) -> Void) {
        let workers = min(Settings.threads, count, maxWorkers)
        if workers <= 1 {
            for i in 0..<count { body(i, 0) }
            return
        }
        if WorkerPool.shared.run(count, helpers: workers - 1, body) { return }
        let next = Atomic<Int>(0)
        DispatchQueue.concurrentPerform(iterations: workers) { worker in
            while true {
                let i = next.wrappingAdd(1, ordering: .relaxed).oldValue
                guard i < count else { return }
                body(i, worker)
            }
        }
    }

    /// The most workers `forEach` uses: the cores this process may run on.
    public static var maxWorkers: Int { Settings.availableCores }
}

/// A float buffer pointer handed to parallel workers that read it or write disjoint parts of it.
public struct Shared: @unchecked Sendable {
    public let pointer: UnsafeMutablePointer<Float>
    public init(_ pointer: UnsafeMutablePointer<Float>) { self.pointer = pointer }
    public init(_ pointer: UnsafePointer<Float>) { self.pointer = UnsafeMutablePointer(mutating: pointer) }
}
