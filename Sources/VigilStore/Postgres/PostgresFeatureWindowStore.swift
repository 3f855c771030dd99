import NIOCore
import PostgresNIO
public import VigilStats

/// Feature and prediction windows in PostgreSQL, shared by a fleet. Each replica adds its deltas to
/// its own rows (keyed by its replica id), one statement per table per flush; reads sum the counts
/// over every replica in SQL and merge the replicas' samples, as the SQLite store merges minutes.
public struct PostgresFeatureWindowStore: FeatureWindowStore {
    public let database: FleetDatabase

    public init(database: FleetDatabase) { self.database = database }

    public func apply(_ windows: [Int64: [ColumnKey: ColumnWindow]], payloads: [PayloadSample]) throws {
        var rows = WindowRows()
        for (windowStart, columns) in windows {
            for (key, window) in columns { rows.add(window, key: key, windowStart: windowStart) }
        }
        let replica = database.replica
        try database.transaction { session throws(StoreError) in
            if !rows.starts.isEmpty { try upsertWindows(rows, replica: replica, session: session) }
            if !rows.bins.starts.isEmpty {
                try upsertCounts(rows.bins, table: "window_bins", name: "slot", type: "int", replica: replica, session: session)
            }
            if !rows.categories.starts.isEmpty {
                try upsertCounts(
                    rows.categories, table: "window_categories", name: "category", type: "text", replica: replica, session: session)
            }
            if !rows.samples.isEmpty { try mergeSamples(rows.samples, replica: replica, session: session) }
            if !payloads.isEmpty {
                let binds = PostgresBindings(
                    payloads.map(\.model), payloads.map(\.receivedAt), payloads.map(\.features), payloads.map(\.outputs))
                try session.run(
                    """
                    INSERT INTO payload_samples (model, received_at, features, outputs)
                    SELECT * FROM unnest($1::text[], $2::float8[], $3::text[], $4::text[])
                    """, binds)
            }
        }
    }

    private func upsertWindows(_ rows: WindowRows, replica: String, session: FleetSession) throws(StoreError) {
        // NaN stands for "no value" in the arrays: PostgreSQL arrays of float8 take no NULLs from here.
        let binds = PostgresBindings(
            rows.keys.map(\.model), rows.starts, rows.keys.map(\.role.rawValue), rows.keys.map(\.feature), rows.profiles,
            rows.counts, rows.missing, rows.minimums, rows.maximums, rows.sums, rows.sumsOfSquares, replica)
        try session.run(
            """
            INSERT INTO feature_windows (model, window_start, role, feature, replica, profile, count, missing, minimum, maximum, sum, sum_squares)
            SELECT m, s, r, f, $12, p, c, n, nullif(lo, 'NaN'::float8), nullif(hi, 'NaN'::float8), su, sq
            FROM unnest($1::text[], $2::bigint[], $3::text[], $4::text[], $5::text[], $6::bigint[], $7::bigint[],
                        $8::float8[], $9::float8[], $10::float8[], $11::float8[]) AS t(m, s, r, f, p, c, n, lo, hi, su, sq)
            ON CONFLICT (model, window_start, role, feature, replica) DO UPDATE SET
                profile = excluded.profile,
                count = feature_windows.count + excluded.count,
                missing = feature_windows.missing + excluded.missing,
                minimum = least(feature_windows.minimum, excluded.minimum),
                maximum = greatest(feature_windows.maximum, excluded.maximum),
                sum = feature_windows.sum + excluded.sum,
                sum_squares = feature_windows.sum_squares + excluded.sum_squares
            """, binds)
    }

    /// Adds keyed counts (bins by `slot`, categories by `category`) to this replica's rows of `table`.
    private func upsertCounts<Name: PostgresArrayEncodable & PostgresNonThrowingEncodable>(
        _ counts: WindowRows.Counts<Name>, table: String, name: String,
        type: String, replica: String, session: FleetSession
    ) throws(StoreError) {
        let binds = PostgresBindings(counts.models, counts.starts, counts.roles, counts.features, counts.names, counts.counts, replica)
        try session.run(
            """
            INSERT INTO \(table) (model, window_start, role, feature, replica, \(name), count)
            SELECT m, s, r, f, $7, n, c FROM unnest($1::text[], $2::bigint[], $3::text[], $4::text[], $5::\(type)[], $6::bigint[]) AS t(m, s, r, f, n, c)
            ON CONFLICT (model, window_start, role, feature, replica, \(name)) DO UPDATE SET count = \(table).count + excluded.count
            """, binds)
    }

