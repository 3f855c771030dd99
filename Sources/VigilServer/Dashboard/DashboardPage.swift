/// The frame every dashboard page shares: head, stylesheet, self-refresh and the top bar.
struct DashboardPage: Sendable {
    /// The path prefix links start with: the base path and a trusted proxy's prefix, or empty.
    var root: String
    /// Seconds between self-refreshes; nil for none.
    var refresh: Int?
    /// A standalone file (`vigil drift --format html`): the stylesheet inline, no links to a server.
    var standalone = false

    func render(title: String, heading: HTML, body: HTML) -> HTML {
        let style: HTML =
            standalone
            ? "<style>\(HTML(trusted: DashboardStyle.css))</style>"
            : "<link rel=\"stylesheet\" href=\"\(root)/dashboard/style.css\">"
        let refreshTag: HTML = refresh.map { "<meta http-equiv=\"refresh\" content=\"\($0)\">" } ?? ""
        let home: HTML = standalone ? "<span>Vigil</span>" : "<a href=\"\(root)/dashboard\">Vigil</a>"
        return """
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">\
            <meta name="color-scheme" content="light dark">\(refreshTag)<title>\(title)</title>\(style)</head>
            <body><header class="top">\(home)\(heading)</header>
            <main>
            \(body)</main></body></html>

            """
    }

    /// A status badge.
    static func badge(_ status: DashboardStatus) -> HTML {
        "<span class=\"badge \(status.cssClass)\">\(status.rawValue)</span>"
    }

    /// A badge for an alert state.
    static func badge(alertState state: String) -> HTML {
        "<span class=\"badge s-\(state)\">\(state)</span>"
    }
}
