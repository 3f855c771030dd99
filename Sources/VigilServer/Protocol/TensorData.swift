/// The `data` of a V2 tensor, flat or nested, flattened row-major into one typed buffer.
///
/// Data of one kind keeps a typed buffer. Data that mixes numbers with strings, or holds `null` (a
/// missing value), is kept cell by cell: a `[batch, n]` BYTES tensor of a model with numeric and
/// text features, or a text column with a missing category.
enum TensorData: Sendable, Decodable, Equatable {
    case numbers([Double])
    case bools([Bool])
    case strings([String])
    case cells([TensorCell])

    var count: Int {
        switch self {
        case .numbers(let values): values.count
        case .bools(let values): values.count
        case .strings(let values): values.count
        case .cells(let values): values.count
        }
    }

    init(from decoder: any Decoder) throws {
        var collector = Collector()
        if var container = try? decoder.unkeyedContainer() {
            try collector.collect(&container)
        } else {
            let single = try decoder.singleValueContainer()
            if let value = try? single.decode(Double.self) {
                try collector.append(.number(value), codingPath: decoder.codingPath)
            } else if let value = try? single.decode(Bool.self) {
                try collector.append(.bool(value), codingPath: decoder.codingPath)
            } else {
                try collector.append(.string(try single.decode(String.self)), codingPath: decoder.codingPath)
            }
        }
        self = collector.result
    }

    private enum Scalar {
        case number(Double), bool(Bool), string(String), null
    }

    private struct Collector {
        var numbers: [Double] = []
        var bools: [Bool] = []
        var strings: [String] = []
        var cells: [TensorCell] = []
        var kind: Int?  // 0 numbers, 1 bools, 2 strings, 3 cells: the first element decides, a mix of numbers, strings and nulls makes cells

        var result: TensorData {
            switch kind {
            case 1: .bools(bools)
            case 2: .strings(strings)
            case 3: .cells(cells)
            default: .numbers(numbers)
            }
        }

        mutating func collect(_ container: inout any UnkeyedDecodingContainer) throws {
            if let count = container.count, kind == nil { numbers.reserveCapacity(count) }
            while !container.isAtEnd {
                if let value = try? container.decode(Double.self) {
                    try append(.number(value), codingPath: container.codingPath)
                } else if var nested = try? container.nestedUnkeyedContainer() {
                    try collect(&nested)
                } else if let value = try? container.decode(Bool.self) {
                    try append(.bool(value), codingPath: container.codingPath)
                } else if let value = try? container.decode(String.self) {
                    try append(.string(value), codingPath: container.codingPath)
                } else if (try? container.decodeNil()) == true {
                    try append(.null, codingPath: container.codingPath)
                } else {
                    throw DecodingError.dataCorrupted(.init(
                        codingPath: container.codingPath,
                        debugDescription: "tensor data holds only numbers, booleans, strings or null, in nested arrays; found an object"))
                }
            }
        }

        mutating func append(_ scalar: Scalar, codingPath: [any CodingKey]) throws {
            if kind == 3 {
                try cells.append(cell(scalar, codingPath: codingPath))
                return
            }
            let scalarKind: Int
            switch scalar {
            case .number(let value): scalarKind = 0
                if kind == 0 || kind == nil { numbers.append(value) }
            case .bool(let value): scalarKind = 1
                if kind == 1 || kind == nil { bools.append(value) }
            case .string(let value): scalarKind = 2
                if kind == 2 || kind == nil { strings.append(value) }
            case .null: scalarKind = 3
            }
            if kind == nil && scalarKind != 3 { kind = scalarKind }
            guard kind != scalarKind else { return }
            // Numbers, strings and nulls together: everything so far becomes cells.
            guard kind != 1 else { throw mixed(codingPath) }
            cells = numbers.map(TensorCell.number) + strings.map(TensorCell.text)
            numbers = []
            strings = []
            kind = 3
            try cells.append(cell(scalar, codingPath: codingPath))
        }

        private func cell(_ scalar: Scalar, codingPath: [any CodingKey]) throws -> TensorCell {
            switch scalar {
            case .number(let value): .number(value)
            case .string(let value): .text(value)
            case .null: .missing
            case .bool: throw mixed(codingPath)
            }
        }

        private func mixed(_ codingPath: [any CodingKey]) -> DecodingError {
            DecodingError.dataCorrupted(.init(
                codingPath: codingPath, debugDescription: "tensor data mixes booleans with numbers, strings or null; send booleans alone"))
        }
    }
}

/// One element of tensor data that mixes kinds: a number, a string, or a missing value (`null`).
enum TensorCell: Sendable, Equatable {
    case number(Double)
    case text(String)
    case missing
}
