import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
import VigilMonitor
import VigilServer
import VigilStore

/// The dashboard pages through the router: content, escaping, links under a base path, ETag, the
/// token, and models whose monitoring is off.
@Suite(.serialized)
struct DashboardTests {
    /// Builds the application over the fixture repository and, inside the router test, sends
    /// shifted traffic to `shifty`, in-distribution traffic to `steady`, and runs the monitor once.
    func withDriftedServer(
        extraFeatures: Int = 0, shiftedWide: Int = 0, _ adjust: (inout ServerConfiguration) -> Void = { _ in },
        _ body: @Sendable (any TestClientProtocol, VigilServices, Double) async throws -> Void
    ) async throws {
        let repository = try DashboardFixture.repository(extraFeatures: extraFeatures)
        let configuration = repository.configuration { configuration in
            configuration.window = .seconds(1)
            configuration.alertFor = 1
            adjust(&configuration)
        }
        let (app, services) = try buildApplication(configuration: configuration, logger: .quiet)
        var gaussian = Gaussian(seed: 77)
        // x1 moves by one sd and half of c is a category the reference never had: two of four features, dataset drift.
        let shifted = DriftModels.batch(1500, shift: 1, unseen: 0.5, gaussian: &gaussian)
        let steady = DriftModels.batch(1500, gaussian: &gaussian)
        let wide =
            extraFeatures > 0
            ? DashboardFixture.wideBatch(features: extraFeatures, rows: 400, shifted: shiftedWide, gaussian: &gaussian) : nil
        let base = configuration.basePath
        try await app.test(.router) { client async throws in
            #expect(try await client.post("\(base)/v2/models/shifty/infer", shifted).status == .ok)
            #expect(try await client.post("\(base)/v2/models/steady/infer", steady).status == .ok)
            if let wide { #expect(try await client.post("\(base)/v2/models/wide/infer", wide).status == .ok) }
            services.writer?.flush()
            let now = Date().timeIntervalSince1970
            services.monitor?.runOnce(now: now)
            try await body(client, services, now)
        }
    }

    /// The names of the feature rows of a model page, in order.
    static func featureRows(_ html: String) -> [String] {
        var names: [String] = []
        var rest = html[...]
        while let start = rest.range(of: "<a href=\"#c-f") {
            rest = rest[start.upperBound...]
            guard let open = rest.firstIndex(of: ">"), let close = rest.range(of: "</a>") else { break }
            names.append(String(rest[rest.index(after: open)..<close.lowerBound]))
            rest = rest[close.upperBound...]
        }
        return names
    }

    @Test func overviewShowsEveryModelsStatusAndSecurityHeaders() async throws {
        try await withDriftedServer { client, _, _ in
            let response = try await client.get("/dashboard")
            #expect(response.status == .ok)
            #expect(response.headers[.contentType] == "text/html; charset=utf-8")
            let csp = try #require(response.headers[.contentSecurityPolicy])
            #expect(csp.contains("default-src 'none'") && csp.contains("style-src 'self'") && !csp.contains("script-src"))
            #expect(response.headers[HTTPField.Name("X-Content-Type-Options")!] == "nosniff")
            #expect(response.headers[HTTPField.Name("Referrer-Policy")!] == "same-origin")
            let html = response.text
            func row(_ model: String) throws -> String {
                let start = try #require(html.range(of: "/dashboard/models/\(model)\""))
                return String(html[start.lowerBound...].prefix { $0 != "\n" })
            }
            #expect(try row("shifty").contains("badge s-drift\">drift<"))
            #expect(try row("shifty").contains("s-firing\">x1<"))
            #expect(try row("steady").contains("badge s-ok\">ok<"))
            #expect(try row("broken").contains("badge s-not-ready\">not ready<") && row("broken").contains("model.json"))
            #expect(try row("unmonitored").contains("not monitored") && row("unmonitored").contains("3 columns (a, b, c)"))
            // One request of 1,500 rows each to shifty and steady: one request per minute since start, or
            // less when the test has run past its first minute (a busy machine), over at most five minutes.
            let rateCell = try #require(try row("shifty").firstRange(of: #/<td class="n">([0-9.]+)</td>/#))
            let rate = try #require(Double(try row("shifty")[rateCell].dropFirst(#"<td class="n">"#.count).prefix { $0 != "<" }))
            #expect(rate <= 1 && rate >= 0.2)
            #expect(html.contains("<svg class=\"spark\""))
            #expect(!html.contains("<script"))
        }
    }

    @Test func modelPageListsTheDriftedFeatureFirstAndSaysWhy() async throws {
        try await withDriftedServer { client, _, _ in
            let html = try await client.get("/dashboard/models/shifty").text
            #expect(html.contains("Dataset drift: 2 of 4 features drifted (50%; the threshold is 50%)."))
            let rows = Self.featureRows(html)
            #expect(rows.first == "x1")
            #expect(Set(rows) == ["x1", "x2", "x3", "c"])
            #expect(html.contains("ks corrected p") && html.contains("W/sd"))
            // Charts: a histogram per numeric feature, category bars for c, the prediction's histogram.
            #expect(html.components(separatedBy: "<svg class=\"bars\"").count - 1 == 5)
            #expect(html.contains("Prediction drift"))
            #expect(html.contains("id=\"alerts\"") && html.contains("inactive → <span class=\"badge s-firing\">firing</span>"))
            #expect(html.contains("vigil-linear") && html.contains("V2 inputs"))

            let steady = try await client.get("/dashboard/models/steady").text
            #expect(steady.contains("No dataset drift: 0 of 4 features drifted"))
            #expect(!steady.contains("<tr class=\"drifted\">"))
        }
    }

    @Test func tooFewRowsSayInsufficientDataWithTheRowCount() async throws {
        let repository = try DashboardFixture.repository()
        let (app, services) = try buildApplication(configuration: repository.configuration { $0.window = .seconds(1) }, logger: .quiet)
        var gaussian = Gaussian(seed: 3)
        let few = DriftModels.batch(42, gaussian: &gaussian)
        try await app.test(.router) { client async throws in
            #expect(try await client.post("/v2/models/steady/infer", few).status == .ok)
            services.writer?.flush()
            services.monitor?.runOnce()
            let html = try await client.get("/dashboard/models/steady").text
            #expect(html.contains("Insufficient data: the window holds 42 rows; a verdict needs at least 100."))
            #expect(html.contains("insufficient data: 42 rows in the window, 100 needed"))
        }
    }

    @Test func hostileNamesAndCategoriesAreEscapedInHTMLAndSVG() async throws {
        try await withDriftedServer { client, services, now in
            let body =
                #"{"inputs":[{"name":"input","shape":[120,2],"datatype":"FP64","data":[\#((0..<120).map { "[\($0 % 5),\($0 % 3)]" }.joined(separator: ","))]}]}"#
            #expect(try await client.post("/v2/models/hostile/infer", body).status == .ok)
            services.writer?.flush()
            services.monitor?.runOnce(now: now + 1)
            let html = try await client.get("/dashboard/models/hostile").text
            #expect(!html.contains(DashboardFixture.scriptHeader))
            #expect(!html.contains(DashboardFixture.scriptCategory))
            #expect(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
            // The category shows in the chart's labels and tooltips, as text.
            #expect(html.contains("&lt;img src=x onerror=alert(2)&gt;"))
            #expect(!html.contains("<script") && !html.contains("<img"))
            let overview = try await client.get("/dashboard").text
            #expect(!overview.contains("<script"))
        }
    }

    @Test func everyLinkUnderABasePathResolves() async throws {
        try await withDriftedServer({ $0.basePath = "/vigil" }) { client, _, _ in
            var seen: Set<String> = []
            var queue = ["/vigil/dashboard"]
            while let path = queue.popLast(), seen.count < 60 {
                guard seen.insert(path).inserted else { continue }
                let response = try await client.get(path)
                #expect(response.status != .notFound, "\(path) is a 404")
                guard response.headers[.contentType]?.hasPrefix("text/html") == true else { continue }
                for link in DashboardFixture.links(in: response.text) {
                    let bare = String(link.prefix { $0 != "#" })
                    guard !bare.isEmpty else { continue }
                    #expect(bare.hasPrefix("/vigil/"), "\(bare) on \(path) is outside the base path")
                    if !seen.contains(bare) { queue.append(bare) }
                }
            }
            #expect(seen.contains("/vigil/dashboard/models/shifty"))
            #expect(seen.contains("/vigil/dashboard/style.css"))
            #expect(seen.contains("/vigil/v1/models/shifty/drift"))
            #expect(seen.count > 10)
        }
    }

    @Test func unchangedPagesAnswer304ToTheirETag() async throws {
        try await withDriftedServer { client, _, _ in
            for path in ["/dashboard/models/shifty", "/dashboard/style.css"] {
                let first = try await client.get(path)
                let tag = try #require(first.headers[.eTag])
                let again = try await client.get(path, headers: [.ifNoneMatch: tag])
                #expect(again.status == .notModified)
                #expect(again.body.readableBytes == 0)
                #expect(try await client.get(path, headers: [.ifNoneMatch: "\"other\""]).status == .ok)
            }
        }
    }

    @Test func theDashboardTokenNeedsALoginThatSetsAStrictHttpOnlyCookie() async throws {
        try await withDriftedServer({ $0.dashboardToken = "look-inside" }) { client, _, _ in
            let redirected = try await client.get("/dashboard/models/shifty?sort=name")
            #expect(redirected.status == .seeOther)
            #expect(redirected.headers[.location] == "/dashboard/login?next=%2Fdashboard%2Fmodels%2Fshifty%3Fsort%3Dname")
            #expect(try await client.get("/dashboard/login").status == .ok)
            #expect(try await client.get("/dashboard/style.css").status == .ok)

            let form: HTTPFields = [.contentType: "application/x-www-form-urlencoded"]
            let wrong = try await client.post("/dashboard/login", "token=nope&next=%2Fdashboard", headers: form)
            #expect(wrong.status == .unauthorized)
            #expect(wrong.headers[.setCookie] == nil)
            #expect(wrong.text.contains("not the dashboard token"))

            let login = try await client.post("/dashboard/login", "token=look-inside&next=%2Fdashboard%2Fmodels%2Fshifty", headers: form)
            #expect(login.status == .seeOther)
            #expect(login.headers[.location] == "/dashboard/models/shifty")
            let cookie = try #require(login.headers[.setCookie])
            #expect(
                cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict") && cookie.contains("Path=/dashboard")
                    && !cookie.contains("Secure"))
            let signedIn = String(cookie.prefix { $0 != ";" })
            #expect(try await client.get("/dashboard/models/shifty", headers: [.cookie: signedIn]).status == .ok)
            #expect(try await client.get("/dashboard", headers: [.cookie: "vigil_dashboard=forged"]).status == .seeOther)
            #expect(try await client.get("/dashboard", headers: [.authorization: "Bearer look-inside"]).status == .ok)
            #expect(try await client.get("/dashboard", headers: [.authorization: "Bearer wrong"]).status == .seeOther)

            // The page after login is always on the dashboard: no open redirect.
            let away = try await client.post("/dashboard/login", "token=look-inside&next=https%3A%2F%2Fevil.example%2F", headers: form)
            #expect(away.headers[.location] == "/dashboard")
            let sneaky = try await client.post("/dashboard/login", "token=look-inside&next=%2Fdashboard%2F%2Fevil.example", headers: form)
            #expect(sneaky.headers[.location] == "/dashboard")

            let logout = try await client.post("/dashboard/logout", "", headers: [.cookie: signedIn])
            #expect(logout.status == .seeOther)
            #expect(try await client.get("/dashboard", headers: [.cookie: signedIn]).status == .seeOther)
        }
    }

