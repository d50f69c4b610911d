import Foundation

/// The machine's free memory, for refusing requests that could not fit before any work starts.
public enum SystemMemory {
    /// MemAvailable from /proc/meminfo in bytes (nil where it cannot be read).
    public static func available() -> Int? {
        guard let text = try? String(contentsOfFile: "/proc/meminfo", encoding: .utf8) else { return nil }
        for line in text.split(separator: "\n") where line.hasPrefix("MemAvailable:") {
            let fields = line.split(separator: " ")
            if fields.count >= 2, let kb = Int(fields[1]) { return kb * 1024 }
        }
        return nil
    }

    /// Throws when `bytes` (a Double, so absurd requests cannot overflow) exceed the free memory;
    /// `what` completes "... needs about N GB".
    public static func check(_ bytes: Double, for what: String, hint: String) throws(CoreError) {
        guard let free = available(), bytes > Double(free) else { return }
        throw CoreError(what + String(format: " needs about %.1f GB but only %.1f GB of memory is free", bytes / 1e9,
                                      Double(free) / 1e9), hint: hint)
    }
}
