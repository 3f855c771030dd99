import Foundation
import Testing
import VigilModels
import VigilStats
import VigilStore

struct FeatureWindowStoreTests {
    func window(_ values: [Double], bins: QuantileBins, categories: [String: Int64] = [:]) -> ColumnWindow {
        var generator = SplitMix64(seed: 3)
        var window = ColumnWindow(profile: "p1", slotCount: bins.slotCount, sampleCapacity: 10)
        for value in values {
            window.moments.add(value)
            if let slot = bins.slot(of: value) { window.slotCounts[slot] += 1 }
            window.sample.add(value, using: &generator)
        }
        window.categories = categories
        return window
    }

    @Test func deltasAddUpAcrossFlushes() throws {
        let database = try TemporaryDatabase().open()
        let store = SQLiteFeatureWindowStore(database: database)
        let bins = QuantileBins(edges: [0, 1, 2])
        let key = ColumnKey(model: "m", role: .input, feature: "x")
        try store.apply([60: [key: window([0.5, 1.5, 3, .nan], bins: bins, categories: ["a": 2])]])
        try store.apply([60: [key: window([-1, 0.2], bins: bins, categories: ["a": 1, "b": 4])]])
        try store.apply([120: [key: window([1.2], bins: bins)]])
        let first = try #require(try store.aggregate(model: "m", from: 60, to: 120)[key])
        #expect(first.moments.count == 5 && first.moments.missing == 1)
        #expect(first.moments.minimum == -1 && first.moments.maximum == 3)
        #expect(abs(first.moments.sum - 4.2) < 1e-12)
        #expect(first.slotCounts == [1, 2, 1, 1])
        #expect(first.categories == ["a": 3, "b": 4])
        #expect(first.sample.seen == 5)
        #expect(Set(first.sample.values) == [0.5, 1.5, 3, -1, 0.2])
        let both = try #require(try store.aggregate(model: "m", from: 0, to: 1000)[key])
        #expect(both.moments.count == 6)
        #expect(both.slotCounts == [1, 2, 2, 1])
    }

    @Test func retentionDeletesOldWindowsOnly() throws {
        let database = try TemporaryDatabase().open()
        let store = SQLiteFeatureWindowStore(database: database)
        let bins = QuantileBins(edges: [0, 1])
        let key = ColumnKey(model: "m", role: .output, feature: "predictions")
        try store.apply([60: [key: window([0.5], bins: bins)], 600: [key: window([0.7], bins: bins)]])
        try store.deleteWindows(before: 300)
        #expect(try store.aggregate(model: "m", from: 0, to: 300).isEmpty)
        #expect(try store.aggregate(model: "m", from: 300, to: 1000)[key]?.moments.count == 1)
    }

    @Test func profilesAreStoredOnceAndReadBack() throws {
        let database = try TemporaryDatabase().open()
        let store = SQLiteReferenceProfileStore(database: database)
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("vigil-profile-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try Data(#"{"format":"vigil-linear","kind":"logistic","classes":["no","yes"],"coefficients":[[1,0]],"intercepts":[0]}"#.utf8)
            .write(to: folder.appendingPathComponent("model.json"))
        try Data("x,colour\n-1,red\n2,blue\n3,red\n,red\n".utf8).write(to: folder.appendingPathComponent("reference.csv"))
        let loaded = try ModelLoader().load(name: "m", version: 1, directory: folder, modelDirectory: folder)
        #expect(loaded.signature.features.map(\.kind) == [.numeric, .categorical])
        // The categorical column is read as a number by the linear model: "red" is not one, so those rows are skipped for outputs.
        let profile = try #require(ReferenceProfile.build(from: loaded))
        try store.save(profile)
        try store.save(profile)
        let count = try database.withConnection { connection throws(SQLiteError) in
            try connection.prepare("SELECT count(*) FROM reference_profiles").rows { $0.int64(0) }.first
        }
        #expect(count == 1)
        let stored = try #require(try store.latest(model: "m"))
        #expect(stored == profile)
        let x = try #require(stored.column(.input, "x"))
        #expect(x.moments.count == 3 && x.moments.missing == 1)
        #expect(x.bins?.edges.first == -1 && x.bins?.edges.last == 3)
        #expect(stored.column(.input, "colour")?.categories == ["red": 3, "blue": 1])
    }
}
