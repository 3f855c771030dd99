import Hummingbird

/// The server's responder: `POST {base}/v2/models/{name}/infer` goes straight to the inference handler,
/// through the router's own middleware, and every other request goes to the router.
///
/// Hummingbird's router walks the path Character by Character, a grapheme break at each step, and
/// compares each component with its routes as strings: about 20,000 of the 252,000 instructions of a
/// one-row inference request. The inference path is checked here byte by byte instead. Only the
/// plain form is taken: the base path, `/v2/models/`, a non-empty name without `/`, and `/infer` at the
/// end. Anything else, an extra or trailing slash or a `/versions/{version}` path among them, is left to
/// the router, which then answers exactly as it would have. A request taken here gets the same route
/// parameters and endpoint path (the metrics' route label) that the router sets, and passes the same
/// middleware: `InferenceRouteShortcutTests` checks both against the router on a corpus of paths.
struct InferenceRouteShortcut<Context: RequestContext>: HTTPResponder {
    private let router: RouterResponder<Context>
    private let inference: any HTTPResponder<Context>
    /// `{base}/v2/models/`, as bytes; nil when the base path has a capture or wildcard, which only the
    /// router can match.
    private let prefix: [UInt8]?
    /// The route label the router gives the inference route: `/v2/models/{name}/infer` under the base path.
    private let endpointPath: String

    /// - Parameters:
    ///   - router: the router, with every route and middleware added.
    ///   - basePath: the path the router's routes are grouped under (`--base-path`).
    ///   - infer: the handler the router calls for `POST {base}/v2/models/{name}/infer`.
    init(router: Router<Context>, basePath: String, infer: @escaping @Sendable (Request, Context) async throws -> Response) {
        let base = RouterPath(basePath).description
        let root = base == "/" ? "" : base
        self.router = router.buildResponder()
        inference = router.middlewares.constructResponder(finalResponder: CallbackResponder(callback: infer))
        prefix = basePath.contains(where: { "{}*:".contains($0) }) ? nil : Array("\(root)/v2/models/".utf8)
        endpointPath = RouterPath("\(root)/v2/models/{name}/infer").description
    }

    func respond(to request: Request, context: Context) async throws -> Response {
        let path = request.uri.path
        guard request.method == .post, let name = modelName(in: path) else {
            return try await router.respond(to: request, context: context)
        }
        var context = context
        var parameters = Parameters()
        parameters["name"] = name
        context.coreContext.parameters = parameters
        context.coreContext.endpointPath.value = endpointPath
        do {
            return try await inference.respond(to: request, context: context)
        } catch let error as any HTTPResponseError {
            return try error.response(from: request, context: context)
        }
    }

    /// The `{name}` of `{base}/v2/models/{name}/infer`, or nil when `path` is not in that plain form.
    func modelName(in path: String) -> Substring? {
        let suffix = "/infer".utf8
        let bytes = path.utf8
        guard let prefix, bytes.count > prefix.count + suffix.count, bytes.starts(with: prefix), bytes.suffix(suffix.count).elementsEqual(suffix) else {
            return nil
        }
        let start = bytes.index(bytes.startIndex, offsetBy: prefix.count)
        let end = bytes.index(bytes.endIndex, offsetBy: -suffix.count)
        guard !bytes[start..<end].contains(UInt8(ascii: "/")) else { return nil }
        return path[start..<end]
    }
}
