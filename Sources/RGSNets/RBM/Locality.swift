import Foundation
import RGSNumerics
import RGSPhysics

/// How local a receptive field is: the share of sum |w_i| within distance r of the field's
/// centre of mass, on the periodic lattice (Mehta-Schwab: L1 gives local, block-like fields;
/// weight decay alone spreads them over the lattice).
///
/// The centre of mass on a torus is the circular mean of each coordinate weighted by |w_i|
/// (angle 2 pi x / L); distances use the minimum image. A field spread uniformly over an L x L
/// lattice scores about (number of sites within r) / L^2; a field on one site scores 1.
public enum Locality {
    /// The share of sum |field_i| within `radius` of the centre, for a field on a lattice of
    /// `shape` ([N] or [rows, columns], periodic). A zero field scores 0.
    public static func share(of field: [Double], shape: [Int], radius: Double) throws(CoreError) -> Double {
        guard !shape.isEmpty, shape.count <= 2, shape.allSatisfy({ $0 > 0 }), shape.reduce(1, *) == field.count else {
            throw CoreError("a locality score needs a field on a [N] or [rows, columns] lattice with \(field.count) sites, got shape \(shape)")
        }
        guard radius.isFinite, radius >= 0 else { throw CoreError("the locality radius must be a number >= 0, got \(formatNumber(radius))") }
        try RotatedLattice.refuse("the locality score", shape: shape)
        guard field.allSatisfy(\.isFinite) else {
            throw CoreError("a locality score needs finite values; the field holds NaN or infinite ones")
        }
        let sides = shape.count == 2 ? shape : [1, shape[0]]
        let weight = field.map(abs)
        let total = weight.reduce(0, +)
        guard total > 0 else { return 0 }
        var centre = [0.0, 0.0]
        for axis in 0..<2 {
            let side = Double(sides[axis])
            var s = 0.0, c = 0.0
            for (i, w) in weight.enumerated() {
                let x = Double(axis == 0 ? i / sides[1] : i % sides[1])
                s += w * sin(2 * Double.pi * x / side)
                c += w * cos(2 * Double.pi * x / side)
            }
            centre[axis] = atan2(s, c) / (2 * Double.pi) * side
        }
        var near = 0.0
        for (i, w) in weight.enumerated() {
            var d2 = 0.0
            for axis in 0..<2 {
                let side = Double(sides[axis])
                var d = abs(Double(axis == 0 ? i / sides[1] : i % sides[1]) - centre[axis]).truncatingRemainder(dividingBy: side)
                d = min(d, side - d)
                d2 += d * d
            }
            if d2 <= radius * radius + 1e-12 { near += w }
        }
        return near / total
    }

    /// The mean share over `count` fields (`field(a)` on a lattice of `shape`), with the standard
    /// error of that mean across fields.
    public static func score(fields count: Int, shape: [Int], radius: Double,
                             _ field: (Int) -> [Double]) throws(CoreError) -> RGSNumerics.Measurement {
        var shares = [Double]()
        for a in 0..<count { shares.append(try share(of: field(a), shape: shape, radius: radius)) }
        return Statistics.meanWithError(shares)
    }
}

extension RBM {
    /// The locality share of every hidden unit's receptive field (see `Locality`), averaged over
    /// units, with the standard error of that mean across units.
    public func localityScore(radius: Double) throws(CoreError) -> RGSNumerics.Measurement {
        let m = hiddenCount
        return try Locality.score(fields: m, shape: visibleShape, radius: radius) { a in
            (0..<visibleCount).map { Double(weights[$0 * m + a]) }
        }
    }
}
