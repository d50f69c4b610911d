/// A sequence of ensembles, one per step of an RG, autoencoder or RBM flow.
public struct Flow: Sendable {
    /// What produced the flow ("decimate", "majority b=2", "rbm", "ae").
    public var name: String
    /// Step 0 is the starting ensemble.
    public var steps: [Ensemble]
    /// Whether the flow was interrupted (Ctrl-C) before all its steps were taken.
    public var isPartial: Bool

    public init(name: String, steps: [Ensemble], isPartial: Bool = false) {
        self.name = name
        self.steps = steps
        self.isPartial = isPartial
    }
}
