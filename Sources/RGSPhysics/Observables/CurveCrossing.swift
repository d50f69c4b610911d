import RGSNumerics

/// A measured curve y(x) ± e, linearly interpolated between its points (x strictly increasing).
struct MeasuredCurve: Sendable {
    let x: [Double]
    let y: [Double]
    let e: [Double]

    /// A curve from unsorted points; throws on fewer than two points, repeated or non-finite x.
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
    }

    /// The same curve with every value shifted by a Gaussian of its error (parametric bootstrap).
    func resampled(_ rng: inout RandomStream) -> MeasuredCurve {
        MeasuredCurve(x: x, y: zip(y, e).map { $0 + $1 * rng.normal() }, e: e)
    }

    /// (value, error) at `t` inside the curve's range, interpolating both linearly.
    func at(_ t: Double) -> (value: Double, error: Double) {
        var k = 0
        while k < x.count - 2 && x[k + 1] < t { k += 1 }
        let w = (t - x[k]) / (x[k + 1] - x[k])
        return (y[k] + w * (y[k + 1] - y[k]), e[k] + w * (e[k + 1] - e[k]))
    }
}

/// Where curve `a` crosses curve `b` (or the constant `target`): the zeros of the difference
/// d(x) = a(x) - b(x), both interpolated linearly on the union of their temperatures.
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
        var found = [Candidate]()
        for k in 0..<(grid.count - 1) {
            let d0 = d[k].value, d1 = d[k + 1].value
            guard d0 * d1 <= 0, d0 != d1 else { continue }
            let x = grid[k] - d0 * (grid[k + 1] - grid[k]) / (d1 - d0)
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
