import FoundationEssentials
import HTTPTypes
import Hummingbird

/// Builds JSON responses; every controller answers through here so the encoding is the same everywhere.
enum JSONResponse {
    static func make(_ value: some Encodable, status: HTTPResponse.Status = .ok) throws -> Response {
        let data = try encode(value)
        return Response(status: status, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    /// A V2 inference answer: JSON, or when some outputs are sent in binary, a JSON header followed by
    /// their values, as Triton's binary tensor data extension answers. Written straight into the response buffer.
    static func inference(_ response: InferenceResponse) -> Response {
        var body = ByteBuffer()
        var headerLength = 0
        if !body.writeReserved(capacity: response.estimatedSize, { headerLength = response.writeAnswer(into: &$0) }) {
            headerLength = response.writeAnswer(into: &body)
        }
        let length = HTTPField(name: .contentLength, value: String(body.readableBytes))
        guard response.outputs.contains(where: \.sendsBinary) else {
            return Response(status: .ok, headers: answerFields(Self.jsonType, length: length, room: 0), body: .init(byteBuffer: body))
        }
        var fields = answerFields(Self.octetStreamType, length: length, room: 1)
        fields.append(HTTPField(name: .inferenceHeaderContentLength, value: String(headerLength)))
        return Response(status: .ok, headers: fields, body: .init(byteBuffer: body))
    }

    /// `Content-Type: application/json`, checked once rather than per answer.
    private static let jsonType = HTTPField(name: .contentType, value: "application/json")
    /// `Content-Type: application/octet-stream`, checked once rather than per answer.
    private static let octetStreamType = HTTPField(name: .contentType, value: "application/octet-stream")

    /// An inference answer's fields: its length (first, so that `Response` finds it at once rather
    /// than adding it), its type and `nosniff`, with room for `room` more fields (Triton's header
    /// length) and the two Hummingbird adds after the handler (`Date` and `Server`).
    private static func answerFields(_ type: HTTPField, length: HTTPField, room: Int) -> HTTPFields {
        var answer = HTTPFields()
        answer.reserveCapacity(5 + room)
        answer.append(length)
        answer.append(type)
        answer.append(NoSniff.field)
        return answer
    }

    /// A V1 `:predict` answer, `{"predictions": [...]}`, written straight into the response buffer.
    static func predictions(_ predictions: [JSONValue]) -> Response {
        var body = ByteBuffer()
        body.reserveCapacity(32 + predictions.count * 24)
        body.writeText(#"{"predictions":"#)
        body.writeJSONArray(predictions) { buffer, prediction in buffer.writeJSONValue(prediction) }
        body.writeText("}")
        return Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: body))
    }

    private static func encode(_ value: some Encodable) throws -> Data {
        let encoder = JSONEncoder()
        // JSON has no NaN; a NaN output becomes the string Python's float() also reads.
        encoder.nonConformingFloatEncodingStrategy = .convertToString(
            positiveInfinity: "Infinity", negativeInfinity: "-Infinity", nan: "NaN")
        return try encoder.encode(value)
    }

    /// An empty JSON object with `status`, for health answers and admin acknowledgements.
    static func empty(status: HTTPResponse.Status = .ok) -> Response {
        Response(status: status, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: "{}")))
    }
}
