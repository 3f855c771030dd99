import FoundationEssentials
internal import SwiftProtobuf

/// One node of an ONNX graph with its attributes indexed by name, as an operator reads it at load time.
///
/// Every getter throws a load error that names the node and the attribute when the attribute is
/// missing or of the wrong kind.
struct ONNXNode {
    let proto: Onnx_NodeProto
    /// The opset version the node's domain was imported at.
    let opset: Int
    private let attributes: [String: Onnx_AttributeProto]

    init(_ proto: Onnx_NodeProto, opset: Int) {
        self.proto = proto
        self.opset = opset
        var attributes: [String: Onnx_AttributeProto] = [:]
        for attribute in proto.attribute { attributes[attribute.name] = attribute }
        self.attributes = attributes
    }

    var opType: String { proto.opType }
    var domain: String { proto.domain.isEmpty ? "ai.onnx" : proto.domain }

    /// `Add node "name"` or `Add node #3` when unnamed, for messages.
    var label: String {
        proto.name.isEmpty ? "\(opType) node producing \"\(proto.output.first ?? "?")\"" : "\(opType) node \"\(proto.name)\""
    }

    func error(_ message: String) -> ModelError {
        ModelError(.invalidModel, "model.onnx: \(label): \(message)")
    }

    func int(_ name: String, default value: Int? = nil) throws(ModelError) -> Int {
        guard let attribute = attributes[name] else {
            if let value { return value }
            throw error("missing attribute \(name)")
        }
        return Int(attribute.i)
    }

    func float(_ name: String, default value: Float? = nil) throws(ModelError) -> Float {
        guard let attribute = attributes[name] else {
            if let value { return value }
            throw error("missing attribute \(name)")
        }
        return attribute.f
    }

    func string(_ name: String, default value: String? = nil) throws(ModelError) -> String {
        guard let attribute = attributes[name] else {
            if let value { return value }
            throw error("missing attribute \(name)")
        }
        return String(decoding: attribute.s, as: UTF8.self)
    }

    func ints(_ name: String) -> [Int64]? { attributes[name].map(\.ints) }
    func floats(_ name: String) -> [Float]? { attributes[name].map(\.floats) }
    func strings(_ name: String) -> [String]? {
        attributes[name].map { $0.strings.map { String(decoding: $0, as: UTF8.self) } }
    }

    /// Class labels from `classlabels_strings` or the integer attribute (its name differs by operator).
    func classLabels(integers integerAttribute: String) throws(ModelError) -> ClassLabels {
        if let strings = strings("classlabels_strings"), !strings.isEmpty { return .strings(strings) }
        if let integers = ints(integerAttribute), !integers.isEmpty { return .integers(integers) }
        throw error("needs \(integerAttribute) or classlabels_strings")
    }

    func requiredInts(_ name: String) throws(ModelError) -> [Int64] {
        guard let values = ints(name) else { throw error("missing attribute \(name)") }
        return values
    }

    func tensor(_ name: String) throws(ModelError) -> ONNXTensor? {
        guard let attribute = attributes[name], attribute.hasT else { return nil }
        return try ONNXTensor(proto: attribute.t, context: "\(label) attribute \(name)")
    }

    /// A list of reals given either as `name` (floats) or as `name_as_tensor` (a float or double tensor).
    func reals(_ name: String) throws(ModelError) -> [Double]? {
        if let tensor = try tensor(name + "_as_tensor") {
            guard let values = tensor.doubleValues else { throw error("\(name)_as_tensor must be numeric") }
            return values
        }
        return floats(name).map { $0.map(Double.init) }
    }
}
