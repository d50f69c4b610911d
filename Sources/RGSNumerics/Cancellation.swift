import Synchronization

/// The process-wide cancellation flag that long primitives poll (set by Ctrl-C in the REPL).
///
/// Core loops call `Cancellation.check()` every few thousand iterations; it throws `Cancelled`
/// once the flag is set. Loops that can return partial work call `Cancellation.isRequested`
/// instead and stop cleanly.
public enum Cancellation {
    private static let flag = Atomic<Bool>(false)

    /// True once a cancellation has been requested and not yet cleared.
    public static var isRequested: Bool { flag.load(ordering: .relaxed) }

    /// Requests cancellation (async-signal-safe: a single atomic store).
    public static func request() { flag.store(true, ordering: .relaxed) }

    /// Clears the flag; the REPL does this before each statement.
    public static func clear() { flag.store(false, ordering: .relaxed) }

    /// Throws `Cancelled` if a cancellation has been requested.
    public static func check() throws(Cancelled) {
        if flag.load(ordering: .relaxed) { throw Cancelled() }
    }
}

/// Thrown by `Cancellation.check()` when the user interrupted a computation.
public struct Cancelled: Error, CustomStringConvertible, Sendable {
    public init() {}
    public var description: String { "interrupted" }
}
