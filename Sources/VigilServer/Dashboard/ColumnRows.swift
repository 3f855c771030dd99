import VigilModels
import VigilMonitor
import VigilStats
import VigilStore

/// The rows and chart cards of a model page's columns (features or predictions).
struct ColumnRows: Sendable {
    var report: DriftReport
    var content: ModelPageContent

    func table(_ columns: [ColumnDrift], caption: String) -> HTML {
        guard !columns.isEmpty else { return "<p class=\"muted\">No column matches.</p>\n" }
        return """
            <div class="table-wrap"><table class="columns"><caption class="muted">\(caption)</caption>
            <thead><tr><th>column</th><th>verdict and why</th><th>test</th><th class="n">statistic</th><th class="n">p</th>\
            <th class="n">p corrected</th><th>effect sizes (threshold)</th><th class="n">rows</th><th class="n">missing</th>\
            <th class="n">out of range</th><th class="hide-narrow">score, 24 h</th></tr></thead><tbody>
            \(columns.map(row))</tbody></table></div>

            """
    }

    private func row(_ column: ColumnDrift) -> HTML {
        let settings = report.settings
        let effects = ColumnOrder.effects(column, settings).map { effect -> HTML in
            let passes = effect.value >= effect.threshold
            return
                "<span class=\"\(passes ? "pass" : "")\">\(effect.name) \(DashboardFormat.number(effect.value)) \(passes ? "≥" : "<") \(DashboardFormat.number(effect.threshold))</span><br>"
        }
        let verdict: DashboardStatus = report.status == .insufficientData ? .insufficientData : column.drifted ? .drift : .ok
        let missing =
            column.missingRate.map { current in
                "\(DashboardFormat.percent(current))" + (column.referenceMissingRate.map { " (ref \(DashboardFormat.percent($0)))" } ?? "")
            } ?? "–"
        let key = DriftMonitor.alertKey(column)
        let spark = SVGChart.sparkline(
            title: "\(column.name): Jensen–Shannon distance per drift run, last 24 h",
            points: content.scores[key] ?? [], threshold: settings.jensenShannon, legend: "JS", valueLabel: "Jensen–Shannon distance")
        let name: HTML =
            "\(column.name)\(column.critical ? HTML(" <span title=\"critical: its drift alone is dataset drift\">★</span>") : "")"
        return """
            <tr class="\(column.drifted ? "drifted" : "")"><td><a href="#c-\(anchor(column))">\(name)</a> <span class="muted">\(column.kind.rawValue)</span></td>\
            <td>\(DashboardPage.badge(verdict))<div class="why">\(why(column))</div></td><td>\(column.test ?? "–")</td>\
            <td class="n">\(DashboardFormat.number(column.statistic))</td><td class="n">\(DashboardFormat.number(column.pValue))</td>\
            <td class="n">\(DashboardFormat.number(column.correctedPValue))</td><td>\(effects)</td><td class="n">\(column.rows)</td>\
            <td class="n">\(missing)</td><td class="n">\(DashboardFormat.percent(column.outOfRangeRate))</td><td class="hide-narrow">\(spark)</td></tr>

            """
    }

    /// Why the verdict is what it is, in words.
    func why(_ column: ColumnDrift) -> String {
        let settings = report.settings
        if report.status == .insufficientData {
            return "insufficient data: \(report.rows) rows in the window, \(settings.minimumRows) needed"
        }
        guard let test = column.test, let corrected = column.correctedPValue else { return "not tested: no values in the window" }
        let alpha = DashboardFormat.number(settings.pValue)
        let passing = ColumnOrder.effects(column, settings).filter { $0.value >= $0.threshold }
            .map { "\($0.name) \(DashboardFormat.number($0.value)) ≥ \(DashboardFormat.number($0.threshold))" }
        let significance = "\(test) corrected p \(DashboardFormat.number(corrected))"
        if column.drifted { return "\(significance) < \(alpha), and \(passing.joined(separator: ", "))" }
        if corrected >= settings.pValue {
            return "\(significance) ≥ \(alpha): not significant"
                + (passing.isEmpty ? "" : " (\(passing.joined(separator: ", ")) alone is not drift)")
        }
        return "\(significance) < \(alpha), but no effect size reaches its threshold: significant, too small to matter"
    }

    func cards(_ columns: [ColumnDrift]) -> HTML {
        guard !columns.isEmpty else { return "" }
        return "<div class=\"cards\">\n\(columns.map(card))</div>\n"
    }

    private func card(_ column: ColumnDrift) -> HTML {
        let verdict: DashboardStatus = report.status == .insufficientData ? .insufficientData : column.drifted ? .drift : .ok
        return """
            <section class="card" id="c-\(anchor(column))"><h3>\(column.name) \(DashboardPage.badge(verdict))</h3>\(chart(column))</section>

            """
    }

    private func chart(_ column: ColumnDrift) -> HTML {
        guard let profile = content.profile?.column(column.role, column.name) else {
            return "<p class=\"muted\">No reference profile to chart against.</p>"
        }
        let window = content.windows[ColumnKey(model: report.model, role: column.role, feature: column.name)]
        switch column.kind {
        case .numeric:
            guard let bins = profile.bins else { return "<p class=\"muted\">The reference has no values to bin.</p>" }
            let edges = bins.edges
            var labels = ["< " + DashboardFormat.number(edges.first)]
            for index in 0..<(edges.count - 1) { labels.append(DashboardFormat.number(edges[index])) }
            labels.append("> " + DashboardFormat.number(edges.last))
            var current = (window?.slotCounts ?? []).map(Double.init)
            // The store leaves off empty trailing slots.
            if current.count < bins.slotCount { current += [Double](repeating: 0, count: bins.slotCount - current.count) }
            if current.count != bins.slotCount { current = [] }
            return SVGChart.bars(
                title: "\(column.name): reference against current, share of rows per reference-quantile bin (lower edges shown)",
                labels: labels, reference: shares(profile.binCounts), current: shares(current))
        case .categorical:
            let reference = profile.categories
            let current = window?.categories ?? [:]
            var names = reference.keys.sorted { (reference[$0] ?? 0, $1) > (reference[$1] ?? 0, $0) }
            names += current.keys.filter { reference[$0] == nil }.sorted { (current[$0] ?? 0, $1) > (current[$1] ?? 0, $0) }
            let shown = Array(names.prefix(16))
            let referenceTotal = Double(max(reference.values.reduce(0, +), 1))
            let currentTotal = Double(max(current.values.reduce(0, +), 1))
            var labels = shown.map { $0 == ColumnWindow.otherCategory ? "other unseen" : $0 }
            var referenceShares = shown.map { Double(reference[$0] ?? 0) / referenceTotal }
            var currentShares = shown.map { Double(current[$0] ?? 0) / currentTotal }
            let rest = names.dropFirst(16)
            if !rest.isEmpty {
                labels.append("\(rest.count) more")
                referenceShares.append(rest.reduce(0) { $0 + Double(reference[$1] ?? 0) } / referenceTotal)
                currentShares.append(rest.reduce(0) { $0 + Double(current[$1] ?? 0) } / currentTotal)
            }
            let unseen = Set(shown.indices.filter { reference[shown[$0]] == nil })
            return SVGChart.bars(
                title: "\(column.name): reference against current, share of rows per category", labels: labels,
                reference: referenceShares, current: currentShares, marked: unseen)
        }
    }

    private func shares(_ counts: [Double]) -> [Double] {
        let total = counts.reduce(0, +)
        return total > 0 ? counts.map { $0 / total } : counts
    }

    /// A fragment id for a column, from its role and position (names may hold anything).
    private func anchor(_ column: ColumnDrift) -> String {
        let list = column.role == .input ? report.features : report.predictions
        let index = list.firstIndex { $0.name == column.name } ?? 0
        return "\(column.role == .input ? "f" : "o")\(index)"
    }
}
