import VigilModels

/// One input tensor as a client sent it, before it is fitted to a model's features.
struct NamedTensor: Sendable {
    var name: String
    var shape: [Int]
    var datatype: TensorDatatype
    var data: TensorData

    /// Checks the datatype is known and the shape matches the data.
    init(_ input: InferenceRequest.Input) throws(VigilError) {
        guard !input.name.utf8.contains(where: { $0 < 0x20 }) else {
            throw .badRequest("input name \(input.name.debugDescription) holds a control character; name inputs with printable text")
        }
        guard let datatype = TensorDatatype(named: input.datatype) else {
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
        guard !shape.isEmpty else {
            throw .badRequest("input '\(name)' has an empty shape; give at least the batch size, as [batch] or [batch, n]")
        }
        guard shape.allSatisfy({ $0 >= 0 }) else {
            throw .badRequest("input '\(name)' has shape \(shape); dimensions cannot be negative in a request")
        }
        guard let elements = Self.elementCount(of: shape) else {
            throw .badRequest("input '\(name)' has shape \(shape), which is too large")
        }
        guard elements == data.count else {
            throw .badRequest("input '\(name)' has shape \(shape) (\(elements) values) but its data holds \(data.count) values")
        }
    }

    /// How many values `shape` holds: nil when a dimension is negative or the product overflows.
    static func elementCount(of shape: [Int]) -> Int? {
        var count = 1
        for dimension in shape {
            let (product, overflow) = count.multipliedReportingOverflow(by: dimension)
            guard dimension >= 0, !overflow else { return nil }
            count = product
        }
        return count
    }

    /// The values as category names, for a text feature: strings, with `null` for a missing value.
    func textValues() throws(VigilError) -> [String?] {
        guard datatype == .bytes else {
            throw .badRequest(
                "input '\(name)' is \(datatype.rawValue), but it carries a text feature; declare BYTES and send category names as strings")
        }
        switch data {
        case .strings(let values):
            return values
        case .cells(let cells):
            return try cells.enumerated().map { (index, cell) throws(VigilError) -> String? in try text(cell, at: index) }
        default:
            throw .badRequest("input '\(name)' carries a text feature; send category names as strings (null for a missing one)")
        }
    }

    /// Element `index` of a `[batch, width]` tensor's data as a number, for a numeric feature.
    func number(at index: Int) throws(VigilError) -> Double {
        switch data {
        case .numbers(let values): return values[index]
        case .bools(let values): return values[index] ? 1 : 0
        case .strings(let values): return try number(.text(values[index]), at: index)
        case .cells(let cells): return try number(cells[index], at: index)
        }
    }

    /// Element `index` of a `[batch, width]` tensor's data as a category name, for a text feature.
    func text(at index: Int) throws(VigilError) -> String? {
        switch data {
        case .strings(let values): return values[index]
        case .cells(let cells): return try text(cells[index], at: index)
        case .numbers, .bools:
            throw .badRequest(
                "input '\(name)' value at index \(index) is not a string; its feature takes category names, so send the data as strings (declare BYTES)"
            )
        }
    }

    private func number(_ cell: TensorCell, at index: Int) throws(VigilError) -> Double {
        switch cell {
        case .number(let value): return value
        case .missing: return .nan
        case .text(let text):
            guard let value = Double(text) else {
                throw .badRequest(
                    "input '\(name)' value '\(text.prefix(64))' at index \(index) is not a number, but its feature is numeric")
            }
            return value
        }
    }

    private func text(_ cell: TensorCell, at index: Int) throws(VigilError) -> String? {
        switch cell {
        case .text(let text): return text
        case .missing: return nil
        case .number(let value):
            throw .badRequest(
                "input '\(name)' value \(value) at index \(index) is a number, but its feature takes category names; send it as a string")
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
                throw .badRequest(
                    "input '\(name)' is \(type.rawValue) but value \(value) at index \(index) is not a whole number in its range")
            }
            return values
        case (.bools(let values), .bool):
            return values.map { $0 ? 1 : 0 }
        case (.strings(let values), .bytes):
            var numbers = [Double](repeating: 0, count: values.count)
            for (index, text) in values.enumerated() {
                guard let value = Double(text) else {
                    throw .badRequest(
                        "input '\(name)' value '\(text.prefix(64))' at index \(index) is not a number; this model takes numeric features")
                }
                numbers[index] = value
            }
            return numbers
        case (.cells(let cells), let type):
            if type != .bytes, let index = cells.firstIndex(where: { if case .text = $0 { true } else { false } }) {
                throw .badRequest(
                    "input '\(name)' is \(type.rawValue) but its data mixes numbers and strings (a string at index \(index)); send numbers, null for a missing value, or declare BYTES"
                )
            }
            var numbers = [Double](repeating: .nan, count: cells.count)
            for (index, cell) in cells.enumerated() { numbers[index] = try number(cell, at: index) }
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
