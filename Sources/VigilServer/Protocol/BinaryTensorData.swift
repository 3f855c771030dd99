import NIOCore
import VigilModels

/// Triton's binary tensor data extension: tensors as raw little-endian bytes after the JSON header
/// (`Inference-Header-Content-Length`), each input's share named by `parameters.binary_data_size`.
/// BOOL is one byte an element; BYTES elements are a 4-byte little-endian length and the bytes.
enum BinaryTensorData {
    /// The JSON header's length from `Inference-Header-Content-Length`, checked against the body.
    static func headerLength(_ header: String, bodyLength: Int) throws(VigilError) -> Int {
        guard let length = Int(header) ?? Int(header.trimmingWhitespace()) else {
            throw .badRequest("Inference-Header-Content-Length '\(header.prefix(32))' is not a whole number of bytes")
        }
        guard length >= 0 else { throw .badRequest("Inference-Header-Content-Length is \(length); it cannot be negative") }
        guard length <= bodyLength else {
            throw .badRequest("Inference-Header-Content-Length is \(length) but the body holds only \(bodyLength) bytes")
        }
        return length
    }

    /// Fills the inputs that name a `binary_data_size` from `tail`, in order; the sizes must add up to the tail.
    static func attach(_ tail: UnsafeRawBufferPointer, to inputs: inout [InferenceRequest.Input]) throws(VigilError) {
        var offset = 0
        for index in inputs.indices { try inputs[index].takeBinaryData(from: tail, at: &offset) }
        guard offset == tail.count else {
            throw .badRequest(
                "the body has \(tail.count - offset) bytes after the JSON header that no input's binary_data_size accounts for")
        }
    }

    /// `parameters.binary_data_size` as a byte count, or nil when absent.
    static func binaryDataSize(of name: String, _ value: ParameterValue?) throws(VigilError) -> Int? {
        guard let value else { return nil }
        guard case .number(let number) = value, number >= 0, number == number.rounded(), number <= Double(Int32.max) else {
            throw .badRequest("input '\(name)': binary_data_size is \(value.described); it must be a whole number of bytes, at least 0")
        }
        return Int(number)
    }

    /// The elements of one binary input as the JSON form would hold them.
    static func decode(_ bytes: UnsafeRawBufferPointer, name: String, datatype: String) throws(VigilError) -> TensorData {
        guard let type = TensorDatatype(named: datatype) else {
            throw .badRequest("input '\(name)' has unknown datatype '\(datatype)'")
        }
        if type == .bytes {
            var strings: [String] = []
            var offset = 0
            while offset < bytes.count {
                guard bytes.count - offset >= 4 else { throw cutShort(name) }
                let length = Int(UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt32.self)))
                offset += 4
                guard length <= bytes.count - offset else { throw cutShort(name) }
                guard let text = String(validating: bytes[offset..<(offset + length)], as: UTF8.self) else {
                    throw .badRequest("input '\(name)' BYTES element \(strings.count) is not UTF-8 text")
                }
                offset += length
                strings.append(text)
            }
            return .strings(strings)
        }
        let width = type.byteWidth
        guard bytes.count % width == 0 else {
            throw .badRequest(
                "input '\(name)' has \(bytes.count) binary bytes, not a whole number of \(width)-byte \(type.rawValue) elements")
        }
        let count = bytes.count / width
        if type == .bool {
            return .bools(bytes.map { $0 != 0 })
        }
        return .numbers(numbers(bytes, count: count, type: type))
    }

    private static func cutShort(_ name: String) -> VigilError {
        .badRequest("input '\(name)' BYTES data is cut short: each element needs a 4-byte length and that many bytes")
    }

    /// `count` little-endian elements of `type` from `raw`, as doubles.
    private static func numbers(_ raw: UnsafeRawBufferPointer, count: Int, type: TensorDatatype) -> [Double] {
        switch type {
        case .uint8: values(raw, count, UInt8.self) { Double($0) }
        case .uint16: values(raw, count, UInt16.self) { Double($0) }
        case .uint32: values(raw, count, UInt32.self) { Double($0) }
        case .uint64: values(raw, count, UInt64.self) { Double($0) }
        case .int8: values(raw, count, Int8.self) { Double($0) }
        case .int16: values(raw, count, Int16.self) { Double($0) }
        case .int32: values(raw, count, Int32.self) { Double($0) }
        case .int64: values(raw, count, Int64.self) { Double($0) }
        case .fp16: values(raw, count, UInt16.self) { Double(Float16(bitPattern: $0)) }
        case .fp32: values(raw, count, UInt32.self) { Double(Float(bitPattern: $0)) }
        case .fp64: values(raw, count, UInt64.self) { Double(bitPattern: $0) }
        case .bool, .bytes: []
        }
    }

    /// Each of `count` little-endian `Element`s from `raw`, through `convert`, written straight into a new array.
    @inline(__always)
    private static func values<Element: FixedWidthInteger>(
        _ raw: UnsafeRawBufferPointer, _ count: Int, _: Element.Type, _ convert: (Element) -> Double
    ) -> [Double] {
        precondition(raw.count >= count * MemoryLayout<Element>.size)
        return [Double](directCapacity: count) { buffer, initialized in
            for index in 0..<count {
                buffer[index] = convert(
                    Element(littleEndian: raw.loadUnaligned(fromByteOffset: index * MemoryLayout<Element>.size, as: Element.self)))
            }
            initialized = count
        }
    }

    /// Marks the outputs `choice` wants in binary.
    static func choose(_ outputs: inout [InferenceResponse.Output], choice: BinaryOutputChoice) {
        for index in outputs.indices where choice.wants(outputs[index].name) { outputs[index].sendsBinary = true }
    }
}

