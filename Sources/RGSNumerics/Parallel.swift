import Dispatch
import Synchronization

/// Runs independent work items on `Settings.threads` workers.
///
/// Work is split by item, never by thread: each item must derive its randomness from its own
/// index, so the result is the same for any thread count. Workers take the next item as they
/// become free, so on a shared machine a worker whose core is taken away for a while holds up
/// only the item it is on.
public enum Parallel {
    /// Calls `body(i)` for every i in 0..<count, spread over the configured threads.
    public static func forEach(_ count: Int, _ body: @Sendable (Int) -> Void) {
        let workers = min(Settings.threads, count)
        if workers <= 1 {
            for i in 0..<count { body(i) }
            return
        }
        let next = Atomic<Int>(0)
        DispatchQueue.concurrentPerform(iterations: workers) { _ in
            while true {
                let i = next.wrappingAdd(1, ordering: .relaxed).oldValue
                guard i < count else { return }
                body(i)
            }
        }
    }
}

/// A float buffer pointer handed to parallel workers that read it or write disjoint parts of it.
public struct Shared: @unchecked Sendable {
    public let pointer: UnsafeMutablePointer<Float>
    public init(_ pointer: UnsafeMutablePointer<Float>) { self.pointer = pointer }
    public init(_ pointer: UnsafePointer<Float>) { self.pointer = UnsafeMutablePointer(mutating: pointer) }
}
