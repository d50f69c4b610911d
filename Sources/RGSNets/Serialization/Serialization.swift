import Foundation
import RGSNumerics

/// One named parameter array of a net: "layer0.weights" (shape [inputs, outputs], row-major)
/// or "layer0.bias" (shape [outputs]); what `save` writes as the arrays of an .npz file.
public typealias NamedParameter = (name: String, shape: [Int], values: [Float])

extension Network {
    /// The parameter arrays in layer order: weights then bias (if any) of each layer, then the
    /// optimizer moments of the trainable layers ("optimizer.layer0.weights.m" and ".v", same
    /// for the bias) when the net has an `optimizerState`.
    public func parameters() -> [NamedParameter] {
        let weights = layers.enumerated().flatMap { k, layer -> [NamedParameter] in
            var arrays: [NamedParameter] = [("layer\(k).weights", [layer.inputs, layer.outputs], layer.weights)]
            if let b = layer.bias { arrays.append(("layer\(k).bias", [layer.outputs], b)) }
            return arrays
        }
        guard let state = optimizerState else { return weights }
        let moments = zip(layers, state.layers).enumerated().flatMap { k, pair -> [NamedParameter] in
            let (layer, m) = pair
            guard layer.trainable else { return [] }
            let shape = [layer.inputs, layer.outputs], name = "optimizer.layer\(k)"
            var arrays: [NamedParameter] = [("\(name).weights.m", shape, m.weightsFirst), ("\(name).weights.v", shape, m.weightsSecond)]
            if let first = m.biasFirst, let second = m.biasSecond {
                arrays += [("\(name).bias.m", [layer.outputs], first), ("\(name).bias.v", [layer.outputs], second)]
            }
            return arrays
        }
        return weights + moments
    }

    /// The architecture as a JSON string (see `NetworkDescription`), saved beside `parameters()`.
    public var metadataJSON: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        // Encoding plain structs of numbers, strings and arrays cannot fail.
        let data = (try? encoder.encode(NetworkDescription(self))) ?? Data()
        return String(decoding: data, as: UTF8.self)
    }

    /// Rebuilds a net from `parameters()` and `metadataJSON`; the reloaded net gives
    /// bit-identical outputs. Throws on missing arrays, wrong shapes or unreadable metadata.
    public init(parameters: [NamedParameter], metadataJSON: String) throws(CoreError) {
        let description: NetworkDescription
        do {
            description = try JSONDecoder().decode(NetworkDescription.self, from: Data(metadataJSON.utf8))
        } catch let error as DecodingError {
            throw CoreError("the net's metadata is not valid: \(NetworkDescription.explain(error))")
        } catch {
            throw CoreError("the net's metadata is not valid: \(error)")
        }
        guard description.format == "rgs-net", description.version == 1 else {
            throw CoreError("unsupported net format \(description.format) version \(description.version)")
        }
        let arrays = Dictionary(parameters.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        func array(_ name: String, shape: [Int]) throws(CoreError) -> [Float] {
            guard let p = arrays[name] else { throw CoreError("the saved net has no array '\(name)'") }
            guard p.shape == shape, p.values.count == shape.reduce(1, *) else {
                throw CoreError("array '\(name)' has shape \(p.shape) (\(p.values.count) values), expected \(shape)")
            }
            guard p.values.allSatisfy(\.isFinite) else { throw CoreError("array '\(name)' holds NaN or infinite values") }
            return p.values
        }
        var layers: [DenseLayer] = []
        for (k, d) in description.layers.enumerated() {
            let weights = try array("layer\(k).weights", shape: [d.inputs, d.outputs])
            let bias = d.bias ? try array("layer\(k).bias", shape: [d.outputs]) : nil
            layers.append(try DenseLayer(weights: weights, inputs: d.inputs, outputs: d.outputs, bias: bias,
                                         activation: d.activation, l1: d.l1, l2: d.l2, trainable: d.trainable))
        }
        try self.init(layers: layers, loss: description.loss, optimizer: description.makeOptimizer(),
                      role: description.makeRole())
        if let step = description.optimizerStep, let kind = description.optimizerStateKind {
            guard (0...OptimizerState.maxStep).contains(step) else {
                throw CoreError("the saved optimizer step count \(step) is out of range (0...\(OptimizerState.maxStep))")
            }
            let moments = try layers.enumerated().map { k, layer throws(CoreError) -> OptimizerState.Moments in
                guard layer.trainable else {
                    return OptimizerState.Moments(weightsFirst: [], weightsSecond: [], biasFirst: layer.bias.map { _ in [] },
                                                  biasSecond: layer.bias.map { _ in [] })
                }
                let shape = [layer.inputs, layer.outputs], name = "optimizer.layer\(k)"
                let bias = layer.bias != nil
                return OptimizerState.Moments(
                    weightsFirst: try array("\(name).weights.m", shape: shape), weightsSecond: try array("\(name).weights.v", shape: shape),
                    biasFirst: bias ? try array("\(name).bias.m", shape: [layer.outputs]) : nil,
                    biasSecond: bias ? try array("\(name).bias.v", shape: [layer.outputs]) : nil)
            }
            optimizerState = OptimizerState(step: step, optimizer: kind, layers: moments)
        }
        isPartial = description.partial
        history.train = description.trainLoss
        history.validation = description.validationLoss
        history.learningRates = description.learningRates ?? []
        history.rateScale = description.rateScale ?? 1
        guard history.rateScale >= 0, history.rateScale <= 1 else {
            throw CoreError("the saved learning-rate decay factor \(history.rateScale) is not in [0, 1]")
        }
        if let e = description.keptEpoch, !(1...max(1, history.train.count)).contains(e) || history.train.isEmpty {
            throw CoreError("the saved best epoch \(e) is not one of the \(history.train.count) epochs trained")
        }
        history.keptEpoch = description.keptEpoch
    }
}
