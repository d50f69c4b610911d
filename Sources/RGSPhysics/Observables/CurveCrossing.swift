import RGSNumerics

/// A measured curve y(x) ± e (x strictly increasing): values on the cubic Hermite curve through
/// the points whose slope at each is that of the parabola through it and its neighbours (third
/// order, exact for lines and parabolas), errors interpolated linearly.
///
/// Straight lines between the points bias a crossing of curved curves by ~ (grid step)^2 x
/// curvature: the Binder curves of L = 8 and 16 on a 0.1 grid crossed at 2.237 ± 0.010, where a
/// 0.025 grid gives 2.262 ± 0.004; the cubic gives 2.255 on the 0.1 grid.
struct MeasuredCurve: Sendable {
    let x: [Double]
    let y: [Double]
    let e: [Double]
    /// dy/dx at each point.
    private let slopes: [Double]

    init(x: [Double], values: [RGSNumerics.Measurement], what: String) throws {
        guard x.count == values.count else {
            throw CoreError("\(what): \(x.count) temperatures but \(values.count) values", hint: "give one value per temperature")
        }
        guard x.count >= 2 else { throw CoreError("\(what) needs at least two temperatures (got \(x.count))") }
        guard x.allSatisfy(\.isFinite), values.allSatisfy({ $0.value.isFinite && ($0.error.isNaN || $0.error >= 0) }),
              !values.contains(where: { $0.error == .infinity }) else {
            throw CoreError("\(what) has a non-finite temperature, value or error")
        }
        if let k = values.firstIndex(where: { $0.error.isNaN }) {
            throw CoreError("\(what) has no error bar at T = \(formatNumber(x[k]))",
                            hint: "a jackknife error needs at least 4 samples per temperature; draw more samples")
        }
        let order = x.indices.sorted { x[$0] < x[$1] }
        self.init(x: order.map { x[$0] }, y: order.map { values[$0].value }, e: order.map { values[$0].error })
        for k in 1..<self.x.count where self.x[k] == self.x[k - 1] {
            throw CoreError("\(what) lists T = \(formatNumber(self.x[k])) twice", hint: "average the repeats first")
        }
    }

    init(x: [Double], y: [Double], e: [Double]) {
        self.x = x
        self.y = y
        self.e = e
        slopes = Self.parabolicSlopes(x, y)
    }

    /// The slope at each point of the parabola through it and its two neighbours (at the ends,
    /// through the first or last three points; a line for two points).
    private static func parabolicSlopes(_ x: [Double], _ y: [Double]) -> [Double] {
        let n = x.count
        guard n >= 3 else { return [Double](repeating: n == 2 ? (y[1] - y[0]) / (x[1] - x[0]) : 0, count: n) }
        // The derivative at x[at] of the parabola through points c-1, c, c+1.
        func slope(centre c: Int, at: Int) -> Double {
            let (x0, x1, x2) = (x[c - 1], x[c], x[c + 1]), t = x[at]
            let d01 = (y[c] - y[c - 1]) / (x1 - x0), d12 = (y[c + 1] - y[c]) / (x2 - x1)
            let curvature = (d12 - d01) / (x2 - x0)
            return d01 + curvature * (2 * t - x0 - x1)
        }
        return (0..<n).map { k in slope(centre: min(max(k, 1), n - 2), at: k) }
    }

    /// The same curve with every value shifted by a Gaussian of its error (parametric bootstrap).
    func resampled(_ rng: inout RandomStream) -> MeasuredCurve {
        MeasuredCurve(x: x, y: zip(y, e).map { $0 + $1 * rng.normal() }, e: e)
    }

    /// (value, error) at `t` inside the curve's range: the cubic Hermite value, the error
    /// interpolated linearly.
    func at(_ t: Double) -> (value: Double, error: Double) {
        var k = 0
        while k < x.count - 2 && x[k + 1] < t { k += 1 }
        let h = x[k + 1] - x[k], w = (t - x[k]) / h
        let w2 = w * w, w3 = w2 * w
        let value = (2 * w3 - 3 * w2 + 1) * y[k] + (w3 - 2 * w2 + w) * h * slopes[k]
            + (-2 * w3 + 3 * w2) * y[k + 1] + (w3 - w2) * h * slopes[k + 1]
        return (value, e[k] + w * (e[k + 1] - e[k]))
    }
}

/// Where curve `a` crosses curve `b` (or the constant `target`): the zeros of the difference
/// d(x) = a(x) - b(x) between the points of the union of their temperatures where d changes
/// sign, found by bisection on the interpolated curves.
struct CurveCrossing {
    let a: MeasuredCurve
    let b: MeasuredCurve?
    let target: Double

    /// A zero of d between two grid points, with how clearly d changes there.
    struct Candidate {
        let x: Double
        let value: Double
        /// |d(x_k+1) - d(x_k)| / sigma: a sign change well outside the errors beats a wobble
        /// of two nearly equal curves in noise (both Binder curves tend to 0 and 2/3 at the ends).
        let significance: Double
    }

    /// All zeros of d, in increasing x.
    func candidates() -> [Candidate] {
        let lo = max(a.x[0], b?.x[0] ?? -.infinity), hi = min(a.x[a.x.count - 1], b?.x.last ?? .infinity)
        guard lo < hi else { return [] }
        let grid = Set((a.x + (b?.x ?? [])).filter { $0 >= lo && $0 <= hi }).sorted()
        let d = grid.map { t -> (value: Double, variance: Double) in
            let u = a.at(t), v = b?.at(t) ?? (value: target, error: 0)
            return (u.value - v.value, u.error * u.error + v.error * v.error)
        }
        func difference(_ t: Double) -> Double { a.at(t).value - (b?.at(t).value ?? target) }
        var found = [Candidate]()
        for k in 0..<(grid.count - 1) {
            let d0 = d[k].value, d1 = d[k + 1].value
            guard d0 * d1 <= 0, d0 != d1 else { continue }
            var x = grid[k] - d0 * (grid[k + 1] - grid[k]) / (d1 - d0)
            if d0 != 0 && d1 != 0 {
                // The bracket keeps the sign change; 60 halvings reach the doubles' resolution.
                var (lo, hi, dLo) = (grid[k], grid[k + 1], d0)
                for _ in 0..<60 where lo < hi {
                    let mid = 0.5 * (lo + hi), dMid = difference(mid)
                    if dMid == 0 { lo = mid; hi = mid; break }
                    if (dMid < 0) == (dLo < 0) { (lo, dLo) = (mid, dMid) } else { hi = mid }
                }
                x = 0.5 * (lo + hi)
            }
            let sigma = max((d[k].variance + d[k + 1].variance).squareRoot(), .leastNormalMagnitude)
            found.append(Candidate(x: x, value: a.at(x).value, significance: Swift.abs(d1 - d0) / sigma))
        }
        return found
    }

    /// The most significant zero, or nil.
    func best() -> Candidate? { candidates().max { $0.significance < $1.significance } }

    /// The zero nearest to `x` (how a bootstrap replica follows the central crossing), or nil.
    func nearest(to x: Double) -> Candidate? {
        candidates().min { Swift.abs($0.x - x) < Swift.abs($1.x - x) }
    }
}
