import Foundation
import VigilModels
import VigilMonitor
import VigilStore

/// A drift report as one self-contained HTML page (inline CSS, no scripts).
enum DriftReportHTML {
    static func render(_ report: DriftReport, title: String) -> String {
        var rows = ""
        for column in report.features + report.predictions {
            rows += """
                <tr class="\(column.drifted ? "drift" : "")"><td>\(escape(column.name))\(column.critical ? " ★" : "")\(column.role == .output ? " (prediction)" : "")</td>\
                <td>\(column.kind.rawValue)</td><td>\(column.test ?? "–")</td><td>\(DriftReportText.number(column.statistic))</td>\
                <td>\(DriftReportText.number(column.correctedPValue))</td><td>\(DriftReportText.number(column.wasserstein))</td>\
                <td>\(DriftReportText.number(column.psi))</td><td>\(DriftReportText.number(column.jensenShannon))</td>\
                <td>\(column.drifted ? "drift" : "ok")</td></tr>

                """
        }
        let verdict = report.status == .drift ? "Dataset drift" : report.status == .ok ? "No dataset drift" : "Insufficient data"
        return """
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8"><title>\(escape(title))</title>
            <style>body{font:14px system-ui,sans-serif;margin:2em}table{border-collapse:collapse}td,th{padding:4px 10px;border-bottom:1px solid #ddd;text-align:left}
            tr.drift{background:#fde2e1}.verdict{font-size:1.4em;font-weight:600}</style></head>
            <body><h1>\(escape(title))</h1>
            <p class="verdict">\(verdict): \(report.features.filter(\.drifted).count) of \(report.features.count) features drifted</p>
            <p>Reference rows \(report.referenceRows), current rows \(report.rows).</p>
            <table><thead><tr><th>column</th><th>kind</th><th>test</th><th>statistic</th><th>p (corrected)</th><th>W/sd</th><th>PSI</th><th>JS</th><th>verdict</th></tr></thead>
            <tbody>
            \(rows)</tbody></table></body></html>

            """
    }

    /// Escapes text for HTML element content and attribute values.
    static func escape(_ text: String) -> String {
        var escaped = ""
        for character in text {
            switch character {
            case "&": escaped += "&amp;"
            case "<": escaped += "&lt;"
            case ">": escaped += "&gt;"
            case "\"": escaped += "&quot;"
            case "'": escaped += "&#39;"
            default: escaped.append(character)
            }
        }
        return escaped
    }
}