    /// Merges each new sample with this replica's stored one for the same window and column.
    private func mergeSamples(_ samples: [(key: ColumnKey, start: Int64, sample: ReservoirSample)], replica: String, session: FleetSession)
        throws(StoreError)
    {
        let keys: [(any PostgresDynamicTypeEncodable)?] = [
            samples.map(\.key.model), samples.map(\.start), samples.map(\.key.role.rawValue),
            samples.map(\.key.feature), replica,
        ]
        var stored: [Int: ReservoirSample] = [:]
        for row in try session.rows(
            """
            SELECT t.i, w.seen, w.capacity, w.sample
            FROM unnest($1::text[], $2::bigint[], $3::text[], $4::text[]) WITH ORDINALITY AS t(m, s, r, f, i)
            JOIN window_samples AS w ON w.model = t.m AND w.window_start = t.s AND w.role = t.r AND w.feature = t.f AND w.replica = $5
            """, PostgresBindings(values: keys))
        {
            let (index, seen, capacity, bytes) = try row.columns((Int64, Int64, Int32, ByteBuffer).self)
            stored[Int(index) - 1] = ReservoirSample(
                capacity: Int(capacity), seen: seen, values: [Double](littleEndianBytes: Array(bytes.readableBytesView)))
        }
        var generator = SplitMix64(seed: UInt64.random(in: 0...UInt64.max))
        let merged = samples.indices.map { index in
            stored[index].map { $0.merged(with: samples[index].sample, using: &generator) } ?? samples[index].sample
        }
        let binds = PostgresBindings(
            values: keys + [
                merged.map(\.seen), merged.map { Int64($0.capacity) }, merged.map { ByteBuffer(bytes: $0.values.littleEndianBytes) },
            ])
        try session.run(
            """
            INSERT INTO window_samples (model, window_start, role, feature, replica, seen, capacity, sample)
            SELECT m, s, r, f, $5, seen, capacity, sample
            FROM unnest($1::text[], $2::bigint[], $3::text[], $4::text[], $6::bigint[], $7::int[], $8::bytea[]) AS t(m, s, r, f, seen, capacity, sample)
            ON CONFLICT (model, window_start, role, feature, replica) DO UPDATE SET
                seen = excluded.seen, capacity = excluded.capacity, sample = excluded.sample
            """, binds)
    }

    public func aggregate(model: String, from: Int64, to: Int64, sampleCapacity: Int = 5000, includeSamples: Bool = true) throws
        -> [ColumnKey: ColumnWindow]
    {
        try database.read { session throws(StoreError) in
            let range = PostgresBindings(model, from, to)
            func key(_ role: String, _ feature: String) -> ColumnKey {
                ColumnKey(model: model, role: ColumnRole(rawValue: role) ?? .input, feature: feature)
            }
            var columns: [ColumnKey: ColumnWindow] = [:]
            for row in try session.rows(
                """
                SELECT role, feature, (array_agg(profile ORDER BY window_start DESC))[1], sum(count)::bigint, sum(missing)::bigint,
                       min(minimum), max(maximum), sum(sum), sum(sum_squares)
                FROM feature_windows WHERE model = $1 AND window_start >= $2 AND window_start < $3 GROUP BY role, feature
                """, range)
            {
                let (role, feature, profile, count, missing, minimum, maximum, sum, sumOfSquares) =
                    try row.columns((String, String, String, Int64, Int64, Double?, Double?, Double, Double).self)
                var window = ColumnWindow(profile: profile, slotCount: 0, sampleCapacity: 1)
                window.moments.count = count
                window.moments.missing = missing
                if let minimum { window.moments.minimum = minimum }
                if let maximum { window.moments.maximum = maximum }
                window.moments.sum = sum
                window.moments.sumOfSquares = sumOfSquares
                columns[key(role, feature)] = window
            }
            for row in try session.rows(
                """
                SELECT role, feature, slot, sum(count)::bigint FROM window_bins
                WHERE model = $1 AND window_start >= $2 AND window_start < $3 GROUP BY role, feature, slot
                """, range)
            {
                let (role, feature, slot, count) = try row.columns((String, String, Int32, Int64).self)
                let columnKey = key(role, feature)
                guard var window = columns[columnKey], slot >= 0 else { continue }
                let index = Int(slot)
                if window.slotCounts.count <= index {
                    window.slotCounts += [Int64](repeating: 0, count: index + 1 - window.slotCounts.count)
                }
                window.slotCounts[index] += count
                columns[columnKey] = window
            }
            for row in try session.rows(
                """
                SELECT role, feature, category, sum(count)::bigint FROM window_categories
                WHERE model = $1 AND window_start >= $2 AND window_start < $3 GROUP BY role, feature, category
                """, range)
            {
                let (role, feature, category, count) = try row.columns((String, String, String, Int64).self)
                columns[key(role, feature)]?.categories[category, default: 0] += count
            }
            guard includeSamples else { return columns }
            var parts: [ColumnKey: [ReservoirSample]] = [:]
            for row in try session.rows(
                """
                SELECT role, feature, seen, capacity, sample FROM window_samples
                WHERE model = $1 AND window_start >= $2 AND window_start < $3
                """, range)
            {
                let (role, feature, seen, capacity, bytes) = try row.columns((String, String, Int64, Int32, ByteBuffer).self)
                parts[key(role, feature), default: []].append(
                    ReservoirSample(
                        capacity: Int(capacity), seen: seen, values: [Double](littleEndianBytes: Array(bytes.readableBytesView))))
            }
            var generator = SplitMix64(seed: UInt64.random(in: 0...UInt64.max))
            for (columnKey, samples) in parts where columns[columnKey] != nil {
                columns[columnKey]?.sample = ReservoirSample.merging(samples, capacity: sampleCapacity, using: &generator)
            }
            return columns
        }
    }