extension InferenceRequest.Input {
    /// Takes this input's `parameters.binary_data_size` bytes of `tail`, from `offset` on, as its data,
    /// when it names a size, and moves `offset` past them. Mutating in place: the input is not copied
    /// out of its array.
    fileprivate mutating func takeBinaryData(from tail: UnsafeRawBufferPointer, at offset: inout Int) throws(VigilError) {
        guard let size = try BinaryTensorData.binaryDataSize(of: name, parameters?.binaryDataSize) else { return }
        guard data == nil else {
            throw .badRequest("input '\(name)' has both data and parameters.binary_data_size; send one of them")
        }
        guard size <= tail.count - offset else {
            throw .badRequest("input '\(name)' claims \(size) binary bytes but only \(tail.count - offset) remain after the JSON header")
        }
        data = try BinaryTensorData.decode(UnsafeRawBufferPointer(rebasing: tail[offset..<(offset + size)]), name: name, datatype: datatype)
        offset += size
    }
}

extension OutputData {
    /// The values as raw little-endian bytes, as Triton writes them.
    func writeBinary<Sink: JSONSink>(into buffer: inout Sink) {
        switch self {
        case .float32(let values): Self.writeNumbers(values, into: &buffer) { $0.bitPattern }
        case .float64(let values): Self.writeNumbers(values, into: &buffer) { $0.bitPattern }
        case .int64(let values): Self.writeNumbers(values, into: &buffer) { $0 }
        case .strings(let values):
            for value in values {
                buffer.writeLittleEndian(UInt32(value.utf8.count))
                var value = value
                value.withUTF8 { buffer.writeRaw(UnsafeRawBufferPointer($0)) }
            }
        }
    }

    /// `values` as little-endian bytes: their memory as it is on a little-endian machine, one copy;
    /// element by element through `bits` elsewhere.
    private static func writeNumbers<Value, Bits: FixedWidthInteger, Sink: JSONSink>(
        _ values: [Value], into buffer: inout Sink, bits: (Value) -> Bits
    ) {
        #if _endian(little)
        values.withUnsafeBytes { buffer.writeRaw($0) }
        #else
        for value in values { buffer.writeLittleEndian(bits(value)) }
        #endif
    }

    /// How many bytes `writeBinary` writes.
    var binaryByteCount: Int {
        switch self {
        case .float32(let values): values.count * 4
        case .float64(let values): values.count * 8
        case .int64(let values): values.count * 8
        case .strings(let values): values.reduce(0) { $0 + 4 + $1.utf8.count }
        }
    }
}

extension TensorDatatype {
    /// Bytes per element in Triton's binary form (BYTES has none: its elements carry their length).
    var byteWidth: Int {
        switch self {
        case .bool, .uint8, .int8, .bytes: 1
        case .uint16, .int16, .fp16: 2
        case .uint32, .int32, .fp32: 4
        case .uint64, .int64, .fp64: 8
        }
    }
}
