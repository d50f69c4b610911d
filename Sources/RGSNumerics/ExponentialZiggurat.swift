import Foundation

/// Exp(1) deviates by Marsaglia and Tsang's ziggurat (J. Stat. Softw. 5(8), 2000) with 256 layers:
/// about 99% of draws cost one 64-bit random number, a comparison and a multiplication; the rest
/// fall back to an exact rejection step (or the tail beyond r = 7.697, drawn as r - log u).
///
/// The layer index comes from the low 8 bits of the draw and the position within the layer from
/// its high 32, so the two are independent (the original took both from one 32-bit number).
public struct ExponentialZiggurat: Sendable {
    /// Position thresholds: a draw j below k[i] lies inside layer i's rectangle.
    private let k: [UInt64]
    /// Layer widths over 2^32.
    private let w: [Double]
    /// exp(-x) at each layer's right edge.
    private let f: [Double]
    private static let tailStart = 7.697117470131487

    public static let shared = ExponentialZiggurat()

    private init() {
        let m = 4294967296.0, v = 3.949659822581572e-3
        var k = [UInt64](repeating: 0, count: 256), w = [Double](repeating: 0, count: 256), f = w
        var d = Self.tailStart, t = d
        let q = v / exp(-d)
        k[0] = UInt64(d / q * m)
        w[0] = q / m
        w[255] = d / m
        f[0] = 1
        f[255] = exp(-d)
        for i in stride(from: 254, through: 1, by: -1) {
            d = -log(v / d + exp(-d))
            k[i + 1] = UInt64(d / t * m)
            t = d
            f[i] = exp(-d)
            w[i] = d / m
        }
        self.k = k
        self.w = w
        self.f = f
    }

    /// One Exp(1) deviate from `rng`.
    @inlinable @inline(__always)
    public func sample(_ rng: inout RandomStream) -> Double {
        let r = rng.next()
        let i = Int(r & 255), j = r >> 32
        if let x = inside(i, j) { return x }
        return rejection(i, j, &rng)
    }

    @usableFromInline @inline(__always)
    func inside(_ i: Int, _ j: UInt64) -> Double? { j < k[i] ? Double(j) * w[i] : nil }

    /// The wedge or tail of layer i, then fresh draws until one is accepted.
    @usableFromInline
    func rejection(_ layer: Int, _ position: UInt64, _ rng: inout RandomStream) -> Double {
        var i = layer, j = position
        while true {
            if i == 0 { return Self.tailStart - log(1 - rng.uniform()) }
            let x = Double(j) * w[i]
            if f[i] + rng.uniform() * (f[i - 1] - f[i]) < exp(-x) { return x }
            let r = rng.next()
            i = Int(r & 255)
            j = r >> 32
            if let x = inside(i, j) { return x }
        }
    }
}
