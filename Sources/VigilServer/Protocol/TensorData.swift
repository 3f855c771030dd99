/// The `data` of a V2 tensor, flat or nested, flattened row-major into one typed buffer.
enum TensorData: Sendable, Decodable, Equatable {
    case numbers([Double])
    case bools([Bool])
    case strings([String])

    var count: Int {
        switch self {
        case .numbers(let values): values.count
        case .bools(let values): values.count
        case .strings(let values): values.count
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
        case number(Double), bool(Bool), string(String)
    }

    private struct Collector {
        var numbers: [Double] = []
        var bools: [Bool] = []
        var strings: [String] = []
        var kind: Int?  // 0 numbers, 1 bools, 2 strings: the first element decides

        var result: TensorData {
            switch kind {
            case 1: .bools(bools)
            case 2: .strings(strings)
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
                } else {
                    throw DecodingError.dataCorrupted(.init(
                        codingPath: container.codingPath,
                        debugDescription: "tensor data holds only numbers, booleans or strings, in nested arrays; found null or an object"))
                }
            }
        }

        mutating func append(_ scalar: Scalar, codingPath: [any CodingKey]) throws {
            let scalarKind: Int
            switch scalar {
            case .number(let value): scalarKind = 0; numbers.append(value)
            case .bool(let value): scalarKind = 1; bools.append(value)
            case .string(let value): scalarKind = 2; strings.append(value)
            }
            if kind == nil { kind = scalarKind }
            guard kind == scalarKind else {
                throw DecodingError.dataCorrupted(.init(
                    codingPath: codingPath, debugDescription: "tensor data mixes numbers, booleans and strings; use one type"))
            }
        }
    }
}
