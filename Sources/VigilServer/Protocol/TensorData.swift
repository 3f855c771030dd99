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
        var collector = TensorDataCollector()
        if var container = try? decoder.unkeyedContainer() {
            try Self.collect(&container, into: &collector)
        } else {
            let single = try decoder.singleValueContainer()
            let scalar: TensorScalar
            if let value = try? single.decode(Double.self) {
                scalar = .number(value)
            } else if let value = try? single.decode(Bool.self) {
                scalar = .bool(value)
            } else {
                scalar = .string(try single.decode(String.self))
            }
            guard collector.append(scalar) else { throw Self.mixed(decoder.codingPath) }
        }
        self = collector.result
    }

    private static func collect(_ container: inout any UnkeyedDecodingContainer, into collector: inout TensorDataCollector) throws {
        if let count = container.count { collector.reserveCapacity(count) }
        while !container.isAtEnd {
            let scalar: TensorScalar
            if let value = try? container.decode(Double.self) {
                scalar = .number(value)
            } else if var nested = try? container.nestedUnkeyedContainer() {
                try collect(&nested, into: &collector)
                continue
            } else if let value = try? container.decode(Bool.self) {
                scalar = .bool(value)
            } else if let value = try? container.decode(String.self) {
                scalar = .string(value)
            } else if (try? container.decodeNil()) == true {
                scalar = .null
            } else {
                throw DecodingError.dataCorrupted(
                    .init(
                        codingPath: container.codingPath,
                        debugDescription: "tensor data holds only numbers, booleans, strings or null, in nested arrays; found an object"))
            }
            guard collector.append(scalar) else { throw Self.mixed(container.codingPath) }
        }
    }

    private static func mixed(_ codingPath: [any CodingKey]) -> DecodingError {
        DecodingError.dataCorrupted(
            .init(
                codingPath: codingPath, debugDescription: "tensor data mixes booleans with numbers, strings or null; send booleans alone"))
    }
}

/// One element of tensor data as a reader found it.
enum TensorScalar {
    case number(Double)
    case bool(Bool)
    case string(String)
    case null
}

/// Gathers tensor data element by element, in row-major order, into the buffer its kinds call for:
/// the first element decides, and a mix of numbers, strings and nulls turns everything into cells.
/// Both readers of a request body (Foundation's and `JSONScanner`) fill one, so they agree.
struct TensorDataCollector {
    private var numbers: [Double] = []
    private var bools: [Bool] = []
    private var strings: [String] = []
    private var cells: [TensorCell] = []
    private var kind: Int?  // 0 numbers, 1 bools, 2 strings, 3 cells

    var result: TensorData {
        switch kind {
        case 1: .bools(bools)
        case 2: .strings(strings)
        case 3: .cells(cells)
        default: .numbers(numbers)
        }
    }

    /// Room for `count` numbers, the usual kind, before the first element arrives.
    mutating func reserveCapacity(_ count: Int) {
        if kind == nil { numbers.reserveCapacity(count) }
    }

    /// Adds one element; false when it mixes booleans with other kinds, which tensor data cannot hold.
    @inline(__always)
    mutating func append(_ scalar: TensorScalar) -> Bool {
        if kind == 0, case .number(let value) = scalar {
            numbers.append(value)
            return true
        }
        return appendSlowly(scalar)
    }

    private mutating func appendSlowly(_ scalar: TensorScalar) -> Bool {
        if kind == 3 {
            guard let cell = cell(scalar) else { return false }
            cells.append(cell)
            return true
        }
        let scalarKind: Int
        switch scalar {
        case .number(let value):
            scalarKind = 0
            if kind == 0 || kind == nil { numbers.append(value) }
        case .bool(let value):
            scalarKind = 1
            if kind == 1 || kind == nil { bools.append(value) }
        case .string(let value):
            scalarKind = 2
            if kind == 2 || kind == nil { strings.append(value) }
        case .null: scalarKind = 3
        }
        if kind == nil && scalarKind != 3 { kind = scalarKind }
        guard kind != scalarKind else { return true }
        // Numbers, strings and nulls together: everything so far becomes cells.
        guard kind != 1, let cell = cell(scalar) else { return false }
        cells = numbers.map(TensorCell.number) + strings.map(TensorCell.text)
        numbers = []
        strings = []
        kind = 3
        cells.append(cell)
        return true
    }

    private func cell(_ scalar: TensorScalar) -> TensorCell? {
        switch scalar {
        case .number(let value): .number(value)
        case .string(let value): .text(value)
        case .null: .missing
        case .bool: nil
        }
    }
}

/// One element of tensor data that mixes kinds: a number, a string, or a missing value (`null`).
enum TensorCell: Sendable, Equatable {
    case number(Double)
    case text(String)
    case missing
}