    @Test func aModelWithMismatchedReferenceServesAndIsMarkedNotMonitored() async throws {
        try await withDriftedServer { client, _, _ in
            let infer = try await client.post(
                "/v2/models/unmonitored/infer", #"{"inputs":[{"name":"input","shape":[1,2],"datatype":"FP64","data":[[1,2]]}]}"#)
            #expect(infer.status == .ok)
            let drift = try await client.get("/v1/models/unmonitored/drift").json
            #expect(drift["status"] as? String == "not_monitored")
            #expect((drift["reason"] as? String)?.contains("3 columns (a, b, c) but the model takes 2 features (x, y)") == true)
            let page = try await client.get("/dashboard/models/unmonitored").text
            #expect(page.contains("<strong>Not monitored:</strong> reference.csv has 3 columns"))
        }
    }

    @Test func filterSearchSortAndPagesArePlainLinks() async throws {
        try await withDriftedServer(extraFeatures: 60, shiftedWide: 5) { client, _, _ in
            let first = try await client.get("/dashboard/models/wide").text
            #expect(first.contains("page 1 of 3"))
            #expect(Self.featureRows(first).count == 25)
            #expect(Array(Self.featureRows(first).prefix(5)).sorted() == (0..<5).map { "feature_\($0)" })
            let next = try #require(DashboardFixture.links(in: first).first { $0.contains("page=2") })
            let second = try await client.get(String(next.prefix { $0 != "#" })).text
            #expect(second.contains("page 2 of 3"))
            #expect(Set(Self.featureRows(first)).isDisjoint(with: Self.featureRows(second)))

            let drifted = try await client.get("/dashboard/models/wide?filter=drifted").text
            #expect(Self.featureRows(drifted).sorted() == (0..<5).map { "feature_\($0)" })
            let named = try await client.get("/dashboard/models/wide?sort=name&q=feature_1").text
            #expect(Self.featureRows(named) == ["feature_1"] + (10...19).map { "feature_\($0)" })
            let bad = try await client.get("/dashboard/models/wide?sort=loudest")
            #expect(bad.status == .badRequest)
            #expect(bad.errorMessage.contains("sort must be one of severity, name, score, p"))
        }
    }

    @Test func aFiftyFeaturePageIsWellUnder200KB() async throws {
        try await withDriftedServer(extraFeatures: 50, shiftedWide: 3) { client, _, _ in
            let page = try await client.get("/dashboard/models/wide")
            #expect(page.status == .ok)
            #expect(page.body.readableBytes < 150_000, "\(page.body.readableBytes) bytes")
            let all = try await client.get("/dashboard/models/wide?page=2")
            #expect(all.body.readableBytes < 150_000)
        }
    }

    @Test func theAlertLinkOpensThePageOfTheReportThatFired() async throws {
        try await withDriftedServer({
            $0.alertWebhooks = ["http://127.0.0.1:9/hook"]
            $0.externalURL = "https://ops.example/"
        }) { client, services, now in
            let outbox = try #require(services.writer?.store.outbox)
            let items = try outbox.claimDue(at: now + 10, limit: 50, lease: 60)
            let payload = try #require(items.first.flatMap { try JSONSerialization.jsonObject(with: Data($0.payload)) as? [String: Any] })
            let alerts = try #require(payload["alerts"] as? [[String: Any]])
            let x1 = try #require(alerts.first { ($0["labels"] as? [String: String])?["feature"] == "x1" })
            let link = try #require(x1["generatorURL"] as? String)
            #expect(link.hasPrefix("https://ops.example/dashboard/models/shifty?since="))
            let path = String(link.dropFirst("https://ops.example".count))
            let page = try await client.get(path)
            #expect(page.status == .ok)
            #expect(page.text.contains("This is the report of the window asked for"))
            #expect(Self.featureRows(page.text).first == "x1")
            #expect(try await client.get("/dashboard/models/shifty?since=1000&until=2000").status == .notFound)
        }
    }
}
