import RGSNumerics
import RGSPhysics

/// What a supervised net says about an ensemble, one row per distinct label value: the label,
/// the mean prediction with its standard error, and for classifiers the mean probability of each
/// class (the long-range paper's temperature histograms).
public struct LabelMeasurement: Sendable {
    /// The quantity measured (beta, temperature or field).
    public let target: LabelTarget
    /// The distinct label values of the samples, ascending (the true value per group).
    public let labels: [Double]
    /// Samples per group.
    public let counts: [Int]
    /// Mean prediction per group with its standard error over the group's samples; for a
    /// classifier a sample's prediction is its expected value sum_k p_k class_k.
    public let predicted: [Measurement]
    /// The classifier's classes (empty for a regressor).
    public let classes: [Double]
    /// Per group, the mean probability of each class (empty rows for a regressor).
    public let distribution: [[Double]]

    /// The rows as a table: label, predicted (with errors), samples, and one p(class) column per class.
    public var table: Table {
        var columns = [
            Table.Column(target.rawValue, labels),
            Table.Column("predicted", predicted.map(\.value), errors: predicted.map(\.error)),
            Table.Column("samples", counts.map(Double.init)),
        ]
        // Six significant digits (T = 0.1 + 0.2 reads p(0.3)), unless that would merge two classes.
        let compact = classes.map(compactNumber)
        let names = Set(compact).count == classes.count ? compact : classes.map(formatNumber)
        for (k, name) in names.enumerated() {
            columns.append(Table.Column("p(\(name))", distribution.map { $0[k] }))
        }
        return Table(title: "predicted \(target.rawValue)", columns: columns)
    }
}

extension Network {
    /// Measures the net's label quantity on `data`, grouped by the samples' own label value
    /// (a regressor or classifier only).
    public func measure(_ data: Ensemble) throws(CoreError) -> LabelMeasurement {
        let target: LabelTarget, classes: [Double]
        switch role {
        case .regressor(let t): (target, classes) = (t, [])
        case .classifier(let t, let c): (target, classes) = (t, c)
        case .autoencoder, .mapping:
            throw CoreError("only a regressor or classifier measures a label quantity",
                            hint: "train regressor(target: beta) or classifier(target: T) first")
        }
        let outputs = try predict(data)
        let width = outputCount
        let values = data.labels.map { target.value(of: $0) }
        let groups = Array(Set(values)).sorted()
        var predicted: [Measurement] = [], distribution: [[Double]] = [], counts: [Int] = []
        for g in groups {
            let members = values.indices.filter { values[$0] == g }
            let rows = members.map { s in (0..<width).map { Double(outputs[s * width + $0]) } }
            let perSample = classes.isEmpty ? rows.map { $0[0] } : rows.map { zip($0, classes).reduce(0) { $0 + $1.0 * $1.1 } }
            predicted.append(Statistics.meanWithError(perSample))
            counts.append(members.count)
            distribution.append(classes.isEmpty ? [] : (0..<width).map { k in Statistics.mean(rows.map { $0[k] }) })
        }
        return LabelMeasurement(target: target, labels: groups, counts: counts, predicted: predicted,
                                classes: classes, distribution: distribution)
    }
}

extension Network {
    /// Measures every step of `flow`: one row per (step, label value) with columns step, label,
    /// predicted (with errors) and samples (classifier distributions are left out; measure a
    /// step's ensemble for them).
    public func measure(_ flow: Flow) throws(CoreError) -> Table {
        var step: [Double] = [], label: [Double] = [], value: [Double] = [], error: [Double] = [], count: [Double] = []
        var target = LabelTarget.beta
        for (k, ensemble) in flow.steps.enumerated() {
            let m = try measure(ensemble)
            target = m.target
            step += Array(repeating: Double(k), count: m.labels.count)
            label += m.labels
            value += m.predicted.map(\.value)
            error += m.predicted.map(\.error)
            count += m.counts.map(Double.init)
        }
        return Table(title: "predicted \(target.rawValue) along the \(flow.name) flow", columns: [
            Table.Column("step", step), Table.Column(target.rawValue, label),
            Table.Column("predicted", value, errors: error), Table.Column("samples", count),
        ])
    }
}
