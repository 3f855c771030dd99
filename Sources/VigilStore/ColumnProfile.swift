import FoundationEssentials
public import VigilModels
public import VigilStats

/// Whether a logged column is a model input (a feature) or a model output (a prediction).
public enum ColumnRole: String, Sendable, Codable, Hashable {
    case input
    case output
}

/// The reference distribution of one column: everything drift tests compare live windows with.
public struct ColumnProfile: Sendable, Codable, Equatable {
    public var name: String
    public var role: ColumnRole
    public var kind: FeatureKind
    /// A drift in a critical column is a dataset drift on its own.
    public var critical: Bool
    public var moments: NumericMoments
    /// Numeric columns: the quantile bins live values are counted in, and the reference's own counts.
    public var bins: QuantileBins?
    public var binCounts: [Double]
    /// Categorical columns: the count of each category in the reference.
    public var categories: [String: Int64]
    /// Numeric columns: a uniform sample of reference values for exact tests.
    public var sample: [Double]

    public init(
        name: String, role: ColumnRole, kind: FeatureKind, critical: Bool = false, moments: NumericMoments = NumericMoments(),
        bins: QuantileBins? = nil, binCounts: [Double] = [], categories: [String: Int64] = [:], sample: [Double] = []
    ) {
        self.name = name
        self.role = role
        self.kind = kind
        self.critical = critical
        self.moments = moments
        self.bins = bins
        self.binCounts = binCounts
        self.categories = categories
        self.sample = sample
    }
}

extension ColumnProfile {
    /// The profile of a numeric column from its values: moments, quantile bins and their counts,
    /// and a reservoir sample, sorted once here so every drift run finds it in order.
    public static func numeric(
        name: String, role: ColumnRole = .input, values: [Double], binCount: Int = 10, sampleCapacity: Int,
        generator: inout SplitMix64
    ) -> ColumnProfile {
        var column = ColumnProfile(name: name, role: role, kind: .numeric)
        for value in values { column.moments.add(value) }
        column.bins = QuantileBins(reference: values, binCount: binCount)
        column.binCounts = column.bins?.counts(values) ?? []
        var sample = ReservoirSample(capacity: sampleCapacity)
        for value in values { sample.add(value, using: &generator) }
        column.sample = sample.values.sorted()
        return column
    }
}

/// The spelling of a category, the same whether it was read from a CSV cell or sent as a number:
/// whole numbers without a decimal point (`2`, not `2.0`), other numbers in Swift's shortest form.
public enum CategoryName {
    public static func of(_ value: Double) -> String {
        if value.rounded() == value && abs(value) < 1e15 { return String(Int64(value)) }
        return String(value)
    }

    /// The category of a CSV cell; nil for an empty (missing) cell.
    public static func of(cell: String) -> String? {
        let trimmed = cell.trimmingWhitespace()
        if trimmed.isEmpty { return nil }
        if let number = DecimalText.double(trimmed), number.isFinite { return of(number) }
        return trimmed
    }
}
