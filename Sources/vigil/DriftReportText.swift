import FoundationEssentials
import VigilModels
import VigilMonitor
import VigilStore

/// A drift report as a terminal table.
enum DriftReportText {
    static func render(_ report: DriftReport) -> String {
        var lines: [String] = []
        let verdict: String
        switch report.status {
        case .drift: verdict = "DATASET DRIFT"
        case .ok: verdict = "no dataset drift"
        case .insufficientData: verdict = "insufficient data (\(report.rows) rows; at least \(report.settings.minimumRows) needed)"
        }
        lines.append(
            "\(verdict): \(report.features.filter(\.drifted).count) of \(report.features.count) features drifted (\(percent(report.driftedShare)); threshold \(percent(report.settings.datasetShare)))"
        )
        lines.append(
            "reference rows \(report.referenceRows), current rows \(report.rows); p < \(report.settings.pValue) after \(report.settings.correction == .bonferroni ? "Bonferroni" : "Benjamini–Hochberg") and an effect size over its threshold"
        )
        lines.append("")
        let header = ["feature", "kind", "test", "statistic", "p (corr.)", "W/sd", "PSI", "JS", "unseen", "missing", "drift"]
        var rows = [header]
        for column in report.features {
            rows.append([
                column.name + (column.critical ? " *" : ""), column.kind.rawValue, column.test ?? "-", number(column.statistic),
                number(column.correctedPValue), number(column.wasserstein), number(column.psi), number(column.jensenShannon),
                column.unseenShare.map(percent) ?? "-", column.missingRate.map(percent) ?? "-", column.drifted ? "DRIFT" : "",
            ])
        }
        let widths = header.indices.map { index in rows.map { $0[index].count }.max() ?? 0 }
        for row in rows {
            lines.append(
                row.enumerated().map { $0.element + String(repeating: " ", count: max(widths[$0.offset] - $0.element.count, 0)) }.joined(
                    separator: "  "))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    static func number(_ value: Double?) -> String {
        guard let value else { return "-" }
        return value != 0 && abs(value) < 0.001 ? String(printf: "%.2e", value) : String(printf: "%.4f", value)
    }

    static func percent(_ share: Double) -> String { String(printf: "%.0f%%", share * 100) }
}
