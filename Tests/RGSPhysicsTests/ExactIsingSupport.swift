import Foundation
@testable import RGSPhysics

/// More exact results the samplers are tested against (Kaufman's and Onsager's are in RGSPhysics).
extension ExactIsing {
    /// Density of states of the L x L torus by exhaustive enumeration: count of configurations
    /// by (bond sum, magnetisation sum), both shifted to be non-negative.
    struct Enumeration {
        let sites: Int
        let bonds: Int
        /// counts[(bondSum + bonds) * (2 sites + 1) + (spinSum + sites)]
        let counts: [Double]

        init(L: Int) {
            sites = L * L
            bonds = 2 * sites
            var counts = [Double](repeating: 0, count: (2 * bonds + 1) * (2 * sites + 1))
            // The same enumeration the observable tests use, binned by (bond sum, spin sum).
            for state in ObservablesTestSupport.enumerate(L: L) {
                let bond = Int((-state.e * Double(sites)).rounded()), m = Int((state.m * Double(sites)).rounded())
                counts[(bond + bonds) * (2 * sites + 1) + m + sites] += 1
            }
            self.counts = counts
        }

        /// Boltzmann averages of f(bondSum, spinSum) at beta.
        func average(beta: Double, _ f: (Double, Double) -> Double) -> Double {
            var z = 0.0, sum = 0.0
            for b in -bonds...bonds {
                let weight = exp(beta * Double(b - bonds))
                for m in -sites...sites {
                    let g = counts[(b + bonds) * (2 * sites + 1) + m + sites]
                    guard g > 0 else { continue }
                    z += g * weight
                    sum += g * weight * f(Double(b), Double(m))
                }
            }
            return sum / z
        }

        /// ln Z at beta.
        func logZ(beta: Double) -> Double {
            var z = 0.0
            for b in -bonds...bonds {
                for m in -sites...sites { z += counts[(b + bonds) * (2 * sites + 1) + m + sites] * exp(beta * Double(b)) }
            }
            return log(z)
        }
    }

    /// ln Z of the N-site periodic chain, H = -sum s_i s_{i+1} - h sum s_i, from the 2x2 transfer
    /// matrix: Z = l+^N + l-^N, l+- = e^K cosh H +- sqrt(e^2K sinh^2 H + e^-2K), K = beta, H = beta h.
    static func chainLogZ(N: Int, k: Dual2, field hh: Dual2) -> Dual2 {
        let root = sqrt(exp(2 * k) * sinh(hh) * sinh(hh) + exp(-2 * k))
        let plus = exp(k) * cosh(hh) + root, minus = exp(k) * cosh(hh) - root
        let n = Double(N)
        return log(exp(n * log(plus)) + exp(n * log(minus)))
    }

    /// Exact magnetisation, energy and susceptibility per spin of the chain at (beta, h).
    static func chain(N: Int, beta: Double, h: Double) -> (magnetization: Double, energy: Double, susceptibility: Double) {
        let n = Double(N)
        // m = (1/N) d ln Z / dH at fixed K; e = -(1/N) d ln Z / d beta with K = beta, H = beta h;
        // chi = d<m>/dh = (beta / N) d^2 ln Z / dH^2.
        let byField = chainLogZ(N: N, k: Dual2(beta), field: .variable(beta * h))
        let b = Dual2.variable(beta)
        let byBeta = chainLogZ(N: N, k: b, field: h * b)
        return (byField.first / n, -byBeta.first / n, beta * byField.second / n)
    }

    /// Onsager-Yang spontaneous magnetisation (1 - sinh(2 beta)^-4)^(1/8) below T_c.
    static func onsagerMagnetization(beta: Double) -> Double {
        pow(1 - pow(sinh(2 * beta), -4), 0.125)
    }

    /// H / N of an L x L long-range configuration by the explicit pair sum over i < j with the
    /// minimum-image distance and no self-coupling.
    static func longRangeEnergy(_ s: [Int8], L: Int, alpha: Double) -> Double {
        var e = 0.0
        for i in 0..<(L * L) {
            for j in (i + 1)..<(L * L) {
                let dx0 = abs(i % L - j % L), dy0 = abs(i / L - j / L)
                let dx = Double(min(dx0, L - dx0)), dy = Double(min(dy0, L - dy0))
                e -= Double(s[i]) * Double(s[j]) / pow(dx * dx + dy * dy, alpha / 2)
            }
        }
        return e / Double(L * L)
    }
}
