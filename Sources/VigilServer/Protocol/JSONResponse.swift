import FoundationEssentials
import Hummingbird

/// Builds JSON responses; every controller answers through here so the encoding is the same everywhere.
enum JSONResponse {
    static func make(_ value: some Encodable, status: HTTPResponse.Status = .ok) throws -> Response {
        let data = try encode(value)
        return Response(status: status, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    /// A JSON header followed by binary tensors, as Triton's binary tensor data extension answers.
    static func binary(_ value: some Encodable, tail: ByteBuffer) throws -> Response {
        let data = try encode(value)
        var body = ByteBuffer()
        body.reserveCapacity(data.count + tail.readableBytes)
        body.writeBytes(data)
        body.writeImmutableBuffer(tail)
        return Response(
            status: .ok,
            headers: [.contentType: "application/octet-stream", .inferenceHeaderContentLength: String(data.count)],
            body: .init(byteBuffer: body))
    }

    private static func encode(_ value: some Encodable) throws -> Data {
        let encoder = JSONEncoder()
        // JSON has no NaN; a NaN output becomes the string Python's float() also reads.
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "Infinity", negativeInfinity: "-Infinity", nan: "NaN")
        return try encoder.encode(value)
    }

    /// An empty JSON object with `status`, for health answers and admin acknowledgements.
    static func empty(status: HTTPResponse.Status = .ok) -> Response {
        Response(status: status, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: "{}")))
    }
}
