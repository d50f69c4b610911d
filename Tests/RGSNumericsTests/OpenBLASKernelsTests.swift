@testable import RGSNumerics
import XCTest

/// The choice of OpenBLAS kernels: the sets a CPU's flags allow, widest first, and no fallback to
/// SSE3 kernels on a CPU with wider vectors.
final class OpenBLASKernelsTests: XCTestCase {
    func testCandidatesFollowTheFlags() {
        let avx2: Set<Substring> = ["sse2", "avx", "avx2", "fma", "bmi2"]
        let avx512 = avx2.union(["avx512f", "avx512bw", "avx512dq", "avx512vl", "avx512cd"])
        XCTAssertEqual(OpenBLASKernels.candidates(for: avx512), ["SkylakeX", "Haswell"])
        XCTAssertEqual(OpenBLASKernels.candidates(for: avx512.union(["avx512_bf16"])), ["Cooperlake", "SkylakeX", "Haswell"])
        XCTAssertEqual(OpenBLASKernels.candidates(for: avx512.subtracting(["avx512vl"])), ["Haswell"])
        XCTAssertEqual(OpenBLASKernels.candidates(for: avx2), ["Haswell"])
        XCTAssertEqual(OpenBLASKernels.candidates(for: avx2.subtracting(["fma"])), [])
        XCTAssertEqual(OpenBLASKernels.candidates(for: []), [])
    }

    /// AMD's Zen 4 (family 25) runs AVX-512 in 256-bit halves, where OpenBLAS's AVX2 kernels were
    /// faster: Haswell comes first there, and only there.
    func testZen4PrefersTheAVX2Kernels() {
        let zen4Flags: Set<Substring> = ["avx2", "fma", "bmi2", "avx512f", "avx512bw", "avx512dq", "avx512vl", "avx512cd", "avx512_bf16"]
        let zen4 = OpenBLASKernels.CPUIdentity(vendor: "AuthenticAMD", family: 25)
        XCTAssertEqual(OpenBLASKernels.candidates(for: zen4Flags, cpu: zen4), ["Haswell", "Cooperlake", "SkylakeX"])
        // A Zen 3 (the same family, no AVX-512): only Haswell is a candidate, and `choose` leaves
        // OpenBLAS's own "Zen" kernels (AVX2) alone, as it moves only off the fallback or an
        // AVX-512 set.
        XCTAssertEqual(OpenBLASKernels.candidates(for: ["avx2", "fma", "bmi2"], cpu: zen4), ["Haswell"])
        for other in [OpenBLASKernels.CPUIdentity(vendor: "AuthenticAMD", family: 26),
                      OpenBLASKernels.CPUIdentity(vendor: "GenuineIntel", family: 6)] {
            XCTAssertEqual(OpenBLASKernels.candidates(for: zen4Flags, cpu: other), ["Cooperlake", "SkylakeX", "Haswell"])
        }
        // Moves: off the fallback anywhere, off Cooperlake on a Zen 4. Stays: a Zen 3's own "Zen"
        // kernels, an Intel CPU's SkylakeX, a Zen 4 already on Haswell.
        let intel = OpenBLASKernels.CPUIdentity(vendor: "GenuineIntel", family: 6)
        XCTAssertTrue(OpenBLASKernels.needsChange(from: "Prescott", to: ["Haswell"], cpu: zen4))
        XCTAssertTrue(OpenBLASKernels.needsChange(from: "COOPERLAKE", to: ["Haswell", "Cooperlake", "SkylakeX"], cpu: zen4))
        XCTAssertFalse(OpenBLASKernels.needsChange(from: "Zen", to: ["Haswell"], cpu: zen4))
        XCTAssertFalse(OpenBLASKernels.needsChange(from: "Haswell", to: ["Haswell", "Cooperlake", "SkylakeX"], cpu: zen4))
        XCTAssertFalse(OpenBLASKernels.needsChange(from: "SkylakeX", to: ["Cooperlake", "SkylakeX", "Haswell"], cpu: intel))
        XCTAssertTrue(OpenBLASKernels.needsChange(from: "Prescott", to: ["Cooperlake", "SkylakeX", "Haswell"], cpu: intel))
        XCTAssertFalse(OpenBLASKernels.needsChange(from: "Prescott", to: [], cpu: intel))
        #if os(Linux) && arch(x86_64)
        let here = OpenBLASKernels.cpuIdentity()
        XCTAssertFalse(here.vendor.isEmpty, "no vendor read from /proc/cpuinfo")
        XCTAssertGreaterThan(here.family, 0, "no family read from /proc/cpuinfo")
        #endif
    }

    /// Products never run on the fallback kernels where the CPU has AVX2 and FMA, and run the
    /// AVX2 kernels on a Zen 4, unless the user chose the kernels (rgs sets `OPENBLAS_CORETYPE`
    /// only while OpenBLAS reads it).
    func testProductsDoNotRunOnTheFallbackKernels() throws {
        BLAS.setUp()
        try XCTSkipIf(getenv("OPENBLAS_CORETYPE") != nil, "OPENBLAS_CORETYPE chosen by the user")
        let flags = OpenBLASKernels.cpuFlags()
        #if os(Linux) && arch(x86_64)
        XCTAssertFalse(flags.isEmpty, "no flags read from /proc/cpuinfo")
        #endif
        let cpu = OpenBLASKernels.cpuIdentity(), sets = OpenBLASKernels.candidates(for: flags, cpu: cpu)
        guard let preferred = sets.first else { return }
        XCTAssertFalse(OpenBLASKernels.onFallback, "OpenBLAS runs \(OpenBLASKernels.current)")
        XCTAssertFalse(OpenBLASKernels.needsChange(from: OpenBLASKernels.current, to: sets, cpu: cpu),
                       "OpenBLAS runs \(OpenBLASKernels.current), not \(preferred)")
    }
}
