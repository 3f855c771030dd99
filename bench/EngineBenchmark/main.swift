// Single-row and 1000-row prediction latency of every XGBoost, LightGBM, ONNX and string-categorical fixture model, as
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

/// A categorical fixture's rows: numbers, category names, null; and which rows the runtime refused.
struct CategoricalExpected: Decodable {
    enum Cell: Decodable {
        case number(Double)
        case text(String)
        case missing

        init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if container.decodeNil() {
                self = .missing
            } else if let value = try? container.decode(Double.self) {
                self = .number(value)
            } else {
                self = .text(try container.decode(String.self))
            }
        }

        /// As a reference.csv cell: a missing value is empty.
        var cell: String {
            switch self {
            case .number(let value): String(value)
            case .text(let text): text
            case .missing: ""
            }
        }
    }

    struct Output: Decodable { var error: [String: String]? }

    var rows: [[Cell]]
    var outputs: [Output]
}

/// 1000 rows whose every cell comes from a probe row drawn by a 64-bit LCG (seeded with the golden
/// ratio), column by column: rows that real traffic could send, and that a branch predictor cannot
/// learn as it learns the probe rows repeated 25 times. `bench/engine_reference.py` draws the same.
func distinctRows<Cell>(_ probe: [[Cell]], count: Int = 1000) -> [[Cell]] {
    var state: UInt64 = 0x9E37_79B9_7F4A_7C15
    return (0..<count).map { _ in
        (0..<probe[0].count).map { column in
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return probe[Int((state >> 33) % UInt64(probe.count))][column]
        }
    }
}

/// The single-row batch and the two 1000-row batches (the probe rows repeated, and distinct rows) a fixture is timed on.
func batches(format: String, directory: URL, model: LoadedModel) throws -> (
    single: FeatureBatch, repeated: FeatureBatch, distinct: FeatureBatch
) {
    if format == "categorical" {
        let expected = try JSONDecoder().decode(
            CategoricalExpected.self, from: Data(contentsOf: directory.appendingPathComponent("expected.json")))
        // Rows the runtime refused (a strict encoder's unseen category) are left out on both sides.
        let rows = zip(expected.rows, expected.outputs).filter { $0.1.error == nil }.map { $0.0.map(\.cell) }
        let features = model.signature.features
        return (
            FeatureBatch(cells: [rows[0]], features: features),
            FeatureBatch(cells: (0..<1000).map { rows[$0 % rows.count] }, features: features),
            FeatureBatch(cells: distinctRows(rows), features: features)
        )
    }
    let expected = try JSONDecoder().decode(Expected.self, from: Data(contentsOf: directory.appendingPathComponent("expected.json")))
    let width = expected.rows[0].count
    let probe = expected.rows.map { $0.map { $0 ?? .nan } }
    let batchRows = (0..<1000).map { probe[$0 % probe.count] }
    return (
        FeatureBatch(rowCount: 1, featureCount: width, values: probe[0]),
        FeatureBatch(rowCount: 1000, featureCount: width, values: batchRows.flatMap { $0 }),
        FeatureBatch(rowCount: 1000, featureCount: width, values: distinctRows(probe).flatMap { $0 })
    )
}

func microseconds(_ duration: Duration) -> Double {
    Double(duration.components.seconds) * 1e6 + Double(duration.components.attoseconds) / 1e12
}

let clock = ContinuousClock()
// ENGINE_PROFILE=1 runs only the 1000-row calls, 5x as many, for perf or callgrind to see the batch path alone.
let profiling = ProcessInfo.processInfo.environment["ENGINE_PROFILE"] == "1"
print("model\tsingle_row_us\tbatch_1000_us\tdistinct_1000_us")
for format in ["xgboost", "lightgbm", "onnx", "categorical"] {
    let names = ((try? FileManager.default.contentsOfDirectory(atPath: fixtures.appendingPathComponent(format).path)) ?? []).sorted()
    // An optional argument keeps only the models whose name contains it: EngineBenchmark onnx/mlp
    for name in names where CommandLine.arguments.count < 2 || "\(format)/\(name)".contains(CommandLine.arguments[1]) {
        let directory = fixtures.appendingPathComponent("\(format)/\(name)")
        let loaded = try ModelLoader().load(name: name, version: 1, directory: directory, modelDirectory: directory)
        let (single, repeated, distinct) = try batches(format: format, directory: directory, model: loaded)
        var singleTimes: [Double] = []
        var repeatedTimes: [Double] = []
        var distinctTimes: [Double] = []
        /// The mean time of one call over `iterations` calls, in microseconds.
        func time(_ batch: FeatureBatch, _ iterations: Int) throws -> Double {
            microseconds(try clock.measure { for _ in 0..<iterations { _ = try loaded.model.predict(batch) } }) / Double(max(iterations, 1))
        }
        for _ in 0..<7 {
            singleTimes.append(try time(single, profiling ? 0 : 2000))
            // Several calls per sample: one 1000-row call is short enough for timer and cache noise to show.
            repeatedTimes.append(try time(repeated, profiling ? 100 : 20))
            distinctTimes.append(try time(distinct, profiling ? 100 : 20))
        }
        // The fastest of 7 samples: on a shared machine the others measure the neighbours as well.
        print(
            "\(format)/\(name)\t"
                + String(format: "%.2f\t%.1f\t%.1f", singleTimes.min() ?? 0, repeatedTimes.min() ?? 0, distinctTimes.min() ?? 0))
    }
}
