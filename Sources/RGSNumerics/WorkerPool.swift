import Dispatch
import Synchronization
#if canImport(Glibc)
import Glibc
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
final class WorkerPool: @unchecked Sendable {
    static let shared = WorkerPool()

    /// Taken by the thread whose job the helpers run; a nested or concurrent `run` finds it
    /// taken and returns false.
    private let busy = Atomic<Bool>(false)
    /// Only touched while holding `busy`.
    private var helpers: [Helper] = []

    /// Runs `body(i, worker)` for i in 0..<count on the calling thread (worker 0) and `helpers`
    /// helper threads (workers 1...helpers); false (nothing run) when the pool is already
    /// running a job or a helper thread cannot be started.
    func run(_ count: Int, helpers wanted: Int, _ body: @escaping @Sendable (Int, Int) -> Void) -> Bool {
        guard busy.compareExchange(expected: false, desired: true, ordering: .acquiring).exchanged else { return false }
        defer { busy.store(false, ordering: .releasing) }
        while helpers.count < wanted {
            guard let helper = Helper() else { return false }
            helpers.append(helper)
        }
        let job = Job(count: count, body: body)
        let used = helpers.prefix(wanted)
        for (index, helper) in used.enumerated() { helper.post(job, worker: index + 1) }
        job.work(worker: 0)
        for helper in used { helper.waitUntilDone() }
        return true
    }
}

/// One `run`: its items, taken in turn by whichever thread is free.
private final class Job: @unchecked Sendable {
    let count: Int
    let body: @Sendable (Int, Int) -> Void
    private let next = Atomic<Int>(0)

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
}

/// A helper thread and its mailbox: the pool posts one job at a time and waits for it.
private final class Helper: @unchecked Sendable {
    private let posted = Atomic<Int>(0)
    private let completed = Atomic<Int>(0)
    private let sleeping = Atomic<Bool>(false)
    private let wake = DispatchSemaphore(value: 0)
    /// Written by the pool before `posted` is raised, read by the helper after it sees that.
    private var job: Job?
    private var worker = 0

    /// Spins (each a load, then a yield) before a helper sleeps.
    private static let spins = 64, yields = 200

    /// Starts the helper's thread; nil if the system refuses one.
    init?() {
        var thread = pthread_t()
        let context = Unmanaged.passRetained(self).toOpaque()
        if pthread_create(&thread, nil, { context in
            guard let context else { return nil }
            Unmanaged<Helper>.fromOpaque(context).takeRetainedValue().loop()
            return nil
        }, context) == 0 {
            pthread_detach(thread)
        } else {
            Unmanaged<Helper>.fromOpaque(context).release()
            return nil
        }
    }

    func post(_ job: Job, worker: Int) {
        self.job = job
        self.worker = worker
        posted.wrappingAdd(1, ordering: .sequentiallyConsistent)
        if sleeping.load(ordering: .sequentiallyConsistent) { wake.signal() }
    }

    func waitUntilDone() {
        let target = posted.load(ordering: .relaxed)
        var round = 0
        while completed.load(ordering: .acquiring) != target {
            round += 1
            if round > Helper.spins { sched_yield() }
        }
    }

    private func loop() {
        var seen = 0
        while true {
            var round = 0
            while posted.load(ordering: .acquiring) == seen {
                round += 1
                if round <= Helper.spins { continue }
                if round <= Helper.spins + Helper.yields { sched_yield(); continue }
                sleeping.store(true, ordering: .sequentiallyConsistent)
                if posted.load(ordering: .sequentiallyConsistent) == seen { wake.wait() }
                sleeping.store(false, ordering: .sequentiallyConsistent)
                round = 0
            }
            seen += 1
            job?.work(worker: worker)
            job = nil
            completed.store(seen, ordering: .releasing)
        }
    }
}
