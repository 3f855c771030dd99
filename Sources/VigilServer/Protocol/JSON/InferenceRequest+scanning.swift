/// V2 and V1 request bodies read by `JSONScanner`, field for field as their `Decodable` forms read them:
/// unknown keys are skipped, `null` is an absent optional, and whatever the scanner leaves to Foundation
/// (a duplicate key, a type that does not fit) is left to it.
extension InferenceRequest {
    init(scanning scanner: inout JSONScanner) throws(JSONScanner.Unsupported) {
        var id: String?
        var parameters: InferenceParameters?
        var inputs: [Input]?
        var outputs: [RequestedOutput]?
        var seen = KeySet()
        try scanner.object { scanner, key throws(JSONScanner.Unsupported) in
            if scanner.key(key, is: "inputs") {
                try seen.insert(0)
                var list: [Input] = []
                try scanner.array { scanner throws(JSONScanner.Unsupported) in list.append(try Input(scanning: &scanner)) }
                inputs = list
            } else if scanner.key(key, is: "id") {
                try seen.insert(1)
                id = try scanner.consumeNull() ? nil : try scanner.string()
            } else if scanner.key(key, is: "parameters") {
                try seen.insert(2)
                parameters = try scanner.parameters()
            } else if scanner.key(key, is: "outputs") {
                try seen.insert(3)
                guard try !scanner.consumeNull() else { return }
                var list: [RequestedOutput] = []
                try scanner.array { scanner throws(JSONScanner.Unsupported) in list.append(try RequestedOutput(scanning: &scanner)) }
                outputs = list
            } else {
                try scanner.skipValue()
            }
        }
        try scanner.expectEnd()
        guard let inputs else { throw JSONScanner.Unsupported() }
        self.init(id: id, parameters: parameters, inputs: inputs, outputs: outputs)
    }
}

extension InferenceRequest.Input {
    init(scanning scanner: inout JSONScanner) throws(JSONScanner.Unsupported) {
        var name: String?
        var shape: [Int]?
        var datatype: String?
        var parameters: InferenceParameters?
        var data: TensorData?
        var seen = KeySet()
        try scanner.object { scanner, key throws(JSONScanner.Unsupported) in
            if scanner.key(key, is: "name") {
                try seen.insert(0)
                name = try scanner.string()
            } else if scanner.key(key, is: "shape") {
                try seen.insert(1)
                var dimensions: [Int] = []
                dimensions.reserveCapacity(4)
                try scanner.array { scanner throws(JSONScanner.Unsupported) in dimensions.append(try scanner.integer()) }
                shape = dimensions
            } else if scanner.key(key, is: "datatype") {
                try seen.insert(2)
                datatype = try scanner.string()
            } else if scanner.key(key, is: "data") {
                try seen.insert(3)
                guard try !scanner.consumeNull() else { return }
                var collector = TensorDataCollector()
                if let shape { collector.reserveCapacity(Self.expectedCount(shape, bytesLeft: scanner.bytesLeft)) }
                try scanner.tensorData(into: &collector, depth: 0)
                data = collector.result
            } else if scanner.key(key, is: "parameters") {
                try seen.insert(4)
                parameters = try scanner.parameters()
            } else {
                try scanner.skipValue()
            }
        }
        guard let name, let shape, let datatype else { throw JSONScanner.Unsupported() }
        self.init(name: name, shape: shape, datatype: datatype, parameters: parameters, data: data)
    }

    /// The element count `shape` promises, when `shape` comes before `data` as clients send it: room
    /// made once rather than grown. Never more than the body's remaining bytes could hold (a number
    /// and its comma take two), so a shape that promises more than is sent reserves nothing extra;
    /// the data grows as it is read either way, and the shape is checked against it later.
    private static func expectedCount(_ shape: [Int], bytesLeft: Int) -> Int {
        guard let count = NamedTensor.elementCount(of: shape), count <= bytesLeft / 2 + 1 else { return 0 }
        return count
    }
}

