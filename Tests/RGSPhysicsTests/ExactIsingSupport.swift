import Foundation

/// A number with its first and second derivative in one variable (forward-mode automatic
/// differentiation), so that energies and specific heats come exactly from ln Z.
struct Dual2 {
    var value: Double
    var first: Double
    var second: Double

    init(_ value: Double, _ first: Double = 0, _ second: Double = 0) {
        self.value = value
        self.first = first
        self.second = second
    }

    /// The independent variable at `x`.
    static func variable(_ x: Double) -> Dual2 { Dual2(x, 1, 0) }

    /// f(self) from f, f' and f'' at self.value (chain rule to second order).
    func map(_ f: Double, _ df: Double, _ d2f: Double) -> Dual2 {
        Dual2(f, df * first, d2f * first * first + df * second)
    }

    static func + (a: Dual2, b: Dual2) -> Dual2 { Dual2(a.value + b.value, a.first + b.first, a.second + b.second) }
    static func - (a: Dual2, b: Dual2) -> Dual2 { Dual2(a.value - b.value, a.first - b.first, a.second - b.second) }
    static func * (a: Dual2, b: Dual2) -> Dual2 {
        Dual2(a.value * b.value, a.first * b.value + a.value * b.first,
              a.second * b.value + 2 * a.first * b.first + a.value * b.second)
    }
    static func * (a: Double, b: Dual2) -> Dual2 { Dual2(a * b.value, a * b.first, a * b.second) }
    static func / (a: Dual2, b: Dual2) -> Dual2 {
        let v = b.value
        return a * b.map(1 / v, -1 / (v * v), 2 / (v * v * v))
    }
}

func exp(_ x: Dual2) -> Dual2 { let e = exp(x.value); return x.map(e, e, e) }
func log(_ x: Dual2) -> Dual2 { x.map(log(x.value), 1 / x.value, -1 / (x.value * x.value)) }
func cosh(_ x: Dual2) -> Dual2 { x.map(cosh(x.value), sinh(x.value), cosh(x.value)) }
func sinh(_ x: Dual2) -> Dual2 { x.map(sinh(x.value), cosh(x.value), sinh(x.value)) }
func sqrt(_ x: Dual2) -> Dual2 { let r = x.value.squareRoot(); return x.map(r, 0.5 / r, -0.25 / (r * x.value)) }
func acosh(_ x: Dual2) -> Dual2 {
    let q = x.value * x.value - 1
    return x.map(acosh(x.value), 1 / q.squareRoot(), -x.value / (q * q.squareRoot()))
}

/// Exact results for the Ising models the samplers are tested against.
enum ExactIsing {
    /// ln Z of the L x L periodic 2D Ising model (J = 1, h = 0) at coupling K = beta, from
    /// Kaufman's finite-lattice solution (Phys. Rev. 76, 1232 (1949); the form of Beale, PRL 76,
    /// 78 (1996)): Z = (1/2) (2 sinh 2K)^(L^2/2) (Z1 + Z2 + Z3 + Z4), with
    /// Z1,2 = prod_{r<L} 2 cosh|sinh(L gamma_{2r+1} / 2)], Z3,4 the same with gamma_{2r},
    /// cosh gamma_l = cosh 2K coth 2K - cos(pi l / L) and gamma_0 = 2K + ln tanh K (signed).
    static func kaufmanLogZ(L: Int, _ k: Dual2) -> Dual2 {
        let two = Dual2(2)
        let c = cosh(two * k) * cosh(two * k) / sinh(two * k)
        func gamma(_ l: Int) -> Dual2 {
            l == 0 ? two * k + log(sinh(k) / cosh(k)) : acosh(c - Dual2(cos(Double.pi * Double(l) / Double(L))))
        }
        // ln|Z_i| and sign(Z_i), summed in log space: at L = 64 the products overflow a Double.
        var logs = [Dual2](repeating: Dual2(0), count: 4)
        var signs = [1.0, 1.0, 1.0, 1.0]
        for r in 0..<L {
            let odd = 0.5 * Double(L) * gamma(2 * r + 1), even = 0.5 * Double(L) * gamma(2 * r)
            logs[0] = logs[0] + logTwoCosh(odd)
            logs[1] = logs[1] + logTwoSinhMagnitude(odd)
            logs[2] = logs[2] + logTwoCosh(even)
            logs[3] = logs[3] + logTwoSinhMagnitude(even)
            if odd.value < 0 { signs[1] = -signs[1] }
            if even.value < 0 { signs[3] = -signs[3] }
        }
        let top = logs.map(\.value).max() ?? 0
        var sum = Dual2(0)
        for i in 0..<4 { sum = sum + signs[i] * exp(logs[i] - Dual2(top)) }
        let n = Double(L * L)
        return log(Dual2(0.5)) + 0.5 * n * log(2 * sinh(two * k)) + Dual2(top) + log(sum)
    }

    /// ln(2 cosh x), stable for large |x|.
    private static func logTwoCosh(_ x: Dual2) -> Dual2 {
        let a = abs(x.value), t = tanh(x.value)
        return x.map(a + log1p(exp(-2 * a)), t, 1 - t * t)
    }

    /// ln|2 sinh x|, stable for large |x| (x != 0).
    private static func logTwoSinhMagnitude(_ x: Dual2) -> Dual2 {
        let a = abs(x.value), sh = sinh(x.value)
        return x.map(a + log1p(-exp(-2 * a)), cosh(x.value) / sh, -1 / (sh * sh))
    }

    /// Onsager's energy per spin of the infinite lattice,
    /// u = -coth 2K [1 + (2/pi)(2 tanh^2 2K - 1) K1(kappa)], kappa = 2 sinh 2K / cosh^2 2K.
    static func onsagerEnergy(beta k: Double) -> Double {
        let kappa = 2 * sinh(2 * k) / (cosh(2 * k) * cosh(2 * k))
        // Complete elliptic integral of the first kind by the arithmetic-geometric mean.
        var a = 1.0, b = (1 - kappa * kappa).squareRoot()
        for _ in 0..<40 { (a, b) = ((a + b) / 2, (a * b).squareRoot()) }
        let k1 = Double.pi / (2 * a)
        let t = tanh(2 * k)
        return -(1 / t) * (1 + 2 / Double.pi * (2 * t * t - 1) * k1)
    }

    /// Energy per spin -d ln Z / d beta / N and specific heat per spin beta^2 d^2 ln Z / d beta^2 / N.
    static func kaufman(L: Int, beta: Double) -> (energy: Double, specificHeat: Double) {
        let lnZ = kaufmanLogZ(L: L, .variable(beta))
        let n = Double(L * L)
        return (-lnZ.first / n, beta * beta * lnZ.second / n)
    }

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
