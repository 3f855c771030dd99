/// LabelEncoder (ai.onnx.ml, opsets 1–4): maps each element through a key→value table, with a
/// default for keys not in it. Keys and values are strings, int64s or floats, as `OrdinalEncoder`
/// (strings to codes) and the string `SimpleImputer` (codes to strings, strings to flags) export.
struct ONNXLabelEncoder: ONNXOperator {
    enum Values: Sendable {
        case strings([String], default: String)
        case integers([Int64], default: Int64)
        case floats([Float], default: Float)
    }

    /// Key to position in the value list, per key type.
    let stringKeys: [String: Int]
    let integerKeys: [Int64: Int]
    let floatKeys: [Float: Int]
    let values: Values

    init(node: ONNXNode) throws(ModelError) {
        let keyTensor = try node.tensor("keys_tensor")
        let valueTensor = try node.tensor("values_tensor")
        let keyStrings = node.strings("keys_strings") ?? Self.strings(keyTensor)
        let keyIntegers = node.ints("keys_int64s") ?? Self.integers(keyTensor)
        let keyFloats = node.floats("keys_floats") ?? Self.floats(keyTensor)
        let keyLists = [keyStrings?.count, keyIntegers?.count, keyFloats?.count].compactMap { $0 }
        guard keyLists.count == 1, let keyCount = keyLists.first else {
            throw node.error("needs exactly one of keys_strings, keys_int64s and keys_floats")
        }
        stringKeys = Self.positions(keyStrings ?? [])
        integerKeys = Self.positions(keyIntegers ?? [])
        floatKeys = Self.positions(keyFloats ?? [])

        let defaultTensor = try node.tensor("default_tensor")
        if let strings = node.strings("values_strings") ?? Self.strings(valueTensor) {
            var fallback = try node.string("default_string", default: "_Unused")
            if case .string(let v)? = defaultTensor?.elements, let first = v.first { fallback = first }
            values = .strings(strings, default: fallback)
        } else if let integers = node.ints("values_int64s") ?? Self.integers(valueTensor) {
            var fallback = Int64(try node.int("default_int64", default: -1))
            if case .int64(let v)? = defaultTensor?.elements, let first = v.first { fallback = first }
            values = .integers(integers, default: fallback)
        } else if let floats = node.floats("values_floats") ?? Self.floats(valueTensor) {
            var fallback = try node.float("default_float", default: -0.0)
            if let first = defaultTensor?.doubleValues?.first { fallback = Float(first) }
            values = .floats(floats, default: fallback)
        } else {
            throw node.error("needs one of values_strings, values_int64s and values_floats")
        }
        let valueCount: Int =
            switch values {
            case .strings(let v, _): v.count
            case .integers(let v, _): v.count
            case .floats(let v, _): v.count
            }
        guard valueCount == keyCount else { throw node.error("has \(keyCount) keys but \(valueCount) values") }
    }

    func run(_ inputs: [ONNXTensor?]) throws(ModelError) -> [ONNXTensor] {
        let x = try inputs.required(0)
        let positions: [Int?]
        switch x.elements {
        case .string(let keys):
            guard !stringKeys.isEmpty else { throw operatorError("LabelEncoder has string input but its keys are numbers") }
            positions = keys.map { stringKeys[$0] }
        case .int64(let keys) where floatKeys.isEmpty:
            positions = keys.map { integerKeys[$0] }
        case .float(let keys):
            positions = keys.map { floatKeys[$0] }
        case .double(let keys):
            positions = keys.map { floatKeys[Float($0)] }
        case .int64(let keys):
            positions = keys.map { floatKeys[Float($0)] }
        }
        switch values {
        case .strings(let table, let fallback):
            return [ONNXTensor(shape: x.shape, elements: .string(positions.map { $0.map { table[$0] } ?? fallback }))]
        case .integers(let table, let fallback):
            return [ONNXTensor(shape: x.shape, int64s: positions.map { $0.map { table[$0] } ?? fallback })]
        case .floats(let table, let fallback):
            return [ONNXTensor(shape: x.shape, floats: positions.map { $0.map { table[$0] } ?? fallback })]
        }
    }

