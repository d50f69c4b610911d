import Foundation
import RGSNumerics

/// What a saved RBM records besides its arrays.
struct RBMMetadata: Codable {
    var kind = "rbm"
    var format = 1
    var units: RBMUnits
    var visibleShape: [Int]
    var hidden: Int
    var epochsTrained: Int
    var isPartial: Bool
    var history: [RBMEpochReport]
    /// The latest training options (absent before training and in files written before they
    /// were saved).
    var training: RBMTrainingOptions?
}

extension RBM {
    /// The arrays: "weights" [n, m] (row-major, W_ia at i * m + a), "visible_bias" [n],
    /// "hidden_bias" [m]; after training also the momentum velocities "velocity.weights",
    /// "velocity.visible_bias", "velocity.hidden_bias" and, after persistent CD, "chains" [rows, n].
    /// Float32 values, so a reload is bit-exact.
    public func parameters() -> [(name: String, shape: [Int], values: [Float])] {
        parameters(prefix: "")
    }

    /// The metadata as a JSON string: units, visible shape, hidden count, epochs, partial flag,
    /// the per-epoch monitors and the latest training options.
    public var metadataJSON: String {
        RBMJSON.encode(metadata)
    }

    /// An RBM from saved `parameters` and `metadata` (from `parameters()` and `metadataJSON`);
    /// throws a `CoreError` if an array is missing, has the wrong shape, or holds NaN.
    public init(parameters: [(name: String, shape: [Int], values: [Float])], metadataJSON json: String) throws(CoreError) {
        let meta: RBMMetadata = try RBMJSON.decode(json, kind: "rbm")
        guard meta.kind == "rbm" else { throw CoreError("the metadata describes a '\(meta.kind)', not an RBM") }
        try self.init(parameters: parameters, prefix: "", metadata: meta)
    }

    var metadata: RBMMetadata {
        RBMMetadata(units: units, visibleShape: visibleShape, hidden: hiddenCount, epochsTrained: epochsTrained,
                    isPartial: isPartial, history: history, training: trainingOptions)
    }

    func parameters(prefix: String) -> [(name: String, shape: [Int], values: [Float])] {
        let (n, m) = (visibleCount, hiddenCount)
        var arrays = [(prefix + "weights", [n, m], weights), (prefix + "visible_bias", [n], visibleBias),
                      (prefix + "hidden_bias", [m], hiddenBias)]
        if let s = trainingState {  // what the next `train` call continues from
            arrays += [(prefix + "velocity.weights", [n, m], s.weights), (prefix + "velocity.visible_bias", [n], s.visible),
                       (prefix + "velocity.hidden_bias", [m], s.hidden)]
            if !s.chains.isEmpty { arrays.append((prefix + "chains", [s.chains.count / n, n], s.chains)) }
        }
        return arrays
    }

    init(parameters: [(name: String, shape: [Int], values: [Float])], prefix: String, metadata meta: RBMMetadata) throws(CoreError) {
        try RBM.checkShape(meta.visibleShape, hidden: meta.hidden)
        let n = meta.visibleShape.reduce(1, *), m = meta.hidden
        func array(_ name: String, _ shape: [Int]) throws(CoreError) -> [Float] {
            guard let p = parameters.first(where: { $0.name == prefix + name }) else {
                throw CoreError("the saved RBM has no array '\(prefix + name)'")
            }
            guard p.shape == shape, p.values.count == shape.reduce(1, *) else {
                throw CoreError("the saved array '\(prefix + name)' has shape \(p.shape), expected \(shape)")
            }
            return p.values
        }
        try self.init(visibleShape: meta.visibleShape, units: meta.units, weights: try array("weights", [n, m]),
                      visibleBias: try array("visible_bias", [n]), hiddenBias: try array("hidden_bias", [m]))
        guard meta.epochsTrained >= 0 else { throw CoreError("the saved RBM has a negative epoch count") }
        epochsTrained = meta.epochsTrained
        isPartial = meta.isPartial
        history = meta.history
        try meta.training?.validate()
        trainingOptions = meta.training
        if parameters.contains(where: { $0.name == prefix + "velocity.weights" }) {
            let chains = parameters.first { $0.name == prefix + "chains" }
            if let c = chains, c.shape.count != 2 || c.shape[1] != n || c.values.count != c.shape[0] * n {
                throw CoreError("the saved array '\(prefix)chains' has shape \(c.shape), expected [rows, \(n)]")
            }
            let state = RBMTrainingState(weights: try array("velocity.weights", [n, m]), visible: try array("velocity.visible_bias", [n]),
                                         hidden: try array("velocity.hidden_bias", [m]), chains: chains?.values ?? [])
            guard (state.weights + state.visible + state.hidden + state.chains).allSatisfy(\.isFinite) else {
                throw CoreError("the saved training state of the RBM holds NaN or infinite values")
            }
            trainingState = state
        }
    }
}

/// JSON for saved RBMs and stacks: sorted keys, NaN written as a string.
enum RBMJSON {
    static func encode<T: Encodable>(_ value: T) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        let data = (try? encoder.encode(value)) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self)
    }

    static func decode<T: Decodable>(_ json: String, kind: String) throws(CoreError) -> T {
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        do {
            return try decoder.decode(T.self, from: Data(json.utf8))
        } catch {
            throw CoreError("the metadata is not a saved \(kind == "rbm" ? "RBM" : "RBM stack")",
                            hint: "\(error)")
        }
    }
}
