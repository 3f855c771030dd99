import FoundationEssentials
public import VigilModels
import VigilStats
public import VigilStore

/// Drift between two CSV files with the server's engine: the first is the reference, the second
/// the current data, counted exactly as live windows are (same bins, category rules and tests).
public enum OfflineDrift {
    /// The report comparing `current` with `reference`. Every value of both files is kept for the exact tests.
    public static func report(
        reference: CSVTable, current: CSVTable, configuration: ModelConfiguration, settings: DriftSettings,
        now: Double
    ) throws(ModelError) -> DriftReport {
        try compare(reference: reference, current: current, configuration: configuration, settings: settings, now: now).report
    }

    /// The report with the profile and the current windows it was computed from, for charts.
    public static func compare(
        reference: CSVTable, current: CSVTable, configuration: ModelConfiguration, settings: DriftSettings,
        now: Double
    ) throws(ModelError) -> (report: DriftReport, profile: ReferenceProfile, windows: [ColumnKey: ColumnWindow]) {
        let ignored = ModelLoader.ignoredColumns(configuration)
        let referenceTable = reference.selecting(columns: reference.header.filter { !ignored.contains($0) })
        guard let features = try ModelLoader().resolveFeatures(configuration: configuration, reference: referenceTable), !features.isEmpty
        else {
            throw ModelError(.invalidModel, "the reference file has no columns to compare")
        }
        let missing = features.map(\.name).filter { !current.header.contains($0) }
        guard missing.isEmpty else {
            throw ModelError(.invalidModel, "the current file lacks the columns \(missing.joined(separator: ", "))")
        }
        let capacity = max(reference.rows.count, current.rows.count, 1)
        let profile = ReferenceProfile.build(
            model: "offline", features: features, configuration: configuration, table: referenceTable, sampleCapacity: capacity)
        var generator = SplitMix64(seed: 0xD81F7)
        var windows: [ColumnKey: ColumnWindow] = [:]
        for column in profile.columns {
            var window = ColumnWindow(profile: profile.fingerprint, slotCount: column.bins?.slotCount ?? 0, sampleCapacity: capacity)
            let cells = current.header.firstIndex(of: column.name).map { current.column($0) } ?? []
            let known = Set(column.categories.keys)
            for cell in cells {
                switch column.kind {
                case .numeric: window.add(number: CSVTable.number(cell), bins: column.bins, using: &generator)
                case .categorical: window.add(category: CategoryName.of(cell: cell), known: known, unseenCap: Int.max)
                }
            }
            windows[ColumnKey(model: profile.model, role: .input, feature: column.name)] = window
        }
        let report = DriftEngine(settings: settings).report(
            profile: profile, current: windows, windowStart: now, windowEnd: now, createdAt: now)
        return (report, profile, windows)
    }
}
