import VigilModels

/// A V1 predict body: row `instances` (arrays or objects keyed by feature) or columnar `inputs`.
struct PredictRequest: Decodable {
    var instances: JSONValue?
    var inputs: JSONValue?
}

/// Turns V1 rows or columns into the same tensors a V2 request carries. `null` is a missing value.
///
/// A text feature (`Feature.takesText`) takes its category names as strings: its column becomes a
/// BYTES tensor, and rows given as lists become one BYTES `[batch, n]` tensor of numbers and strings.
struct PredictRequestReader {
    let features: [Feature]

    var featureNames: [String] { features.map(\.name) }

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
            var textColumns = [[TensorCell]](repeating: [], count: featureNames.count)
            for (index, row) in rows.enumerated() {
                guard case .object(let fields) = row else { throw .badRequest("instance \(index) is not an object like instance 0") }
                for (featureIndex, feature) in features.enumerated() {
                    guard let value = fields[feature.name] else {
                        throw .badRequest(
                            "instance \(index) lacks feature '\(feature.name)'; every instance needs \(featureNames.joined(separator: ", "))"
                        )
                    }
                    let place = "instance \(index), feature '\(feature.name)'"
                    if feature.takesText {
                        textColumns[featureIndex].append(try text(value, at: place))
                    } else {
                        columns[featureIndex].append(try number(value, at: place))
                    }
                }
            }
            return features.indices.map { index in
                features[index].takesText
                    ? NamedTensor(name: features[index].name, shape: [rows.count], datatype: .bytes, data: .cells(textColumns[index]))
                    : NamedTensor(name: features[index].name, shape: [rows.count], datatype: .fp64, data: .numbers(columns[index]))
            }
        case .array:
            let takesText = features.map(\.takesText)
            let hasText = takesText.contains(true)
            var values: [Double] = []
            var cells: [TensorCell] = []
            var width: Int?
            for (index, row) in rows.enumerated() {
                guard case .array(let rowCells) = row else { throw .badRequest("instance \(index) is not a list like instance 0") }
                if let width, width != rowCells.count {
                    throw .badRequest(
                        "instance \(index) has \(rowCells.count) values but instance 0 has \(width); rows need \(featureNames.count) values"
                    )
                }
                width = rowCells.count
                for (column, cell) in rowCells.enumerated() {
                    let place = "instance \(index), value \(column)"
                    if !hasText {
                        values.append(try number(cell, at: place))
                    } else if column < takesText.count && takesText[column] {
                        cells.append(try text(cell, at: place + " ('\(featureNames[column])')"))
                    } else {
                        cells.append(.number(try number(cell, at: place)))
                    }
                }
            }
            return [
                hasText
                    ? NamedTensor(name: "instances", shape: [rows.count, width ?? 0], datatype: .bytes, data: .cells(cells))
                    : NamedTensor(name: "instances", shape: [rows.count, width ?? 0], datatype: .fp64, data: .numbers(values))
            ]
        default:
            // A flat list is one value per row for a one-feature model.
            var values: [Double] = []
            for (index, cell) in rows.enumerated() { values.append(try number(cell, at: "instance \(index)")) }
            return [NamedTensor(name: "instances", shape: [rows.count, 1], datatype: .fp64, data: .numbers(values))]
        }
    }

    private func fromColumns(_ columns: [String: JSONValue]) throws(VigilError) -> [NamedTensor] {
        var tensors: [NamedTensor] = []
        let textNames = Set(features.filter(\.takesText).map(\.name))
        for name in columns.keys.sorted() {
            guard case .array(let cells)? = columns[name] else { throw .badRequest("input '\(name)' must be a list of values") }
            if textNames.contains(name) {
                var texts: [TensorCell] = []
                for (index, cell) in cells.enumerated() { texts.append(try text(cell, at: "input '\(name)', row \(index)")) }
                tensors.append(NamedTensor(name: name, shape: [texts.count], datatype: .bytes, data: .cells(texts)))
                continue
            }
            var values: [Double] = []
            for (index, cell) in cells.enumerated() { values.append(try number(cell, at: "input '\(name)', row \(index)")) }
            tensors.append(NamedTensor(name: name, shape: [values.count], datatype: .fp64, data: .numbers(values)))
        }
        return tensors
    }

    /// A category name for a text feature: a string, or `null` for a missing one.
    private func text(_ value: JSONValue, at place: String) throws(VigilError) -> TensorCell {
        switch value {
        case .string(let text): return .text(text)
        case .null: return .missing
        case .number, .bool:
            throw .badRequest("\(place) takes a category name; send it as a string (null for a missing one)")
        case .array, .object:
            throw .badRequest("\(place) must be a category name (a string), not a list or an object")
        }
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
