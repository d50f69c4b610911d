import CBLAS
import Foundation

/// Which of OpenBLAS's kernel sets (its "core") serves the products: the repair of one failure
/// of its CPU detection, and the faster set on AMD's Zen 4.
///
/// OpenBLAS 0.3.21 (Debian 12) does not know CPUs newer than itself, an Intel Xeon of family 6
/// model 207 among them, and falls back to its Prescott kernels (SSE3 only). There a
/// 1000 x 512 x 1024 sgemm ran at 40.8 GFLOP/s on two cores, against 289-295 GFLOP/s with the
/// SkylakeX or Cooperlake kernels the CPU can run. When the library reports that fallback and the
/// user has not chosen a core (`OPENBLAS_CORETYPE`), rgs picks a set the CPU's flags allow
/// (`candidates`) and asks OpenBLAS to initialise again, through the same variable (on Linux).
/// On a Zen 4 it does so too, for the AVX2 kernels (`CPUIdentity.splitsAVX512`).
public enum OpenBLASKernels {
    /// The kernel set OpenBLAS is using ("Haswell", "SkylakeX", ...).
    public static var current: String {
        guard let name = openblas_get_corename() else { return "unknown" }
        return String(cString: name)
    }

    /// The kernel set OpenBLAS picks for CPUs it does not recognise on x86-64.
    static let fallback = "Prescott"

    /// OpenBLAS's AVX-512 kernel sets.
    static let avx512Sets = ["Cooperlake", "SkylakeX"]

    /// The kernel sets whose instructions are all in `flags` (as /proc/cpuinfo names them), in
    /// the order to try them; empty when none is wider than the fallback.
    ///
    /// Widest first, except on a CPU that splits AVX-512 instructions into two 256-bit halves
    /// (`CPUIdentity.splitsAVX512`, a Zen 4): there the Haswell (AVX2) kernels ran the nets'
    /// products 4-30% faster than the Cooperlake and SkylakeX ones (100 x 512 x 1024: 108 against
    /// 95-99 GFLOP/s on one core; 64 x 1024 x 100, A transposed: 105 against 81-88), and
    /// Model-1 trained 4-11% faster at batch 100 (six alternating pairs).
    static func candidates(for flags: Set<Substring>, cpu: CPUIdentity = .unknown) -> [String] {
        var sets: [String] = []
        if flags.isSuperset(of: ["avx512f", "avx512bw", "avx512dq", "avx512vl", "avx512cd"]) {
            if flags.contains("avx512_bf16") { sets.append("Cooperlake") }
            sets.append("SkylakeX")
        }
        if flags.isSuperset(of: ["avx2", "fma", "bmi2"]) {
            sets.insert("Haswell", at: cpu.splitsAVX512 ? 0 : sets.count)
        }
        return sets
    }

    /// A CPU's vendor and family, as /proc/cpuinfo gives them.
    struct CPUIdentity: Equatable {
        var vendor: Substring
        var family: Int

        static let unknown = CPUIdentity(vendor: "", family: 0)

        /// Whether the cores run 512-bit vector instructions as two 256-bit halves, if they have
        /// them: AMD family 25 (Zen 4 splits them; Zen 3 has none, and OpenBLAS gives it its own
        /// AVX2 "Zen" kernels, which `choose` leaves alone). Zen 5 (family 26) has whole 512-bit
        /// units.
        var splitsAVX512: Bool { vendor == "AuthenticAMD" && family == 25 }
    }

    /// The fields of the first processor in /proc/cpuinfo (empty where there is no such file).
    static func cpuInfo() -> [Substring: Substring] {
        guard let text = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8) else { return [:] }
        var fields: [Substring: Substring] = [:]
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.isEmpty { break }  // the end of the first processor
            guard let colon = line.firstIndex(of: ":") else { continue }
            let key = line[..<colon].trimmingCharacters(in: .whitespaces)
            fields[Substring(key)] = line[line.index(after: colon)...].drop { $0 == " " }
        }
        return fields
    }

    /// The flags of the first processor in /proc/cpuinfo (empty where there is no such file).
    static func cpuFlags() -> Set<Substring> {
        Set((cpuInfo()["flags"] ?? "").split(separator: " "))
    }

    /// The vendor and family of the first processor in /proc/cpuinfo.
    static func cpuIdentity() -> CPUIdentity {
        let info = cpuInfo()
        return CPUIdentity(vendor: info["vendor_id"] ?? "", family: (info["cpu family"]).flatMap { Int($0) } ?? 0)
    }

    /// Moves OpenBLAS to the kernels `candidates` puts first, when it runs its fallback kernels
    /// or, on a CPU that splits AVX-512 (`CPUIdentity.splitsAVX512`), an AVX-512 set (OpenBLAS
    /// 0.3.21 gives a Zen 4 its Cooperlake kernels). It tries the candidate sets in order (a build may
    /// lack a set, and then falls back again) and keeps the first that takes. The variable is set
    /// only while OpenBLAS reads it, so child processes do not inherit it. Linux only (the flags
    /// come from /proc/cpuinfo). Must run before the first product (`BLAS.setUp` calls it once).
    static func choose() {
        let cpu = cpuIdentity(), sets = candidates(for: cpuFlags(), cpu: cpu)
        guard getenv("OPENBLAS_CORETYPE") == nil, needsChange(from: current, to: sets, cpu: cpu),
              let quit = function("gotoblas_dynamic_quit", as: (@convention(c) () -> Void).self),
              let initialise = function("gotoblas_dynamic_init", as: (@convention(c) () -> Void).self)
        else { return }
        for name in sets {
            setenv("OPENBLAS_CORETYPE", name, 1)
            quit()
            initialise()
            unsetenv("OPENBLAS_CORETYPE")
            if !onFallback { return }
        }
    }

    /// Whether `choose` moves OpenBLAS off the kernel set `current` to the first of `sets`: off
    /// the fallback always, off an AVX-512 set on a CPU that splits AVX-512 when an AVX2 set comes
    /// first; never off a set OpenBLAS chose itself otherwise (a Zen 3's "Zen" kernels stay).
    static func needsChange(from current: String, to sets: [String], cpu: CPUIdentity) -> Bool {
        guard let preferred = sets.first else { return false }
        func isOne(of names: [String]) -> Bool { names.contains { $0.lowercased() == current.lowercased() } }
        return isOne(of: [fallback]) || (cpu.splitsAVX512 && isOne(of: avx512Sets) && !avx512Sets.contains(preferred))
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
