import FoundationEssentials
import VigilModels
import VigilMonitor

/// Which columns a model page lists, and in what order.
enum ColumnOrder {
    static func filter(_ columns: [ColumnDrift], query: ModelPageQuery) -> [ColumnDrift] {
        let needle = query.search.lowercased()
        return columns.filter { column in
            (query.filter == .all || column.drifted) && (needle.isEmpty || column.name.lowercased().contains(needle))
        }
    }

    static func sort(_ columns: [ColumnDrift], by sort: ModelPageQuery.Sort, settings: DriftSettings) -> [ColumnDrift] {
        switch sort {
        case .name:
            return columns.sorted { $0.name < $1.name }
        case .score:
            return columns.sorted { ($0.jensenShannon ?? -1, $1.name) > ($1.jensenShannon ?? -1, $0.name) }
        case .p:
            return columns.sorted { ($0.correctedPValue ?? 2, $0.name) < ($1.correctedPValue ?? 2, $1.name) }
        case .severity:
            return columns.sorted { a, b in
                if a.drifted != b.drifted { return a.drifted }
                let ra = severity(a, settings)
                let rb = severity(b, settings)
                return ra != rb ? ra > rb : a.name < b.name
            }
        }
    }

    /// The largest ratio of an effect size to its threshold: 1 means at the threshold.
    static func severity(_ column: ColumnDrift, _ settings: DriftSettings) -> Double {
        effects(column, settings).map { $0.value / max($0.threshold, 1e-12) }.max() ?? 0
    }

    /// The effect sizes of a column beside their thresholds.
    static func effects(_ column: ColumnDrift, _ settings: DriftSettings) -> [(name: String, value: Double, threshold: Double)] {
        var effects: [(String, Double?, Double)] = []
        switch column.kind {
        case .numeric:
            effects = [
                ("W/sd", column.wasserstein, settings.wasserstein), ("PSI", column.psi, settings.psi),
                ("JS", column.jensenShannon, settings.jensenShannon),
            ]
        case .categorical:
            effects = [("JS", column.jensenShannon, settings.jensenShannon), ("unseen", column.unseenShare, settings.unseenShare)]
        }
        return effects.compactMap { name, value, threshold in value.map { (name, $0, threshold) } }
    }
}
