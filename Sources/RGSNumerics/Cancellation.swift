import Foundation
import Synchronization

/// The process-wide cancellation flag that long primitives poll (set by Ctrl-C in the REPL).
///
/// Core loops call `Cancellation.check()` every few thousand iterations; it throws `Cancelled`
/// once the flag is set. Loops that can return partial work call `Cancellation.isRequested`
/// instead and stop cleanly.
public enum Cancellation {
    private static let flag = Atomic<Bool>(false)
    private static let running = Atomic<Int>(0)

    /// Whether a call given up on by `abandoning` may still be running: the process must then
    /// end with `_exit`, since exit handlers would free the libraries' buffers under it.
    public static var hasAbandonedWork: Bool { running.load(ordering: .relaxed) > 0 }

    /// True once a cancellation has been requested and not yet cleared.
    public static var isRequested: Bool { flag.load(ordering: .relaxed) }

    /// Requests cancellation (async-signal-safe: a single atomic store).
    public static func request() { flag.store(true, ordering: .relaxed) }

    /// Clears the flag; the REPL does this before each statement.
    public static func clear() { flag.store(false, ordering: .relaxed) }

    /// Runs `body` `count` times, or until a cancellation is requested (a loop of 1e11 sweeps
    /// must end at Ctrl-C, not count through the rest).
    @inlinable
    public static func repeating(_ count: Int, _ body: () -> Void) {
        var done = 0
        while done < count, !isRequested {
            body()
            done += 1
        }
    }

    /// Throws `Cancelled` if a cancellation has been requested.
    public static func check() throws(Cancelled) {
        if flag.load(ordering: .relaxed) { throw Cancelled() }
    }

    /// Runs `work`, one call that cannot stop midway (a LAPACK solve, a large product), on its
    /// own thread and waits for it, checking for a cancellation every 50 ms: on Ctrl-C it throws
    /// `Cancelled` at once, and the abandoned call finishes in the background with its result
    /// dropped. `work` must touch nothing but its own copies.
    public static func abandoning<T: Sendable>(_ work: @escaping @Sendable () -> T) throws(Cancelled) -> T {
        let result = Mutex<T?>(nil)
        let done = DispatchSemaphore(value: 0)
        running.add(1, ordering: .relaxed)
        let thread = Thread {
            let value = work()
            result.withLock { $0 = value }
            running.subtract(1, ordering: .relaxed)
            done.signal()
        }
        thread.stackSize = 16 << 20
        thread.start()
        while done.wait(timeout: .now() + .milliseconds(50)) == .timedOut {
            try check()
        }
        guard let value = result.withLock({ $0 }) else { throw Cancelled() }  // unreachable: set before the signal
        return value
    }
}

/// Thrown by `Cancellation.check()` when the user interrupted a computation.
public struct Cancelled: Error, CustomStringConvertible, Sendable {
    public init() {}
    public var description: String { "interrupted" }
}
