/// A tensor element type of the KServe V2 / Open Inference Protocol.
public enum TensorDatatype: String, Sendable, CaseIterable, Codable {
    case bool = "BOOL"
    case uint8 = "UINT8"
    case uint16 = "UINT16"
    case uint32 = "UINT32"
    case uint64 = "UINT64"
    case int8 = "INT8"
    case int16 = "INT16"
    case int32 = "INT32"
    case int64 = "INT64"
    case fp16 = "FP16"
    case fp32 = "FP32"
    case fp64 = "FP64"
    case bytes = "BYTES"

    /// The type named `name` (`"FP32"`), or nil. The float names are tried first as small-string
    /// equality, which costs a few instructions; `init(rawValue:)` runs a string switch of every case.
    public init?(named name: String) {
        if name == "FP32" {
            self = .fp32
        } else if name == "FP64" {
            self = .fp64
        } else {
            self.init(rawValue: name)
        }
    }

    /// Whether values of this type are whole numbers.
    public var isInteger: Bool {
        switch self {
        case .uint8, .uint16, .uint32, .uint64, .int8, .int16, .int32, .int64: true
        default: false
        }
    }

    /// Whether values of this type are floating point.
    public var isFloatingPoint: Bool {
        self == .fp16 || self == .fp32 || self == .fp64
    }

    /// The closed range an integer type can hold, as doubles (exact for every bound but the 64-bit ones).
    public var integerRange: ClosedRange<Double>? {
        switch self {
        case .uint8: 0...Double(UInt8.max)
        case .uint16: 0...Double(UInt16.max)
        case .uint32: 0...Double(UInt32.max)
        case .uint64: 0...Double(UInt64.max)
        case .int8: Double(Int8.min)...Double(Int8.max)
        case .int16: Double(Int16.min)...Double(Int16.max)
        case .int32: Double(Int32.min)...Double(Int32.max)
        case .int64: Double(Int64.min)...Double(Int64.max)
        default: nil
        }
    }
}
