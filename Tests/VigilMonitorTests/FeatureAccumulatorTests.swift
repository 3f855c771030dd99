import Foundation
import Testing
import VigilModels
import VigilMonitor
import VigilStats
import VigilStore

struct FeatureAccumulatorTests {
    /// A profile with one numeric feature binned at [0, 1, 2], one categorical feature with levels a=0 and b=1, and a label output.
    func profile() -> ReferenceProfile {
        ReferenceProfile(
            model: "m", version: 1, rowCount: 4,
            columns: [
                ColumnProfile(name: "x", role: .input, kind: .numeric, bins: QuantileBins(edges: [0, 1, 2]), binCounts: [0, 2, 2, 0]),
                ColumnProfile(name: "c", role: .input, kind: .categorical, categories: ["0": 2, "1": 2]),
                ColumnProfile(name: "label", role: .output, kind: .categorical, categories: ["no": 2, "yes": 2]),
            ], fingerprint: "f")
    }

    let signature = ModelSignature(
        features: [Feature(name: "x", kind: .numeric), Feature(name: "c", kind: .categorical)],
        task: .classification(classes: .strings(["no", "yes"])))

    func record(_ accumulator: FeatureAccumulator, rows: [[Double]], labels: [Int], at time: Double) {
        let batch = FeatureBatch(rowCount: rows.count, featureCount: 2, values: rows.flatMap { $0 })
        let prediction = Prediction.classification(
            labelIndices: labels, probabilities: [Double](repeating: 0.5, count: rows.count * 2), classCount: 2)
        accumulator.record(batch, prediction: prediction, signature: signature, at: time)
    }

    @Test func countsBinsCategoriesAndOutputsPerWindow() throws {
        let accumulator = FeatureAccumulator(profile: profile(), configuration: FeatureLogConfiguration())
        record(accumulator, rows: [[0.5, 0], [1.5, 1], [5, 7], [.nan, .nan]], labels: [0, 1, 1, 0], at: 119)
        record(accumulator, rows: [[-3, 0]], labels: [1], at: 120)
        let drained = accumulator.drain()
        #expect(drained.windows.keys.sorted() == [60, 120])
        let first = try #require(drained.windows[60])
        let x = try #require(first[ColumnKey(model: "m", role: .input, feature: "x")])
        #expect(x.slotCounts == [0, 1, 1, 1])
        #expect(x.moments.count == 3 && x.moments.missing == 1)
        let c = try #require(first[ColumnKey(model: "m", role: .input, feature: "c")])
        #expect(c.categories == ["0": 1, "1": 1, "7": 1])
        #expect(c.moments.missing == 1)
        #expect(first[ColumnKey(model: "m", role: .output, feature: "label")]?.categories == ["no": 2, "yes": 2])
        #expect(drained.windows[120]?[ColumnKey(model: "m", role: .input, feature: "x")]?.slotCounts == [1, 0, 0, 0])
        #expect(accumulator.drain().isEmpty)
    }

    @Test func unseenCategoriesPastTheCapAreCountedAsOther() throws {
        var configuration = FeatureLogConfiguration()
        configuration.unseenCategoryCap = 2
        let accumulator = FeatureAccumulator(profile: profile(), configuration: configuration)
        record(accumulator, rows: (2..<8).map { [0.5, Double($0)] } + [[0.5, 0]], labels: Array(repeating: 0, count: 7), at: 0)
        let c = try #require(accumulator.drain().windows[0]?[ColumnKey(model: "m", role: .input, feature: "c")])
        #expect(c.categories == ["0": 1, "2": 1, "3": 1, "__other__": 4])
    }

    @Test func restoredWindowsMergeWithNewCounts() throws {
        let accumulator = FeatureAccumulator(profile: profile(), configuration: FeatureLogConfiguration())
        record(accumulator, rows: [[0.5, 0]], labels: [0], at: 0)
        let failed = accumulator.drain()
        record(accumulator, rows: [[1.5, 1]], labels: [1], at: 10)
        accumulator.restore(failed)
        let x = try #require(accumulator.drain().windows[0]?[ColumnKey(model: "m", role: .input, feature: "x")])
        #expect(x.slotCounts == [0, 1, 1, 0])
        #expect(x.sample.seen == 2)
    }

    @Test func pendingWindowsAreBoundedAndDroppedRowsCounted() {
        var configuration = FeatureLogConfiguration()
        configuration.maxPendingWindows = 3
        let accumulator = FeatureAccumulator(profile: profile(), configuration: configuration)
        for minute in 0..<5 { record(accumulator, rows: [[0.5, 0], [0.5, 0]], labels: [0, 0], at: Double(minute * 60)) }
        #expect(accumulator.pendingWindowCount == 3)
        let drained = accumulator.drain()
        #expect(drained.windows.keys.sorted() == [120, 180, 240])
        #expect(drained.droppedRows == 4)
    }

    @Test func payloadsAreSampledAtTheRate() {
        var configuration = FeatureLogConfiguration()
        configuration.payloadRate = 1
        let accumulator = FeatureAccumulator(profile: profile(), configuration: configuration)
        record(accumulator, rows: [[0.5, 1], [.nan, 0]], labels: [1, 0], at: 5)
        let payloads = accumulator.drain().payloads
        #expect(payloads.map(\.features) == [#"{"c":1,"x":0.5}"#, #"{"c":0,"x":null}"#])
        #expect(payloads.map(\.outputs) == [#"{"label":"yes"}"#, #"{"label":"no"}"#])
    }
}
