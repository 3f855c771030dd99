/// `GET /dashboard`: one row per model with its status, traffic, last drift run, firing alerts and
/// a day of its dataset drift share.
struct OverviewPage: Sendable {
    var page: DashboardPage
    var models: [ModelOverview]
    var datasetShare: Double
    /// The link that turns self-refresh off (or on), with the current path.
    var refreshToggle: HTML

    func render() -> HTML {
        let counts = DashboardStatus.allCases.compactMap { status -> HTML? in
            let count = models.filter { $0.status == status }.count
            return count == 0 ? nil : "\(DashboardPage.badge(status)) \(count) "
        }
        let rows = models.map(row)
        let body: HTML = """
            <h1>Models</h1>
            <p>\(models.count) models: \(counts)</p>
            <div class="table-wrap"><table class="models">
            <thead><tr><th>model</th><th>status</th><th class="n">requests/min</th><th class="n">errors</th><th>last drift run</th>\
            <th>firing alerts</th><th class="hide-narrow">drifted share, 24 h</th></tr></thead>
            <tbody>
            \(rows)</tbody></table></div>
            <p class="muted">Rates cover the last 5 minutes. Drift runs test each model's recent window against its reference.</p>

            """
        let heading: HTML = "<span>dashboard</span><span class=\"meta\">\(refreshToggle)</span>"
        return page.render(title: "Vigil: models", heading: heading, body: body)
    }

    private func row(_ model: ModelOverview) -> HTML {
        let link: HTML = "<a href=\"\(page.root)/dashboard/models/\(model.name)\">\(model.name)</a>"
        let detail: HTML = model.detail.map { "<div class=\"why\">\($0)</div>" } ?? ""
        let firing: HTML =
            model.firing.isEmpty
            ? "<span class=\"muted\">none</span>"
            : HTML(
                trusted: model.firing.map { (key: String) -> String in
                    let label = key == "__dataset__" ? "dataset" : key
                    return HTML("<span class=\"badge s-firing\">\(label)</span>").text
                }.joined(separator: " "))
        let errors = DashboardFormat.percent(model.rate.errorShare)
        let spark = SVGChart.sparkline(
            title: "\(model.name): share of drifted features per drift run, last 24 h", points: model.shares,
            threshold: datasetShare, maximum: 1, legend: "share", valueLabel: "share of features that drifted")
        return """
            <tr class="\(model.status == .drift ? "drifted" : "")"><td>\(link)\(model.version.map { HTML(" <span class=\"muted\">v\($0)</span>") } ?? "")</td>\
            <td>\(DashboardPage.badge(model.status))\(detail)</td><td class="n">\(DashboardFormat.rate(model.rate.perMinute))</td>\
            <td class="n">\(errors)</td><td>\(DashboardFormat.time(model.lastRun))</td><td>\(firing)</td><td class="hide-narrow">\(spark)</td></tr>

            """
    }
}
