public import VigilStats

/// Feature and prediction windows in SQLite: written as additive deltas, read back merged.
public struct SQLiteFeatureWindowStore: FeatureWindowStore {
    public let database: Database

    public init(database: Database) { self.database = database }

    /// Adds every window delta to the stored windows and stores the payload samples, all in one transaction.
    ///
    /// Counts, moments, bins and categories add in SQL; samples are merged with the stored one.
    public func apply(_ windows: [Int64: [ColumnKey: ColumnWindow]], payloads: [PayloadSample] = []) throws(SQLiteError) {
        var generator = SplitMix64(seed: UInt64.random(in: 0...UInt64.max))
        try database.transaction { connection throws(SQLiteError) in
            for (windowStart, columns) in windows {
                for (key, window) in columns {
                    try write(window, key: key, windowStart: windowStart, connection: connection, generator: &generator)
                }
            }
            for payload in payloads {
                try connection.run(
                    "INSERT INTO payload_samples (model, received_at, features, outputs) VALUES (?, ?, ?, ?)",
                    .text(payload.model), .real(payload.receivedAt), .text(payload.features), .text(payload.outputs))
            }
        }
    }

    private func write(_ window: ColumnWindow, key: ColumnKey, windowStart: Int64, connection: Connection, generator: inout SplitMix64)
        throws(SQLiteError)
    {
        let keyValues: [SQLValue] = [.text(key.model), .integer(windowStart), .text(key.role.rawValue), .text(key.feature)]
        let moments = window.moments
        let hasValues = moments.count > 0
        let upsertWindow = try connection.prepare(
            """
            INSERT INTO feature_windows (model, window_start, role, feature, profile, count, missing, minimum, maximum, sum, sum_squares)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (model, window_start, role, feature) DO UPDATE SET
                profile = excluded.profile,
                count = count + excluded.count,
                missing = missing + excluded.missing,
                minimum = coalesce(min(minimum, excluded.minimum), minimum, excluded.minimum),
                maximum = coalesce(max(maximum, excluded.maximum), maximum, excluded.maximum),
                sum = sum + excluded.sum,
                sum_squares = sum_squares + excluded.sum_squares
            """)
        defer { upsertWindow.reset() }
        try upsertWindow.bind(
            keyValues + [
                .text(window.profile), .integer(moments.count), .integer(moments.missing),
                hasValues ? .real(moments.minimum) : .null, hasValues ? .real(moments.maximum) : .null,
                .real(moments.sum), .real(moments.sumOfSquares),
            ])
        while try upsertWindow.step() {}

        let upsertBin = try connection.prepare(
            """
            INSERT INTO window_bins (model, window_start, role, feature, slot, count) VALUES (?, ?, ?, ?, ?, ?)
            ON CONFLICT (model, window_start, role, feature, slot) DO UPDATE SET count = count + excluded.count
            """)
        for (slot, count) in window.slotCounts.enumerated() where count != 0 {
            defer { upsertBin.reset() }
            try upsertBin.bind(keyValues + [.integer(Int64(slot)), .integer(count)])
            while try upsertBin.step() {}
        }
        let upsertCategory = try connection.prepare(
            """
            INSERT INTO window_categories (model, window_start, role, feature, category, count) VALUES (?, ?, ?, ?, ?, ?)
            ON CONFLICT (model, window_start, role, feature, category) DO UPDATE SET count = count + excluded.count
            """)
        for (category, count) in window.categories where count != 0 {
            defer { upsertCategory.reset() }
            try upsertCategory.bind(keyValues + [.text(category), .integer(count)])
            while try upsertCategory.step() {}
        }
        guard window.sample.seen > 0 else { return }
        let existing = try connection.prepare(
            "SELECT seen, capacity, sample FROM window_samples WHERE model = ? AND window_start = ? AND role = ? AND feature = ?"
        )
        .rows(keyValues) { row in
            ReservoirSample(capacity: Int(row.int64(1)), seen: row.int64(0), values: [Double](littleEndianBytes: row.blob(2)))
        }
        let merged = existing.first.map { $0.merged(with: window.sample, using: &generator) } ?? window.sample
        try connection.run(
            "INSERT OR REPLACE INTO window_samples (model, window_start, role, feature, seen, capacity, sample) VALUES (?, ?, ?, ?, ?, ?, ?)",
            .text(key.model), .integer(windowStart), .text(key.role.rawValue), .text(key.feature),
            .integer(merged.seen), .integer(Int64(merged.capacity)), .blob(merged.values.littleEndianBytes))
    }

