import Hummingbird

/// `GET /openapi.json`: the OpenAPI description of every route, with the prefix this request came
/// under as its server URL.
struct OpenAPIController {
    let links: LinkRoot

    func addRoutes(to router: RouterGroup<VigilRequestContext>) {
        router.get("openapi.json") { request, context in
            let document = OpenAPIDocument.json(basePath: links.root(request, context: context))
            return Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: document)))
        }
    }
}
