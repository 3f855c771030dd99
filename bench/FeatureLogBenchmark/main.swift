// Feature-log writer throughput: how many feature values per second the accumulator takes in and
// the writer gets into SQLite. Run: swift run -c release FeatureLogBenchmark [rows] [features]
import Foundation
import VigilModels
import VigilMonitor
import VigilStats
import VigilStore

let arguments = CommandLine.arguments
let rows = arguments.count > 1 ? Int(arguments[1]) ?? 200_000 : 200_000
let featureCount = arguments.count > 2 ? Int(arguments[2]) ?? 20 : 20
let batchSize = 100

var generator = SplitMix64(seed: 1)
let referenceRows = 2000
var columns: [ColumnProfile] = []
for feature in 0..<featureCount {
    let values = (0..<referenceRows).map { _ in Double.random(in: 0..<1, using: &generator) + Double(feature) }
    var moments = NumericMoments()
    values.forEach { moments.add($0) }
    let bins = QuantileBins(reference: values)
    columns.append(
        ColumnProfile(
            name: "f\(feature)", role: .input, kind: .numeric, moments: moments, bins: bins, binCounts: bins?.counts(values) ?? []))
}
columns.append(ColumnProfile(name: "predictions", role: .output, kind: .numeric, bins: QuantileBins(edges: [0, 1])))
let profile = ReferenceProfile(model: "bench", version: 1, rowCount: referenceRows, columns: columns, fingerprint: "bench")
let signature = ModelSignature(features: (0..<featureCount).map { Feature(name: "f\($0)", kind: .numeric) }, task: .regression(targets: 1))

let folder = FileManager.default.temporaryDirectory.appendingPathComponent("vigil-bench-\(UUID().uuidString)")
try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
defer { try? FileManager.default.removeItem(at: folder) }
let database = try Database(path: folder.appendingPathComponent("bench.sqlite").path)
let accumulator = FeatureAccumulator(profile: profile, configuration: FeatureLogConfiguration())
let windows = SQLiteFeatureWindowStore(database: database)

let batches = (0..<10).map { _ in
    FeatureBatch(
        rowCount: batchSize, featureCount: featureCount,
        values: (0..<(batchSize * featureCount)).map { Double.random(in: -0.2..<1.2, using: &generator) + Double($0 % featureCount) })
}
let prediction = Prediction.regression(values: [Double](repeating: 0.5, count: batchSize), targets: 1)

let clock = ContinuousClock()
var recordTime = Duration.zero
var writeTime = Duration.zero
var flushes = 0
var time = 1_700_000_000.0
for batchIndex in 0..<(rows / batchSize) {
    // One flush per 10,000 rows, and a new minute every 50,000 rows, as a busy server would see.
    if batchIndex % 500 == 0 { time += 60 }
    recordTime += clock.measure {
        accumulator.record(batches[batchIndex % batches.count], prediction: prediction, signature: signature, at: time)
    }
    if batchIndex % 100 == 99 {
        writeTime += try clock.measure { try windows.apply(accumulator.drain().windows) }
        flushes += 1
    }
}
writeTime += try clock.measure { try windows.apply(accumulator.drain().windows) }
flushes += 1

func seconds(_ duration: Duration) -> Double {
    Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
}
let values = Double(rows * featureCount)
let total = seconds(recordTime) + seconds(writeTime)
print("rows=\(rows) features=\(featureCount) flushes=\(flushes)")
print(
    String(
        format: "accumulate: %.0f feature-values/s (%.2f µs per %d-row batch)", values / seconds(recordTime),
        seconds(recordTime) / Double(rows / batchSize) * 1e6, batchSize))
print(String(format: "write:      %.1f ms per flush (%d columns)", seconds(writeTime) / Double(flushes) * 1000, featureCount + 1))
print(String(format: "overall:    %.0f feature-rows/s (%.0f request rows/s)", values / total, Double(rows) / total))
