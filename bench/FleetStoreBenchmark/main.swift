// Fleet mode's store against SQLite's, on the same work (bench/fleet.sh starts the PostgreSQL server):
//  - flush: feature-log flushes (20 features, 100-row batches, a flush per 10,000 rows) from three
//    replicas at once into PostgreSQL, against one server flushing the same rows into SQLite;
//  - drift: the monitor's run (aggregate + every test) over 50 features × 100,000 rows, written by
//    three replicas into PostgreSQL, against the same rows written by one server into SQLite.
// Run: swift run -c release FleetStoreBenchmark postgres://user@host:port/empty-database [flush-rows-per-replica]
import Dispatch
import Foundation
import Synchronization
import VigilModels
import VigilMonitor
import VigilStats
import VigilStore

let arguments = CommandLine.arguments
guard arguments.count > 1 else {
    print("usage: FleetStoreBenchmark postgres://user@host:port/empty-database [flush-rows-per-replica]")
    exit(2)
}
let address = try FleetAddress(url: arguments[1])
let flushRows = arguments.count > 2 ? Int(arguments[2]) ?? 100_000 : 100_000
let replicas = 3
let clock = ContinuousClock()

@Sendable func seconds(_ duration: Duration) -> Double {
    Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
}

func median(_ values: [Double]) -> Double { values.sorted()[values.count / 2] }

/// A numeric profile of `featureCount` features, N(0, 1) references of `rows` values.
func profile(model: String, featureCount: Int, rows: Int, sampleCapacity: Int, seed: UInt64) -> (ReferenceProfile, ModelSignature) {
    var generator = SplitMix64(seed: seed)
    let columns = (0..<featureCount).map { index in
        let values = (0..<rows).map { _ in Double.random(in: -3..<3, using: &generator) }
        return ColumnProfile.numeric(name: "f\(index)", values: values, sampleCapacity: sampleCapacity, generator: &generator)
    }
    let signature = ModelSignature(
        features: (0..<featureCount).map { Feature(name: "f\($0)", kind: .numeric) }, task: .regression(targets: 1))
    return (ReferenceProfile(model: model, version: 1, rowCount: rows, columns: columns, fingerprint: model), signature)
}

/// Records `rows` rows into a fresh accumulator in 100-row batches over one-minute windows, handing
/// each 10,000 rows' windows to `flush`; returns the seconds `flush` took in all.
@Sendable func logAndFlush(
    rows: Int, profile: ReferenceProfile, signature: ModelSignature, seed: UInt64, shift: Double = 0,
    startMinute: Int = 0, flush: ([Int64: [ColumnKey: ColumnWindow]]) throws -> Void
) throws -> Double {
    let clock = ContinuousClock()
    let featureCount = signature.features.count
    let accumulator = FeatureAccumulator(profile: profile, configuration: FeatureLogConfiguration())
    var generator = SplitMix64(seed: seed)
    let prediction = Prediction.regression(values: [Double](repeating: 0, count: 100), targets: 1)
    var flushing = 0.0
    for batch in 0..<(rows / 100) {
        let values = (0..<(100 * featureCount)).map { _ in Double.random(in: -3..<3, using: &generator) + shift }
        let time = 1_700_000_000.0 + Double(startMinute * 60) + Double(batch * 100) / Double(rows) * 3600
        accumulator.record(
            FeatureBatch(rowCount: 100, featureCount: featureCount, values: values), prediction: prediction, signature: signature, at: time)
        if batch % 100 == 99 { flushing += seconds(try clock.measure { try flush(accumulator.drain().windows) }) }
    }
    flushing += seconds(try clock.measure { try flush(accumulator.drain().windows) })
    return flushing
}

let folder = FileManager.default.temporaryDirectory.appendingPathComponent("vigil-fleet-bench-\(UUID().uuidString)")
try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
defer { try? FileManager.default.removeItem(at: folder) }
let fleet = try (1...replicas).map { try FleetDatabase(address: address, replica: "replica-\($0)") }

