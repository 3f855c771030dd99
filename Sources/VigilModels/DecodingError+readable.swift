/// A one-line account of a JSON decoding failure: what was wrong and where, without Swift type names.
public func readableDescription(of error: any Error) -> String {
    guard let decodingError = error as? DecodingError else { return "\(error)" }
    func path(_ codingPath: [any CodingKey]) -> String {
        let joined = codingPath.map { key in key.intValue.map { "[\($0)]" } ?? ".\(key.stringValue)" }.joined()
        return joined.isEmpty ? "the top level" : String(joined.drop(while: { $0 == "." }))
    }
    switch decodingError {
    case .typeMismatch(let type, let context):
        return "wrong type at \(path(context.codingPath)): expected \(jsonKind(of: type))"
    case .valueNotFound(_, let context):
        return "missing value at \(path(context.codingPath))"
    case .keyNotFound(let key, let context):
        let place = context.codingPath.isEmpty ? "" : " in \(path(context.codingPath))"
        return "missing field '\(key.stringValue)'\(place)"
    case .dataCorrupted(let context):
        let detail = context.underlyingError.map { " (\($0))" } ?? ""
        return "invalid JSON at \(path(context.codingPath)): \(context.debugDescription)\(detail)"
    @unknown default:
        return "\(error)"
    }
}

/// How a Swift type looks in JSON, for messages.
private func jsonKind(of type: Any.Type) -> String {
    switch type {
    case is String.Type, is Substring.Type: return "a string"
    case is Bool.Type: return "true or false"
    case is Double.Type, is Float.Type, is Int.Type, is Int64.Type, is Int32.Type, is UInt.Type, is UInt64.Type: return "a number"
    default:
        let name = String(describing: type)
        return name.hasPrefix("Array") || name.hasPrefix("[") ? "a list" : "an object"
    }
}
