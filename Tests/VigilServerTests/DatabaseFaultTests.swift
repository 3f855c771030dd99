import Foundation
import Testing
import VigilStats
import VigilStore

/// A filesystem of the test's own: a tmpfs, or a read-only bind mount, unmounted when done.
/// Mounting needs root (CI and these machines run as root); elsewhere the tests are skipped.
struct TestMount {
    let path: String

    static var available: Bool {
        guard getuid() == 0 else { return false }
        guard let probe = try? TestMount(tmpfsBytes: 64 << 10) else { return false }
        probe.unmount()
        return true
    }

    /// A tmpfs of `bytes` at a new temporary folder.
    init(tmpfsBytes bytes: Int) throws {
        path = FileManager.default.temporaryDirectory.appendingPathComponent("vigil-mount-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        try Self.mount(["-t", "tmpfs", "-o", "size=\(bytes)", "tmpfs", path])
    }

    /// A new temporary folder bound onto itself read-only.
    init(readOnly: Void) throws {
        path = FileManager.default.temporaryDirectory.appendingPathComponent("vigil-mount-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        try Self.mount(["--bind", path, path])
        try Self.mount(["-o", "remount,ro,bind", path])
    }

    /// Makes a read-only bind mount writable again.
    func makeWritable() throws { try Self.mount(["-o", "remount,rw,bind", path]) }

    func unmount() {
        _ = try? Command.run("/usr/bin/umount", ["-l", path])
        try? FileManager.default.removeItem(atPath: path)
    }

    static func mount(_ arguments: [String]) throws {
        let (status, output) = try Command.run("/usr/bin/mount", arguments)
        guard status == 0 else { throw ProcessFailure("mount \(arguments.joined(separator: " ")) failed: \(output)") }
    }
}

/// The database on a read-only or full disk: inference goes on, the failure shows in `/metrics` and
/// in the log, and the feature log catches up, losing nothing, once the disk is writable again.
@Suite(.serialized, .enabled(if: TestMount.available, "needs root, to mount a tmpfs and a read-only bind mount"))
struct DatabaseFaultTests {
    static let request = #"{"inputs":[{"name":"input","shape":[3,2],"datatype":"FP32","data":[[1,2],[3,4],[5,6]]}]}"#

    static func loggedRows(_ path: String) -> Int64 {
        guard FileManager.default.fileExists(atPath: path), let database = try? Database(path: path),
            let windows = try? SQLiteFeatureWindowStore(database: database).aggregate(model: "reg32", from: 0, to: Int64.max)
        else { return -1 }
        return windows[ColumnKey(model: "reg32", role: .input, feature: "a")]?.moments.count ?? 0
    }

    static func writeFailures(_ vigil: VigilProcess) throws -> Double {
        let (_, text) = try vigil.get("/metrics")
        let line = text.split(separator: "\n").first { $0.hasPrefix("vigil_feature_log_write_failures_total") }
        return line.flatMap { Double($0.split(separator: " ").last ?? "") } ?? 0
    }

    @Test func aReadOnlyDatabaseFolderStopsNoPredictionAndLoggingResumesWhenItIsWritable() throws {
        let mount = try TestMount(readOnly: ())
        defer { mount.unmount() }
        let repository = try TestRepository(includeBroken: false)
        let path = mount.path + "/vigil.sqlite"
        let vigil = try VigilProcess(arguments: ["--models", repository.directory.path, "--db", path, "--flush-interval", "100ms"])
        #expect(vigil.log.contains("cannot open the database"))
        for _ in 0..<20 {
            let (status, body) = try vigil.post("/v2/models/reg32/infer", Self.request)
            #expect(status == 200, "\(body)")
        }
        #expect(try vigil.wait(seconds: 10) { try Self.writeFailures(vigil) >= 2 }, "no write failure in /metrics")
        #expect(!FileManager.default.fileExists(atPath: path))
        try mount.makeWritable()
        #expect(vigil.wait(seconds: 15) { Self.loggedRows(path) == 60 }, "logged \(Self.loggedRows(path)) of 60 rows")
        #expect(try vigil.post("/v2/models/reg32/infer", Self.request).0 == 200)
        #expect(try vigil.stop(signal: SIGTERM) == 0)
        #expect(Self.loggedRows(path) == 63)
        #expect(try Database(path: path).integrityCheck() == "ok")
    }

    @Test func aFullDiskStopsNoPredictionAndLoggingCatchesUpWhenSpaceReturns() throws {
        let mount = try TestMount(tmpfsBytes: 4 << 20)
        defer { mount.unmount() }
        let repository = try TestRepository(includeBroken: false)
        let path = mount.path + "/vigil.sqlite"
        let vigil = try VigilProcess(arguments: [
            "--models", repository.directory.path, "--db", path, "--flush-interval", "100ms",
            "--window", "1s",
        ])
        #expect(try vigil.post("/v2/models/reg32/infer", Self.request).0 == 200)
        #expect(vigil.wait(seconds: 10) { Self.loggedRows(path) == 3 })
        // Fill what is left of the disk.
        let filler = mount.path + "/filler"
        _ = FileManager.default.createFile(atPath: filler, contents: nil)
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: filler))
        let block = Data(repeating: 0x5A, count: 64 << 10)
        while (try? handle.write(contentsOf: block)) != nil {}
        try? handle.close()
        let failuresBefore = try Self.writeFailures(vigil)
        // New windows need new pages: a second a request, for a few seconds.
        for _ in 0..<6 {
            let (status, body) = try vigil.post("/v2/models/reg32/infer", Self.request)
            #expect(status == 200, "\(body)")
            Thread.sleep(forTimeInterval: 1.05)
        }
        #expect(
            try vigil.wait(seconds: 10) { try Self.writeFailures(vigil) > failuresBefore }, "no write failure in /metrics on a full disk")
        #expect(vigil.log.contains("cannot write"))
        try FileManager.default.removeItem(atPath: filler)
        #expect(vigil.wait(seconds: 15) { Self.loggedRows(path) == 21 }, "logged \(Self.loggedRows(path)) of 21 rows")
        #expect(try vigil.stop(signal: SIGTERM) == 0)
        #expect(try Database(path: path).integrityCheck() == "ok")
    }
}
