import RGSNumerics

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

    /// The name and where the flow starts, for titles: "rbm from T = 5", "ae from T = 1, 5",
    /// "majority b=2 from beta = 0.4407" (beta when it reads shorter than T), "rg from 12
    /// temperatures"; the name alone when the start has no temperature.
    public var title: String {
        var labels = [SampleLabel]()
        for label in steps.first?.labels ?? [] where !label.beta.isNaN && !labels.contains(where: { $0.beta == label.beta }) {
            labels.append(label)
        }
        guard !labels.isEmpty else { return name }
        guard labels.count <= 3 else { return "\(name) from \(labels.count) temperatures" }
        let betas = labels.map(\.beta), temperatures = labels.map(\.temperature)
        if labelsReadAsBeta(betas: betas, temperatures: temperatures) {
            return "\(name) from beta = " + betas.map(compactNumber).joined(separator: ", ")
        }
        return "\(name) from T = " + temperatures.map(compactNumber).joined(separator: ", ")
    }
}
