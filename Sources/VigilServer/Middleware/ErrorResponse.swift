import FoundationEssentials
import Hummingbird
import Logging

/// The one place errors become responses: `{"error": "..."}` with the error's status.
enum ErrorResponse {
    /// The response for `error`, thrown while answering `request`; an error of no known kind is
    /// logged and answered 500.
    static func response(for error: any Error, request: Request, logger: Logger) -> Response {
        switch error {
        case let error as VigilError:
            return response(status: error.status, message: error.message, headers: error.headers)
        case let error as HTTPError:
            return response(status: error.status, message: message(for: error, request: request), headers: error.headers)
        case let error as any HTTPResponseError:
            return response(status: error.status, message: error.status.reasonPhrase, headers: [:])
        default:
            logger.error("request failed", metadata: ["error": "\(error)", "path": "\(request.uri.path)"])
            return response(status: .internalServerError, message: "internal error; the server log has the details", headers: [:])
        }
    }

    /// Messages for the errors Hummingbird raises on its own.
    private static func message(for error: HTTPError, request: Request) -> String {
        if let body = error.body { return body }
        switch error.status {
        case .notFound:
            return "no route for \(request.method.rawValue) \(request.uri.path); see /openapi.json or the README for the endpoints"
        case .contentTooLarge: return "the request body is larger than the server's limit"
        case .methodNotAllowed: return "\(request.method.rawValue) is not allowed on \(request.uri.path)"
        default: return error.status.reasonPhrase
        }
    }

    static func response(status: HTTPResponse.Status, message: String, headers: HTTPFields) -> Response {
        let body = (try? JSONEncoder().encode(["error": message])) ?? Data(#"{"error":"error"}"#.utf8)
        var fields = headers
        fields[.contentType] = "application/json"
        return Response(status: status, headers: fields, body: .init(byteBuffer: ByteBuffer(bytes: body)))
    }
}
