public import VigilModels
import VigilStats
public import VigilStore

/// Tests a current window against a reference profile. Pure: a profile and windows in, a report out;
/// the server's monitor and `vigil drift` both use it.
public struct DriftEngine: Sendable {
    public var settings: DriftSettings

    public init(settings: DriftSettings) { self.settings = settings }

    public func report(
        profile: ReferenceProfile, current: [ColumnKey: ColumnWindow], windowStart: Double, windowEnd: Double, createdAt: Double
    ) -> DriftReport {
        func window(_ column: ColumnProfile) -> ColumnWindow? {
            current[ColumnKey(model: profile.model, role: column.role, feature: column.name)]
        }
        var inputs = profile.columns.filter { $0.role == .input }.map { analyse($0, window($0)) }
        var outputs = profile.columns.filter { $0.role == .output }.map { analyse($0, window($0)) }
        let rows = inputs.map(\.rows).max() ?? 0
        let enough = rows >= Int64(settings.minimumRows)
        decide(&inputs, enough: enough)
        decide(&outputs, enough: enough)
        let drifted = inputs.filter(\.drifted)
        let share = inputs.isEmpty ? 0 : Double(drifted.count) / Double(inputs.count)
        let datasetDrift = enough && (share >= settings.datasetShare || drifted.contains { $0.critical })
        return DriftReport(
            model: profile.model, createdAt: createdAt, windowStart: windowStart, windowEnd: windowEnd, rows: rows,
            referenceRows: profile.rowCount, status: !enough ? .insufficientData : datasetDrift ? .drift : .ok,
            datasetDrift: datasetDrift, driftedShare: share, settings: settings, features: inputs, predictions: outputs)
    }

    /// Corrects the p-values of one group of columns and applies the drift rule to each.
    private func decide(_ columns: inout [ColumnDrift], enough: Bool) {
        let tested = columns.indices.filter { columns[$0].pValue != nil }
        let raw = tested.compactMap { columns[$0].pValue }
        let corrected = settings.correction == .bonferroni ? bonferroni(raw) : benjaminiHochberg(raw)
        for (index, value) in zip(tested, corrected) { columns[index].correctedPValue = value }
        for index in columns.indices {
            let significant = (columns[index].correctedPValue ?? 1) < settings.pValue
            columns[index].drifted = enough && significant && !columns[index].effects.isEmpty
        }
    }

    private func analyse(_ column: ColumnProfile, _ window: ColumnWindow?) -> ColumnDrift {
        let reference = column.moments
        var drift = ColumnDrift(
            name: column.name, role: column.role, kind: column.kind, critical: column.critical, effects: [], drifted: false,
            rows: window.map { $0.moments.count + $0.moments.missing } ?? 0)
        drift.referenceMissingRate = rate(reference.missing, of: reference.count + reference.missing)
        guard let window else { return drift }
        drift.missingRate = rate(window.moments.missing, of: window.moments.count + window.moments.missing)
        if let current = drift.missingRate, let reference = drift.referenceMissingRate { drift.missingRateChange = current - reference }
        switch column.kind {
        case .numeric: analyseNumeric(column, window, into: &drift)
        case .categorical: analyseCategorical(column, window, into: &drift)
        }
        return drift
    }

    private func analyseNumeric(_ column: ColumnProfile, _ window: ColumnWindow, into drift: inout ColumnDrift) {
        // Samples never hold NaN (it is counted as missing), so one sort serves both tests.
        let referenceSample = column.sample.sorted()
        let currentSample = window.sample.values.sorted()
        if let ks = kolmogorovSmirnov(sortedA: referenceSample, sortedB: currentSample) {
            drift.test = "ks"
            drift.statistic = ks.statistic
            drift.pValue = ks.pValue
        }
        if let distance = wasserstein(sortedU: referenceSample, sortedV: currentSample) {
            drift.wasserstein = distance / max(column.moments.standardDeviation ?? 0, 0.001)
        }
        var currentCounts = window.slotCounts.map(Double.init)
        // Windows read back from the store end at their last non-empty slot (an empty overflow
        // stores no row); the missing slots are zeros, not a different binning.
        if currentCounts.count < column.binCounts.count {
            currentCounts += [Double](repeating: 0, count: column.binCounts.count - currentCounts.count)
        }
        if currentCounts.count == column.binCounts.count, window.moments.count > 0 {
            drift.psi = populationStabilityIndex(reference: column.binCounts, current: currentCounts)
            drift.jensenShannon = jensenShannon(column.binCounts, currentCounts)
            if let first = currentCounts.first, let last = currentCounts.last {
                drift.outOfRangeRate = (first + last) / Double(window.moments.count)
            }
        }
        if let value = drift.wasserstein, value >= settings.wasserstein { drift.effects.append("wasserstein") }
        if let value = drift.psi, value >= settings.psi { drift.effects.append("psi") }
        if let value = drift.jensenShannon, value >= settings.jensenShannon { drift.effects.append("jensen_shannon") }
    }

    /// How many categories a report lists per column: the largest moves.
    static let categoriesShown = 10

    private func analyseCategorical(_ column: ColumnProfile, _ window: ColumnWindow, into drift: inout ColumnDrift) {
        let names = Set(column.categories.keys).union(window.categories.keys).sorted()
        let referenceCounts = names.map { Double(column.categories[$0] ?? 0) }
        let currentCounts = names.map { Double(window.categories[$0] ?? 0) }
        if let chi2 = chiSquaredHomogeneity(reference: referenceCounts, current: currentCounts) {
            drift.test = "chi2"
            drift.statistic = chi2.statistic
            drift.pValue = chi2.pValue
        }
        drift.jensenShannon = jensenShannon(referenceCounts, currentCounts)
        let currentTotal = currentCounts.reduce(0, +)
        if currentTotal > 0 {
            let unseen = zip(names, currentCounts).filter { column.categories[$0.0] == nil }.reduce(0) { $0 + $1.1 }
            drift.unseenShare = unseen / currentTotal
            let referenceTotal = max(referenceCounts.reduce(0, +), 1)
            let shifts = names.indices.map { index in
                CategoryShift(
                    name: names[index], referenceShare: referenceCounts[index] / referenceTotal,
                    currentShare: currentCounts[index] / currentTotal, unseen: column.categories[names[index]] == nil)
            }
            drift.categories = Array(
                shifts.sorted { abs($0.currentShare - $0.referenceShare) > abs($1.currentShare - $1.referenceShare) }
                    .prefix(Self.categoriesShown))
        }
        if let value = drift.jensenShannon, value >= settings.jensenShannon { drift.effects.append("jensen_shannon") }
        if let value = drift.unseenShare, value >= settings.unseenShare { drift.effects.append("unseen_share") }
    }

    private func rate(_ part: Int64, of total: Int64) -> Double? {
        total > 0 ? Double(part) / Double(total) : nil
    }
}
