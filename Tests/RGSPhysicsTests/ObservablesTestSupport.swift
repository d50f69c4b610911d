import Foundation
import RGSNumerics
import RGSPhysics
import XCTest

/// Hand-made lattices and exact distributions for the observable tests (no sampler needed).
enum ObservablesTestSupport {
    static func labels(_ count: Int, beta: Double = 0.4, h: Double = 0, model: String = "ising") -> [SampleLabel] {
        (0..<count).map { SampleLabel(beta: beta, h: h, model: model, seed: UInt64($0)) }
    }

    /// `count` copies of the L x L pattern `spin(row, column)`.
    static func pattern(L: Int, count: Int, beta: Double = 0.4, _ spin: (Int, Int) -> Int8) -> Ensemble {
        let one = (0..<(L * L)).map { spin($0 / L, $0 % L) }
        var e = Ensemble(shape: [L, L], spins: Array((0..<count).map { _ in one }.joined()), labels: labels(count, beta: beta))
        e.model = .ising(h: 0)
        return e
    }

    /// `count` lattices of independent +-1 spins with P(up) = 1/2.
    static func randomSpins(shape: [Int], count: Int, seed: UInt64) -> Ensemble {
        var rng = RandomStream(seed: seed, stream: 0)
        let n = shape.reduce(1, *)
        let spins = (0..<(count * n)).map { _ in Int8(rng.below(2) * 2 - 1) }
        return Ensemble(shape: shape, spins: spins, labels: labels(count))
    }

    /// Every configuration of a periodic L x L Ising lattice with its energy and magnetisation per
    /// spin, by direct bond counting (configuration c has spin i up when bit i of c is set).
    static func enumerate(L: Int) -> [(e: Double, m: Double)] {
        let n = L * L
        return (0..<(1 << n)).map { c in
            func s(_ r: Int, _ col: Int) -> Double { (c >> (((r + L) % L) * L + (col + L) % L)) & 1 == 1 ? 1 : -1 }
            var bonds = 0.0, m = 0.0
            for r in 0..<L {
                for col in 0..<L {
                    bonds += s(r, col) * (s(r, col + 1) + s(r + 1, col))
                    m += s(r, col)
                }
            }
            return (-bonds / Double(n), m / Double(n))
        }
    }

    /// `count` configurations drawn from the exact Boltzmann distribution at `beta` (L x L, h = 0),
    /// by inverse transform sampling over the enumerated states.
    static func exactSamples(L: Int, beta: Double, count: Int, seed: UInt64) -> Ensemble {
        let n = L * L
        let states = enumerate(L: L)
        let emin = states.map(\.e).min() ?? 0
        var cumulative = [Double]()
        var total = 0.0
        for s in states {
            total += exp(-beta * Double(n) * (s.e - emin))
            cumulative.append(total)
        }
        var rng = RandomStream(seed: seed, stream: 0)
        var spins = [Int8]()
        for _ in 0..<count {
            let u = rng.uniform() * total
            var lo = 0, hi = cumulative.count - 1
            while lo < hi {
                let mid = (lo + hi) / 2
                if cumulative[mid] > u { hi = mid } else { lo = mid + 1 }
            }
            spins += (0..<n).map { Int8(((lo >> $0) & 1) * 2 - 1) }
        }
        var e = Ensemble(shape: [L, L], spins: spins, labels: labels(count, beta: beta))
        e.model = .ising(h: 0)
        return e
    }

    /// Exact Boltzmann averages of f(e, m) at `beta` over the enumerated states.
    static func exactAverage(_ states: [(e: Double, m: Double)], N: Int, beta: Double,
                             _ f: (Double, Double) -> Double) -> Double {
        let emin = states.map(\.e).min() ?? 0
        var z = 0.0, sum = 0.0
        for s in states {
            let w = exp(-beta * Double(N) * (s.e - emin))
            z += w
            sum += w * f(s.e, s.m)
        }
        return sum / z
    }

    /// Asserts |measured - expected| <= 4 sigma (and a small absolute slack for exact cases).
    static func assertWithin(_ m: RGSNumerics.Measurement, _ expected: Double, sigmas: Double = 4,
                             slack: Double = 1e-9, _ what: String, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssert(Swift.abs(m.value - expected) <= sigmas * m.error + slack,
                  "\(what): \(m.value) ± \(m.error), expected \(expected)", file: file, line: line)
    }
}
