import RGSIO
import RGSLanguage
import RGSPhysics

/// `==` on saved models (nets, RBMs, stacks): equal when they would save to the same file, so
/// `load "ae.npz" == ae` checks a round trip. Untrained recipes are equal to nothing.
extension HostObject where Self: Archivable {
    func isEqual(to other: any HostObject) -> Bool {
        guard let other = other as? Self, let a = try? archive(), let b = try? other.archive() else { return false }
        return a == b
    }
}

extension Ensemble {
    /// The same lattices with the same labels (a missing beta, nan, equals a missing beta); notes
    /// and the partial mark are not compared, so a reloaded ensemble equals the one saved.
    func hasSameSamples(as other: Ensemble) -> Bool {
        guard shape == other.shape, labels.count == other.labels.count else { return false }
        let sameLabels = zip(labels, other.labels).allSatisfy { a, b in
            (a.beta == b.beta || (a.beta.isNaN && b.beta.isNaN)) && (a.h == b.h || (a.h.isNaN && b.h.isNaN))
                && a.model == b.model && a.seed == b.seed
        }
        guard sameLabels else { return false }
        if let a = packedWords, let b = other.packedWords { return a == b }
        return floatMatrix() == other.floatMatrix()
    }
}