    /// Every column of `model` summed over the windows that start in `[from, to)`.
    ///
    /// The windows' samples merge into one of up to `sampleCapacity` values: larger than one
    /// window's, because an effect size measured on a small sample is inflated by its noise
    /// (two 1,000-value samples of one normal distribution sit about 0.04 sd apart in Wasserstein-1).
    /// Without `includeSamples` only the counts are read, which is all a chart needs.
    public func aggregate(model: String, from: Int64, to: Int64, sampleCapacity: Int = 5000, includeSamples: Bool = true)
        throws(SQLiteError) -> [ColumnKey: ColumnWindow]
    {
        try database.read { connection throws(SQLiteError) in
            var columns: [ColumnKey: ColumnWindow] = [:]
            let range: [SQLValue] = [.text(model), .integer(from), .integer(to)]
            func key(_ row: Statement) -> ColumnKey {
                ColumnKey(model: model, role: ColumnRole(rawValue: row.string(0) ?? "") ?? .input, feature: row.string(1) ?? "")
            }
            let windowRows = try connection.prepare(
                """
                SELECT role, feature, profile, count, missing, minimum, maximum, sum, sum_squares
                FROM feature_windows WHERE model = ? AND window_start >= ? AND window_start < ? ORDER BY window_start
                """
            ).rows(range) { row in
                var moments = NumericMoments()
                moments.count = row.int64(3)
                moments.missing = row.int64(4)
                if !row.isNull(5) { moments.minimum = row.double(5) }
                if !row.isNull(6) { moments.maximum = row.double(6) }
                moments.sum = row.double(7)
                moments.sumOfSquares = row.double(8)
                return (key(row), row.string(2) ?? "", moments)
            }
            for (columnKey, profile, moments) in windowRows {
                var window = columns[columnKey] ?? ColumnWindow(profile: profile, slotCount: 0, sampleCapacity: 1)
                window.moments.merge(moments)
                window.profile = profile
                columns[columnKey] = window
            }
            let bins = try connection.prepare(
                """
                SELECT role, feature, slot, sum(count) FROM window_bins
                WHERE model = ? AND window_start >= ? AND window_start < ? GROUP BY role, feature, slot
                """
            ).rows(range) { row in (key(row), Int(row.int64(2)), row.int64(3)) }
            for (columnKey, slot, count) in bins {
                guard var window = columns[columnKey] else { continue }
                if window.slotCounts.count <= slot { window.slotCounts += [Int64](repeating: 0, count: slot + 1 - window.slotCounts.count) }
                window.slotCounts[slot] += count
                columns[columnKey] = window
            }
            let categories = try connection.prepare(
                """
                SELECT role, feature, category, sum(count) FROM window_categories
                WHERE model = ? AND window_start >= ? AND window_start < ? GROUP BY role, feature, category
                """
            ).rows(range) { row in (key(row), row.string(2) ?? "", row.int64(3)) }
            for (columnKey, category, count) in categories {
                columns[columnKey]?.categories[category, default: 0] += count
            }
            guard includeSamples else { return columns }
            var generator = SplitMix64(seed: UInt64.random(in: 0...UInt64.max))
            let samples = try connection.prepare(
                """
                SELECT role, feature, seen, capacity, sample FROM window_samples
                WHERE model = ? AND window_start >= ? AND window_start < ?
                """
            ).rows(range) { row in
                (
                    key(row),
                    ReservoirSample(capacity: Int(row.int64(3)), seen: row.int64(2), values: [Double](littleEndianBytes: row.blob(4)))
                )
            }
            var samplesByColumn: [ColumnKey: [ReservoirSample]] = [:]
            for (columnKey, sample) in samples { samplesByColumn[columnKey, default: []].append(sample) }
            for (columnKey, parts) in samplesByColumn where columns[columnKey] != nil {
                columns[columnKey]?.sample = ReservoirSample.merging(parts, capacity: sampleCapacity, using: &generator)
            }
            return columns
        }
    }

    /// The start of the most recent windows of `model` that together hold at least `rows` rows
    /// (the oldest window when they all hold fewer); nil when nothing is stored.
    public func startOfLast(rows: Int64, model: String) throws(SQLiteError) -> Int64? {
        let windows = try database.read { connection throws(SQLiteError) in
            try connection.prepare(
                """
                SELECT window_start, max(count + missing) FROM feature_windows
                WHERE model = ? AND role = 'input' GROUP BY window_start ORDER BY window_start DESC
                """
            ).rows([.text(model)]) { ($0.int64(0), $0.int64(1)) }
        }
        return RecentWindows.start(coveringLast: rows, newestFirst: windows)
    }

    /// Deletes windows that start before `cutoff` and payload samples received before it.
    @discardableResult
    public func deleteWindows(before cutoff: Int64) throws(SQLiteError) -> Int {
        try database.transaction { connection throws(SQLiteError) in
            var deleted = 0
            for table in ["feature_windows", "window_bins", "window_categories", "window_samples"] {
                try connection.run("DELETE FROM \(table) WHERE window_start < ?", .integer(cutoff))
                deleted += connection.changes
            }
            try connection.run("DELETE FROM payload_samples WHERE received_at < ?", .real(Double(cutoff)))
            return deleted
        }
    }
}
