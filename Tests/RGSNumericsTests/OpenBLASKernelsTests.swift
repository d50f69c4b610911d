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

    /// Products never run on the fallback kernels where the CPU has AVX2 and FMA, unless the user
    /// chose the kernels (rgs sets `OPENBLAS_CORETYPE` only while OpenBLAS reads it).
    func testProductsDoNotRunOnTheFallbackKernels() throws {
        BLAS.setUp()
        try XCTSkipIf(getenv("OPENBLAS_CORETYPE") != nil, "OPENBLAS_CORETYPE chosen by the user")
        let flags = OpenBLASKernels.cpuFlags()
        #if os(Linux) && arch(x86_64)
        XCTAssertFalse(flags.isEmpty, "no flags read from /proc/cpuinfo")
        #endif
        guard !OpenBLASKernels.candidates(for: flags).isEmpty else { return }
        XCTAssertFalse(OpenBLASKernels.onFallback, "OpenBLAS runs \(OpenBLASKernels.current)")
    }
}
