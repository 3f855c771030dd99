import Foundation
import VigilStore

/// A real SQLite file in a fresh temporary folder.
struct TemporaryDatabase {
    let folder: URL
    var path: String { folder.appendingPathComponent("vigil.sqlite").path }

    init() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("vigil-db-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }

    func open(busyTimeout: Duration = .seconds(5)) throws -> Database {
        try Database(path: path, busyTimeout: busyTimeout)
    }
}
