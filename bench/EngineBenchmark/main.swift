// Single-row and 1000-row prediction latency of every XGBoost, LightGBM and ONNX fixture model, as
// `bench/engine_reference.py` times xgboost, lightgbm and onnxruntime on the same rows.
// Run: bench/engine.sh (both sides and the ratios), or swift run -c release EngineBenchmark (times in microseconds)
import CMallocTuning
import Foundation
import VigilModels

// As `vigil serve` does at startup (Sources/CMallocTuning).
vigil_keep_freed_memory()

let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("Tests/VigilModelsTests/Fixtures")

struct Expected: Decodable { var rows: [[Double?]] }

func microseconds(_ duration: Duration) -> Double {
    Double(duration.components.seconds) * 1e6 + Double(duration.components.attoseconds) / 1e12
}

let clock = ContinuousClock()
print("model\tsingle_row_us\tbatch_1000_us")
for format in ["xgboost", "lightgbm", "onnx"] {
    let names = ((try? FileManager.default.contentsOfDirectory(atPath: fixtures.appendingPathComponent(format).path)) ?? []).sorted()
    // An optional argument keeps only the models whose name contains it: EngineBenchmark onnx/mlp
    for name in names where CommandLine.arguments.count < 2 || "\(format)/\(name)".contains(CommandLine.arguments[1]) {
        let directory = fixtures.appendingPathComponent("\(format)/\(name)")
        let loaded = try ModelLoader().load(name: name, version: 1, directory: directory, modelDirectory: directory)
        let expected = try JSONDecoder().decode(Expected.self, from: Data(contentsOf: directory.appendingPathComponent("expected.json")))
        let width = expected.rows[0].count
        let probe = expected.rows.map { $0.map { $0 ?? .nan } }
        let single = FeatureBatch(rowCount: 1, featureCount: width, values: probe[0])
        let batchRows = (0..<1000).map { probe[$0 % probe.count] }
        let batch = FeatureBatch(rowCount: 1000, featureCount: width, values: batchRows.flatMap { $0 })
        var singleTimes: [Double] = [], batchTimes: [Double] = []
        for _ in 0..<7 {
            let iterations = 2000
            let elapsed = try clock.measure { for _ in 0..<iterations { _ = try loaded.model.predict(single) } }
            singleTimes.append(microseconds(elapsed) / Double(iterations))
            // Several calls per sample: one 1000-row call is short enough for timer and cache noise to show.
            let batchIterations = 20
            batchTimes.append(microseconds(try clock.measure { for _ in 0..<batchIterations { _ = try loaded.model.predict(batch) } }) / Double(batchIterations))
        }
        // The fastest of 7 samples: on a shared machine the others measure the neighbours as well.
        print("\(format)/\(name)\t" + String(format: "%.2f\t%.1f", singleTimes.min() ?? 0, batchTimes.min() ?? 0))
    }
}
