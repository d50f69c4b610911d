import RGSNumerics

/// The Hamiltonian a spin ensemble was sampled from (J = 1 ferromagnetic couplings throughout).
///
/// - `ising`: 2D square lattice, nearest neighbours, H = -sum_<ij> s_i s_j - h sum_i s_i.
/// - `chain`: 1D ring, H = -sum_i s_i s_{i+1} - h sum_i s_i.
/// - `longRange`: 2D square lattice, H = -sum_{i<j} s_i s_j / r_ij^alpha, with r_ij the
///   minimum-image distance (see `LongRangeCouplings`).
public enum LatticeModel: Sendable, Equatable {
    case ising(h: Double)
    case chain(h: Double)
    case longRange(alpha: Double)

    /// The model name used in sample labels.
    public var name: String {
        switch self {
        case .ising: "ising"
        case .chain: "ising1d"
        case .longRange: "longrange"
        }
    }

    /// The Hamiltonian in words, for messages: "ising", "ising1d", "longrange (alpha 3)".
    public var describedHamiltonian: String {
        if case .longRange(let alpha) = self { return "longrange (alpha \(formatNumber(alpha)))" }
        return name
    }

    /// The external field (0 for the long-range model).
    public var field: Double {
        switch self {
        case .ising(let h), .chain(let h): h
        case .longRange: 0
        }
    }
}
