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

/// Exact results for the 2D Ising model (J = 1, h = 0): Kaufman's finite periodic lattice and
/// Onsager's infinite one. The tests check the samplers against them, and the energy
/// thermometer (`Ensemble.energyTemperature`) inverts Kaufman's energy.
public enum ExactIsing {
    /// ln Z of the L x L periodic 2D Ising model (J = 1, h = 0) at coupling K = beta, from
    /// Kaufman's finite-lattice solution (Phys. Rev. 76, 1232 (1949); the form of Beale, PRL 76,
    /// 78 (1996)): Z = (1/2) (2 sinh 2K)^(L^2/2) (Z1 + Z2 + Z3 + Z4), with
    /// Z1,2 = prod_{r<L} 2 cosh|sinh(L gamma_{2r+1} / 2), Z3,4 the same with gamma_{2r},
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

    /// ln|2 sinh x|, stable for large |x| (x != 0): the derivatives coth x and 1 - coth^2 x
    /// come from tanh, since cosh and sinh overflow beyond |x| = 710 (L = 512 at beta 2).
    private static func logTwoSinhMagnitude(_ x: Dual2) -> Dual2 {
        let a = abs(x.value), coth = 1 / tanh(x.value)
        return x.map(a + log1p(-exp(-2 * a)), coth, 1 - coth * coth)
    }

    /// Onsager's energy per spin of the infinite lattice,
    /// u = -coth 2K [1 + (2/pi)(2 tanh^2 2K - 1) K1(kappa)], kappa = 2 sinh 2K / cosh^2 2K.
    public static func onsagerEnergy(beta k: Double) -> Double {
        let kappa = 2 * sinh(2 * k) / (cosh(2 * k) * cosh(2 * k))
        // Complete elliptic integral of the first kind by the arithmetic-geometric mean.
        var a = 1.0, b = (1 - kappa * kappa).squareRoot()
        for _ in 0..<40 { (a, b) = ((a + b) / 2, (a * b).squareRoot()) }
        let k1 = Double.pi / (2 * a)
        let t = tanh(2 * k)
        return -(1 / t) * (1 + 2 / Double.pi * (2 * t * t - 1) * k1)
    }

    /// Energy per spin -d ln Z / d beta / N and specific heat per spin beta^2 d^2 ln Z / d beta^2 / N.
    public static func kaufman(L: Int, beta: Double) -> (energy: Double, specificHeat: Double) {
        let lnZ = kaufmanLogZ(L: L, .variable(beta))
        let n = Double(L * L)
        return (-lnZ.first / n, beta * beta * lnZ.second / n)
    }
}
