import Foundation
import Testing
import VigilModels
import VigilStats
import VigilStore

/// A profile built from a real model folder, stored in SQLite and read back. Every engine's windows,
/// profiles and the rest are tested in `StoreContractTests`.
struct ReferenceProfileStoreTests {
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