// Flush throughput.
let (flushProfile, flushSignature) = profile(model: "flush", featureCount: 20, rows: 2000, sampleCapacity: 1000, seed: 1)
let sqliteFlushes = SQLiteFeatureWindowStore(database: try Database(path: folder.appendingPathComponent("flush.sqlite").path))
let sqliteFlushing = try logAndFlush(rows: flushRows * replicas, profile: flushProfile, signature: flushSignature, seed: 5) {
    try sqliteFlushes.apply($0)
}
/// Each replica's seconds of flushing, the replicas logging and flushing at once on their own threads; nil if one failed.
func flushConcurrently(_ fleet: [FleetDatabase], rows: Int, profile: ReferenceProfile, signature: ModelSignature) -> [Double]? {
    let times = Mutex<[Int: Double]>([:])
    DispatchQueue.concurrentPerform(iterations: fleet.count) { index in
        let store = PostgresFeatureWindowStore(database: fleet[index])
        do {
            let flushing = try logAndFlush(rows: rows, profile: profile, signature: signature, seed: UInt64(10 + index)) {
                try store.apply($0)
            }
            times.withLock { $0[index] = flushing }
        } catch {
            print("replica \(index + 1) failed: \(error)")
        }
    }
    let measured = times.withLock { $0 }
    return measured.count == fleet.count ? measured.values.map { $0 } : nil
}
let fleetStart = clock.now
guard let fleetFlushing = flushConcurrently(fleet, rows: flushRows, profile: flushProfile, signature: flushSignature) else { exit(1) }
let fleetWall = seconds(clock.now - fleetStart)
let sqliteRate = Double(flushRows * replicas) / sqliteFlushing
let fleetRate = Double(flushRows * replicas) / (fleetFlushing.max() ?? .infinity)
print(
    String(
        format:
            "flush, 20 features, a flush per 10,000 rows: SQLite (one server) %.0f rows/s; PostgreSQL (3 replicas at once) %.0f rows/s; ratio %.2f (wall %.1f s)",
        sqliteRate, fleetRate, fleetRate / sqliteRate, fleetWall))

// Drift run over 50 features × 100,000 rows.
let driftRows = 100_000
let (driftProfile, driftSignature) = profile(model: "drift", featureCount: 50, rows: 20_000, sampleCapacity: 5000, seed: 2)
let sqliteDrift = SQLiteFeatureWindowStore(database: try Database(path: folder.appendingPathComponent("drift.sqlite").path))
for part in 0..<replicas {
    let rows = driftRows / replicas + (part == 0 ? driftRows % replicas : 0)
    let fleetStore = PostgresFeatureWindowStore(database: fleet[part])
    _ = try logAndFlush(
        rows: rows, profile: driftProfile, signature: driftSignature, seed: UInt64(100 + part), shift: 0.3, startMinute: 1000
    ) { windows in
        try fleetStore.apply(windows)
        try sqliteDrift.apply(windows)
    }
}
let engine = DriftEngine(settings: DriftSettings())
func runs(_ store: any FeatureWindowStore) throws -> (Double, DriftReport?) {
    var times: [Double] = []
    var report: DriftReport?
    for _ in 0..<5 {
        times.append(
            seconds(
                try clock.measure {
                    let windows = try store.aggregate(model: "drift", from: 0, to: Int64.max)
                    report = engine.report(profile: driftProfile, current: windows, windowStart: 0, windowEnd: 1, createdAt: 1)
                }))
    }
    return (median(times), report)
}
let (sqliteRun, sqliteReport) = try runs(sqliteDrift)
let (fleetRun, fleetReport) = try runs(PostgresFeatureWindowStore(database: fleet[0]))
print(
    String(
        format:
            "drift run, 50 features × %d rows: SQLite %.1f ms; PostgreSQL (written by 3 replicas) %.1f ms; ratio %.2f; rows %lld / %lld",
        driftRows, sqliteRun * 1000, fleetRun * 1000, fleetRun / sqliteRun, sqliteReport?.rows ?? -1, fleetReport?.rows ?? -1))
fleet.forEach { $0.close() }
