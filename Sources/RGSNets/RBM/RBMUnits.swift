/// The values an RBM's units take, and with them the conditionals.
///
/// Both kinds share the energy E(v, h) = -sum_ia v_i W_ia h_a - sum_i c_i v_i - sum_a b_a h_a
/// (eq. 8 of the long-range paper). With the field x_a = sum_i v_i W_ia + b_a on a hidden unit:
/// - `pm1` (+-1 units, the papers' choice): p(h_a = +1 | v) = e^x / (e^x + e^-x)
///   = (1 + tanh x_a) / 2, so <h_a> = tanh x_a (Iso-Shiba Funai-Yokoo's <h_a>, eq. 16 of the
///   long-range paper, which writes the mean as "p"). No factor 2 in the field.
/// - `binary` (0/1 units, scikit-learn's BernoulliRBM): p(h_a = 1 | v) = sigmoid(x_a) = <h_a>.
/// The visible conditionals are the same with x_i = sum_a W_ia h_a + c_i.
public enum RBMUnits: String, Sendable, Codable, CaseIterable {
    case pm1
    case binary

    /// The value of an "off" unit: -1 or 0.
    public var low: Float { self == .pm1 ? -1 : 0 }

    /// The unit's own value for a spin-convention value s in [-1, 1]: s, or (1 + s) / 2.
    @inline(__always)
    func fromSpin(_ s: Float) -> Float { self == .pm1 ? s : 0.5 * (1 + s) }

    /// The spin-convention value of one of the unit's own values: x, or 2x - 1.
    @inline(__always)
    func toSpin(_ x: Float) -> Float { self == .pm1 ? x : 2 * x - 1 }
}

/// How values pass from one layer to the next in flows, stacks and reconstructions.
public enum RBMPropagation: String, Sendable, Codable, CaseIterable {
    /// Draw each unit from its conditional (the papers' RBM flow).
    case sample
    /// Pass the conditional means <h|v> or <v|h> (a deterministic mean-field flow).
    case mean
}
