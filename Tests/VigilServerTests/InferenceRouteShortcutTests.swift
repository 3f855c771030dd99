import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
@testable import VigilServer

/// `InferenceRouteShortcut` against Hummingbird's router: for every path, the same answer, route
/// parameters, endpoint path and middleware, whether the shortcut takes the request or passes it on.
struct InferenceRouteShortcutTests {
    /// Stamps each answer, so a test sees that the router's middleware ran.
    struct Stamp: RouterMiddleware {
        typealias Context = BasicRequestContext
        func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
            var response = try await next(request, context)
            response.headers[HTTPField.Name("X-Stamp")!] = "outer"
            return response
        }
    }

    /// What a route saw: which route, its parameters, and the endpoint path the router set.
    @Sendable static func echo(_ route: String) -> @Sendable (Request, BasicRequestContext) async throws -> Response {
        { _, context in
            let name = context.parameters.get("name") ?? "-", version = context.parameters.get("version") ?? "-"
            return Response(status: .ok, body: .init(byteBuffer: ByteBuffer(string: "\(route) \(name) \(version) \(context.endpointPath ?? "-")")))
        }
    }

    /// A router shaped as Vigil's: the V2 model routes under a base path, with and without versions,
    /// beside routes that share its first components.
    static func router(basePath: String) -> Router<BasicRequestContext> {
        let router = Router(context: BasicRequestContext.self, options: .autoGenerateHeadEndpoints)
        router.add(middleware: Stamp())
        let v2 = router.group(RouterPath(basePath)).group("v2")
        for prefix in ["models/{name}", "models/{name}/versions/{version}"] {
            v2.get(RouterPath(prefix), use: echo("metadata"))
            v2.post(RouterPath(prefix + "/infer"), use: echo("infer"))
        }
        v2.get("health/ready", use: echo("health"))
        v2.post("repository/models/{name}/load", use: echo("load"))
        router.group(RouterPath(basePath)).group("v1").post("models/{name}", use: echo("v1"))
        return router
    }

    static let paths = [
        "/v2/models/iris/infer", "/v2/models/iris-onnx/infer", "/v2/models/a.b_c~d/infer", "/v2/models/%2Fescaped%20name/infer",
        "/v2/models/infer/infer", "/v2/models/models/infer", "/v2/models/iris:predict/infer", "/v2/models/ünï/infer",
        "/v2/models/iris/infer?x=1", "/v2/models/iris/infer/", "/v2/models//infer", "/v2/models/a/b/infer", "/v2//models/iris/infer",
        "/v2/models/iris/versions/2/infer", "/v2/models/iris", "/v2/models/iris/inferx", "/v2/models/iris/Infer", "/V2/models/iris/infer",
        "/v2/models/iris/infer/extra", "/v2/health/ready", "/v2/repository/models/iris/load", "/v1/models/iris", "/v2/models/", "/",
        "/vigil/v2/models/iris/infer", "/vigil/v2/models/iris/versions/3/infer", "/vigil/v2/models/iris", "/vigil//v2/models/iris/infer",
        "/a/b/v2/models/iris/infer", "/vigilx/v2/models/iris/infer",
    ]

    @Test(arguments: ["", "/", "/vigil", "/vigil/", "/a/b"])
    func everyPathIsAnsweredAsTheRouterAnswersIt(basePath: String) async throws {
        let router = Self.router(basePath: basePath)
        let shortcut = InferenceRouteShortcut(router: router, basePath: basePath, infer: Self.echo("infer"))
        var taken = 0
        for path in Self.paths {
            for method in [HTTPRequest.Method.post, .get, .head, .put] {
                let expected = try await Self.answer(Application(router: Self.router(basePath: basePath)), method, path)
                let actual = try await Self.answer(Application(responder: shortcut), method, path)
                #expect(actual == expected, "\(method) \(path) under '\(basePath)'")
                if method == .post, shortcut.modelName(in: path.split(separator: "?").first.map(String.init) ?? path) != nil { taken += 1 }
            }
        }
        // The corpus has plain inference paths under each base path, which the shortcut answers itself:
        // nine at the root, one under `/vigil` and one under `/a/b`.
        #expect(taken == (RouterPath(basePath).description == "/" ? 9 : 1))
    }

    @Test func onlyThePlainInferencePathIsTaken() {
        let shortcut = InferenceRouteShortcut(router: Self.router(basePath: "/vigil"), basePath: "/vigil", infer: Self.echo("infer"))
        #expect(shortcut.modelName(in: "/vigil/v2/models/iris/infer") == "iris")
        #expect(shortcut.modelName(in: "/vigil/v2/models/a%2Fb/infer") == "a%2Fb")
        for path in ["/v2/models/iris/infer", "/vigil/v2/models//infer", "/vigil/v2/models/a/b/infer", "/vigil/v2/models/iris/infer/",
                     "/vigil/v2/models/infer", "/vigil/v2/models/iris/versions/1/infer", "/vigil//v2/models/iris/infer"] {
            #expect(shortcut.modelName(in: path) == nil, "\(path)")
        }
        let captured = InferenceRouteShortcut(router: Self.router(basePath: "/{tenant}"), basePath: "/{tenant}", infer: Self.echo("infer"))
        #expect(captured.modelName(in: "/{tenant}/v2/models/iris/infer") == nil)
    }

    /// Status, the stamp, and the body of `method path`.
    static func answer(_ app: some ApplicationProtocol, _ method: HTTPRequest.Method, _ path: String) async throws -> String {
        try await app.test(.router) { client in
            let response = try await client.execute(uri: path, method: method)
            return "\(response.status.code) \(response.headers[HTTPField.Name("X-Stamp")!] ?? "-") \(String(buffer: response.body))"
        }
    }
}
