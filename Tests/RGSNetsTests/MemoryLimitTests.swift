import Foundation
import RGSNumerics
@testable import RGSNets
import XCTest

/// Nets and RBMs too large for the memory the process may use are refused with an error before
/// anything is allocated (an allocation failure would abort the process).
final class MemoryLimitTests: XCTestCase {
    /// Under an address-space limit 1 GB above the process's size (`ulimit -v`), a net, its
    /// training and an RBM that need more are refused; within it, a net is still made.
    func testRequestsAboveTheAddressSpaceLimitAreRefused() throws {
        #if os(Linux)
        let resource = __rlimit_resource_t(RLIMIT_AS.rawValue)
        var saved = rlimit()
        XCTAssertEqual(getrlimit(resource, &saved), 0)
        defer { _ = setrlimit(resource, &saved) }
        let status = try String(contentsOfFile: "/proc/self/status", encoding: .utf8)
        let line = try XCTUnwrap(status.split(separator: "\n").first { $0.hasPrefix("VmSize:") })
        let size = try XCTUnwrap(line.split(separator: " ").compactMap { Int($0) }.first) * 1024
        var limit = saved
        limit.rlim_cur = rlim_t(size + (1 << 30))
        XCTAssertEqual(setrlimit(resource, &limit), 0)

        XCTAssertLessThanOrEqual(try XCTUnwrap(SystemMemory.available()), 1 << 30)
        func refused(_ what: String, _ make: () throws -> Void) {
            XCTAssertThrowsError(try make(), what) { error in
                XCTAssertTrue((error as? CoreError)?.message.contains("needs about") == true, "\(what): \(error)")
            }
        }
        refused("an autoencoder of 256 M weights") { _ = try Network.autoencoder(sizes: [64, 2_000_000, 64], seed: 1) }
        refused("an RBM of 205 M weights") { _ = try RBM(visibleShape: [1024], hidden: 200_000, seed: 1) }
        refused("one layer of 205 M weights") { _ = try DenseLayer(inputs: 1024, outputs: 200_000, seed: 1) }
        // 64 M weights fit (512 MB with their initial values); training them needs about 1.5 GB.
        var net = try Network.autoencoder(sizes: [64, 500_000, 64], seed: 1)
        let data = try TrainingSet(inputs: [Float](repeating: 1, count: 64 * 4), inputWidth: 64,
                                   targets: [Float](repeating: 1, count: 64 * 4), targetWidth: 64)
        refused("training it") { try net.train(data, options: TrainingOptions(epochs: 1, batchSize: 4)) }
        #endif
    }
}
