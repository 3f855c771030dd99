// One drift run over 50 features × 100,000 rows, two ways:
//  - server: the monitor's run over windows stored in SQLite (bins, moments, 1,000-value samples)
//    against a profile with a 5,000-value reference sample, as `vigil serve` does it;
//  - full data: every test on all 100,000 current and 100,000 reference values (exact inputs for
//    KS and Wasserstein), what `bench/drift_scipy.py` times scipy doing.
// Run: swift run -c release DriftBenchmark [features] [rows]
import Foundation
import VigilModels
import VigilMonitor
import VigilStats
import VigilStore

let arguments = CommandLine.arguments
let featureCount = arguments.count > 1 ? Int(arguments[1]) ?? 50 : 50
let rows = arguments.count > 2 ? Int(arguments[2]) ?? 100_000 : 100_000
let shifted = 5

var generator = SplitMix64(seed: 2026)
@MainActor func normal(_ mean: Double = 0) -> Double {
    let u1 = Double.random(in: Double.leastNonzeroMagnitude..<1, using: &generator)
    let u2 = Double.random(in: 0..<1, using: &generator)
    return mean + (-2 * log(u1)).squareRoot() * cos(2 * .pi * u2)
}
let reference = (0..<featureCount).map { _ in (0..<rows).map { _ in normal() } }
let current = (0..<featureCount).map { feature in (0..<rows).map { _ in normal(feature < shifted ? 0.5 : 0) } }

@MainActor func profile(sampleCapacity: Int) -> ReferenceProfile {
    var sampler = SplitMix64(seed: 7)
    let columns = reference.enumerated().map { index, values in
        ColumnProfile.numeric(name: "f\(index)", values: values, sampleCapacity: sampleCapacity, generator: &sampler)
    }
    return ReferenceProfile(model: "bench", version: 1, rowCount: rows, columns: columns, fingerprint: "bench")
}

func seconds(_ duration: Duration) -> Double {
    Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
}

func median(_ values: [Double]) -> Double { values.sorted()[values.count / 2] }
let clock = ContinuousClock()

// Server path: accumulate, write, then time aggregate + engine.
let serverProfile = profile(sampleCapacity: 5000)
let folder = FileManager.default.temporaryDirectory.appendingPathComponent("vigil-drift-bench-\(UUID().uuidString)")
try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
defer { try? FileManager.default.removeItem(at: folder) }
let database = try Database(path: folder.appendingPathComponent("bench.sqlite").path)
let accumulator = FeatureAccumulator(profile: serverProfile, configuration: FeatureLogConfiguration())
let signature = ModelSignature(features: (0..<featureCount).map { Feature(name: "f\($0)", kind: .numeric) }, task: .regression(targets: 1))
let batchSize = 1000
for start in stride(from: 0, to: rows, by: batchSize) {
    var values = [Double](repeating: 0, count: batchSize * featureCount)
    for row in 0..<batchSize { for feature in 0..<featureCount { values[row * featureCount + feature] = current[feature][start + row] } }
    // 100,000 rows over 60 one-minute windows, as an hour of traffic.
    let time = 1_700_000_000.0 + Double(start) / Double(rows) * 3600
    accumulator.record(
        FeatureBatch(rowCount: batchSize, featureCount: featureCount, values: values),
        prediction: .regression(values: [Double](repeating: 0, count: batchSize), targets: 1), signature: signature, at: time)
}
let store = SQLiteFeatureWindowStore(database: database)
try store.apply(accumulator.drain().windows)
let engine = DriftEngine(settings: DriftSettings())
let aggregateTime = seconds(try clock.measure { _ = try store.aggregate(model: "bench", from: 0, to: Int64.max) })
print(String(format: "aggregate alone: %.1f ms", aggregateTime * 1000))
var serverTimes: [Double] = []
var serverReport: DriftReport?
for _ in 0..<5 {
    serverTimes.append(
        seconds(
            try clock.measure {
                let windows = try store.aggregate(model: "bench", from: 0, to: Int64.max)
                serverReport = engine.report(profile: serverProfile, current: windows, windowStart: 0, windowEnd: 1, createdAt: 1)
            }))
}

// Full data: samples hold every value.
let fullProfile = profile(sampleCapacity: rows)
var fullWindows: [ColumnKey: ColumnWindow] = [:]
var sampler = SplitMix64(seed: 9)
for (index, column) in fullProfile.columns.enumerated() {
    var window = ColumnWindow(profile: "bench", slotCount: column.bins?.slotCount ?? 0, sampleCapacity: rows)
    for value in current[index] { window.add(number: value, bins: column.bins, using: &sampler) }
    fullWindows[ColumnKey(model: "bench", role: .input, feature: column.name)] = window
}
var fullTimes: [Double] = []
var fullReport: DriftReport?
for _ in 0..<5 {
    fullTimes.append(
        seconds(
            clock.measure {
                fullReport = engine.report(profile: fullProfile, current: fullWindows, windowStart: 0, windowEnd: 1, createdAt: 1)
            }))
}

print("features=\(featureCount) rows=\(rows) (reference and current), \(shifted) features shifted by 0.5 sd")
print(
    String(
        format: "server run (SQLite windows + engine): median %.1f ms of 5; drifted %d", median(serverTimes) * 1000,
        serverReport?.features.filter(\.drifted).count ?? -1))
print(
    String(
        format: "full-data run (engine on all values): median %.1f ms of 5; drifted %d", median(fullTimes) * 1000,
        fullReport?.features.filter(\.drifted).count ?? -1))
