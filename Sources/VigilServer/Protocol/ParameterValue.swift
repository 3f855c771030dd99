/// One of the binary extension's request parameters as it was sent: a number or a flag as such, and of
/// anything else only its JSON type, which is all an error message about it needs. Plain bytes: it is
/// copied with the request's inputs and outputs without reference counting.
enum ParameterValue: Sendable, Equatable, BitwiseCopyable, Decodable {
    case number(Double)
    case bool(Bool)
    case string
    case array
    case object

    /// The value for an error message: the number or flag itself, or what kind of JSON it is.
    var described: String {
        switch self {
        case .number(let number): number == number.rounded() && abs(number) < 1e15 ? String(Int64(number)) : "\(number)"
        case .bool(let flag): "\(flag)"
        case .string: "a string"
        case .array: "an array"
        case .object: "an object"
        }
    }

    /// Foundation's reading. `null` never gets here: `decodeIfPresent` reads it as an absent parameter.
    init(from decoder: any Decoder) throws {
        switch try JSONValue(from: decoder) {
        case .number(let number): self = .number(number)
        case .bool(let flag): self = .bool(flag)
        case .string: self = .string
        case .array: self = .array
        case .object: self = .object
        case .null: throw DecodingError.valueNotFound(ParameterValue.self, .init(codingPath: decoder.codingPath, debugDescription: "null"))
        }
    }
}
