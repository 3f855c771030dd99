import Hummingbird

/// What every request goes through, as one middleware: from the outside in, `nosniff` on the
/// answer, request metrics, response compression, errors turned into `{"error": "..."}`, and
/// request decompression.
///
/// Each Hummingbird middleware is an async frame of its own around the next, so these steps run
/// in one frame, in the same order, and the steps that most requests skip (inflating, gzipping)
/// are only awaited when they apply.
struct ServingMiddleware<Context: RequestContext>: RouterMiddleware {
    let metrics: RequestMetricsRecorder
    let compression: ResponseCompression
    let decompression: RequestDecompression

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let start = ContinuousClock.now
        var response: Response
        do {
            if decompression.isEncoded(request) {
                var inflated = request
                try await decompression.inflate(&inflated)
                response = try await next(inflated, context)
            } else {
                // Most requests: no copy of the request to inflate into.
                response = try await next(request, context)
            }
        } catch {
            response = ErrorResponse.response(for: error, request: request, logger: context.logger)
        }
        if compression.prepare(&response, for: request) { response = try await compression.compress(response) }
        metrics.record(response, context: context, since: start)
        NoSniff.mark(&response)
        return response
    }
}
