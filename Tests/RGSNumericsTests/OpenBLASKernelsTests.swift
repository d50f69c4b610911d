@testable import RGSNumerics
import XCTest

/// The choice of OpenBLAS kernels: the widest set a CPU's flags allow, and no fallback to SSE3
/// kernels on a CPU with wider vectors.
final class OpenBLASKernelsTests: XCTestCase {
    func testWidestSetFollowsTheFlags() {
        let avx512: Set<Substring> = ["sse2", "avx2", "fma", "avx512f", "avx512bw", "avx512dq", "avx512vl"]
        XCTAssertEqual(OpenBLASKernels.widest(for: avx512), "SkylakeX")
        XCTAssertEqual(OpenBLASKernels.widest(for: avx512.union(["avx512_bf16"])), "Cooperlake")
        XCTAssertEqual(OpenBLASKernels.widest(for: avx512.subtracting(["avx512vl"])), "Haswell")
        XCTAssertEqual(OpenBLASKernels.widest(for: ["sse2", "avx", "avx2", "fma"]), "Haswell")
        XCTAssertNil(OpenBLASKernels.widest(for: ["sse2", "avx", "avx2"]))
        XCTAssertNil(OpenBLASKernels.widest(for: []))
    }

    /// Products never run on the fallback kernels where the CPU has AVX2 and FMA, unless the user
    /// asked for them by name.
    func testProductsDoNotRunOnTheFallbackKernels() throws {
        BLAS.setUp()
        let chosen = getenv("OPENBLAS_CORETYPE").map { String(cString: $0).lowercased() }
        try XCTSkipIf(chosen == OpenBLASKernels.fallback.lowercased(), "the user chose the fallback kernels")
        guard OpenBLASKernels.widest(for: OpenBLASKernels.cpuFlags()) != nil else { return }
        XCTAssertNotEqual(OpenBLASKernels.current, OpenBLASKernels.fallback)
    }
}
