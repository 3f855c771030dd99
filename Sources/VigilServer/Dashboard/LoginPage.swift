/// The dashboard's login form: one password field for the dashboard token.
struct LoginPage: Sendable {
    var page: DashboardPage
    var next: String
    var failed: Bool

    func render() -> HTML {
        let message: HTML = failed ? "<p class=\"notice error\">That token is not the dashboard token.</p>" : ""
        let body: HTML = """
            <form class="login" method="post" action="\(page.root)/dashboard/login">
            <h1>Vigil dashboard</h1>\(message)
            <label>Dashboard token <input type="password" name="token" autocomplete="current-password" required autofocus></label>
            <input type="hidden" name="next" value="\(next)">
            <button type="submit">Log in</button>
            <p class="muted">The token is the one Vigil was started with (--dashboard-token or VIGIL_DASHBOARD_TOKEN).</p>
            </form>

            """
        return page.render(title: "Vigil: log in", heading: "", body: body)
    }
}
