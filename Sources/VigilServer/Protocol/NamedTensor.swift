import VigilModels

/// One input tensor as a client sent it, before it is fitted to a model's features.
struct NamedTensor: Sendable {
    var name: String
    var shape: [Int]
    var datatype: TensorDatatype
    var data: TensorData

    /// Checks the datatype is known and the shape matches the data.
    init(_ input: InferenceRequest.Input) throws(VigilError) {
        guard let datatype = TensorDatatype(rawValue: input.datatype) else {
            let known = TensorDatatype.allCases.map(\.rawValue).joined(separator: ", ")
            throw .badRequest("input '\(input.name)' has unknown datatype '\(input.datatype)'; use one of \(known)")
        }
        guard let data = input.data else {
            throw .badRequest("input '\(input.name)' has no data; send \"data\", or binary data with parameters.binary_data_size")
        }
        self.init(name: input.name, shape: input.shape, datatype: datatype, data: data)
        try validateShape()
    }

    init(name: String, shape: [Int], datatype: TensorDatatype, data: TensorData) {
        self.name = name
        self.shape = shape
        self.datatype = datatype
        self.data = data
    }

    private func validateShape() throws(VigilError) {
        guard !shape.isEmpty else { throw .badRequest("input '\(name)' has an empty shape; give at least the batch size, as [batch] or [batch, n]") }
        guard shape.allSatisfy({ $0 >= 0 }) else { throw .badRequest("input '\(name)' has shape \(shape); dimensions cannot be negative in a request") }
        var elements = 1
        for dimension in shape {
            let (product, overflow) = elements.multipliedReportingOverflow(by: dimension)
            guard !overflow else { throw .badRequest("input '\(name)' has shape \(shape), which is too large") }
            elements = product
        }
        guard elements == data.count else {
            throw .badRequest("input '\(name)' has shape \(shape) (\(elements) values) but its data holds \(data.count) values")
        }
    }

    /// The values as doubles, checked against the declared datatype.
    func numericValues() throws(VigilError) -> [Double] {
        switch (data, datatype) {
        case (.numbers(let values), let type) where type.isFloatingPoint:
            return values
        case (.numbers(let values), let type) where type.isInteger:
            let range = type.integerRange ?? -Double.infinity...Double.infinity
            for (index, value) in values.enumerated() where value.rounded() != value || !range.contains(value) {
                throw .badRequest("input '\(name)' is \(type.rawValue) but value \(value) at index \(index) is not a whole number in its range")
            }
            return values
        case (.bools(let values), .bool):
            return values.map { $0 ? 1 : 0 }
        case (.strings(let values), .bytes):
            var numbers = [Double](repeating: 0, count: values.count)
            for (index, text) in values.enumerated() {
                guard let value = Double(text) else {
                    throw .badRequest("input '\(name)' value '\(text.prefix(64))' at index \(index) is not a number; this model takes numeric features")
                }
                numbers[index] = value
            }
            return numbers
        case (.numbers, .bool):
            throw .badRequest("input '\(name)' is BOOL; send its data as true and false")
        case (.numbers, .bytes), (.bools, .bytes):
            throw .badRequest("input '\(name)' is BYTES; send its data as strings")
        case (.bools, let type):
            throw .badRequest("input '\(name)' is \(type.rawValue) but its data holds true/false; send numbers or declare BOOL")
        case (.strings, let type):
            throw .badRequest("input '\(name)' is \(type.rawValue) but its data holds strings; send numbers or declare BYTES")
        default:
            throw .badRequest("input '\(name)' data does not match datatype \(datatype.rawValue)")
        }
    }
}
