import FoundationEssentials
import Hummingbird
import VigilModels
import VigilStore

/// Dashboard responses: HTML with an `ETag` (304 when the client has it), no caching without
/// revalidation, and the security headers every page carries.
enum DashboardResponse {
    /// No script at all, styles only from this server, forms only to it, no framing.
    static let contentSecurityPolicy =
        "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"

    static func securityHeaders() -> HTTPFields {
        [
            .contentSecurityPolicy: contentSecurityPolicy,
            .xContentTypeOptions: "nosniff",
            .referrerPolicy: "same-origin",
            .xFrameOptions: "DENY",
        ]
    }

    static func page(_ html: HTML, request: Request, status: HTTPResponse.Status = .ok) -> Response {
        content(
            Array(html.text.utf8), type: "text/html; charset=utf-8", request: request, status: status, cacheControl: "private, no-cache")
    }

    /// `bytes` with an entity tag; a matching `If-None-Match` gets 304 and no body.
    static func content(_ bytes: [UInt8], type: String, request: Request, status: HTTPResponse.Status = .ok, cacheControl: String)
        -> Response
    {
        let tag = "\"\(ContentHash.hex(bytes))\""
        var headers = securityHeaders()
        headers[.eTag] = tag
        headers[.cacheControl] = cacheControl
        if status == .ok, let presented = request.headers[.ifNoneMatch],
            presented.split(separator: ",").contains(where: { $0.trimmingWhitespace().replacing("W/", with: "") == tag })
        {
            return Response(status: .notModified, headers: headers)
        }
        headers[.contentType] = type
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
    }

    /// A 303 to `location`, with the security headers and any extra ones (a cookie).
    static func redirect(to location: String, extra: HTTPFields = [:]) -> Response {
        var headers = securityHeaders()
        headers[.location] = location
        headers.append(contentsOf: extra)
        return Response(status: .seeOther, headers: headers)
    }
}
