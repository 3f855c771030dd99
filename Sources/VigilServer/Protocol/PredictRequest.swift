import VigilModels

/// A V1 predict body: row `instances` (arrays or objects keyed by feature) or columnar `inputs`.
struct PredictRequest: Decodable {
    var instances: JSONValue?
    var inputs: JSONValue?
}

/// Turns V1 rows or columns into the same tensors a V2 request carries. `null` is a missing value.
struct PredictRequestReader {
    let featureNames: [String]

    func tensors(_ body: PredictRequest) throws(VigilError) -> [NamedTensor] {
        switch (body.instances, body.inputs) {
        case (.array(let rows)?, nil), (nil, .array(let rows)?):
            return try fromRows(rows)
        case (nil, .object(let columns)?):
            return try fromColumns(columns)
        case (nil, nil):
            throw .badRequest("the body needs \"instances\" (a list of rows) or \"inputs\" (columns keyed by feature name)")
        case (.some, .some):
            throw .badRequest("send either \"instances\" or \"inputs\", not both")
        default:
            throw .badRequest("\"instances\" must be a list of rows; \"inputs\" a list of rows or an object of columns")
        }
    }

    private func fromRows(_ rows: [JSONValue]) throws(VigilError) -> [NamedTensor] {
        guard let first = rows.first else { throw .badRequest("\"instances\" is empty; send at least one row") }
        switch first {
        case .object:
            var columns = [[Double]](repeating: [], count: featureNames.count)
            for (index, row) in rows.enumerated() {
                guard case .object(let fields) = row else { throw .badRequest("instance \(index) is not an object like instance 0") }
                for (featureIndex, name) in featureNames.enumerated() {
                    guard let value = fields[name] else {
                        throw .badRequest("instance \(index) lacks feature '\(name)'; every instance needs \(featureNames.joined(separator: ", "))")
                    }
                    columns[featureIndex].append(try number(value, at: "instance \(index), feature '\(name)'"))
                }
            }
            return zip(featureNames, columns).map { name, column in
                NamedTensor(name: name, shape: [column.count], datatype: .fp64, data: .numbers(column))
            }
        case .array:
            var values: [Double] = []
            var width: Int?
            for (index, row) in rows.enumerated() {
                guard case .array(let cells) = row else { throw .badRequest("instance \(index) is not a list like instance 0") }
                if let width, width != cells.count {
                    throw .badRequest("instance \(index) has \(cells.count) values but instance 0 has \(width); rows need \(featureNames.count) values")
                }
                width = cells.count
                for (column, cell) in cells.enumerated() { values.append(try number(cell, at: "instance \(index), value \(column)")) }
            }
            return [NamedTensor(name: "instances", shape: [rows.count, width ?? 0], datatype: .fp64, data: .numbers(values))]
        default:
            // A flat list is one value per row for a one-feature model.
            var values: [Double] = []
            for (index, cell) in rows.enumerated() { values.append(try number(cell, at: "instance \(index)")) }
            return [NamedTensor(name: "instances", shape: [rows.count, 1], datatype: .fp64, data: .numbers(values))]
        }
    }

    private func fromColumns(_ columns: [String: JSONValue]) throws(VigilError) -> [NamedTensor] {
        var tensors: [NamedTensor] = []
        for name in columns.keys.sorted() {
            guard case .array(let cells)? = columns[name] else { throw .badRequest("input '\(name)' must be a list of values") }
            var values: [Double] = []
            for (index, cell) in cells.enumerated() { values.append(try number(cell, at: "input '\(name)', row \(index)")) }
            tensors.append(NamedTensor(name: name, shape: [values.count], datatype: .fp64, data: .numbers(values)))
        }
        return tensors
    }

    private func number(_ value: JSONValue, at place: String) throws(VigilError) -> Double {
        switch value {
        case .number(let number): return number
        case .null: return .nan
        case .bool(let flag): return flag ? 1 : 0
        case .string(let text):
            guard let number = Double(text) else { throw .badRequest("\(place): '\(text.prefix(64))' is not a number") }
            return number
        case .array, .object:
            throw .badRequest("\(place) must be a number, not a list or an object")
        }
    }
}
