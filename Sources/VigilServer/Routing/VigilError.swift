public import Hummingbird

/// An error the server reports to a client: a status and a message that says what to fix.
///
/// `ErrorResponse` turns it (and every other error) into `{"error": "..."}`; nothing else writes error bodies.
public struct VigilError: Error, Sendable, CustomStringConvertible {
    public let status: HTTPResponse.Status
    public let message: String
    /// Extra response headers, such as `WWW-Authenticate` on 401.
    public let headers: HTTPFields

    public init(_ status: HTTPResponse.Status, _ message: String, headers: HTTPFields = [:]) {
        self.status = status
        self.message = message
        self.headers = headers
    }

    public var description: String { "\(status.code) \(message)" }

    static func badRequest(_ message: String) -> VigilError { VigilError(.badRequest, message) }
    static func notFound(_ message: String) -> VigilError { VigilError(.notFound, message) }
    static func unavailable(_ message: String) -> VigilError { VigilError(.serviceUnavailable, message) }
}
