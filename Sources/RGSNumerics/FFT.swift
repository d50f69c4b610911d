import Foundation

/// The radix-2 fast Fourier transform of a power-of-two length, in place on split real and
/// imaginary parts: X_k = sum_j x_j e^{-2 pi i j k / n} (forward) or e^{+...} (inverse, not
/// divided by n). O(n log n) against the O(n^2) of the plain sum.
public struct FFT: Sendable {
    /// The length n.
    public let count: Int
    /// cos and sin of 2 pi k / n for k < n / 2.
    private let cosines: [Double], sines: [Double]
    /// The bit-reversed order of 0..<n.
    private let reversed: [Int32]

    /// nil unless `count` is a power of two.
    public init?(count n: Int) {
        guard n >= 1, n & (n - 1) == 0, n <= 1 << 30 else { return nil }
        count = n
        cosines = (0..<(n / 2)).map { cos(2 * Double.pi * Double($0) / Double(n)) }
        sines = (0..<(n / 2)).map { sin(2 * Double.pi * Double($0) / Double(n)) }
        let bits = n.trailingZeroBitCount
        reversed = (0..<n).map { i in
            var r = 0
            for b in 0..<bits where i >> b & 1 == 1 { r |= 1 << (bits - 1 - b) }
            return Int32(r)
        }
    }

    /// Transforms the `count` values at `re` and `im` in place.
    public func callAsFunction(_ re: UnsafeMutablePointer<Double>, _ im: UnsafeMutablePointer<Double>, inverse: Bool = false) {
        let n = count
        reversed.withUnsafeBufferPointer { r in
            for i in 0..<n {
                let j = Int(r[i])
                if i < j {
                    swap(&re[i], &re[j])
                    swap(&im[i], &im[j])
                }
            }
        }
        let sign = inverse ? 1.0 : -1.0
        cosines.withUnsafeBufferPointer { c in
            sines.withUnsafeBufferPointer { s in
                var size = 2
                while size <= n {
                    let half = size / 2, step = n / size
                    for start in stride(from: 0, to: n, by: size) {
                        for k in 0..<half {
                            let wr = c[k * step], wi = sign * s[k * step]
                            let a = start + k, b = a + half
                            let tr = re[b] * wr - im[b] * wi, ti = re[b] * wi + im[b] * wr
                            re[b] = re[a] - tr
                            im[b] = im[a] - ti
                            re[a] += tr
                            im[a] += ti
                        }
                    }
                    size *= 2
                }
            }
        }
    }

    /// The 2D transform of a count x count row-major array: every row, then every column
    /// (through `buffer`, 2 count doubles).
    public func square(_ re: UnsafeMutablePointer<Double>, _ im: UnsafeMutablePointer<Double>, inverse: Bool = false,
                       buffer: UnsafeMutablePointer<Double>) {
        let n = count
        for r in 0..<n { self(re + r * n, im + r * n, inverse: inverse) }
        let columnRe = buffer, columnIm = buffer + n
        for c in 0..<n {
            for r in 0..<n {
                columnRe[r] = re[r * n + c]
                columnIm[r] = im[r * n + c]
            }
            self(columnRe, columnIm, inverse: inverse)
            for r in 0..<n {
                re[r * n + c] = columnRe[r]
                im[r * n + c] = columnIm[r]
            }
        }
    }
}
