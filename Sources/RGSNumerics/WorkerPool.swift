import Dispatch
import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Persistent helper threads for `Parallel.forEach`, one per extra core, that spin for a while
/// after each job before they sleep.
///
/// Training a net on minibatches of 10 runs eight parallel products per step, each 40-200
/// microseconds long. Waking a parked thread for each (as `DispatchQueue.concurrentPerform`
/// does) costs about 20 microseconds, which cancelled the second core. Helpers that are still
/// spinning take the next job within a microsecond. A spinning helper yields its core to any
/// other runnable thread (such as an OpenBLAS worker), and sleeps after about 100 microseconds
/// without work.
///
/// A job waits only for the helpers that joined it: once the calling thread has run out of
/// items it closes the job, and a helper that arrives later (asleep, or its core taken by
/// another process) skips it. The caller then waits for the joined helpers' items, spinning
/// briefly before it sleeps.
final class WorkerPool: @unchecked Sendable {
    static let shared = WorkerPool()

    /// Shuts OpenBLAS's server threads down first: from the moment the library loads they spin
    /// on sched_yield for about 0.1 s, which took 9% of the CPU time of an RBM benchmark that
    /// never calls BLAS (`BLAS.setUp`).
    private init() {
        BLAS.setUp()
    }

    /// Taken by the thread whose job the helpers run; a nested or concurrent `run` finds it
    /// taken and returns false.
    private let busy = Atomic<Bool>(false)
    /// Only touched while holding `busy`.
    private var helpers: [Helper] = []

    /// Runs `body(i, worker)` for i in 0..<count on the calling thread (worker 0) and up to
    /// `helpers` helper threads (workers 1...helpers); false (nothing run) when the pool is
    /// already running a job or a helper thread cannot be started.
    func run(_ count: Int, helpers wanted: Int, _ body: @escaping @Sendable (Int, Int) -> Void) -> Bool {
        guard busy.compareExchange(expected: false, desired: true, ordering: .acquiring).exchanged else { return false }
        defer { busy.store(false, ordering: .releasing) }
        while helpers.count < wanted {
            guard let helper = Helper(worker: helpers.count + 1) else { return false }
            helpers.append(helper)
        }
        let job = Job(count: count, body: body)
        for helper in helpers.prefix(wanted) { helper.post(job) }
        job.work(worker: 0)
        job.closeAndWait()
        return true
    }
}

/// How helpers and callers wait: `spins` rounds of plain checks, then `yields` rounds that
/// yield the core, then sleep.
private struct Backoff {
    private static let spins = 64, yields = 200
    private var round = 0

    /// Waits one round; false once it is time to sleep instead.
    mutating func pause() -> Bool {
        round += 1
        if round <= Backoff.spins { return true }
        if round <= Backoff.spins + Backoff.yields {
            sched_yield()
            return true
        }
        return false
    }
}

/// One `run`: its items, taken in turn by whichever thread is free, and the helpers working on it.
private final class Job: @unchecked Sendable {
    let count: Int
    let body: @Sendable (Int, Int) -> Void
    private let next = Atomic<Int>(0)
    /// Helpers inside the job (low bits), `closed` once the caller has run out of items,
    /// `waiting` while the caller sleeps on `done`.
    private let state = Atomic<Int>(0)
    private let done = DispatchSemaphore(value: 0)
    private static let closed = 1 << 62, waiting = 1 << 61, helpers = (1 << 61) - 1

    init(count: Int, body: @escaping @Sendable (Int, Int) -> Void) {
        self.count = count
        self.body = body
    }

    func work(worker: Int) {
        while true {
            let i = next.wrappingAdd(1, ordering: .relaxed).oldValue
            guard i < count else { return }
            body(i, worker)
        }
    }

    /// A helper's turn: joins unless the job is closed, runs items, leaves.
    func help(worker: Int) {
        var s = state.load(ordering: .acquiring)
        while true {
            if s & Job.closed != 0 { return }
            let (exchanged, current) = state.compareExchange(expected: s, desired: s + 1, ordering: .acquiringAndReleasing)
            if exchanged { break }
            s = current
        }
        work(worker: worker)
        let left = state.wrappingSubtract(1, ordering: .acquiringAndReleasing).newValue
        if left & Job.helpers == 0, left & Job.waiting != 0 { done.signal() }
    }

    /// Closes the job to helpers that have not joined and waits for those that have.
    func closeAndWait() {
        var s = state.bitwiseOr(Job.closed, ordering: .acquiringAndReleasing).newValue
        var backoff = Backoff()
        while s & Job.helpers != 0 {
            if backoff.pause() {
                s = state.load(ordering: .acquiring)
                continue
            }
            let (exchanged, current) = state.compareExchange(expected: s, desired: s | Job.waiting,
                                                             ordering: .acquiringAndReleasing)
            if exchanged {
                done.wait()
                return
            }
            s = current
        }
    }
}

/// A helper thread and its mailbox, which holds at most one job: a job the helper has not
/// taken by the time the next one is posted is closed already and is dropped.
private final class Helper: @unchecked Sendable {
    /// The posted job, retained (`Unmanaged`), or nil.
    private let mailbox = Atomic<UnsafeMutableRawPointer?>(nil)
    private let sleeping = Atomic<Bool>(false)
    private let wake = DispatchSemaphore(value: 0)
    /// This helper's worker index.
    private let worker: Int

    /// Starts the helper's thread; nil if the system refuses one.
    init?(worker: Int) {
        self.worker = worker
        let context = Unmanaged.passRetained(self).toOpaque()
        var attributes = pthread_attr_t()
        pthread_attr_init(&attributes)
        defer { pthread_attr_destroy(&attributes) }
        pthread_attr_setdetachstate(&attributes, Int32(PTHREAD_CREATE_DETACHED))
        #if canImport(Darwin)
        var thread: pthread_t?
        let started = pthread_create(&thread, &attributes, { context in
            Unmanaged<Helper>.fromOpaque(context).takeRetainedValue().loop()
            return nil
        }, context)
        #else
        var thread = pthread_t()
        let started = pthread_create(&thread, &attributes, { context in
            if let context { Unmanaged<Helper>.fromOpaque(context).takeRetainedValue().loop() }
            return nil
        }, context)
        #endif
        if started != 0 {
            Unmanaged<Helper>.fromOpaque(context).release()
            return nil
        }
    }

    func post(_ job: Job) {
        let stale = mailbox.exchange(Unmanaged.passRetained(job).toOpaque(), ordering: .sequentiallyConsistent)
        if let stale { Unmanaged<Job>.fromOpaque(stale).release() }
        if sleeping.load(ordering: .sequentiallyConsistent) { wake.signal() }
    }

    private func loop() {
        while true {
            var backoff = Backoff()
            while mailbox.load(ordering: .relaxed) == nil {
                if backoff.pause() { continue }
                sleeping.store(true, ordering: .sequentiallyConsistent)
                if mailbox.load(ordering: .sequentiallyConsistent) == nil { wake.wait() }
                sleeping.store(false, ordering: .sequentiallyConsistent)
                backoff = Backoff()
            }
            guard let posted = mailbox.exchange(nil, ordering: .acquiring) else { continue }
            Unmanaged<Job>.fromOpaque(posted).takeRetainedValue().help(worker: worker)
        }
    }
}
