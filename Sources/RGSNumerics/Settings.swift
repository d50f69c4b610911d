import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// Process-wide run settings chosen on the command line (`--threads`, `--quiet`, `--seed`).
public enum Settings {
    private static let threadCount = Atomic<Int>(availableCores)
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

    /// The cores this process may run on: its CPU affinity set (`taskset`, container cpusets)
    /// where the system reports one, else the online processors.
    public static let availableCores: Int = {
        if let allowed = allowedCPUs(), allowed > 0 { return allowed }
        let online = sysconf(Int32(_SC_NPROCESSORS_ONLN))
        return online > 0 ? Int(online) : 1
    }()

    /// The bits set in the `Cpus_allowed` mask of /proc/self/status (Linux), if readable.
    /// (`sched_getaffinity` needs _GNU_SOURCE, which Swift's Glibc module does not define.)
    private static func allowedCPUs() -> Int? {
        guard let file = fopen("/proc/self/status", "r") else { return nil }
        defer { fclose(file) }
        var line: UnsafeMutablePointer<CChar>?
        var capacity = 0
        defer { free(line) }
        while getline(&line, &capacity, file) > 0, let line {
            let text = String(cString: line)
            guard text.hasPrefix("Cpus_allowed:") else { continue }
            return text.dropFirst("Cpus_allowed:".count).reduce(0) { count, c in
                count + (c.hexDigitValue?.nonzeroBitCount ?? 0)
            }
        }
        return nil
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