    public func startOfLast(rows: Int64, model: String) throws -> Int64? {
        let binds = PostgresBindings(model)
        let windows = try database.read { session throws(StoreError) in
            try session.rows(
                """
                SELECT window_start, max(rows)::bigint FROM (
                    SELECT window_start, feature, sum(count + missing) AS rows FROM feature_windows
                    WHERE model = $1 AND role = 'input' GROUP BY window_start, feature) AS per_feature
                GROUP BY window_start ORDER BY window_start DESC
                """, binds
            ).map { row throws(StoreError) in try row.columns((Int64, Int64).self) }
        }
        return RecentWindows.start(coveringLast: rows, newestFirst: windows)
    }

    @discardableResult
    public func deleteWindows(before cutoff: Int64) throws -> Int {
        try database.transaction { session throws(StoreError) in
            let binds = PostgresBindings(cutoff)
            var deleted = 0
            for table in ["feature_windows", "window_bins", "window_categories", "window_samples"] {
                deleted += try session.run("DELETE FROM \(table) WHERE window_start < $1", binds)
            }
            let time = PostgresBindings(Double(cutoff))
            try session.run("DELETE FROM payload_samples WHERE received_at < $1", time)
            return deleted
        }
    }
}

/// One flush's windows as column arrays, for `unnest`.
struct WindowRows {
    /// Keyed counts (bins by slot, categories by name) as column arrays.
    struct Counts<Name> {
        var models: [String] = []
        var starts: [Int64] = []
        var roles: [String] = []
        var features: [String] = []
        var names: [Name] = []
        var counts: [Int64] = []

        mutating func add(_ key: ColumnKey, start: Int64, name: Name, count: Int64) {
            models.append(key.model)
            starts.append(start)
            roles.append(key.role.rawValue)
            features.append(key.feature)
            names.append(name)
            counts.append(count)
        }
    }

    var keys: [ColumnKey] = []
    var starts: [Int64] = []
    var profiles: [String] = []
    var counts: [Int64] = []
    var missing: [Int64] = []
    var minimums: [Double] = []
    var maximums: [Double] = []
    var sums: [Double] = []
    var sumsOfSquares: [Double] = []
    var bins = Counts<Int32>()
    var categories = Counts<String>()
    var samples: [(key: ColumnKey, start: Int64, sample: ReservoirSample)] = []

    mutating func add(_ window: ColumnWindow, key: ColumnKey, windowStart: Int64) {
        let moments = window.moments
        let hasValues = moments.count > 0
        keys.append(key)
        starts.append(windowStart)
        profiles.append(window.profile)
        counts.append(moments.count)
        missing.append(moments.missing)
        minimums.append(hasValues ? moments.minimum : .nan)
        maximums.append(hasValues ? moments.maximum : .nan)
        sums.append(moments.sum)
        sumsOfSquares.append(moments.sumOfSquares)
        for (slot, count) in window.slotCounts.enumerated() where count != 0 {
            bins.add(key, start: windowStart, name: Int32(clamping: slot), count: count)
        }
        for (category, count) in window.categories where count != 0 {
            categories.add(key, start: windowStart, name: category, count: count)
        }
        if window.sample.seen > 0 { samples.append((key, windowStart, window.sample)) }
    }
}
