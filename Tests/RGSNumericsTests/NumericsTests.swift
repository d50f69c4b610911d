import XCTest
@testable import RGSNumerics

final class NumericsTests: XCTestCase {
    func testStreamsAreReproducibleAndDistinct() {
        var a = RandomStream(seed: 7, stream: 3), b = RandomStream(seed: 7, stream: 3)
        var c = RandomStream(seed: 7, stream: 4)
        let xa = (0..<100).map { _ in a.next() }, xb = (0..<100).map { _ in b.next() }
        let xc = (0..<100).map { _ in c.next() }
        XCTAssertEqual(xa, xb)
        XCTAssertNotEqual(xa, xc)
    }

    func testUniformMeanAndVarianceWithinFourSigma() {
        var r = RandomStream(seed: 1)
        let n = 200_000
        let xs = (0..<n).map { _ in r.uniform() }
        let m = Statistics.mean(xs)
        // Var(U) = 1/12, so the mean's standard error is sqrt(1/12/n).
        XCTAssertEqual(m, 0.5, accuracy: 4 * (1.0 / 12 / Double(n)).squareRoot())
        XCTAssertEqual(Statistics.variance(xs), 1.0 / 12, accuracy: 0.002)
    }

    func testBelowIsUniformChiSquare() {
        var r = RandomStream(seed: 2)
        var counts = [Int](repeating: 0, count: 7)
        let n = 70_000
        for _ in 0..<n { counts[r.below(7)] += 1 }
        let expected = Double(n) / 7
        let chi2 = counts.reduce(0.0) { $0 + (Double($1) - expected) * (Double($1) - expected) / expected }
        XCTAssertLessThan(chi2, 22.46)  // chi-square, 6 dof, p = 0.001
    }

    func testAutocorrelationOfAR1Process() {
        // x_t = a x_{t-1} + noise has tau_int = (1 + a) / (2 (1 - a)).
        var r = RandomStream(seed: 3)
        let a = 0.8
        var x = 0.0
        var xs = [Double]()
        for _ in 0..<200_000 { x = a * x + r.normal(); xs.append(x) }
        let tau = Statistics.autocorrelationTime(xs)
        XCTAssertEqual(tau, (1 + a) / (2 * (1 - a)), accuracy: 0.5)
    }

    /// The ziggurat's Exp(1) deviates: Kolmogorov-Smirnov distance from 1 - exp(-x) over a
    /// million draws (p = 0.001 bound 1.95 / sqrt(n)), mean and variance 1 within 4 sigma, and the
    /// tail beyond the ziggurat's last layer (x > 7.7) as often as exp(-7.7).
    func testExponentialZigguratDrawsExpOne() {
        var rng = RandomStream(seed: 11)
        let n = 1_000_000
        let x = (0..<n).map { _ in ExponentialZiggurat.shared.sample(&rng) }.sorted()
        var distance = 0.0
        for (i, v) in x.enumerated() {
            let cdf = -expm1(-v)
            distance = max(distance, abs(cdf - Double(i) / Double(n)), abs(cdf - Double(i + 1) / Double(n)))
        }
        XCTAssertLessThan(distance, 1.95 / Double(n).squareRoot())
        let mean = x.reduce(0, +) / Double(n)
        let variance = x.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(n)
        XCTAssertEqual(mean, 1, accuracy: 4 / Double(n).squareRoot())
        XCTAssertEqual(variance, 1, accuracy: 4 * 8.0.squareRoot() / Double(n).squareRoot())
        let tail = Double(x.filter { $0 > 7.7 }.count), expected = Double(n) * exp(-7.7)
        XCTAssertEqual(tail, expected, accuracy: 4 * expected.squareRoot())
        XCTAssertGreaterThanOrEqual(x[0], 0)
    }

    /// The FFT equals the plain DFT sum, forward and inverse, for lengths 1 to 64; lengths that
    /// are not powers of two have none.
    func testFFTMatchesTheDFT() {
        var rng = RandomStream(seed: 5)
        for n in [1, 2, 4, 8, 64] {
            guard let fft = FFT(count: n) else { return XCTFail("no FFT of \(n)") }
            let x = (0..<n).map { _ in rng.normal() }, y = (0..<n).map { _ in rng.normal() }
            for inverse in [false, true] {
                var re = x, im = y
                fft(&re, &im, inverse: inverse)
                let sign = inverse ? 1.0 : -1.0
                for k in 0..<n {
                    var sr = 0.0, si = 0.0
                    for j in 0..<n {
                        let a = sign * 2 * Double.pi * Double(j * k % n) / Double(n)
                        sr += x[j] * cos(a) - y[j] * sin(a)
                        si += x[j] * sin(a) + y[j] * cos(a)
                    }
                    XCTAssertEqual(re[k], sr, accuracy: 1e-11, "n \(n) k \(k)")
                    XCTAssertEqual(im[k], si, accuracy: 1e-11, "n \(n) k \(k)")
                }
            }
        }
        XCTAssertNil(FFT(count: 12))
        XCTAssertNil(FFT(count: 0))
    }

