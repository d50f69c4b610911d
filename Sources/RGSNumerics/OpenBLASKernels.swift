import CBLAS
import Foundation

/// Which of OpenBLAS's kernel sets (its "core") serves the products, and the repair of one
/// failure of its CPU detection.
///
/// OpenBLAS 0.3.21 (Debian 12) does not know CPUs newer than itself, an Intel Xeon of family 6
/// model 207 among them, and falls back to its Prescott kernels (SSE3 only). There a
/// 1000 x 512 x 1024 sgemm ran at 40.8 GFLOP/s on two cores, against 289-295 GFLOP/s with the
/// SkylakeX or Cooperlake kernels the CPU can run. When the library reports that fallback and the
/// user has not chosen a core (`OPENBLAS_CORETYPE`), rgs picks the widest set the CPU's flags
/// allow and asks OpenBLAS to initialise again, through the same variable (on Linux).
public enum OpenBLASKernels {
    /// The kernel set OpenBLAS is using ("Haswell", "SkylakeX", ...).
    public static var current: String {
        guard let name = openblas_get_corename() else { return "unknown" }
        return String(cString: name)
    }

    /// The kernel set OpenBLAS picks for CPUs it does not recognise on x86-64.
    static let fallback = "Prescott"

    /// The kernel sets whose instructions are all in `flags` (as /proc/cpuinfo names them),
    /// widest first; empty when none is wider than the fallback.
    static func candidates(for flags: Set<Substring>) -> [String] {
        var sets: [String] = []
        if flags.isSuperset(of: ["avx512f", "avx512bw", "avx512dq", "avx512vl", "avx512cd"]) {
            if flags.contains("avx512_bf16") { sets.append("Cooperlake") }
            sets.append("SkylakeX")
        }
        if flags.isSuperset(of: ["avx2", "fma", "bmi2"]) { sets.append("Haswell") }
        return sets
    }

    /// The flags of the first processor in /proc/cpuinfo (empty where there is no such file).
    static func cpuFlags() -> Set<Substring> {
        guard let text = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8),
              let line = text.split(separator: "\n").first(where: { $0.hasPrefix("flags") }),
              let colon = line.firstIndex(of: ":") else { return [] }
        return Set(line[line.index(after: colon)...].split(separator: " "))
    }

    /// Moves OpenBLAS off its fallback kernels when the CPU supports wider ones: it tries the
    /// candidate sets widest first (a build may lack a set, and then falls back again) and keeps
    /// the first that takes. The variable is set only while OpenBLAS reads it, so child
    /// processes do not inherit it. Linux only (the flags come from /proc/cpuinfo). Must run
    /// before the first product (`BLAS.setUp` calls it once).
    static func replaceFallback() {
        guard getenv("OPENBLAS_CORETYPE") == nil, onFallback,
              let quit = function("gotoblas_dynamic_quit", as: (@convention(c) () -> Void).self),
              let initialise = function("gotoblas_dynamic_init", as: (@convention(c) () -> Void).self)
        else { return }
        for name in candidates(for: cpuFlags()) {
            setenv("OPENBLAS_CORETYPE", name, 1)
            quit()
            initialise()
            unsetenv("OPENBLAS_CORETYPE")
            if !onFallback { return }
        }
    }

    /// Whether OpenBLAS is on its fallback kernels.
    static var onFallback: Bool { current.lowercased() == fallback.lowercased() }

    /// An OpenBLAS function looked up at run time, for those that not every build has (nil there).
    static func function<Function>(_ name: String, as type: Function.Type) -> Function? {
        #if canImport(Glibc)
        let anyLibrary = UnsafeMutableRawPointer(bitPattern: 0)   // RTLD_DEFAULT
        #else
        let anyLibrary = UnsafeMutableRawPointer(bitPattern: -2)  // RTLD_DEFAULT
        #endif
        guard let address = dlsym(anyLibrary, name) else { return nil }
        return unsafeBitCast(address, to: type)
    }
}
