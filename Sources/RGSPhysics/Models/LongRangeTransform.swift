import Foundation
import RGSNumerics

/// The long-range couplings applied through the 2D discrete Fourier transform of the torus:
/// the local fields f = J * s of every site and the bond sum sum_{i<j} J_ij s_i s_j in
/// O(N log N) by the FFT when L is a power of two, else in O(L^3) by products of L x L matrices,
/// where the pair sum costs O(N^2) = O(L^4).
///
/// With s^(k) = sum_x s_x e^{-i k.x} and J^(k) = sum_d J(d) cos(k.d) (real, J being even),
/// sum_{i,j} J_ij s_i s_j = (1/N) sum_k J^(k) |s^(k)|^2 and f = IDFT(J^ s^). The DFT matrices
/// C = cos(2 pi k x / L) and S = sin(2 pi k x / L) are symmetric, so s^ = C s C - S s S -
/// i (C s S + S s C): four products. The tables are shared by copies (chains of one lattice).
public struct LongRangeTransform: Sendable {
    /// Side length L.
    public let side: Int
    private let cosine: [Double]
    private let sine: [Double]
    /// J^(k1, k2), row-major.
    private let spectrum: [Double]
    /// The FFT of one side, when L is a power of two (the DFT matrices are then not built).
    private let fft: FFT?

    /// Doubles of scratch memory one call needs (4 N).
    public var scratchCount: Int { 4 * side * side }

    public init(_ couplings: LongRangeCouplings) {
        let l = couplings.side, n = l * l
        side = l
        fft = FFT(count: l)
        if let fft {
            var re = couplings.table, im = [Double](repeating: 0, count: n), buffer = [Double](repeating: 0, count: 2 * l)
            fft.square(&re, &im, buffer: &buffer)
            cosine = []
            sine = []
            spectrum = re
            return
        }
        var c = [Double](repeating: 0, count: n), s = c
        for k in 0..<l {
            for x in 0..<l {
                // The angle of k x mod L, so large products keep their accuracy.
                let angle = 2 * Double.pi * Double((k * x) % l) / Double(l)
                c[k * l + x] = cos(angle)
                s[k * l + x] = sin(angle)
            }
        }
        cosine = c
        sine = s
        // J^ = C J C - S J S (the imaginary part vanishes because J is even).
        var spectrum = [Double](repeating: 0, count: n), scratch = spectrum
        let j = couplings.table
        BLAS.dgemm(l, l, l, c, j, &scratch)
        BLAS.dgemm(l, l, l, scratch, c, &spectrum)
        BLAS.dgemm(l, l, l, s, j, &scratch)
        BLAS.dgemm(l, l, l, scratch, s, &spectrum, alpha: -1, beta: 1)
        self.spectrum = spectrum
    }

    /// sum_{i<j} J_ij s_i s_j of the values `s` (row-major L x L); `scratch` holds `scratchCount`.
    public func bondSum(_ s: UnsafePointer<Double>, scratch: UnsafeMutablePointer<Double>) -> Double {
        let n = side * side
        transform(s, scratch)
        var sum = 0.0
        spectrum.withUnsafeBufferPointer { j in
            let re = scratch + 2 * n, im = scratch + 3 * n
            for k in 0..<n { sum += j[k] * (re[k] * re[k] + im[k] * im[k]) }
        }
        return sum / Double(2 * n)
    }

    /// The local field f_x = sum_y J_xy s_y of every site into `fields` (row-major).
    public func localFields(_ s: UnsafePointer<Double>, into fields: UnsafeMutablePointer<Double>,
                            scratch: UnsafeMutablePointer<Double>) {
        let l = side, n = l * l
        transform(s, scratch)
        if let fft {
            let re = scratch + 2 * n, im = scratch + 3 * n
            spectrum.withUnsafeBufferPointer { j in
                for k in 0..<n {
                    re[k] *= j[k]
                    im[k] *= j[k]
                }
            }
            fft.square(re, im, inverse: true, buffer: scratch)
            for k in 0..<n { fields[k] = re[k] / Double(n) }
            return
        }
        // With s^ = Re - i Im: P = J^ s^ = Pr - i Q, Pr = J^ Re, Q = J^ Im. E = C + i S, and
        // f = Re(E P E) / N = (U C - V S) / N with U = C Pr + S Q, V = S Pr - C Q.
        let pr = scratch + 2 * n, q = scratch + 3 * n, u = scratch, v = scratch + n
        spectrum.withUnsafeBufferPointer { j in
            for k in 0..<n {
                pr[k] *= j[k]
                q[k] *= j[k]
            }
        }
        cosine.withUnsafeBufferPointer { c in
            sine.withUnsafeBufferPointer { sn in
                let c = c.baseAddress!, sn = sn.baseAddress!
                BLAS.dgemm(l, l, l, c, pr, u)
                BLAS.dgemm(l, l, l, sn, q, u, beta: 1)
                BLAS.dgemm(l, l, l, sn, pr, v)
                BLAS.dgemm(l, l, l, c, q, v, alpha: -1, beta: 1)
                BLAS.dgemm(l, l, l, u, c, fields, alpha: 1 / Double(n))
                BLAS.dgemm(l, l, l, v, sn, fields, alpha: -1 / Double(n), beta: 1)
            }
        }
    }

    /// Re s^ into scratch[2N..<3N] and Im s^ (by the FFT) or -Im s^ (by the matrices) into
    /// scratch[3N..<4N]; the first 2N are used on the way.
    private func transform(_ s: UnsafePointer<Double>, _ scratch: UnsafeMutablePointer<Double>) {
        let l = side, n = l * l
        let a = scratch, b = scratch + n, re = scratch + 2 * n, im = scratch + 3 * n
        if let fft {
            for k in 0..<n {
                re[k] = s[k]
                im[k] = 0
            }
            fft.square(re, im, buffer: scratch)
            return
        }
        cosine.withUnsafeBufferPointer { c in
            sine.withUnsafeBufferPointer { sn in
                let c = c.baseAddress!, sn = sn.baseAddress!
                BLAS.dgemm(l, l, l, c, s, a)
                BLAS.dgemm(l, l, l, sn, s, b)
                BLAS.dgemm(l, l, l, a, c, re)
                BLAS.dgemm(l, l, l, b, sn, re, alpha: -1, beta: 1)
                BLAS.dgemm(l, l, l, a, sn, im)
                BLAS.dgemm(l, l, l, b, c, im, beta: 1)
            }
        }
    }
}