    /// A series constant up to rounding is not correlated: -2.2 summed 2000 times and divided
    /// differs from -2.2 in the last bits, which made every lag look fully correlated.
    func testAConstantSeriesHasNoAutocorrelation() {
        XCTAssertNotEqual(Statistics.mean(Array(repeating: -2.2, count: 2000)), -2.2)
        XCTAssertEqual(Statistics.autocorrelationTime(Array(repeating: -2.2, count: 2000)), 0.5)
        XCTAssertEqual(Statistics.autocorrelationTime(Array(repeating: 0, count: 2000)), 0.5)
    }

    func testJackknifeOfMeanEqualsBinnedError() {
        var r = RandomStream(seed: 4)
        let xs = (0..<1000).map { _ in r.normal() }
        let jk = Statistics.jackknife(count: xs.count) { keep in keep.reduce(0) { $0 + xs[$1] } / Double(keep.count) }
        let bn = Statistics.binned(xs)
        XCTAssertEqual(jk.value, bn.value, accuracy: 1e-12)
        XCTAssertEqual(jk.error, bn.error, accuracy: 1e-9)
    }

    func testMeasurementFormatting() {
        XCTAssertEqual(Measurement(0.51234, error: 0.0021).description, "0.5123 ± 0.0021")
        XCTAssertEqual(Measurement(12.0, error: 0).description, "12")
        // Below 1e-4 value and error share a power of ten instead of a row of zeros.
        XCTAssertEqual(Measurement(-2.005711e-5, error: 1.6e-10).description, "(-2.005711 ± 0.000016)e-5")
        XCTAssertEqual(Measurement(3e-7, error: 2e-6).description, "(0.3 ± 2.0)e-6")
        // Errors from 1e6 on share one power of ten too (a huge error read as a row of zeros);
        // large values with smaller errors print plainly.
        XCTAssertEqual(Measurement(1, error: 1e9).description, "(0.0 ± 1.0)e9")
        XCTAssertEqual(Measurement(2.5e7, error: 3e6).description, "(2.50 ± 0.30)e7")
        XCTAssertEqual(Measurement(1234567, error: 7).description, "1234567.0 ± 7.0")
        XCTAssertEqual(Measurement(0.000123, error: 0.0000021).description, "0.0001230 ± 0.0000021")
        XCTAssertEqual(formatNumber(0.25), "0.25")
        // An unbounded or unknown error is shown, never dropped as if the value were exact.
        XCTAssertEqual(Measurement(7.7, error: .infinity).description, "7.7 ± inf")
        XCTAssertEqual(Measurement(7.7, error: .nan).description, "7.7 ± nan")
    }

