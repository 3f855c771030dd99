import VigilModels
import VigilMonitor
import VigilStore

/// `GET /dashboard/models/{name}`: the report's verdict and why, a table of every column sorted by
/// severity, reference-against-current charts, drift history, the alert timeline and the signature.
/// `vigil drift --format html` renders the same page as a standalone file.
public struct ModelPage: Sendable {
    var page: DashboardPage
    var content: ModelPageContent
    var query: ModelPageQuery

    /// A standalone page for `content`: stylesheet inline, every column on one page, no server links.
    public static func standalone(_ content: ModelPageContent) -> String {
        var query = ModelPageQuery()
        query.refresh = false
        return ModelPage(page: DashboardPage(root: "", refresh: nil, standalone: true), content: content, query: query).render().text
    }

    func render() -> HTML {
        var body: HTML = "<h1>\(content.name) \(DashboardPage.badge(content.status))</h1>\n"
        if let detail = content.detail {
            let error = content.status == .notReady || content.status == .unloaded
            let label = error ? "Not serving" : content.status == .notMonitored ? "Not monitored" : "Note"
            body += "<p class=\"notice\(error ? " error" : "")\"><strong>\(label):</strong> \(detail)</p>\n"
        }
        if let report = content.report {
            body += summary(report)
            body += columnsSection(report)
            if !report.predictions.isEmpty { body += predictionsSection(report) }
        } else if content.status != .notReady && content.status != .notMonitored {
            body +=
                "<p class=\"notice\">No drift report yet. The monitor tests this model every drift interval once predictions arrive.</p>\n"
        }
        if !page.standalone { body += alertsSection() }
        if let info = content.info { body += signature(info) }
        var heading: HTML = "<span>/ \(content.name)</span>"
        if !page.standalone {
            let toggle = query.link(refresh: !query.refresh)
            heading +=
                "<span class=\"meta\"><a href=\"\(page.root)/dashboard/models/\(content.name)\(toggle)\">\(query.refresh ? "stop auto-refresh" : "auto-refresh")</a></span>"
        }
        return page.render(title: "Vigil: \(content.name)", heading: heading, body: body)
    }

    private func summary(_ report: DriftReport) -> HTML {
        let drifted = report.features.filter(\.drifted).count
        let settings = report.settings
        let verdict: HTML
        switch report.status {
        case .drift:
            verdict =
                "Dataset drift: \(drifted) of \(report.features.count) features drifted (\(DashboardFormat.percent(report.driftedShare)); the threshold is \(DashboardFormat.percent(settings.datasetShare))\(report.features.contains { $0.drifted && $0.critical } ? HTML(", and a critical feature drifted") : ""))."
        case .ok:
            verdict =
                "No dataset drift: \(drifted) of \(report.features.count) features drifted (\(DashboardFormat.percent(report.driftedShare)); the threshold is \(DashboardFormat.percent(settings.datasetShare)))."
        case .insufficientData:
            verdict = "Insufficient data: the window holds \(report.rows) rows; a verdict needs at least \(settings.minimumRows)."
        }
        let correction = settings.correction == .bonferroni ? "Bonferroni" : "Benjamini–Hochberg"
        var html: HTML = """
            <p class="verdict">\(verdict)</p>
            <p>Window \(DashboardFormat.time(report.windowStart)) to \(DashboardFormat.time(report.windowEnd)): \(report.rows) rows, \
            against \(report.referenceRows) reference rows. Run at \(DashboardFormat.time(report.createdAt)). \
            A column drifts when its test is significant (p &lt; \(DashboardFormat.number(settings.pValue)) after \(correction) correction) \
            and an effect size passes its threshold.</p>

            """
        if !page.standalone {
            if query.since != nil || query.until != nil {
                html +=
                    "<p>This is the report of the window asked for. <a href=\"\(page.root)/dashboard/models/\(content.name)\">Show the latest report</a>.</p>\n"
            } else {
                let since = Int64(report.windowStart.rounded(.down))
                let until = Int64(report.createdAt.rounded(.up))
                html +=
                    "<p class=\"noprint\"><a href=\"\(page.root)/dashboard/models/\(content.name)?since=\(since)&amp;until=\(until)\">Permanent link to this report</a> · "
                html +=
                    "<a href=\"\(page.root)/v1/models/\(content.name)/drift\">JSON</a> · <a href=\"\(page.root)/v1/models/\(content.name)/drift/history\">history JSON</a></p>\n"
            }
            let spark = SVGChart.sparkline(
                title: "Share of drifted features per drift run, last 24 h", points: content.shares,
                threshold: settings.datasetShare, maximum: 1, width: 360, height: 70, legend: "drifted share",
                valueLabel: "share of features that drifted")
            html += "<p>Drifted share, last 24 h: \(spark)</p>\n"
        }
        return html
    }