    private static func positions<Key: Hashable>(_ keys: [Key]) -> [Key: Int] {
        Dictionary(keys.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
    }

    private static func strings(_ tensor: ONNXTensor?) -> [String]? {
        if case .string(let v)? = tensor?.elements { return v }
        return nil
    }

    private static func integers(_ tensor: ONNXTensor?) -> [Int64]? {
        if case .int64(let v)? = tensor?.elements { return v }
        return nil
    }

    private static func floats(_ tensor: ONNXTensor?) -> [Float]? {
        switch tensor?.elements {
        case .float(let v)?: v
        case .double(let v)?: v.map(Float.init)
        default: nil
        }
    }
}

/// CategoryMapper (ai.onnx.ml): strings to int64 codes or codes to strings, through the paired
/// `cats_strings` and `cats_int64s`, with `default_int64` and `default_string` for the rest.
struct ONNXCategoryMapper: ONNXOperator {
    let codes: [String: Int64]
    let names: [Int64: String]
    let defaultCode: Int64
    let defaultName: String

    init(node: ONNXNode) throws(ModelError) {
        let strings = node.strings("cats_strings") ?? []
        let integers = node.ints("cats_int64s") ?? []
        guard strings.count == integers.count, !strings.isEmpty else {
            throw node.error("needs cats_strings and cats_int64s of one length")
        }
        codes = Dictionary(zip(strings, integers).map { ($0, $1) }, uniquingKeysWith: { first, _ in first })
        names = Dictionary(zip(integers, strings).map { ($0, $1) }, uniquingKeysWith: { first, _ in first })
        defaultCode = Int64(try node.int("default_int64", default: -1))
        defaultName = try node.string("default_string", default: "_Unused")
    }

    func run(_ inputs: [ONNXTensor?]) throws(ModelError) -> [ONNXTensor] {
        let x = try inputs.required(0)
        switch x.elements {
        case .string(let values):
            return [ONNXTensor(shape: x.shape, int64s: values.map { codes[$0] ?? defaultCode })]
        case .int64(let values):
            return [ONNXTensor(shape: x.shape, elements: .string(values.map { names[$0] ?? defaultName }))]
        default:
            throw operatorError("CategoryMapper needs strings or int64s, not \(x.typeName)")
        }
    }
}

/// Where (ai.onnx): `condition ? x : y` elementwise, broadcast. Conditions are the 0/1 int64s that
/// `Cast` to bool gives; `x` and `y` are of one type, strings included (the string imputer's fill).
struct ONNXWhere: ONNXOperator {
    func run(_ inputs: [ONNXTensor?]) throws(ModelError) -> [ONNXTensor] {
        let condition = try inputs.required(0)
        let x = try inputs.required(1)
        let y = try inputs.required(2)
        guard let flags = condition.int64Values else { throw operatorError("Where needs a boolean condition, not \(condition.typeName)") }
        let shape = try ONNXBroadcast(condition.shape, try ONNXBroadcast(x.shape, y.shape).shape).shape
        // Every operand is spread to the output shape first: the string imputer's tensors are small.
        func spread<T>(_ values: [T], _ from: [Int]) throws(ModelError) -> [T] {
            try ONNXBroadcast.expand(values, from: from, to: shape)
        }
        let chosen = try spread(flags, condition.shape)
        switch (x.elements, y.elements) {
        case (.string(let a), .string(let b)):
            let a = try spread(a, x.shape)
            let b = try spread(b, y.shape)
            return [ONNXTensor(shape: shape, elements: .string(chosen.indices.map { chosen[$0] != 0 ? a[$0] : b[$0] }))]
        case (.int64(let a), .int64(let b)):
            let a = try spread(a, x.shape)
            let b = try spread(b, y.shape)
            return [ONNXTensor(shape: shape, int64s: chosen.indices.map { chosen[$0] != 0 ? a[$0] : b[$0] })]
        case (.float(let a), .float(let b)):
            let a = try spread(a, x.shape)
            let b = try spread(b, y.shape)
            return [ONNXTensor(shape: shape, floats: chosen.indices.map { chosen[$0] != 0 ? a[$0] : b[$0] })]
        case (.double(let a), .double(let b)):
            let a = try spread(a, x.shape)
            let b = try spread(b, y.shape)
            return [ONNXTensor(shape: shape, doubles: chosen.indices.map { chosen[$0] != 0 ? a[$0] : b[$0] })]
        default:
            throw operatorError("Where needs x and y of one type, not \(x.typeName) and \(y.typeName)")
        }
    }
}
