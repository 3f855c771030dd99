import FoundationEssentials
import Hummingbird
import VigilModels

/// Guards the dashboard when `--dashboard-token` is set: a browser session cookie from the login
/// form, or `Authorization: Bearer <token>` for scripts. Browsers without either are sent to the login page.
struct DashboardAuthMiddleware: RouterMiddleware {
    typealias Context = VigilRequestContext
    let access: DashboardAccess

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard access.token != nil, !access.allows(request) else { return try await next(request, context) }
        guard request.method == .get || request.method == .head else {
            throw VigilError(
                .unauthorized,
                "the dashboard needs a login: POST the token to /dashboard/login, or send 'Authorization: Bearer <dashboard token>'")
        }
        let root = access.links.root(request, context: context)
        let target = request.uri.path + (request.uri.query.map { "?" + $0 } ?? "")
        return DashboardResponse.redirect(to: "\(root)/dashboard/login?next=\(ModelPageQuery.encode(target))")
    }
}

/// Who may see the dashboard, and the logins of those who signed in through its form.
struct DashboardAccess: Sendable {
    let token: String?
    let logins: DashboardLogins
    let links: LinkRoot

    static let cookieName = "vigil_dashboard"

    func allows(_ request: Request) -> Bool {
        guard let token else { return true }
        if let header = request.headers[.authorization], header.lowercased().hasPrefix("bearer ") {
            let presented = header.dropFirst("bearer ".count).trimmingWhitespace()
            if AdminAuthMiddleware<VigilRequestContext>.constantTimeEquals(Array(presented.utf8), Array(token.utf8)) { return true }
        }
        return loginID(request).map { logins.isValid($0) } ?? false
    }

    /// The login id in the request's cookie, if any.
    func loginID(_ request: Request) -> String? {
        for header in request.headers[values: .cookie] {
            for pair in header.split(separator: ";") {
                let parts = pair.split(separator: "=", maxSplits: 1).map { $0.trimmingWhitespace() }
                if parts.count == 2, parts[0] == Self.cookieName { return parts[1] }
            }
        }
        return nil
    }
}
