import Foundation

/// The memory this process may still use, for refusing requests that could not fit before any
/// work starts.
public enum SystemMemory {
    /// The least of the machine's MemAvailable (/proc/meminfo), what the address-space limit
    /// (`ulimit -v`) leaves beyond the process's current size, and what a cgroup memory limit
    /// (v2 `memory.max`, v1 `memory.limit_in_bytes`) leaves beyond its current use; in bytes, nil
    /// where none can be read.
    public static func available() -> Int? {
        [meminfo(), addressSpaceLeft(), cgroupLeft()].compactMap { $0 }.min()
    }

    /// Throws when `bytes` (a Double, so absurd requests cannot overflow) exceed the free memory;
    /// `what` completes "... needs about N GB".
    public static func check(_ bytes: Double, for what: String, hint: String) throws(CoreError) {
        guard let free = available(), bytes > Double(free) else { return }
        throw CoreError(what + " needs about \(size(bytes)) but only \(size(Double(free))) of memory is free", hint: hint)
    }

    /// "3.2 GB", "25.6 PB", "1.2e+30 GB": gigabytes with one decimal, larger units up to
    /// exabytes, then powers of ten.
    public static func size(_ bytes: Double) -> String {
        var value = bytes / 1e9
        for unit in ["GB", "TB", "PB", "EB"] {
            if value < 1e4 { return String(format: "%.1f ", value) + unit }
            value /= 1e3
        }
        return String(format: "%.1e GB", bytes / 1e9)
    }

    private static func meminfo() -> Int? {
        field("MemAvailable:", in: "/proc/meminfo").map { $0 * 1024 }
    }

    private static func addressSpaceLeft() -> Int? {
        #if os(Linux)
        var limit = rlimit()
        guard getrlimit(__rlimit_resource_t(RLIMIT_AS.rawValue), &limit) == 0, limit.rlim_cur != rlim_t.max,
              let size = field("VmSize:", in: "/proc/self/status") else { return nil }
        return max(0, Int(clamping: limit.rlim_cur) - size * 1024)
        #else
        return nil
        #endif
    }

    /// The limit less the use, not counting inactive page cache, which the kernel reclaims
    /// under pressure (as `docker stats` does; MemAvailable counts it as free too).
    private static func cgroupLeft() -> Int? {
        for (folder, maximum, current, cache) in [("/sys/fs/cgroup/", "memory.max", "memory.current", "inactive_file "),
                                                  ("/sys/fs/cgroup/memory/", "memory.limit_in_bytes", "memory.usage_in_bytes",
                                                   "total_inactive_file ")] {
            guard let limit = number(in: folder + maximum), let used = number(in: folder + current) else { continue }
            let reclaimable = field(cache, in: folder + "memory.stat") ?? 0
            return max(0, limit - max(0, used - reclaimable))
        }
        return nil
    }

    /// The first number after `key` in a file of "key value" lines (spaces or tabs between).
    private static func field(_ key: String, in path: String) -> Int? {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return nil }
        for line in text.split(separator: "\n") where line.hasPrefix(key) {
            return line.dropFirst(key.count).split(whereSeparator: { $0 == " " || $0 == "\t" }).lazy.compactMap { Int($0) }.first
        }
        return nil
    }

    /// A file holding one integer ("max" and unreadable files give nil).
    private static func number(in path: String) -> Int? {
        (try? String(contentsOfFile: path, encoding: .utf8)).flatMap { Int($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
    }
}
