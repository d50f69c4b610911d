import RGSNumerics

/// What a saved stack records besides its arrays.
struct RBMStackMetadata: Codable {
    var kind = "rbm_stack"
    var format = 1
    var propagation: RBMPropagation
    var isPartial: Bool
    var layers: [RBMMetadata]
    /// The layers an interrupted training did not reach (absent when there are none).
    var untrainedLayers: [RBMLayerPlan]?
}

extension RBMStack {
    /// The arrays of every layer, named "layer1.weights", "layer1.visible_bias", ... (see
    /// `RBM.parameters()`).
    public func parameters() -> [(name: String, shape: [Int], values: [Float])] {
        layers.enumerated().flatMap { l, rbm in rbm.parameters(prefix: "layer\(l + 1).") }
    }

    /// The metadata as a JSON string: propagation, partial flag and each layer's RBM metadata.
    public var metadataJSON: String {
        RBMJSON.encode(RBMStackMetadata(propagation: propagation, isPartial: isPartial, layers: layers.map(\.metadata),
                                        untrainedLayers: untrainedLayers.isEmpty ? nil : untrainedLayers))
    }

    /// A stack from saved `parameters` and `metadata`; throws a `CoreError` for missing or
    /// mis-shaped arrays and layers that do not chain.
    public init(parameters: [(name: String, shape: [Int], values: [Float])], metadataJSON json: String) throws(CoreError) {
        let meta: RBMStackMetadata = try RBMJSON.decode(json, kind: "rbm_stack")
        guard meta.kind == "rbm_stack" else { throw CoreError("the metadata describes a '\(meta.kind)', not an RBM stack") }
        var layers = [RBM]()
        for (l, layer) in meta.layers.enumerated() {
            layers.append(try RBM(parameters: parameters, prefix: "layer\(l + 1).", metadata: layer))
        }
        try self.init(layers: layers, propagation: meta.propagation)
        isPartial = meta.isPartial
        for plan in meta.untrainedLayers ?? [] {
            guard plan.hidden >= 1 else { throw CoreError("an untrained layer of the stack has \(plan.hidden) hidden units") }
            try plan.options.validate()
        }
        untrainedLayers = meta.untrainedLayers ?? []
    }
}
