import Foundation
import RGSLanguage
import RGSLibrary
import XCTest

/// Seeded fuzzing of the domain builtins: small valid calls whose numeric arguments are replaced
/// by edge values (zero, negative, fractional, huge) and whose arguments are dropped or swapped.
/// Every variant must finish with a value or a located error, never a trap. Loop counts (epochs,
/// steps) only get small edge values, so that no variant runs for long.
final class DomainFuzzTests: XCTestCase {
    static let snippets = [
        "ising(L: 4, beta: 0.3, samples: 8, seed: 1)",
        "ising(L: 6, T: [1, 2], samples: 4, algorithm: wolff, seed: 2)",
        "ising1d(N: 8, beta: 0.5, h: 0.5, samples: 4, seed: 1)",
        "longrange(L: 4, alpha: 3, T: 5, samples: 4, seed: 1)",
        "majority(ising(L: 4, beta: 0.3, samples: 2, seed: 1), block: 2)",
        "blockspin(ising(L: 6, beta: 0.3, samples: 2, seed: 1), block: 3, rounded: true)",
        "rg(ising(L: 8, beta: 0.3, samples: 2, seed: 1), rule: majority, steps: 2)",
        "coarse_graining_matrix(from: 16, to: 8)",
        "recursion(0.3, scheme: decimation1d, steps: 3)",
        "correlation(ising(L: 4, beta: 0.3, samples: 8, seed: 1))",
        "scaling_dimension(ising(L: 8, beta: 0.44, samples: 8, seed: 1), rmin: 1, rmax: 3)",
        "entropy(ising(L: 4, beta: 0.3, samples: 4, seed: 1), k: 3)",
        "train ae(layers: [16, 8, 16]) on ising(L: 4, beta: 0.3, samples: 8, seed: 1) epochs: 1 batch: 4",
        "train rbm(hidden: 4, lr: 0.1) on ising(L: 4, beta: 0.3, samples: 8, seed: 1) epochs: 1 batch: 4",
        "train regressor(hidden: [4]) on ising(L: 4, beta: [0.2, 0.4], samples: 4, seed: 1) epochs: 1 batch: 2",
        "flow majority from ising(L: 8, beta: 0.3, samples: 2, seed: 1) steps: 2",
        "measure energy of ising(L: 4, beta: 0.3, samples: 4, seed: 1) bins: 2",
        "measure delta_eps of ising(L: 8, beta: 0.3, samples: 8, seed: 1) rmin: 1 rmax: 3 k: 3",
        "eigen(matrix([[2, 1], [1, 2]]))",
        "select(ising(L: 4, T: [1, 2], samples: 2, seed: 1), T: 2)",
        "binder_crossing([ising(L: 4, T: [2, 3], samples: 8, seed: 1), ising(L: 6, T: [2, 3], samples: 8, seed: 2)])",
    ]
    static let edges = ["0", "-1", "1.5", "2", "-0.5", "1e12", "3"]
    static let small = ["0", "-1", "1.5", "2"]
    static let loopNames = ["epochs", "steps", "k"]

    func testEdgeArguments() throws {
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next(_ n: Int) -> Int {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Int((state >> 33) % UInt64(n))
        }
        var variants: [String] = []
        let number = try NSRegularExpression(pattern: "(\\w+): (-?[0-9.]+)")
        for snippet in Self.snippets {
            let matches = number.matches(in: snippet, range: NSRange(snippet.startIndex..., in: snippet))
            for _ in 0..<8 {
                guard !matches.isEmpty else { continue }
                let m = matches[next(matches.count)]
                let name = (snippet as NSString).substring(with: m.range(at: 1))
                let pool = Self.loopNames.contains(name) ? Self.small : Self.edges
                variants.append((snippet as NSString).replacingCharacters(in: m.range(at: 2), with: pool[next(pool.count)]))
            }
            // Dropped arguments and a stray positional argument.
            if let m = matches.first { variants.append((snippet as NSString).replacingCharacters(in: m.range, with: "")) }
            variants.append(snippet.replacingOccurrences(of: ")", with: ", 7)", options: [], range: nil))
        }
        XCTAssertGreaterThan(variants.count, 150)
        for source in variants {
            let outcome = Interpreter.onLargeStack { () -> String in
                do throws(RGSError) {
                    let rgs = try Library.makeInterpreter(output: { _ in })
                    _ = try rgs.run(source, file: "fuzz.rgs")
                    return "ok"
                } catch {
                    return error.span == nil ? "unlocated: \(error.message)" : "error"
                }
            }
            XCTAssertFalse(outcome.hasPrefix("unlocated"), "\(source): \(outcome)")
        }
    }
}
