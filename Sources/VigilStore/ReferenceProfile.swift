import FoundationEssentials
public import VigilModels
import VigilStats

/// A model's reference: the profile of every input feature and output, built from `reference.csv`.
public struct ReferenceProfile: Sendable, Codable, Equatable {
    public var model: String
    public var version: Int
    public var rowCount: Int
    /// Inputs in feature order, then outputs.
    public var columns: [ColumnProfile]
    /// A hash of the profile's content; windows name the profile they were counted against.
    public var fingerprint: String

    public init(model: String, version: Int, rowCount: Int, columns: [ColumnProfile], fingerprint: String) {
        self.model = model
        self.version = version
        self.rowCount = rowCount
        self.columns = columns
        self.fingerprint = fingerprint
    }

    public func column(_ role: ColumnRole, _ name: String) -> ColumnProfile? {
        columns.first { $0.role == role && $0.name == name }
    }

    /// The profile of `loaded`'s reference data, with its outputs from running the model on the
    /// reference rows. Nil when the model has no reference.
    public static func build(from loaded: LoadedModel, binCount: Int = 10, sampleCapacity: Int = 5000) -> ReferenceProfile? {
        guard let reference = loaded.reference else { return nil }
        let signature = loaded.signature
        var generator = SplitMix64(seed: 0x5EED)
        var profile = inputs(
            model: loaded.name, version: loaded.version, features: signature.features, configuration: loaded.configuration,
            table: reference, binCount: binCount, sampleCapacity: sampleCapacity, generator: &generator)
        profile.columns += outputProfiles(
            loaded: loaded, rows: reference.rows, binCount: binCount, sampleCapacity: sampleCapacity, generator: &generator)
        profile.fingerprint = profile.contentHash()
        return profile
    }

    /// The profile of the columns of `table` named by `features` (in that order), with no outputs:
    /// what `vigil drift` compares two CSV files with.
    public static func build(
        model: String, features: [Feature], configuration: ModelConfiguration, table: CSVTable,
        binCount: Int = 10, sampleCapacity: Int = 5000
    ) -> ReferenceProfile {
        var generator = SplitMix64(seed: 0x5EED)
        var profile = inputs(
            model: model, version: 1, features: features, configuration: configuration, table: table,
            binCount: binCount, sampleCapacity: sampleCapacity, generator: &generator)
        profile.fingerprint = profile.contentHash()
        return profile
    }

    private static func inputs(
        model: String, version: Int, features: [Feature], configuration: ModelConfiguration, table: CSVTable,
        binCount: Int, sampleCapacity: Int, generator: inout SplitMix64
    ) -> ReferenceProfile {
        let critical = Set((configuration.features ?? []).filter { $0.critical == true }.map(\.name))
        var columns: [ColumnProfile] = []
        for feature in features {
            let cells = table.header.firstIndex(of: feature.name).map { table.column($0) } ?? []
            var column = profile(
                name: feature.name, role: .input, kind: feature.kind, numbers: cells.map(CSVTable.number), cells: cells.map(Optional.some),
                binCount: binCount, sampleCapacity: sampleCapacity, generator: &generator)
            column.critical = critical.contains(feature.name)
            columns.append(column)
        }
        return ReferenceProfile(model: model, version: version, rowCount: table.rows.count, columns: columns, fingerprint: "")
    }

    /// A column's profile from its `numbers` (read only for a numeric column) or its `cells` (only for
    /// a categorical one).
    static func profile(
        name: String, role: ColumnRole, kind: FeatureKind, numbers: @autoclosure () -> [Double], cells: @autoclosure () -> [String?],
        binCount: Int, sampleCapacity: Int, generator: inout SplitMix64
    ) -> ColumnProfile {
        switch kind {
        case .numeric:
            return .numeric(
                name: name, role: role, values: numbers(), binCount: binCount, sampleCapacity: sampleCapacity, generator: &generator)
        case .categorical:
            var column = ColumnProfile(name: name, role: role, kind: kind)
            for cell in cells() {
                if let category = cell.flatMap({ CategoryName.of(cell: $0) }) {
                    column.categories[category, default: 0] += 1
                    column.moments.count += 1
                } else {
                    column.moments.missing += 1
                }
            }
            return column
        }
    }

    /// The model's outputs on the reference rows (cells in feature order): a categorical `label` for
    /// classifiers, numeric `predictions` (or `predictions[i]`) for regressors. Rows the model cannot
    /// take (a missing number where it takes none) are skipped.
    static func outputProfiles(loaded: LoadedModel, rows: [[String]], binCount: Int, sampleCapacity: Int, generator: inout SplitMix64)
        -> [ColumnProfile]
    {
        let signature = loaded.signature
        guard !signature.features.isEmpty else { return [] }
        let numeric = signature.features.indices.filter { !signature.features[$0].takesText }
        let kept =
            signature.acceptsMissingValues
            ? rows
            : rows.filter { row in
                numeric.allSatisfy { $0 < row.count && CSVTable.number(row[$0]).isFinite }
            }
        guard !kept.isEmpty, let prediction = try? loaded.model.predict(FeatureBatch(cells: kept, features: signature.features)) else {
            return []
        }
        return OutputColumns.values(of: prediction, signature: signature).map { output in
            profile(
                name: output.name, role: .output, kind: output.kind, numbers: output.numbers, cells: output.labels,
                binCount: binCount, sampleCapacity: sampleCapacity, generator: &generator)
        }
    }
}
