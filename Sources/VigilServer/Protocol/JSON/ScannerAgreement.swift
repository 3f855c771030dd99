import Hummingbird
public import NIOCore

extension RequestDecoding {
    /// How `JSONScanner` and Foundation's `JSONDecoder` read `buffer` as a V2 and as a V1 body, when they
    /// differ: nil when they agree, or when the scanner leaves the body to Foundation. Every number is
    /// compared by its bits. A body with `NaN` or `Infinity`, which only the scanner reads, is not compared.
    /// The differential fuzz target (`Fuzz/`) and the tests call it.
    public static func scannerDisagreement(_ buffer: ByteBuffer) -> String? {
        // The routes check this before either reader runs.
        guard (try? Request.checkJSONText(buffer)) != nil else { return nil }
        let nonFinite =
            buffer.readableBytesView.firstRange(of: "NaN".utf8) != nil || buffer.readableBytesView.firstRange(of: "Infinity".utf8) != nil
        guard !nonFinite else { return nil }
        guard (try? Request.decodeJSON(JSONValue.self, from: buffer)) != nil else {
            return scanned(buffer, InferenceRequest.init(scanning:)) == nil && scanned(buffer, PredictRequest.init(scanning:)) == nil
                ? nil : "the scanner read a body that Foundation refuses"
        }
        let pairs = [
            (
                scanned(buffer, InferenceRequest.init(scanning:)).map(\.canonical),
                (try? Request.decodeJSON(InferenceRequest.self, from: buffer))?.canonical
            ),
            (
                scanned(buffer, PredictRequest.init(scanning:)).map(\.canonical),
                (try? Request.decodeJSON(PredictRequest.self, from: buffer))?.canonical
            ),
        ]
        for (scanner, foundation) in pairs {
            guard let scanner, scanner != foundation else { continue }
            return "scanner: \(scanner)\nFoundation: \(foundation ?? "refused")"
        }
        return nil
    }

    private static func scanned<T>(_ buffer: ByteBuffer, _ read: (inout JSONScanner) throws(JSONScanner.Unsupported) -> T) -> T? {
        buffer.withUnsafeReadableBytes { bytes in
            var scanner = JSONScanner(bytes)
            return try? read(&scanner)
        }
    }
}

/// A reading written out so that equal readings give equal text: numbers by their bits, object keys sorted.
private protocol CanonicalText {
    var canonical: String { get }
}

extension InferenceRequest: CanonicalText {
    fileprivate var canonical: String {
        let inputs = inputs.map { input in
            "{\(input.name.debugDescription) \(input.shape) \(input.datatype.debugDescription) \(input.parameters.canonical) \(input.data?.canonical ?? "nil")}"
        }
        let outputs = outputs.map { $0.map { "{\($0.name.debugDescription) \($0.parameters.canonical)}" } }
        return "id \(id.debugDescription) parameters \(parameters.canonical) inputs \(inputs) outputs \(outputs.debugDescription)"
    }
}

extension PredictRequest: CanonicalText {
    fileprivate var canonical: String {
        "instances \(instances?.canonical ?? "nil") inputs \(inputs?.canonical ?? "nil")"
    }
}

extension TensorData {
    fileprivate var canonical: String {
        switch self {
        case .numbers(let values): "numbers \(values.map(\.bitPattern))"
        case .bools(let values): "bools \(values)"
        case .strings(let values): "strings \(values.debugDescription)"
        case .cells(let cells):
            "cells "
                + cells.map { cell in
                    switch cell {
                    case .number(let value): "n\(value.bitPattern)"
                    case .text(let text): text.debugDescription
                    case .missing: "null"
                    }
                }.joined(separator: ",")
        }
    }
}

extension JSONValue {
    fileprivate var canonical: String {
        switch self {
        case .null: "null"
        case .bool(let flag): "\(flag)"
        case .number(let number): "n\(number.bitPattern)"
        case .string(let text): text.debugDescription
        case .array(let elements): "[" + elements.map(\.canonical).joined(separator: ",") + "]"
        case .object(let members):
            "{" + members.sorted { $0.key < $1.key }.map { "\($0.key.debugDescription):\($0.value.canonical)" }.joined(separator: ",") + "}"
        }
    }
}

extension ParameterValue {
    fileprivate var canonical: String {
        switch self {
        case .number(let number): "n\(number.bitPattern)"
        default: described
        }
    }
}

extension Optional where Wrapped == InferenceParameters {
    fileprivate var canonical: String {
        map {
            "{size \($0.binaryDataSize?.canonical ?? "nil") data \($0.binaryData?.canonical ?? "nil") output \($0.binaryDataOutput?.canonical ?? "nil")}"
        } ?? "nil"
    }
}
