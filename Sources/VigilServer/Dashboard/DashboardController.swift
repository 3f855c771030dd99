import FoundationEssentials
import Hummingbird
import Logging

/// The dashboard: `/dashboard` (overview), `/dashboard/models/{name}`, its stylesheet, and the login form.
struct DashboardController: Sendable {
    typealias Context = VigilRequestContext
    let data: DashboardData
    let access: DashboardAccess
    /// Seconds between self-refreshes; nil turns self-refresh off for every page.
    let refresh: Int?
    let datasetShare: Double

    func addRoutes(to root: RouterGroup<Context>) {
        let open = root.group("dashboard")
        open.get("style.css") { request, _ in
            DashboardResponse.content(
                Array(DashboardStyle.css.utf8), type: "text/css; charset=utf-8", request: request, cacheControl: "public, max-age=3600")
        }
        open.get("login") { request, context in
            let page = DashboardPage(root: access.links.root(request, context: context), refresh: nil)
            let next = safeNext(request.uri.queryParameters.get("next"), root: page.root)
            return DashboardResponse.page(LoginPage(page: page, next: next, failed: false).render(), request: request)
        }
        open.post("login") { request, context in try await login(request, context: context) }
        open.post("logout") { request, context in
            if let id = access.loginID(request) { access.logins.end(id) }
            let root = access.links.root(request, context: context)
            return DashboardResponse.redirect(
                to: "\(root)/dashboard/login", extra: [.setCookie: cookie(value: "", root: root, secure: false, maxAge: 0)])
        }

        let pages = root.group("dashboard").add(middleware: DashboardAuthMiddleware(access: access))
        pages.get { request, context in
            let page = DashboardPage(root: access.links.root(request, context: context), refresh: refreshSeconds(request))
            let models = try await data.overview(now: Date().timeIntervalSince1970)
            let toggle = refreshToggle(request, path: "\(page.root)/dashboard")
            return DashboardResponse.page(
                OverviewPage(page: page, models: models, datasetShare: datasetShare, refreshToggle: toggle).render(), request: request)
        }
        pages.get("models/{name}") { request, context in
            let name = context.parameters.get("name") ?? ""
            let query = try ModelPageQuery(
                parameters: Dictionary(
                    request.uri.queryParameters.map { (String($0.key), String($0.value)) },
                    uniquingKeysWith: { first, _ in first }))
            let content = try await data.modelPage(name: name, since: query.since, until: query.until, now: Date().timeIntervalSince1970)
            let page = DashboardPage(root: access.links.root(request, context: context), refresh: query.refresh ? refresh : nil)
            return DashboardResponse.page(ModelPage(page: page, content: content, query: query).render(), request: request)
        }
    }

    private func refreshSeconds(_ request: Request) -> Int? {
        request.uri.queryParameters.get("refresh") == "off" ? nil : refresh
    }

    private func refreshToggle(_ request: Request, path: String) -> HTML {
        guard refresh != nil else { return "" }
        return refreshSeconds(request) == nil
            ? "<a href=\"\(path)\">auto-refresh</a>" : "<a href=\"\(path)?refresh=off\">stop auto-refresh</a>"
    }

    private func login(_ request: Request, context: Context) async throws -> Response {
        let root = access.links.root(request, context: context)
        guard let token = access.token else { return DashboardResponse.redirect(to: "\(root)/dashboard") }
        let body = try await request.body.collect(upTo: 8192)
        let form = Self.formFields(String(buffer: body))
        let next = safeNext(form["next"], root: root)
        let presented = form["token"] ?? ""
        guard AdminAuthMiddleware<Context>.constantTimeEquals(Array(presented.utf8), Array(token.utf8)) else {
            context.logger.notice("dashboard login failed", metadata: ["client": "\(context.remoteAddress?.description ?? "unknown")"])
            let page = DashboardPage(root: root, refresh: nil)
            return DashboardResponse.page(LoginPage(page: page, next: next, failed: true).render(), request: request, status: .unauthorized)
        }
        let login = access.logins.create()
        let secure = access.links.isSecure(request, context: context)
        return DashboardResponse.redirect(
            to: next, extra: [.setCookie: cookie(value: login, root: root, secure: secure, maxAge: Int(access.logins.lifetime))])
    }

    private func cookie(value: String, root: String, secure: Bool, maxAge: Int) -> String {
        "\(DashboardAccess.cookieName)=\(value); Path=\(root)/dashboard; Max-Age=\(maxAge); HttpOnly; SameSite=Strict"
            + (secure ? "; Secure" : "")
    }

    /// Where to go after logging in: a dashboard path on this server, never elsewhere.
    private func safeNext(_ next: String?, root: String) -> String {
        let home = "\(root)/dashboard"
        guard let next, next.hasPrefix(home), !next.contains("//"), !next.contains("\\"),
            next.unicodeScalars.allSatisfy({ $0.isASCII && $0.value > 0x20 && $0 != "\"" && $0 != "<" })
        else { return home }
        return next
    }

    /// The fields of an `application/x-www-form-urlencoded` body.
    static func formFields(_ body: String) -> [String: String] {
        var fields: [String: String] = [:]
        for pair in body.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1).map { String($0).replacing("+", with: " ") }
            guard let name = parts.first.flatMap(PercentEncoding.decode) else { continue }
            fields[name] = parts.count > 1 ? PercentEncoding.decode(parts[1]) ?? "" : ""
        }
        return fields
    }
}
