import Foundation
import RGSNumerics

/// One named parameter array of a net: "layer0.weights" (shape [inputs, outputs], row-major)
/// or "layer0.bias" (shape [outputs]); what `save` writes as the arrays of an .npz file.
public typealias NamedParameter = (name: String, shape: [Int], values: [Float])

extension Network {
    /// The parameter arrays in layer order: weights then bias (if any) of each layer.
    public func parameters() -> [NamedParameter] {
        layers.enumerated().flatMap { k, layer -> [NamedParameter] in
            var arrays: [NamedParameter] = [("layer\(k).weights", [layer.inputs, layer.outputs], layer.weights)]
            if let b = layer.bias { arrays.append(("layer\(k).bias", [layer.outputs], b)) }
            return arrays
        }
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
        isPartial = description.partial
        history.train = description.trainLoss
        history.validation = description.validationLoss
        history.learningRates = description.learningRates ?? []
    }
}
