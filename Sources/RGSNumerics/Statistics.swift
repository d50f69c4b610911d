import Foundation

/// Mean and error estimates for Monte Carlo and training data.
public enum Statistics {
    /// The arithmetic mean (0 for an empty sample).
    public static func mean(_ x: [Double]) -> Double {
        x.isEmpty ? 0 : x.reduce(0, +) / Double(x.count)
    }

    /// The unbiased sample variance (0 for fewer than two values).
    public static func variance(_ x: [Double]) -> Double {
        guard x.count > 1 else { return 0 }
        let m = mean(x)
        return x.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(x.count - 1)
    }

    /// Mean with the naive standard error, for independent samples.
    public static func meanWithError(_ x: [Double]) -> Measurement {
        Measurement(mean(x), error: (variance(x) / Double(max(1, x.count))).squareRoot())
    }

    /// Mean with a binning error: samples are averaged in `bins` consecutive blocks (default 20),
    /// and the error is the standard error of the block means, so correlations shorter than a
    /// block are accounted for.
    public static func binned(_ x: [Double], bins: Int = 20) -> Measurement {
        let nb = min(bins, x.count)
        // One sample has no error estimate: nan, printed as such, never a false exact value.
        guard nb > 1 else { return Measurement(mean(x), error: .nan) }
        let size = x.count / nb
        var blocks = [Double]()
        blocks.reserveCapacity(nb)
        for b in 0..<nb {
            var s = 0.0
            for i in (b * size)..<((b + 1) * size) { s += x[i] }
            blocks.append(s / Double(size))
        }
        return Measurement(mean(x), error: (variance(blocks) / Double(nb)).squareRoot())
    }

    /// Jackknife estimate of a derived quantity f over `bins` blocks of the samples.
    ///
    /// `f` receives the indices kept in a replica and returns the estimate on them; used for
    /// specific heat, susceptibility and the Binder cumulant whose errors are not simple means.
    public static func jackknife(count: Int, bins: Int = 20, _ f: (_ keep: [Int]) -> Double) -> Measurement {
        let all = Array(0..<count)
        let full = f(all)
        // Every replica keeps at least half the samples; below 4 samples there is no estimate (nan).
        let nb = min(bins, count / 2)
        guard nb > 1 else { return Measurement(full, error: .nan) }
        let size = count / nb
        var estimates = [Double]()
        estimates.reserveCapacity(nb)
        for b in 0..<nb {
            let lo = b * size, hi = b == nb - 1 ? count : (b + 1) * size
            let keep = all.filter { $0 < lo || $0 >= hi }
            estimates.append(f(keep))
        }
        let m = mean(estimates)
        let v = estimates.reduce(0) { $0 + ($1 - m) * ($1 - m) } * Double(nb - 1) / Double(nb)
        return Measurement(full, error: v.squareRoot())
    }

    /// Integrated autocorrelation time of a time series (Sokal's automatic window, c = 6).
    /// 0.5 for uncorrelated data, and for a series constant up to rounding (its spread below
    /// 1e-12 of its size): a frozen chain whose energy sum rounds differently from its values
    /// (long-range couplings at T = 0) otherwise looked correlated over the whole pilot.
    public static func autocorrelationTime(_ x: [Double]) -> Double {
        let n = x.count
        guard n > 3 else { return 0.5 }
        let m = mean(x)
        let d = x.map { $0 - m }
        var c0 = 0.0
        for v in d { c0 += v * v }
        c0 /= Double(n)
        guard c0 > 1e-24 * m * m, c0 > 0 else { return 0.5 }
        var tau = 0.5
        for t in 1..<(n / 2) {
            var c = 0.0
            for i in 0..<(n - t) { c += d[i] * d[i + t] }
            tau += c / Double(n - t) / c0
            if Double(t) >= 6 * tau { break }
        }
        return max(0.5, tau)
    }
}