    private func columnsSection(_ report: DriftReport) -> HTML {
        let matching = ColumnOrder.filter(report.features, query: query)
        let sorted = ColumnOrder.sort(matching, by: query.sort, settings: report.settings)
        let perPage = page.standalone ? max(sorted.count, 1) : ModelPageQuery.perPage
        let pages = max(1, (sorted.count + perPage - 1) / perPage)
        let pageNumber = min(query.page, pages)
        let shown = Array(sorted.dropFirst((pageNumber - 1) * perPage).prefix(perPage))
        var html: HTML = "<h2 id=\"features\">Features</h2>\n"
        if !page.standalone { html += controls(total: report.features.count, matching: matching.count) }
        html += ColumnRows(report: report, content: content).table(shown, caption: "Feature drift")
        if pages > 1 { html += pagination(pageNumber, of: pages) }
        html += ColumnRows(report: report, content: content).cards(shown)
        return html
    }

    private func predictionsSection(_ report: DriftReport) -> HTML {
        let rows = ColumnRows(report: report, content: content)
        return "<h2 id=\"predictions\">Prediction drift</h2>\n" + rows.table(report.predictions, caption: "Prediction drift")
            + rows.cards(report.predictions)
    }

    private func controls(total: Int, matching: Int) -> HTML {
        let base = "\(page.root)/dashboard/models/\(content.name)"
        let filters = ModelPageQuery.Filter.allCases.map { filter -> HTML in
            filter == query.filter
                ? "<strong>\(filter.rawValue)</strong> "
                : "<a href=\"\(base)\(query.link(filter: filter, page: 1))#features\">\(filter.rawValue)</a> "
        }
        let sorts = ModelPageQuery.Sort.allCases.map { sort -> HTML in
            sort == query.sort
                ? "<strong>\(sort.rawValue)</strong> "
                : "<a href=\"\(base)\(query.link(sort: sort, page: 1))#features\">\(sort.rawValue)</a> "
        }
        var hidden: HTML = ""
        if let since = query.since { hidden += "<input type=\"hidden\" name=\"since\" value=\"\(String(since))\">" }
        if let until = query.until { hidden += "<input type=\"hidden\" name=\"until\" value=\"\(String(until))\">" }
        if query.sort != .severity { hidden += "<input type=\"hidden\" name=\"sort\" value=\"\(query.sort.rawValue)\">" }
        if query.filter != .all { hidden += "<input type=\"hidden\" name=\"filter\" value=\"\(query.filter.rawValue)\">" }
        return """
            <nav class="filters">Show: \(filters) · Sort: \(sorts) · \(matching) of \(total) features</nav>
            <form class="controls" method="get" action="\(base)#features">\(hidden)<label>Name contains <input type="search" name="q" value="\(query.search)"></label>\
            <button type="submit">Search</button></form>

            """
    }

    private func pagination(_ current: Int, of pages: Int) -> HTML {
        let base = "\(page.root)/dashboard/models/\(content.name)"
        var links: [HTML] = []
        if current > 1 { links.append("<a href=\"\(base)\(query.link(page: current - 1))#features\">previous</a>") }
        links.append("<span>page \(current) of \(pages)</span>")
        if current < pages { links.append("<a href=\"\(base)\(query.link(page: current + 1))#features\">next</a>") }
        return "<nav class=\"pages\">\(links)</nav>\n"
    }

    private func alertsSection() -> HTML {
        var rows: [HTML] = []
        for timeline in content.alerts {
            let key = timeline.alert.feature == DriftMonitor.datasetAlertKey ? "dataset" : timeline.alert.feature
            for transition in timeline.transitions.reversed() {
                rows.append(
                    "<tr><td>\(DashboardFormat.time(transition.at))</td><td>\(key)</td><td>\(transition.from ?? "–") → \(DashboardPage.badge(alertState: transition.to))</td><td class=\"why\">\(transition.detail)</td></tr>\n"
                )
            }
            if let acknowledged = timeline.alert.acknowledgedAt {
                rows.append(
                    "<tr><td>\(DashboardFormat.time(acknowledged))</td><td>\(key)</td><td><span class=\"badge s-serving\">acknowledged</span></td><td></td></tr>\n"
                )
            }
        }
        guard !rows.isEmpty else {
            return "<h2 id=\"alerts\">Alerts</h2>\n<p class=\"muted\">No alert has been raised for this model.</p>\n"
        }
        return """
            <h2 id="alerts">Alerts</h2>
            <div class="table-wrap"><table><caption class="muted">Alert transitions, newest first</caption>
            <thead><tr><th>time</th><th>alert</th><th>transition</th><th>detail</th></tr></thead><tbody>
            \(rows)</tbody></table></div>

            """
    }

    private func signature(_ info: ModelInfo) -> HTML {
        let features = info.features.map { "\($0.name) (\($0.kind.rawValue))" }.joined(separator: ", ")
        let inputs = info.inputs.map { "\($0.name) \($0.datatype.rawValue) \($0.shape)" }.joined(separator: "; ")
        let outputs = info.outputs.map { "\($0.name) \($0.datatype.rawValue) \($0.shape)" }.joined(separator: "; ")
        return """
            <h2 id="signature">Signature</h2>
            <dl class="sig"><dt>format</dt><dd>\(info.format)</dd><dt>version</dt><dd>\(info.version)</dd>\
            <dt>features</dt><dd>\(features)</dd><dt>V2 inputs</dt><dd>\(inputs)</dd><dt>V2 outputs</dt><dd>\(outputs)</dd></dl>

            """
    }
}
