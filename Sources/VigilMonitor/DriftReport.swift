public import VigilModels
public import VigilStore

/// One drift run for one model: every column's tests and verdict, and the dataset verdict (SPEC §6).
public struct DriftReport: Sendable, Codable, Equatable {
    public enum Status: String, Sendable, Codable {
        /// Enough data, and the dataset does not drift (single features may).
        case ok
        /// The dataset drifts.
        case drift
        /// Too few rows in the window to judge.
        case insufficientData = "insufficient_data"
    }

    public var model: String
    /// Seconds since 1970.
    public var createdAt: Double
    public var windowStart: Double
    public var windowEnd: Double
    /// Rows in the current window.
    public var rows: Int64
    public var referenceRows: Int
    public var status: Status
    public var datasetDrift: Bool
    /// The share of input features that drift.
    public var driftedShare: Double
    public var settings: DriftSettings
    public var features: [ColumnDrift]
    /// The same tests on the model's outputs (prediction drift).
    public var predictions: [ColumnDrift]

    /// Every column, features first.
    public var columns: [ColumnDrift] { features + predictions }
}

/// The tests of one column against its reference.
public struct ColumnDrift: Sendable, Codable, Equatable {
    public var name: String
    public var role: ColumnRole
    public var kind: FeatureKind
    public var critical: Bool
    /// `ks` for numeric columns, `chi2` for categorical ones; nil when there was nothing to test.
    public var test: String?
    public var statistic: Double?
    public var pValue: Double?
    public var correctedPValue: Double?
    /// Numeric: Wasserstein-1 over the reference standard deviation.
    public var wasserstein: Double?
    /// Numeric: PSI over the reference-quantile bins.
    public var psi: Double?
    /// Jensen–Shannon distance (natural log) over bins or categories.
    public var jensenShannon: Double?
    /// Categorical: the share of current values in categories the reference never had.
    public var unseenShare: Double?
    /// The effect sizes that passed their thresholds.
    public var effects: [String]
    public var drifted: Bool
    public var rows: Int64
    public var missingRate: Double?
    public var referenceMissingRate: Double?
    /// Numeric: the share of current values outside the reference range.
    public var outOfRangeRate: Double?

    /// The change in missing rate from the reference (current minus reference), when both are known.
    public var missingRateChange: Double?
    /// Categorical: the categories whose share of rows moved most, by name, largest move first.
    public var categories: [CategoryShift]?

    /// The statistics as (test name, value) pairs, for gauges and tables.
    public var scores: [(String, Double)] {
        [
            ("ks", test == "ks" ? statistic : nil), ("chi2", test == "chi2" ? statistic : nil), ("wasserstein", wasserstein),
            ("psi", psi), ("jensen_shannon", jensenShannon), ("unseen_share", unseenShare),
        ]
        .compactMap { name, value in value.map { (name, $0) } }
    }
}

/// How one category's share of rows moved between the reference and the current window.
public struct CategoryShift: Sendable, Codable, Equatable {
    public var name: String
    public var referenceShare: Double
    public var currentShare: Double
    /// Whether the reference never had this category. The writer's bucket for unseen names past its cap is `ColumnWindow.otherCategory`.
    public var unseen: Bool
}