    func testTrackedMeasurementsCorrelateByTheirSources() {
        let a = TrackedMeasurement(Measurement(3, error: 0.3)), b = TrackedMeasurement(Measurement(4, error: 0.4))
        // Independent sources add in quadrature, as before; shared ones before squaring.
        XCTAssertEqual((a + b).error, 0.5, accuracy: 1e-15)
        XCTAssertEqual((a * b).error, hypot(4 * 0.3, 3 * 0.4), accuracy: 1e-15)
        XCTAssertEqual((a - a).error, 0)
        XCTAssertEqual((a + a).error, 0.6, accuracy: 1e-15)
        XCTAssertEqual((a * a).error, a.power(TrackedMeasurement(exact: 2)).error, accuracy: 1e-15)
        XCTAssertEqual(((a + b) - b).error, 0.3, accuracy: 1e-15)
        XCTAssertEqual(TrackedMeasurement.sum([a, b, a]).error, hypot(0.6, 0.4), accuracy: 1e-15)
        // An exact base keeps 0^b exact; parts beyond 1e154 do not overflow the quadrature sum.
        XCTAssertEqual(TrackedMeasurement(exact: 0).power(TrackedMeasurement(Measurement(0.5, error: 0.1))).error, 0)
        let huge = TrackedMeasurement(Measurement(1e300, error: 3e200)) + TrackedMeasurement(Measurement(1e300, error: 4e200))
        XCTAssertEqual(huge.error / 5e200, 1, accuracy: 1e-15)
        XCTAssertTrue(TrackedMeasurement(Measurement(1, error: .nan)).mapped(to: 2, slope: 1).error.isNaN)
        let unbounded = TrackedMeasurement(Measurement(2, error: .infinity))
        XCTAssertEqual(unbounded.power(TrackedMeasurement(exact: 0)).error, 0)  // x^0 is the constant 1
        XCTAssertEqual(unbounded.error, .infinity)
        // Past maximumSources the parts merge into one source: the error stays, identity too.
        let many = TrackedMeasurement.sum((0...TrackedMeasurement.maximumSources).map { _ in TrackedMeasurement(Measurement(1, error: 0.1)) })
        XCTAssertEqual(many.parts.count, 1)
        XCTAssertEqual(many.error, 0.1 * Double(TrackedMeasurement.maximumSources + 1).squareRoot(), accuracy: 1e-12)
        XCTAssertEqual((many - many).error, 0)
    }

    func testProgressTotalsSaturateInsteadOfOverflowing() {
        XCTAssertEqual(Progress.total(3, times: 4), 12)
        XCTAssertEqual(Progress.total(1 << 53, times: 1300), .max)
    }

    /// A bar line never reaches the terminal's last column (a wrapped line is cleared only in
    /// half by the next redraw, leaving a stale copy per redraw), and keeps rate and ETA.
    func testProgressLinesFitTheTerminal() {
        let progress = Progress("training", total: 90_000_000, unit: "samples")
        for width in [20, 40, 60, 80, 100, 200] {
            let line = progress.render(done: 3_285_864, elapsed: 1.6, width: width)
            XCTAssertTrue(line.hasPrefix("\r\u{1B}[2K"))
            XCTAssertLessThan(line.count - 5, width, "\(width) columns: \(line)")
            if width >= 60 { XCTAssertTrue(line.contains("samples/s ETA 0:42"), line) }
        }
        XCTAssertTrue(progress.render(done: 3_285_864, elapsed: 1.6, width: 100).contains("3.3M/90.0M"))
        XCTAssertEqual(Progress.count(999_999), "999999")
        XCTAssertEqual(Progress.count(.max), "?")
    }

    /// `BitRows.areSpins` checks 64 values at a time: a stray value anywhere (block or tail)
    /// and values near +-1, 0, -0 and NaN.
    func testAreSpinsFindsEveryNonSpin() {
        XCTAssertTrue(BitRows.areSpins([]))
        for count in [1, 63, 64, 65, 200] {
            let spins = (0..<count).map { Float($0 % 3 == 0 ? 1 : -1) }
            XCTAssertTrue(BitRows.areSpins(spins))
            for position in Set([0, count / 2, count - 1]) {
                for bad: Float in [0, -0.0, 1.0000001, -0.99999994, 2, .nan, .infinity, -.infinity] {
                    var values = spins
                    values[position] = bad
                    XCTAssertFalse(BitRows.areSpins(values), "\(bad) at \(position) of \(count)")
                }
            }
        }
    }

    /// `abandoning` returns the work's value; once Ctrl-C is requested it throws within its
    /// 50 ms polling while the work runs on.
    func testAbandoningReturnsOrGivesUpPromptly() throws {
        XCTAssertEqual(try Cancellation.abandoning { 6 * 7 }, 42)
        Cancellation.request()
        defer { Cancellation.clear() }
        let start = Date()
        XCTAssertThrowsError(try Cancellation.abandoning { () -> Int in Thread.sleep(forTimeInterval: 1); return 0 })
        XCTAssertLessThan(Date().timeIntervalSince(start), 0.5)
        XCTAssertTrue(Cancellation.hasAbandonedWork)
    }

    /// Memory sizes in messages: readable units, not "25600000.0 GB".
    func testMemorySizesPrintInReadableUnits() {
        XCTAssertEqual(SystemMemory.size(3.2e9), "3.2 GB")
        XCTAssertEqual(SystemMemory.size(2.56e16), "25.6 PB")
        XCTAssertEqual(SystemMemory.size(5e8), "0.5 GB")
        XCTAssertEqual(SystemMemory.size(1.2e40), "1.2e+31 GB")
    }
}