extension InferenceRequest.RequestedOutput {
    init(scanning scanner: inout JSONScanner) throws(JSONScanner.Unsupported) {
        var name: String?
        var parameters: InferenceParameters?
        var seen = KeySet()
        try scanner.object { scanner, key throws(JSONScanner.Unsupported) in
            if scanner.key(key, is: "name") {
                try seen.insert(0)
                name = try scanner.string()
            } else if scanner.key(key, is: "parameters") {
                try seen.insert(1)
                parameters = try scanner.parameters()
            } else {
                try scanner.skipValue()
            }
        }
        guard let name else { throw JSONScanner.Unsupported() }
        self.init(name: name, parameters: parameters)
    }
}

extension PredictRequest {
    init(scanning scanner: inout JSONScanner) throws(JSONScanner.Unsupported) {
        var instances: JSONValue?
        var inputs: JSONValue?
        var seen = KeySet()
        try scanner.object { scanner, key throws(JSONScanner.Unsupported) in
            if scanner.key(key, is: "instances") {
                try seen.insert(0)
                instances = try scanner.consumeNull() ? nil : try scanner.value(depth: 1)
            } else if scanner.key(key, is: "inputs") {
                try seen.insert(1)
                inputs = try scanner.consumeNull() ? nil : try scanner.value(depth: 1)
            } else {
                try scanner.skipValue()
            }
        }
        try scanner.expectEnd()
        self.init(instances: instances, inputs: inputs)
    }
}

extension JSONScanner {
    /// A `parameters` object (`null` is none): the binary-extension keys as JSON values, the rest skipped.
    fileprivate mutating func parameters() throws(Unsupported) -> InferenceParameters? {
        guard try !consumeNull() else { return nil }
        guard try peek() == UInt8(ascii: "{") else { throw Unsupported() }
        var parameters = InferenceParameters()
        var seen = KeySet()
        try object { scanner, key throws(Unsupported) in
            if scanner.key(key, is: "binary_data_size") {
                try seen.insert(0)
                parameters.binaryDataSize = try scanner.parameterValue()
            } else if scanner.key(key, is: "binary_data") {
                try seen.insert(1)
                parameters.binaryData = try scanner.parameterValue()
            } else if scanner.key(key, is: "binary_data_output") {
                try seen.insert(2)
                parameters.binaryDataOutput = try scanner.parameterValue()
            } else {
                try scanner.skipValue()
            }
        }
        return parameters
    }

    /// One binary-extension parameter: a number or a flag, the kind of anything else (skipped), and
    /// `null` as none.
    private mutating func parameterValue() throws(Unsupported) -> ParameterValue? {
        switch try peek() {
        case UInt8(ascii: "n"):
            guard try consumeNull() else { throw Unsupported() }
            return nil
        case UInt8(ascii: "t"), UInt8(ascii: "f"): return .bool(try bool())
        case UInt8(ascii: "\""):
            try skipValue()
            return .string
        case UInt8(ascii: "["):
            try skipValue()
            return .array
        case UInt8(ascii: "{"):
            try skipValue()
            return .object
        default: return .number(try number())
        }
    }

    /// Tensor `data`: a scalar, or nested arrays of scalars, flattened row-major.
    fileprivate mutating func tensorData(into collector: inout TensorDataCollector, depth: Int) throws(Unsupported) {
        guard try peek() == UInt8(ascii: "[") else {
            guard collector.append(try scalar()) else { throw Unsupported() }
            return
        }
        guard depth < Self.maximumDepth else { throw Unsupported() }
        try array { scanner throws(Unsupported) in try scanner.tensorData(into: &collector, depth: depth + 1) }
    }

    private mutating func scalar() throws(Unsupported) -> TensorScalar {
        switch try peek() {
        case UInt8(ascii: "\""): return .string(try string())
        case UInt8(ascii: "t"), UInt8(ascii: "f"): return .bool(try bool())
        case UInt8(ascii: "n"):
            guard try consumeNull() else { throw Unsupported() }
            return .null
        case UInt8(ascii: "{"): throw Unsupported()
        default: return .number(try number())
        }
    }
}

/// The known keys an object has shown, so that a duplicate is left to Foundation.
private struct KeySet {
    private var bits: UInt8 = 0

    mutating func insert(_ position: Int) throws(JSONScanner.Unsupported) {
        let bit: UInt8 = 1 << position
        guard bits & bit == 0 else { throw JSONScanner.Unsupported() }
        bits |= bit
    }
}
