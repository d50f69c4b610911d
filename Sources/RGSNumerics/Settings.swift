import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// Process-wide run settings chosen on the command line (`--threads`, `--quiet`, `--seed`).
public enum Settings {
    private static let threadCount = Atomic<Int>(defaultThreads())
    private static let quietFlag = Atomic<Bool>(false)
    private static let seedValue = Atomic<UInt64>(0)

    /// Worker threads for parallel kernels. Results never depend on it (streams are keyed by
    /// seed and replica, not by thread).
    public static var threads: Int {
        get { threadCount.load(ordering: .relaxed) }
        set { threadCount.store(max(1, newValue), ordering: .relaxed) }
    }

    /// Suppresses progress bars even on a terminal.
    public static var quiet: Bool {
        get { quietFlag.load(ordering: .relaxed) }
        set { quietFlag.store(newValue, ordering: .relaxed) }
    }

    /// The default seed used by random primitives called without `seed:`.
    public static var defaultSeed: UInt64 {
        get { seedValue.load(ordering: .relaxed) }
        set { seedValue.store(newValue, ordering: .relaxed) }
    }

    private static func defaultThreads() -> Int {
        let n = sysconf(Int32(_SC_NPROCESSORS_ONLN))
        return n > 0 ? Int(n) : 1
    }
}

extension Settings {
    private static let seedCounter = Atomic<UInt64>(0)

    /// The seed for the next random primitive called without `seed:`: a deterministic sequence
    /// derived from `defaultSeed`, so a script with the same `seed(...)` repeats exactly while two
    /// unseeded calls still draw different samples. Below 2^53, so the seed a sample's label
    /// records is an exact rgs number that `seed:` takes back.
    public static func nextSeed() -> UInt64 {
        let k = seedCounter.wrappingAdd(1, ordering: .relaxed).oldValue
        var stream = RandomStream(seed: defaultSeed, stream: 0x5EED_0000 &+ k)
        return stream.next() >> 11
    }

    /// Restarts the unseeded-call sequence (called by `seed(n)`).
    public static func resetSeedSequence() { seedCounter.store(0, ordering: .relaxed) }
}
