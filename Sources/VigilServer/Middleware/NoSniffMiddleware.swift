import Hummingbird

/// `X-Content-Type-Options: nosniff` on every response, so a browser never reads a JSON error or
/// a metrics page as something it is not.
struct NoSniffMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response = try await next(request, context)
        response.headers[.xContentTypeOptions] = "nosniff"
        return response
    }
}
